"""Time the trace's verification and checkpoints on a large synthetic trace.

    .venv/bin/python bench/trace_verify.py                    # 200,000 events, SQLite in a temp dir
    .venv/bin/python bench/trace_verify.py --events 1000000
    DATABASE_URL=postgres://… .venv/bin/python bench/trace_verify.py --events 1000000

The events are written in bulk as ``record`` writes them, waiting to be sealed, and sealed by
the trace's own sealer (``core.sealing``; timed), shaped like a contribution's and its
response's events (this measures the trace, not the services). Prints: full ``verify-trace``; the first checkpoint (the whole tree); after 10,000 new
events, the next checkpoint and the incremental ``verify-trace``; an inclusion and a
consistency proof (tree built, then from memory); bytes per event.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traza.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("TRAZA_VAR_DIR", tempfile.mkdtemp())

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from traza.core import checkpoints  # noqa: E402
from traza.core.models import TraceEvent, TracePending, canonical_payload  # noqa: E402
from traza.core.sealing import GENESIS_HASH, seal_pending  # noqa: E402
from traza.core.services import Verified, verify_trace_from, write_checkpoint  # noqa: E402

TARGETS = {"full": 30.0, "incremental": 2.0}


def _event(n: int) -> TraceEvent:
    contribution = n % 2 == 0
    return TraceEvent(
        occurred_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=n),
        actor_label="anonymous" if contribution else "secretaria",
        action="create",
        object_type="cocreation.contribution" if contribution else "cocreation.response",
        object_id=str(n // 2),
        object_label=f"Aporte {n // 2}",
        scope=f"cocreation.contribution:{n // 2}",
        plan_id=1,
        summary=f"Received contribution {n // 2} through web form"
        if contribution
        else f"Published the reasoned response to contribution {n // 2}",
        reason="",
        changes={"channel": [None, "web_form"], "theme": [None, 3], "show_author": [None, True]}
        if contribution
        else {"outcome": [None, "accepted"], "text": [None, "Se incorporó en el compromiso 4."]},
    )


def fill(start: int, count: int) -> None:
    """Write ``count`` events waiting to be sealed (as ``record`` leaves them)."""
    batch = []
    for n in range(start, start + count):
        batch.append(_event(n))
        if len(batch) == 5000:
            _write(batch)
            batch = []
    if batch:
        _write(batch)


def _write(events: list[TraceEvent]) -> None:
    with transaction.atomic():
        TraceEvent.objects.bulk_create(events)
        TracePending.objects.bulk_create(TracePending(event=event) for event in events)


def timed(label: str, function, target: float | None = None):
    began = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - began
    mark = (
        "" if target is None else (" ok" if seconds <= target else f" MISSED (target {target} s)")
    )
    print(f"{label:<58} {seconds:8.2f} s{mark}")
    return result, seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; events: {args.events:,}")
    timed(f"writing {args.events:,} events in bulk (setup)", lambda: fill(1, args.events))
    timed(f"sealing {args.events:,} events (the sealer)", lambda: seal_pending(wait=True))
    missed = False
    reached, full = timed(
        "verify-trace --full (hashes, chain, Merkle tree)",
        lambda: verify_trace_from(Verified())[0],
        TARGETS["full"] * args.events / 1_000_000,
    )
    missed |= full > TARGETS["full"] * args.events / 1_000_000
    timed("first checkpoint (every event, signed)", write_checkpoint)
    fill(args.events + 1, 10_000)
    timed("sealing 10,000 new events", lambda: seal_pending(wait=True))
    timed("next checkpoint after 10,000 new events", write_checkpoint)
    _, incremental = timed(
        "verify-trace, incremental after 10,000 new events",
        lambda: verify_trace_from(reached),
        TARGETS["incremental"],
    )
    missed |= incremental > TARGETS["incremental"]
    client = Client()
    newest = checkpoints.latest()
    assert newest is not None
    timed(
        "inclusion proof, tree built from the database",
        lambda: client.get("/trace/proofs/inclusion/12345.json"),
    )
    timed(
        "inclusion proof, tree in memory", lambda: client.get("/trace/proofs/inclusion/54321.json")
    )
    timed(
        "consistency proof between the two checkpoints",
        lambda: client.get(f"/trace/proofs/consistency/{args.events}/{newest.size}.json"),
    )
    sample = list(TraceEvent.objects.order_by("id")[:2000])
    payload = sum(len(canonical_payload(e.payload_values(1, GENESIS_HASH))) for e in sample)
    print(f"{'canonical payload per event (what is hashed), bytes':<58} {payload / 2000:8.0f}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE core_traceevent")
            cursor.execute("VACUUM ANALYZE core_traceseal")
            cursor.execute("VACUUM ANALYZE core_tracepending")
            cursor.execute(
                "SELECT pg_total_relation_size('core_traceevent'), "
                "pg_total_relation_size('core_traceseal'), "
                "pg_total_relation_size('core_tracepending')"
            )
            sizes = cursor.fetchone()
        count = TraceEvent.objects.count()
        print(
            f"{'events, seals, pending: tables with indexes per event, bytes':<58} "
            f"{sum(sizes) / count:8.0f} ({sizes[0] / count:.0f} + {sizes[1] / count:.0f} + "
            f"{sizes[2] / count:.0f})"
        )
    with open(os.devnull, "w") as sink:
        call_command("verify_trace", "--full", stdout=sink)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
