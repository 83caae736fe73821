"""Time the public plan and commitment pages and the export on a large plan."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import tracemalloc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traza.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from traza.api.transfer import dumps, export_data  # noqa: E402
from traza.core.services import SYSTEM  # noqa: E402
from traza.plans import services  # noqa: E402

COMMITMENTS, MILESTONES = 300, 6


def build():
    member = services.save_member(SYSTEM, None, {"slug": "bench", "name": "Bench"})
    theme = services.save_theme(SYSTEM, None, {"slug": "bench", "name": "Bench"})
    org = services.save_organization(
        SYSTEM, None, {"slug": "bench", "name": "Bench", "sector": "public"}
    )
    plan = services.save_plan(
        SYSTEM,
        None,
        {"member": member, "number": 1, "title": "Bench", "period_start": 2024, "period_end": 2026},
    )
    for i in range(1, COMMITMENTS + 1):
        services.save_commitment(
            SYSTEM,
            None,
            {
                "plan": plan,
                "number": i,
                "title": f"C{i}",
                "theme": theme,
                "lead_organization": org,
                "status": "approved",
            },
            milestones=[(None, {"number": j, "text": f"M{j}"}) for j in range(1, MILESTONES + 1)],
        )  # one version for the commitment and its milestones, as an import or the admin writes
    return plan


def median_ms(client: Client, url: str, runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    call_command("migrate", verbosity=0)
    plan = build()
    client = Client()
    results = []
    results.append(("plan page (ms)", median_ms(client, plan.get_absolute_url()), 150))
    commitment = plan.commitments.last()
    results.append(("commitment page (ms)", median_ms(client, commitment.get_absolute_url()), 50))
    tracemalloc.start()
    start = time.perf_counter()
    dumps(export_data())
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    results.append(("export (s)", elapsed, 2))
    results.append(("export peak memory (MB)", peak, 50))
    failed = False
    for name, value, target in results:
        ok = value < target
        failed |= not ok
        print(f"{name:28} {value:10.1f}   target < {target}   {'ok' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
