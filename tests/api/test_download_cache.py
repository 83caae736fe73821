"""Downloads kept as files by data version (issue 15.3): the first request of a version builds
the file while sending it, the next ones read it without a query on the data, a write makes a
new version, one request builds when many ask at once, and the bytes are those the downloads
always sent."""

import io
import threading
import time
import zipfile

import pytest

from traza.api import downloads
from traza.api.opendata import DATASETS
from traza.cocreation import services as cocreation_services
from traza.core.datasets import Column, Dataset


@pytest.fixture
def cache(settings, tmp_path):
    settings.TRAZA_DOWNLOAD_CACHE_DIR = tmp_path / "downloads"
    return tmp_path / "downloads"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _sheets(data: bytes) -> dict[str, bytes]:
    """The workbook's cells (its properties carry the time it was written)."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {n: book.read(n) for n in book.namelist() if not n.startswith("docProps/")}


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_first_and_second_download_have_the_bytes_of_the_uncached_one(
    client, demo, settings, tmp_path, fmt
):
    names = ("commitments", "contributions", "ratings")
    settings.TRAZA_DOWNLOAD_CACHE_DIR = None
    streamed = {name: _body(client.get(f"/data/{name}.{fmt}")) for name in names}
    settings.TRAZA_DOWNLOAD_CACHE_DIR = tmp_path / "downloads"
    for name in names:
        first = client.get(f"/data/{name}.{fmt}")
        one = _body(first)  # built while it is sent
        second = client.get(f"/data/{name}.{fmt}")
        assert first["ETag"] == second["ETag"]
        assert first["Content-Disposition"] == f'attachment; filename="{name}.{fmt}"'
        assert second["Content-Disposition"] == first["Content-Disposition"]
        assert second["Content-Type"] == first["Content-Type"]
        two = _body(second)
        assert int(second["Content-Length"]) == len(two)  # a whole file, read
        if fmt == "xlsx":
            assert _sheets(one) == _sheets(two) == _sheets(streamed[name])
        else:
            assert one == two == streamed[name], name
            if fmt == "csv":
                assert one == "".join(downloads.csv_rows(DATASETS[name])).encode()
    files = sorted(p.name for p in (tmp_path / "downloads").iterdir())
    assert not [f for f in files if f.endswith((".part", ".tmp"))]
    assert len([f for f in files if f.endswith(f".{fmt}")]) == len(names)
    assert len([f for f in files if f.endswith(".gz")]) == (0 if fmt == "xlsx" else len(names))


def test_the_second_download_reads_the_file_without_a_query_on_the_data(
    client, cache, make_plan, editor, django_assert_num_queries
):
    plan = make_plan(n=3, m=2)
    cocreation_services.record_contribution(
        editor,
        {"plan": plan, "channel": "email", "text": "Primero", "received_at": "2025-01-01T10:00Z"},
    )
    for fmt in ("csv", "xlsx"):
        first = _body(client.get(f"/data/contributions.{fmt}"))
        with django_assert_num_queries(1):  # the data version, nothing else
            response = client.get(f"/data/contributions.{fmt}")
            second = _body(response)
        assert second == first
    # a write is a new version: a new file, with the new row
    etag = client.get("/data/contributions.csv")["ETag"]
    cocreation_services.record_contribution(
        editor,
        {"plan": plan, "channel": "email", "text": "Segundo", "received_at": "2025-01-02T10:00Z"},
    )
    after = client.get("/data/contributions.csv")
    assert after["ETag"] != etag
    text = _body(after).decode()
    assert "Primero" in text and "Segundo" in text
    assert (
        client.get("/data/contributions.csv", HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304
    )


def test_only_the_newest_versions_are_kept(client, cache, make_plan, editor):
    plan = make_plan(n=1, m=0)
    for i in range(4):
        cocreation_services.record_contribution(
            editor,
            {"plan": plan, "channel": "email", "text": f"N{i}", "received_at": "2025-01-01T10:00Z"},
        )
        _body(client.get("/data/contributions.csv"))
        time.sleep(0.01)  # distinct modification times
    kept = sorted(cache.glob("contributions.*.csv"))
    assert len(kept) == downloads.KEEP
    assert "N3" in max(kept, key=lambda p: p.stat().st_mtime).read_text()


class Slow:
    """Rows computed in Python, slowly, counting how many times they are read."""

    def __init__(self, n: int, delay: float = 0.002):
        self.n, self.delay, self.reads = n, delay, 0
        self.lock = threading.Lock()

    def __call__(self, filters):
        with self.lock:
            self.reads += 1
        for i in range(self.n):
            time.sleep(self.delay)
            yield {"id": i, "text": f"fila {i} " + "x" * 40}


def _dataset(rows: Slow) -> Dataset:
    return Dataset(
        "slow",
        "Slow",
        "rows for the cache tests",
        [Column("id", "integer", "id"), Column("text", "string", "text")],
        rows_builder=rows,
        position=10_000,
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_four_downloads_at_once_build_the_file_once(tmp_path, monkeypatch, fmt):
    monkeypatch.setattr(downloads, "BLOCK", 256)  # many blocks: the followers read a growing file
    rows = Slow(300)
    dataset = _dataset(rows)
    results: list[bytes] = [b""] * 4
    start = threading.Barrier(4)

    def fetch(i: int) -> None:
        start.wait()
        results[i] = b"".join(downloads._cached(dataset, fmt, tmp_path, "traza-7-abc"))

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert rows.reads == 1
    expected = [f"slow.traza-7-abc.{fmt}"] + (
        [] if fmt == "xlsx" else [f"slow.traza-7-abc.{fmt}.gz"]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == expected
    assert results[0] and all(r == results[0] for r in results)
    if fmt == "csv":
        assert results[0] == "".join(downloads.csv_rows(_dataset(Slow(300)))).encode()


def test_a_follower_takes_over_when_the_builder_goes_away(tmp_path, monkeypatch):
    monkeypatch.setattr(downloads, "BLOCK", 64)
    dataset = _dataset(Slow(200, delay=0))
    expected = "".join(downloads.csv_rows(_dataset(Slow(200, delay=0)))).encode()
    builder = downloads._cached(dataset, "csv", tmp_path, "traza-1-a")
    got = next(builder) + next(builder)  # the builder's client reads two blocks …
    follower = downloads._cached(dataset, "csv", tmp_path, "traza-1-a")
    followed = next(follower)  # … a second request follows the file being written …
    builder.close()  # … and the first client goes away: its half file goes with it
    assert not (tmp_path / "slow.traza-1-a.csv.part").exists()
    followed += b"".join(follower)
    assert followed == expected and expected.startswith(got)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "slow.traza-1-a.csv",
        "slow.traza-1-a.csv.gz",
    ]


def test_a_build_left_behind_by_a_dead_process_is_taken_over(tmp_path, monkeypatch):
    monkeypatch.setattr(downloads, "STALE", 0.2)
    dataset = _dataset(Slow(50, delay=0))
    expected = "".join(downloads.csv_rows(_dataset(Slow(50, delay=0)))).encode()
    (tmp_path / "slow.traza-2-b.csv.part").write_bytes(expected[:100])  # killed mid-way
    assert b"".join(downloads._cached(dataset, "csv", tmp_path, "traza-2-b")) == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "slow.traza-2-b.csv",
        "slow.traza-2-b.csv.gz",
    ]


def test_build_downloads_builds_what_is_missing(cache, make_plan):
    make_plan(n=1, m=1)
    built = downloads.build_downloads(formats=("csv",))
    assert len(built) == len(DATASETS) and all(p.exists() for p in built)
    assert downloads.build_downloads(formats=("csv",)) == []


def test_the_build_downloads_command(cache, make_plan):
    from django.core.management import call_command

    make_plan(n=1, m=0)
    out = io.StringIO()
    call_command("build_downloads", "--format", "xlsx", stdout=out)
    assert f"{len(DATASETS)} downloads built" in out.getvalue()
    assert len(list(cache.glob("*.xlsx"))) == len(DATASETS)


def test_a_download_being_built_starts_before_the_data_is_read(
    client, cache, make_plan, django_assert_num_queries
):
    make_plan(n=2, m=0)
    response = client.get("/data/commitments.csv")  # the first of this version: built now
    chunks = iter(response.streaming_content)
    with django_assert_num_queries(0):
        header = next(chunks)
    assert header == ",".join(DATASETS["commitments"].names).encode() + b"\r\n"
    assert len(b"".join(chunks).splitlines()) == 2


def test_a_client_that_takes_gzip_gets_the_file_gzipped_once(
    client, cache, make_plan, django_assert_num_queries
):
    import gzip

    make_plan(n=3, m=2)
    plain = _body(client.get("/data/milestones.csv"))  # builds both
    with django_assert_num_queries(1):
        response = client.get("/data/milestones.csv", HTTP_ACCEPT_ENCODING="gzip, br")
        packed = _body(response)
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(packed)
    assert gzip.decompress(packed) == plain
    assert response["ETag"].startswith('W/"traza-')
    again = client.get(
        "/data/milestones.csv", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304
