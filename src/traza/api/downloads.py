"""Open data downloads: each dataset as CSV, JSON or XLSX, and the whole instance as a
Frictionless Data Package. Streamed from the database in chunks: memory stays flat however
many rows there are (bench/export_memory.py measures it).

Each download is also kept as a file per data version (issue 15.3), under
``TRAZA_DOWNLOAD_CACHE_DIR`` (``var/downloads`` by default; ``None`` turns it off): the
version is the newest trace event (its id and hash), which every write changes, and is the
ETag too. The first request of a version builds the file while it is sent (CSV and JSON go
out as they are written; XLSX, a zip, is written whole and then sent); the next ones read the
file, with no query but the version's. One request builds: the one that creates
``<file>.part`` (``O_EXCL``); the others at the same time follow that file as it grows (CSV,
JSON) or wait for it (XLSX), and take over if its builder goes away. A finished file is
renamed into place (atomic) and only the newest :data:`KEEP` versions of each are kept."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import condition

from traza.api.opendata import DATASETS, Dataset
from traza.core.jsonvalues import OPEN_DATA
from traza.core.tabular import csv_lines, safe_cell

LICENSES = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC0-1.0": ("Creative Commons Zero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-BY-1.0": (
        "Open Data Commons Attribution 1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
}


def data_version(request: HttpRequest | None = None, *args, **kwargs) -> str:
    """Changes whenever the data does: every write is in the trace. The newest event's time
    is part of it, so a database restored and written again never reuses a version (the
    cached files are named by it). Read once per request."""
    from traza.core.models import TraceEvent

    known = getattr(request, "_traza_data_version", None)
    if known is not None:
        return known
    last = TraceEvent.objects.order_by("-id").values_list("id", "occurred_at").first()
    version = f"traza-{last[0]}-{last[1].timestamp():.6f}".replace(".", "") if last else "traza-0"
    if request is not None:
        request._traza_data_version = version
    return version


def csv_value(column_type: str, value) -> str:
    if value is None:
        return ""
    if column_type == "boolean":
        return "true" if value else "false"
    if column_type == "datetime":
        return value.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    if column_type == "number":
        return f"{value:f}" if hasattr(value, "is_finite") else str(value)
    if column_type == "string":
        return safe_cell(value)
    return OPEN_DATA(value) if not isinstance(value, str) else value


def csv_rows(dataset: Dataset, filters=None) -> Iterator[str]:
    columns = dataset.columns
    return csv_lines(
        dataset.names,
        ([csv_value(c.type, row[c.name]) for c in columns] for row in dataset.rows(filters)),
    )


def json_chunks(dataset: Dataset) -> Iterator[str]:
    yield "["
    first = True
    for row in dataset.rows():
        yield (
            ("" if first else ",")
            + "\n"
            + json.dumps({k: OPEN_DATA(v) for k, v in row.items()}, ensure_ascii=False)
        )
        first = False
    yield "\n]\n"


def write_xlsx(dataset: Dataset, path: str, alive: Callable[[], None] | None = None) -> None:
    """The dataset as a workbook, written in xlsxwriter's constant-memory mode. Text is
    written as text, so nothing in it runs as a formula. ``alive`` is called every 1,000
    rows (the cache's builder shows it is still at work)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "remove_timezone": True})
    sheet = workbook.add_worksheet(dataset.name[:31])
    bold = workbook.add_format({"bold": True})
    for col, name in enumerate(dataset.names):
        sheet.write_string(0, col, name, bold)
    for r, row in enumerate(dataset.rows(), start=1):
        if alive is not None and r % 1000 == 0:
            alive()
        for col, column in enumerate(dataset.columns):
            value = row[column.name]
            if value is None:
                continue
            if column.type in ("integer", "number"):
                sheet.write_number(r, col, float(value))
            elif column.type == "boolean":
                sheet.write_boolean(r, col, bool(value))
            else:
                sheet.write_string(r, col, str(OPEN_DATA(value)))
    workbook.close()


def _dataset(name: str) -> Dataset:
    if name not in DATASETS:
        raise Http404
    return DATASETS[name]


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
KEEP = 2
"""Versions of each download kept in the cache folder (older ones are deleted)."""
BLOCK = 64 * 1024
"""Bytes sent (and written to the cache file) at a time."""
STALE = 60.0
"""Seconds a ``.part`` file may stand still before its builder is taken for gone."""
WAIT = 0.05
"""Seconds between two looks at a file being built by another request."""


def cache_dir() -> Path | None:
    """Where downloads are kept by data version, or None when the cache is off."""
    value = getattr(settings, "TRAZA_DOWNLOAD_CACHE_DIR", settings.VAR_DIR / "downloads")
    return Path(value) if value else None


def _blocks(chunks: Iterator[str]) -> Iterator[bytes]:
    """The text in blocks of about :data:`BLOCK` bytes (the same bytes, fewer writes); the
    first chunk (the CSV header, JSON's bracket) at once, before the database is read, so
    the download starts without waiting."""
    chunks = iter(chunks)
    for chunk in chunks:
        yield chunk.encode("utf-8")
        break
    buffer: list[bytes] = []
    size = 0
    for chunk in chunks:
        data = chunk.encode("utf-8")
        buffer.append(data)
        size += len(data)
        if size >= BLOCK:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)


