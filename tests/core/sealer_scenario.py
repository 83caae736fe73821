"""Run by tests/core/test_sealing.py in separate processes, against a file-based SQLite
database configured as settings.py configures it (DATABASE_URL from the test):

    sealer_scenario.py write N        N traced writes, each committed; their seals held back
    sealer_scenario.py seal-and-hang  a sealer that writes its batch's seals, says so, and
                                      hangs before committing (the test kills it: SIGKILL)
    sealer_scenario.py finish         seal what is pending, verify; prints the state as JSON
"""

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traza.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from traza.core import sealing  # noqa: E402
from traza.core.models import TraceEvent, TracePending, TraceSeal  # noqa: E402
from traza.core.services import SYSTEM, verify_trace  # noqa: E402
from traza.plans import services  # noqa: E402


def write(count: int) -> None:
    call_command("migrate", verbosity=0)
    sealing.seal_after_commit = lambda: None  # this process never seals: the next one will
    for n in range(count):
        services.save_theme(SYSTEM, None, {"slug": f"tema-{n}", "name": f"Tema {n}"})


def seal_and_hang() -> None:
    real = TraceSeal.objects.bulk_create

    def then_hang(objs, *args, **kwargs):
        written = real(objs, *args, **kwargs)
        print(f"wrote {len(written)} seals, not committed", flush=True)
        time.sleep(120)
        return written

    TraceSeal.objects.bulk_create = then_hang
    sealing.seal_pending(wait=True)


def finish() -> None:
    before = {"seals": TraceSeal.objects.count(), "pending": TracePending.objects.count()}
    sealed = sealing.seal_pending(wait=True)
    order = list(TraceSeal.objects.order_by("position").values_list("position", "event_id"))
    problem = verify_trace()
    print(
        json.dumps(
            {
                "before": before,
                "sealed": sealed,
                "order": order,
                "event_ids": list(TraceEvent.objects.order_by("id").values_list("id", flat=True)),
                "pending_after": TracePending.objects.count(),
                "problem": str(problem) if problem else None,
            }
        )
    )


if __name__ == "__main__":
    {"write": lambda: write(int(sys.argv[2])), "seal-and-hang": seal_and_hang, "finish": finish}[
        sys.argv[1]
    ]()
