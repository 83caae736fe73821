"""The mail worker as a real process against a real database file (or the PostgreSQL test
database): killed, stopped and run twice at once, it loses nothing and sends nothing twice
on its own."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

# On PostgreSQL the worker processes use the test database itself: its rows must be committed
# for them to see, and removed after each test.
pytestmark = pytest.mark.django_db(transaction=True)
REPO = Path(__file__).resolve().parents[2]
BACKEND = "tests.notifications.recording_backend.EmailBackend"


def environment(database_url: str, folder: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TRAZA_", "DATABASE_URL", "EMAIL_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="traza.settings",
        DATABASE_URL=database_url,
        TRAZA_VAR_DIR=str(folder / "var"),
        EMAIL_BACKEND=BACKEND,
        TRAZA_TEST_MAIL_LOG=str(folder / "mail.log"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    )
    return env


def traza(env: dict[str, str], *args: str, **extra: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "traza.cli", *args],
        env={**env, **extra},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result


def django_python(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "import django\ndjango.setup()\n" + code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("outbox-template")
    path = folder / "traza.sqlite3"
    traza(environment(f"sqlite:///{path}", folder), "migrate", "-v0")
    return path


@pytest.fixture
def env(request, tmp_path) -> dict[str, str]:
    """A database the worker processes and this test share: on PostgreSQL the test database
    (committed for real), on SQLite a migrated file."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        credentials = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
        url = f"postgres://{credentials}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
    else:
        path = tmp_path / "traza.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    return environment(url, tmp_path)


def enqueue(env: dict[str, str], n: int) -> list[str]:
    django_python(
        env,
        "from django.db import transaction\n"
        "from traza.notifications.services import enqueue\n"
        "with transaction.atomic():\n"
        f"    for i in range({n}):\n"
        "        enqueue(f'p{i}@example.org', f'Mensaje {i}', 'Cuerpo', purpose='test')\n",
    )
    return [message_id for message_id, _status in state(env)]


def state(env: dict[str, str]) -> list[tuple[str, str]]:
    out = django_python(
        env,
        "import json\n"
        "from traza.notifications.models import OutboxMessage\n"
        "print(json.dumps(list(OutboxMessage.objects.order_by('id')"
        ".values_list('message_id', 'status'))))\n",
    )
    return [tuple(row) for row in json.loads(out)]


def mail_log(env: dict[str, str], event: str) -> list[tuple[int, str]]:
    """(pid, Message-ID) of every ``begin`` or ``done`` the backend wrote."""
    path = Path(env["TRAZA_TEST_MAIL_LOG"])
    if not path.exists():
        return []
    rows = [line.split() for line in path.read_text().splitlines()]
    return [(int(pid), message_id) for kind, pid, message_id in rows if kind == event]


def start_worker(env: dict[str, str], tmp_path: Path, **extra: str) -> subprocess.Popen:
    output = open(tmp_path / f"worker-{time.monotonic_ns()}.log", "w")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "traza.cli", "worker", "--interval", "0.2"],
        env={**env, **extra},
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def wait_until(condition, *workers: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        for worker in workers:
            assert worker.poll() is None, f"worker exited early with {worker.returncode}"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def statuses(env: dict[str, str]) -> Counter:
    return Counter(status for _id, status in state(env))


def test_killing_the_worker_mid_batch_leaves_only_the_message_in_flight_uncertain(env, tmp_path):
    ids = enqueue(env, 45)
    worker = start_worker(env, tmp_path, TRAZA_TEST_MAIL_STALL="3")
    try:
        wait_until(lambda: len(mail_log(env, "begin")) == 3, worker)
        during = dict(state(env))
    finally:
        worker.kill()  # kill -9 while the 3rd message is with the mail server
        worker.wait()
    in_flight = ids[2]
    assert during[in_flight] == "sending"
    assert Counter(during.values()) == {"sent": 2, "sending": 1, "queued": 42}

    # A restarted worker (the lease of the dead one over) sends the rest, not the one in flight.
    traza(env, "worker", "--once", TRAZA_MAIL_LEASE_SECONDS="0")
    after = dict(state(env))
    assert after[in_flight] == "uncertain"
    assert Counter(after.values()) == {"sent": 44, "uncertain": 1}
    begun = Counter(message_id for _pid, message_id in mail_log(env, "begin"))
    assert set(begun) == set(ids) and set(begun.values()) == {1}

    # Sending it again is a person's decision, and then it goes out once more.
    django_python(
        env,
        "from traza.notifications.models import OutboxMessage\n"
        "from traza.notifications.services import requeue\n"
        f"requeue(OutboxMessage.objects.get(message_id={in_flight!r}))\n",
    )
    traza(env, "worker", "--once")
    assert dict(state(env))[in_flight] == "sent"
    begun = Counter(message_id for _pid, message_id in mail_log(env, "begin"))
    assert begun[in_flight] == 2 and all(begun[i] == 1 for i in ids if i != in_flight)


def test_a_stopped_worker_finishes_the_message_in_flight_and_leaves_the_rest_queued(env, tmp_path):
    """SIGTERM, as a supervisor stops a service (Ctrl-C goes through the same handler)."""
    ids = enqueue(env, 45)
    worker = start_worker(
        env, tmp_path, TRAZA_TEST_MAIL_STALL="3", TRAZA_TEST_MAIL_STALL_SECONDS="3"
    )
    try:
        wait_until(lambda: len(mail_log(env, "begin")) == 3, worker)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    after = dict(state(env))
    assert after[ids[2]] == "sent"
    assert Counter(after.values()) == {"sent": 3, "queued": 42}


def test_two_workers_at_once_send_every_message_exactly_once(env, tmp_path):
    ids = enqueue(env, 40)
    workers = [start_worker(env, tmp_path, TRAZA_TEST_MAIL_DELAY="0.1") for _ in range(2)]
    try:
        wait_until(lambda: len(mail_log(env, "done")) >= len(ids), *workers)
        time.sleep(0.5)  # a double send would show now
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)
    begun = Counter(message_id for _pid, message_id in mail_log(env, "begin"))
    assert set(begun) == set(ids) and set(begun.values()) == {1}
    assert statuses(env) == {"sent": 40}
    assert {pid for pid, _id in mail_log(env, "begin")} == {w.pid for w in workers}
