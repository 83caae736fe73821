"""Appends without a global lock (issue 14, point 3): an event is written in the transaction of
its change, with no lock, and sealed into the chain after that transaction commits, in order;
a sealer that dies mid-batch loses and reorders nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from traza.core import sealing
from traza.core.models import TraceEvent, TracePending, TraceSeal
from traza.core.services import SYSTEM, record, verify_trace
from traza.plans import services
from traza.plans.models import Theme

SCENARIO = Path(__file__).with_name("sealer_scenario.py")


@pytest.mark.django_db(transaction=True)
def test_an_event_is_sealed_right_after_its_transaction_commits():
    services.save_theme(SYSTEM, None, {"slug": "agua", "name": "Agua"})
    event = TraceEvent.objects.get()
    assert TraceSeal.objects.get(event=event).position == 1
    assert not TracePending.objects.exists()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.save_theme(SYSTEM, None, {"slug": "salud", "name": "Salud"})
        raise RuntimeError("the change fails")
    assert TraceEvent.objects.count() == 1 and not TracePending.objects.exists()  # neither
    services.save_theme(SYSTEM, None, {"slug": "salud", "name": "Salud"})
    assert list(TraceSeal.objects.values_list("position", flat=True)) == [1, 2]
    assert verify_trace() is None


@pytest.mark.django_db(transaction=True)
def test_a_failing_sealer_never_fails_the_write_and_the_worker_seals_later(monkeypatch):
    def broken(**kwargs):
        raise OSError("the sealer cannot run now")

    monkeypatch.setattr(sealing, "seal_pending", broken)
    theme = services.save_theme(SYSTEM, None, {"slug": "agua", "name": "Agua"})
    assert Theme.objects.filter(pk=theme.pk).exists()  # committed all the same
    assert TracePending.objects.count() == 1 and not TraceSeal.objects.exists()
    monkeypatch.undo()
    call_command("worker", "--once", verbosity=0)
    assert not TracePending.objects.exists() and TraceSeal.objects.count() == 1
    assert verify_trace() is None


@pytest.mark.django_db(transaction=True)
def test_writers_do_not_wait_for_each_other_and_a_late_commit_is_sealed_later():
    """A long transaction that has recorded an event no longer holds up every other write:
    the other commits and is sealed first, although its id is larger."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time by design; the lock was PostgreSQL's")
    recorded = threading.Event()
    release = threading.Event()
    slow_ids: list[int] = []

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                theme = Theme.objects.create(slug="lento", name="Lento")
                slow_ids.append(record(SYSTEM, "create", theme, summary="lento").id)
                recorded.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert recorded.wait(10)
    began = time.monotonic()
    quick = services.save_theme(SYSTEM, None, {"slug": "rapido", "name": "Rápido"})
    waited = time.monotonic() - began
    release.set()
    thread.join(10)
    assert waited < 2, f"the second writer waited {waited:.1f} s for the first"
    quick_event = TraceEvent.objects.get(object_id=str(quick.pk), object_type="plans.theme")
    assert quick_event.id > slow_ids[0]
    order = list(TraceSeal.objects.order_by("position").values_list("event_id", flat=True))
    assert order == [quick_event.id, slow_ids[0]]  # sealed as committed
    assert verify_trace() is None


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_writers_lose_nothing_and_the_chain_verifies():
    def write(n: int) -> None:
        try:
            services.save_theme(SYSTEM, None, {"slug": f"t{n}", "name": f"Tema {n}"})
        finally:
            connections.close_all()

    if connection.vendor != "postgresql":
        pytest.skip("SQLite: one writer at a time (its figure is in bench/trace_append.py)")
    threads = [threading.Thread(target=write, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    sealing.seal_pending(wait=True)  # any left by the try-lock race (docs/security.md)
    assert TraceEvent.objects.count() == TraceSeal.objects.count() == 12
    assert not TracePending.objects.exists()
    assert verify_trace() is None


def _run(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(SCENARIO), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_a_sealer_killed_mid_batch_loses_and_reorders_nothing(tmp_path):
    """Real processes on a file database: events committed and pending; a sealer that has
    written its batch's seals is killed (SIGKILL) before committing; the next one seals every
    event, in the order of their ids, and the trace verifies."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'traza.sqlite3'}",
        "TRAZA_VAR_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    env.pop("TRAZA_TEST_DATABASE_URL", None)
    _run(env, "write", "25")
    sealer = subprocess.Popen(
        [sys.executable, str(SCENARIO), "seal-and-hang"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = sealer.stdout.readline()
        assert line.startswith("wrote 25 seals"), sealer.stderr.read()[-2000:]
        sealer.send_signal(signal.SIGKILL)
        sealer.wait(10)
    finally:
        if sealer.poll() is None:
            sealer.kill()
    state = json.loads(_run(env, "finish"))
    assert state["before"] == {"seals": 0, "pending": 25}  # the killed batch left nothing
    assert state["sealed"] == 25 and state["pending_after"] == 0
    assert [position for position, _ in state["order"]] == list(range(1, 26))
    assert [event for _, event in state["order"]] == state["event_ids"]
    assert state["problem"] is None


@pytest.mark.django_db(transaction=True)
def test_a_job_of_many_transactions_seals_once_at_the_end():
    with sealing.deferred():
        for n in range(3):
            services.save_theme(SYSTEM, None, {"slug": f"t{n}", "name": f"Tema {n}"})
        assert TracePending.objects.count() == 3 and not TraceSeal.objects.exists()
    assert not TracePending.objects.exists() and TraceSeal.objects.count() == 3
    with pytest.raises(RuntimeError), sealing.deferred():
        services.save_theme(SYSTEM, None, {"slug": "t9", "name": "Tema 9"})
        raise RuntimeError("the job fails half-way")
    assert TraceSeal.objects.count() == 4  # what it committed is sealed all the same
    assert verify_trace() is None
