"""`traza import-ogp` at the scale of OGP's whole export (issue 18.13).

Generates N rows (default 20,000) in the columns of OGP's commitments export, by repeating
the real rows of tests/data/ogp-commitments-open-parliament.csv under new identifiers and
new members ("Albania 2", "Albania 3"…, so that plans and commitments are new), imports them
into an empty database, then imports the same file again, and prints time and peak memory
for each, and whether the second import changed anything or wrote any trace event.

    .venv/bin/python bench/ogp_import.py [ROWS]                 # SQLite in a temporary folder
    DATABASE_URL=postgres://… .venv/bin/python bench/ogp_import.py [ROWS]
"""

from __future__ import annotations

import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traza.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from traza.assessment.ogp_import import import_ogp_csv  # noqa: E402
from traza.core.models import TraceEvent  # noqa: E402
from traza.core.services import SYSTEM  # noqa: E402

REAL = Path(__file__).parent.parent / "tests" / "data" / "ogp-commitments-open-parliament.csv"


def generate(target: Path, rows: int) -> None:
    with REAL.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, real = reader.fieldnames or [], list(reader)
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, columns)
        writer.writeheader()
        for n in range(rows):
            copy, row = divmod(n, len(real))
            row = dict(real[row])
            if copy:
                row["Commitment Unique Identifier"] += f"-{copy}"
                row["Country/Locality"] += f" {copy + 1}"
            writer.writerow(row)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    call_command("migrate", verbosity=0)
    folder = Path(tempfile.mkdtemp())
    source = folder / "ogp-commitments.csv"
    generate(source, rows)
    size = source.stat().st_size / 2**20
    print(f"{connection.vendor}: {rows:,} rows, {size:.1f} MiB of CSV")
    before = peak_mib()
    start = time.perf_counter()
    first = import_ogp_csv(SYSTEM, source)
    took = time.perf_counter() - start
    print(
        f"first import: {took:.1f} s ({rows / took:,.0f} rows/s), {first.imported:,} imported, "
        f"{len(first.problems)} problems, peak RSS {peak_mib():.0f} MiB (before {before:.0f})"
    )
    events = TraceEvent.objects.count()
    start = time.perf_counter()
    again = import_ogp_csv(SYSTEM, source)
    took = time.perf_counter() - start
    written = TraceEvent.objects.count() - events
    print(
        f"second import: {took:.1f} s, changed {again.changed or 'nothing'}, "
        f"{written} trace events written, peak RSS {peak_mib():.0f} MiB"
    )
    sys.exit(0 if not again.changed and written == 0 else 1)


if __name__ == "__main__":
    main()
