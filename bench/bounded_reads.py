"""In-process cost of the API list, the search and the downloads on many contributions
(issue 15.2, 15.3): what one request costs, and its queries, beside the exact counts the
old code made.

    DATABASE_URL=postgres://postgres@127.0.0.1/traza_bench .venv/bin/python bench/bounded_reads.py 200000
    .venv/bin/python bench/bounded_reads.py 10000      # SQLite in a temporary folder

The database must be empty (it is migrated here). Contributions and their search entries are
written in bulk (bench/benchdata.py), not through the services: only the reads are measured.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traza.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import django

django.setup()

import benchdata  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from traza.cocreation.models import Contribution  # noqa: E402
from traza.core.services import SYSTEM  # noqa: E402
from traza.plans import services  # noqa: E402
from traza.repository.models import SearchEntry  # noqa: E402


def build(n: int):
    member = services.save_member(SYSTEM, None, {"slug": "bench", "name": "Bench"})
    plan = services.save_plan(
        SYSTEM,
        None,
        {"member": member, "number": 1, "title": "Bench", "period_start": 2024, "period_end": 2026},
    )
    benchdata.generate_contributions(plan, n)
    batch = []
    for pk, text in Contribution.objects.values_list("pk", "text").iterator(chunk_size=5000):
        batch.append(
            SearchEntry(
                kind="contribution",
                object_id=pk,
                plan=plan,
                title=f"Aporte {pk}",
                body=text,
                url=f"/aportes/{pk}/",
            )
        )
        if len(batch) == 5000:
            SearchEntry.objects.bulk_create(batch)
            batch = []
    SearchEntry.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return plan


def timed(call, runs: int = 9) -> tuple[float, int]:
    """Median milliseconds and queries of ``call``."""
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries


def first_byte_and_total(client: Client, url: str) -> tuple[float, float, int]:
    start = time.perf_counter()
    response = client.get(url)
    chunks = iter(response.streaming_content)
    first = next(chunks)
    first_ms = (time.perf_counter() - start) * 1000
    size = len(first) + sum(len(c) for c in chunks)
    return first_ms, (time.perf_counter() - start) * 1000, size


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    settings.TRAZA_PAGE_CACHE_SECONDS = 0
    settings.TRAZA_RATE_LIMITS = False
    settings.TRAZA_DOWNLOAD_CACHE_DIR = Path(tempfile.mkdtemp()) / "downloads"
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    build(n)
    print(
        f"{connection.vendor}, {n:,} contributions and search entries written in "
        f"{time.perf_counter() - start:.0f} s"
    )
    client = Client()
    rows = []

    def row(label, ms, queries=""):
        rows.append((label, ms, queries))
        print(f"{label:<58} {ms:>9.1f} ms  {queries}")

    # the API list: the first page, a page deep in the list, and the old exact count
    first = client.get("/api/v1/contributions/?limit=100").json()
    print("count:", first["count"], first["count_is"])
    row(
        "API list, first page (limit 100)",
        *timed(lambda: client.get("/api/v1/contributions/?limit=100")),
    )
    address = first["next"]
    for _ in range(50):
        address = client.get(address).json()["next"]
    row("API list, page 52 by cursor", *timed(lambda: client.get(address)))
    row(
        "API list, page 52 by offset (deprecated)",
        *timed(lambda: client.get("/api/v1/contributions/?limit=100&offset=5100")),
    )
    row(
        "old: exact count of the public contributions",
        *timed(lambda: Contribution.objects.public().count()),
    )

    # the search: a word every entry has
    row(
        "search 'presupuesto' (every entry matches)",
        *timed(lambda: client.get("/buscar/?q=presupuesto")),
    )
    row("search 'presupuesto', page 3", *timed(lambda: client.get("/buscar/?q=presupuesto&page=3")))
    if connection.vendor == "postgresql":
        sql = (
            "SELECT count(*) FROM repository_searchentry e, "
            "websearch_to_tsquery('traza_es', 'presupuesto') q WHERE e.vector @@ q"
        )
    else:
        sql = (
            "SELECT count(*) FROM repository_searchfts "
            "WHERE repository_searchfts MATCH '\"presupuesto\"*'"
        )

    def old_count():
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()

    row("old: exact count of the matches", *timed(old_count))

    # the downloads: first (built while sent), second (the file)
    for fmt in ("csv", "xlsx"):
        url = f"/data/contributions.{fmt}"
        first_ms, total_ms, size = first_byte_and_total(client, url)
        row(f"/data/contributions.{fmt} first: first byte ({size / 1e6:.1f} MB)", first_ms)
        row(f"/data/contributions.{fmt} first: whole", total_ms)
        first_ms, total_ms, size = first_byte_and_total(client, url)
        row(f"/data/contributions.{fmt} second: first byte", first_ms)
        row(f"/data/contributions.{fmt} second: whole", total_ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