def _chunks(dataset: Dataset, fmt: str) -> Iterator[bytes]:
    return _blocks(csv_rows(dataset) if fmt == "csv" else json_chunks(dataset))


def _prune(directory: Path, name: str, fmt: str) -> None:
    """Keep the newest :data:`KEEP` versions of ``name.fmt`` (with their gzipped copy);
    forget builds long gone."""
    kept = []
    for path in directory.glob(f"{name}.traza-*.{fmt}*"):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        if path.name.endswith((".part", ".tmp")):
            if time.time() - stat.st_mtime > 10 * STALE:
                path.unlink(missing_ok=True)
        elif path.name.endswith(f".{fmt}"):
            kept.append((stat.st_mtime, path.name, path))
    for _mtime, _name, path in sorted(kept, reverse=True)[KEEP:]:
        path.unlink(missing_ok=True)  # a request still reading it keeps its open handle
        _gzipped(path).unlink(missing_ok=True)


def _gzipped(final: Path) -> Path:
    return final.with_name(final.name + ".gz")


def _read_from(handle, skip: int = 0) -> Iterator[bytes]:
    with handle:
        handle.seek(skip)
        while block := handle.read(BLOCK):
            yield block


def _build(fd: int, part: Path, final: Path, dataset: Dataset, fmt: str, skip: int):
    """Write the file (this request claimed ``part``), sending what the client has not had
    yet (``skip`` bytes it already got from a builder that went away)."""
    try:
        if fmt == "xlsx":  # a zip is not sent as it is written: write it whole, then send it
            os.close(fd)
            scratch = final.with_name(f"{final.name}.{os.getpid()}-{id(part)}.tmp")
            try:
                write_xlsx(dataset, str(scratch), alive=lambda: os.utime(part))
                os.replace(scratch, final)
            finally:
                scratch.unlink(missing_ok=True)
            part.unlink(missing_ok=True)
            _prune(final.parent, dataset.name, fmt)
            yield from _read_from(open(final, "rb"), skip)  # noqa: SIM115 (closed by _read_from)
            return
        gz_part = _gzipped(final).with_name(_gzipped(final).name + ".part")
        # gzipped once here too, so that a compressed download is a file read as well
        with (
            os.fdopen(fd, "wb") as out,
            open(gz_part, "wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed,
        ):
            position = 0
            for block in _chunks(dataset, fmt):
                out.write(block)
                out.flush()  # visible to the requests following this build
                packed.write(block)
                end = position + len(block)
                if end > skip:
                    yield block[max(0, skip - position) :]
                position = end
        os.replace(gz_part, _gzipped(final))  # first, so that a finished file has its copy
        os.replace(part, final)
        _prune(final.parent, dataset.name, fmt)
    except BaseException:  # the client went away, the database failed: no half file stays
        part.unlink(missing_ok=True)
        if fmt != "xlsx":
            _gzipped(final).with_name(_gzipped(final).name + ".part").unlink(missing_ok=True)
        raise


def _follow(part: Path, final: Path, fmt: str, sent: int):
    """Send the file another request is building, from byte ``sent`` on: a CSV or JSON as it
    grows, an XLSX once it is complete. Returns how many bytes the client has and whether
    the whole file was sent."""
    try:
        handle = open(part, "rb")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        return sent, False
    with handle:
        inode = os.fstat(handle.fileno()).st_ino
        handle.seek(sent)
        last_seen, still_since = None, time.monotonic()
        while True:
            if fmt != "xlsx" and (block := handle.read(BLOCK)):
                sent += len(block)
                yield block
                still_since = time.monotonic()
                continue
            try:
                done = os.stat(final)
            except FileNotFoundError:
                done = None
            if done is not None and (fmt == "xlsx" or done.st_ino == inode):
                # renamed into place (CSV, JSON: the file followed, read to its end)
                source = handle if fmt != "xlsx" else open(final, "rb")  # noqa: SIM115
                with source:
                    source.seek(sent)
                    while block := source.read(BLOCK):
                        sent += len(block)
                        yield block
                return sent, True
            try:
                now = os.stat(part)
            except FileNotFoundError:
                now = None
            if now is None or now.st_ino != inode:
                return sent, False  # its builder went away: build it (or follow the next)
            seen = (now.st_size, now.st_mtime_ns)
            if seen != last_seen:
                last_seen, still_since = seen, time.monotonic()
            elif time.monotonic() - still_since > STALE:
                part.unlink(missing_ok=True)  # a builder that died without cleaning up
                return sent, False
            time.sleep(WAIT)


def _cached(dataset: Dataset, fmt: str, directory: Path, version: str) -> Iterator[bytes]:
    """The download's bytes: from the finished file, from a build in progress or from the
    build this request starts."""
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / f"{dataset.name}.{version}.{fmt}"
    part = final.with_name(final.name + ".part")
    sent = 0
    while True:
        try:
            done = open(final, "rb")  # noqa: SIM115 (closed by _read_from)
        except FileNotFoundError:
            done = None
        if done is not None:
            yield from _read_from(done, sent)
            return
        try:
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            sent, complete = yield from _follow(part, final, fmt, sent)
            if complete:
                return
            continue
        if final.exists():  # finished between the two looks: it was not ours to build
            os.close(fd)
            part.unlink(missing_ok=True)
            continue
        yield from _build(fd, part, final, dataset, fmt, sent)
        return


def _uncached(dataset: Dataset, fmt: str) -> Iterator[bytes] | BinaryIO:
    if fmt != "xlsx":
        return _chunks(dataset, fmt)
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    write_xlsx(dataset, path)
    stream = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    os.unlink(path)  # the open handle keeps the content until the response is sent
    return stream


@condition(etag_func=data_version)
def download(request: HttpRequest, name: str, fmt: str):
    dataset = _dataset(name)
    if fmt not in CONTENT_TYPES:
        raise Http404
    directory = cache_dir()
    response: StreamingHttpResponse
    packed = None
    if directory is None:
        body = _uncached(dataset, fmt)
    else:
        final = directory / f"{dataset.name}.{data_version(request)}.{fmt}"
        if fmt != "xlsx" and _takes_gzip(request):
            try:
                packed = open(_gzipped(final), "rb")  # noqa: SIM115 (FileResponse closes it)
            except FileNotFoundError:
                packed = None
        try:
            body = packed or open(final, "rb")  # noqa: SIM115 (FileResponse closes it)
        except FileNotFoundError:
            body = _cached(dataset, fmt, directory, data_version(request))
    if hasattr(body, "read"):  # a whole file: its length is known, and sendfile may send it
        response = FileResponse(body, content_type=CONTENT_TYPES[fmt])
    else:
        response = StreamingHttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    if packed is not None:  # as the gzip middleware would have sent it, without the work
        response["Content-Encoding"] = "gzip"
        response["ETag"] = f'W/"{data_version(request)}"'
        patch_vary_headers(response, ("Accept-Encoding",))
    return response


ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _takes_gzip(request: HttpRequest) -> bool:
    """The client accepts gzip and the public gzip middleware would compress the answer
    (it leaves signed-in pages alone)."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return not signed_in and bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def build_downloads(formats: tuple[str, ...] = ("csv", "json", "xlsx")) -> list[Path]:
    """Build every download of the current data version that is not built yet (``traza
    build-downloads``, e.g. after the worker's pass), so that no visitor waits for one."""
    directory = cache_dir()
    if directory is None:
        return []
    version = data_version()
    built = []
    for dataset in DATASETS.values():
        for fmt in formats:
            final = directory / f"{dataset.name}.{version}.{fmt}"
            if not final.exists():
                for _block in _cached(dataset, fmt, directory, version):
                    pass
                built.append(final)
    return built


def package_descriptor() -> dict:
    """The Frictionless Data Package: every dataset a CSV resource with its table schema."""
    code = settings.TRAZA_DATA_LICENSE
    title, url = LICENSES.get(code, (code, ""))
    return {
        "name": "traza-open-data",
        "title": "Traza open data",
        "description": "The public data of the open government action plans held in this Traza "
        "instance: plans, commitments, co-creation, monitoring, assessment, forum and documents.",
        "licenses": [{"name": code, "title": title, "path": url}],
        "resources": [
            {
                "name": dataset.name,
                "title": dataset.title,
                "description": dataset.description,
                "path": f"{dataset.name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": c.name, "type": c.type, "description": c.description}
                        for c in dataset.columns
                    ]
                },
            }
            for dataset in DATASETS.values()
        ],
    }


