"""Peak memory of the open-data CSV export of 10,000 and 100,000 contributions.

    .venv/bin/python bench/export_memory.py

Uses a temporary SQLite database unless DATABASE_URL is set. The export streams rows in
chunks of 2,000, so the peak should not grow with the number of rows."""

from __future__ import annotations

import os
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traza.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django

django.setup()

from benchdata import generate_contributions, peak_export_bytes  # noqa: E402  (bench/)
from django.core.management import call_command  # noqa: E402

from traza.core.services import SYSTEM  # noqa: E402
from traza.plans import services  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    member = services.save_member(SYSTEM, None, {"slug": "bench", "name": "Bench"})
    plan = services.save_plan(
        SYSTEM,
        None,
        {"member": member, "number": 1, "title": "Bench", "period_start": 2024, "period_end": 2026},
    )
    done = 0
    for total in (10_000, 100_000):
        generate_contributions(plan, total - done)
        done = total
        started = time.perf_counter()
        rows, peak = peak_export_bytes()
        seconds = time.perf_counter() - started
        print(f"{rows:>7} rows: peak {peak / 1024 / 1024:6.1f} MiB, {seconds:5.1f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
