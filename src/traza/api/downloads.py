"""Open data downloads: each dataset as CSV, JSON or XLSX, and the whole instance as a
Frictionless Data Package. Streamed from the database in chunks: memory stays flat however
many rows there are (bench/export_memory.py measures it)."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
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


def data_version(request: HttpRequest, *args, **kwargs) -> str:
    """Changes whenever the data does: every write is in the trace."""
    from traza.core.models import TraceEvent

    last = TraceEvent.objects.order_by("-id").values_list("id", flat=True).first()
    return f"traza-{last or 0}"


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


def write_xlsx(dataset: Dataset, path: str) -> None:
    """The dataset as a workbook, written in xlsxwriter's constant-memory mode. Text is
    written as text, so nothing in it runs as a formula."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "remove_timezone": True})
    sheet = workbook.add_worksheet(dataset.name[:31])
    bold = workbook.add_format({"bold": True})
    for col, name in enumerate(dataset.names):
        sheet.write_string(0, col, name, bold)
    for r, row in enumerate(dataset.rows(), start=1):
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


@condition(etag_func=data_version)
def download(request: HttpRequest, name: str, fmt: str):
    dataset = _dataset(name)
    if fmt == "csv":
        response = StreamingHttpResponse(csv_rows(dataset), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        response = StreamingHttpResponse(json_chunks(dataset), content_type="application/json")
    elif fmt == "xlsx":
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        write_xlsx(dataset, path)
        stream = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
        os.unlink(path)  # the open handle keeps the content until the response is sent
        response = FileResponse(
            stream,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


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