@condition(etag_func=data_version)
def datapackage(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        package_descriptor(), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )


def write_package(directory: Path) -> dict[str, int]:
    """Write datapackage.json and every CSV into ``directory``; return the row counts."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "datapackage.json").write_text(
        json.dumps(package_descriptor(), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    counts = {}
    for dataset in DATASETS.values():
        with open(directory / f"{dataset.name}.csv", "w", encoding="utf-8", newline="") as out:
            lines = csv_rows(dataset)
            out.write(next(lines))
            n = 0
            for line in lines:
                out.write(line)
                n += 1
        counts[dataset.name] = n
    return counts


def data_page(request: HttpRequest):
    code = settings.TRAZA_DATA_LICENSE
    return render(
        request,
        "api/data.html",
        {
            "datasets": DATASETS.values(),
            "license": (code, *LICENSES.get(code, (code, ""))),
            "formats": ["csv", "json", "xlsx"],
        },
    )


def dictionary_markdown() -> str:
    """The data dictionary (docs/data/dictionary.md), written from the dataset definitions."""
    lines = [
        "# Open data dictionary",
        "",
        "Written by `traza data-dictionary` from the same definitions as the API lists, the",
        "downloads and the data package; a test keeps this file equal to them.",
        "",
        "Every dataset is listed at `/api/v1/<name>/` (underscores become hyphens; JSON with",
        "`limit`, `cursor` and the filters below; `plans` has its own `/api/v1/plans/`) and",
        "downloaded at `/data/<name>.csv`, `.json` and `.xlsx`; `/data/datapackage.json` describes all",
        f"(licence by default: {settings.TRAZA_DATA_LICENSE}, setting `TRAZA_DATA_LICENSE`).",
        "In CSV, text that starts with `=`, `+`, `-` or `@` is prefixed with `'` so that no",
        "spreadsheet runs it as a formula; dates are ISO 8601, times in UTC.",
        "",
    ]
    for dataset in DATASETS.values():
        lines += [f"## `{dataset.name}` — {dataset.title}", "", dataset.description, ""]
        if dataset.filters:
            lines += ["Filters: " + ", ".join(f"`{f}`" for f in dataset.filters) + ".", ""]
        lines += ["| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {c.description} |" for c in dataset.columns]
        lines.append("")
    return "\n".join(lines)
