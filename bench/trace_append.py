"""Appends to the trace under load (issue 14's figures): traced writes through the services,
and the public contribution form with 50 concurrent posters.

    .venv/bin/python bench/trace_append.py                       # SQLite (WAL) in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1/traza_bench_append .venv/bin/python bench/trace_append.py

1. **A national plan through the services**: a member, 10 themes, 20 organisations, a plan,
   200 commitments with 4 milestones each and 20 events, one service call after another, each
   in its transaction and sealed after its commit, as an import does. Prints the trace events
   written per second.
2. **The public form**: ``traza serve`` (gunicorn, 4 sync workers, DEBUG off, rate limits off)
   and ``wrk`` with 50 connections posting the living demo's open consultation form for
   ``--seconds``, each post a different text. Prints contributions accepted per second, how
   many answers were not the redirect of an accepted contribution, how many accepted
   contributions are missing in the database (lost), and whether the trace is complete
   (every event sealed, after the sealer's last pass) and verifies.
Then the bytes per trace event (PostgreSQL: tables with their indexes, after VACUUM).
Needs ``wrk`` (Debian: apt install wrk) for part 2.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

BENCH = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
TARGETS = {"writes_per_s": 100.0, "contributions_per_s": 300.0, "bytes_per_event": 600}

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traza.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("TRAZA_VAR_DIR", tempfile.mkdtemp())
os.environ.update(DEBUG="false", TRAZA_RATE_LIMITS="false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

sys.path.insert(0, str(BENCH))
from pages import free_port, load, start_server, stop_server, wait_for  # noqa: E402


def national_plan(deferred: bool) -> tuple[int, float]:
    """Part 1: the trace events written and the seconds taken (sealing included), sealed after
    each commit, or once at the end as the import commands do (``sealing.deferred``)."""
    from contextlib import nullcontext

    from traza.core import sealing

    with sealing.deferred() if deferred else nullcontext():
        return _national_plan(deferred)


def _national_plan(deferred: bool) -> tuple[int, float]:
    import datetime as dt

    from traza.cocreation.services import events as event_services
    from traza.core.models import TraceEvent
    from traza.core.services import SYSTEM
    from traza.plans import services

    before = TraceEvent.objects.count()
    began = time.perf_counter()
    tag = "d" if deferred else "a"
    member = services.save_member(
        SYSTEM, None, {"slug": f"bench-append-{tag}", "name": f"Bench {tag}"}
    )
    themes = [
        services.save_theme(SYSTEM, None, {"slug": f"append-{tag}-{n}", "name": f"Tema {tag} {n}"})
        for n in range(10)
    ]
    organizations = [
        services.save_organization(
            SYSTEM,
            None,
            {"slug": f"append-org-{tag}-{n}", "name": f"Ministerio {tag} {n}", "sector": "public"},
        )
        for n in range(20)
    ]
    plan = services.save_plan(
        SYSTEM,
        None,
        {
            "member": member,
            "number": 1,
            "title": "Plan nacional de referencia (ficticio)",
            "period_start": 2027,
            "period_end": 2028,
        },
    )
    for n in range(200):
        services.save_commitment(
            SYSTEM,
            None,
            {
                "plan": plan,
                "number": n + 1,
                "title": f"Compromiso {n + 1}: datos abiertos de la institución {n % 20}",
                "problem": "Lo que la institución produce no se publica en formatos abiertos.",
                "lead_organization": organizations[n % 20],
                "theme": themes[n % 10],
            },
            milestones=[
                (
                    None,
                    {
                        "number": m + 1,
                        "text": f"Hito {m + 1} del compromiso {n + 1}",
                        "ends_on": dt.date(2027, 3 * (m + 1), 1),
                    },
                )
                for m in range(4)
            ],
        )
    for n in range(20):
        starts = dt.datetime(2026, 10, 1 + n, 9, tzinfo=dt.UTC)
        event_services.save_event(
            SYSTEM,
            None,
            {
                "plan": plan,
                "key": f"mesa-{n + 1}",
                "kind": "thematic_table",
                "title": f"Mesa de trabajo {n + 1}",
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(hours=3),
            },
        )
    if deferred:
        from traza.core import sealing

        sealing.seal_pending(wait=True)
    seconds = time.perf_counter() - began
    return TraceEvent.objects.count() - before, seconds


def form_post_setup(base: str, path: str) -> tuple[str, str]:
    """The form's body (a template with two %d: the connection and a counter) and cookie."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + path, timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    started = re.search(r'name="started" value="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    fields = {
        "csrfmiddlewaretoken": token,
        "started": started,
        "website": "",
        "text": "PLACEHOLDER",
        "author_name": "Participante de prueba",
        "author_email": "participante@example.org",
        "consent": "on",
    }
    text = urllib.parse.quote_plus(
        "Aporte de carga NUMBER-NUMBER: pedimos datos abiertos del agua."
    )
    body = urllib.parse.urlencode(fields).replace("PLACEHOLDER", text)
    return body.replace("%", "%%").replace("NUMBER", "%d"), cookie


def public_form(seconds: int, clients: int) -> dict:
    """Part 2 (needs wrk)."""
    from traza.cocreation.models import Contribution
    from traza.core import sealing
    from traza.core.models import TraceEvent
    from traza.core.services import verify_trace
    from traza.ops.living_demo.builder import load_living_demo

    plan = load_living_demo().plan
    path = f"/planes/{plan.pk}/aportar/"
    port = free_port()
    logs = Path(tempfile.mkdtemp(prefix="traza-append-"))
    server = start_server(
        [str(VENV_BIN / "traza"), "serve", "--workers", "4", "--port", str(port)],
        dict(os.environ),
        logs / "traza.log",
    )
    try:
        wait_for(port, server)
        base = f"http://127.0.0.1:{port}"
        body, cookie = form_post_setup(base, path)
        time.sleep(4)  # the form's signed start time must be a few seconds old
        before = Contribution.objects.filter(plan=plan).count()
        events_before = TraceEvent.objects.count()
        done = subprocess.run(
            [
                *("wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout=30s"),
                *("-s", str(BENCH / "wrk_post.lua"), base + path),
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "BENCH_BODY": body, "BENCH_COOKIE": cookie},
        )
        if done.returncode != 0:
            raise RuntimeError(f"wrk failed: {done.stdout[-1000:]} {done.stderr[-1000:]}")
        out = done.stdout
        result = json.loads(next(x for x in out.splitlines() if x.startswith("WRK "))[4:])
        result["load_after"] = load()
    finally:
        stop_server(server)
    written = Contribution.objects.filter(plan=plan).count() - before
    result["written"] = written  # more than accepted: posts still in flight when wrk stopped
    result["lost"] = max(0, result["accepted"] - written)
    result["contributions_per_s"] = result["accepted"] / result["seconds"]
    result["pending_after_run"] = sealing.pending_count()
    sealing.seal_pending(wait=True)
    result["events"] = TraceEvent.objects.count() - events_before
    result["all_sealed"] = sealing.pending_count() == 0
    problem = verify_trace()
    result["verifies"] = problem is None
    result["problem"] = str(problem) if problem else None
    if result["accepted"] == 0:
        result["log_tail"] = (logs / "traza.log").read_text()[-2000:]
    return result


TRACE_TABLES = ("core_traceevent", "core_traceseal", "core_tracepending")


def trace_relations() -> dict[str, int]:
    """The bytes of every relation of the trace (each table, its TOAST and each index), after
    VACUUM, on PostgreSQL."""
    with connection.cursor() as cursor:
        for table in TRACE_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute(
            "SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_class t ON t.relname = ANY(%s) "
            "AND (c.oid = t.oid OR c.oid = t.reltoastrelid OR c.oid IN "
            "(SELECT indexrelid FROM pg_index WHERE indrelid = t.oid) OR c.oid IN "
            "(SELECT indexrelid FROM pg_index WHERE indrelid = t.reltoastrelid))",
            [list(TRACE_TABLES)],
        )
        return dict(cursor.fetchall())


def contribution_bytes(count: int = 2000) -> dict | None:
    """Part 3 (PostgreSQL): the trace's bytes per event for contributions with their
    responses, as the issue defines the figure: ``count`` contributions recorded and answered
    through the services (a web-form contribution and a published reasoned response, one
    trace event each), and what the trace's tables and indexes grew by, per event written,
    after VACUUM; with each relation's share."""
    if connection.vendor != "postgresql":
        return None
    from django.utils import timezone

    from traza.cocreation import services as cocreation
    from traza.cocreation.models import Channel
    from traza.core.models import TraceEvent
    from traza.core.services import SYSTEM
    from traza.plans.models import ActionPlan

    plan = ActionPlan.objects.order_by("-pk").first()
    before, events_before = trace_relations(), TraceEvent.objects.count()
    # each write sealed after its commit, as the site does: nothing stays pending
    for n in range(count):
        contribution = cocreation.record_contribution(
            SYSTEM,
            {
                "plan": plan,
                "channel": Channel.EMAIL,
                "received_at": timezone.now(),
                "author_name": f"Participante {n} (ficticio)",
                "text": f"Aporte {n} de referencia (ficticio): que la municipalidad publique "
                "sus contrataciones en datos abiertos cada mes, con el monto y el proveedor.",
            },
        )
        cocreation.publish_response(
            SYSTEM,
            contribution,
            {
                "outcome": "not_adopted",
                "reason_category": "outside_competence",
                "text": "No se acoge: la publicación mensual de contrataciones ya la "
                "dispone la ley; el plan no añade nada a esa obligación (ficticio).",
                "deciding_body": "secretariat",
                "decided_on": timezone.localdate(),
            },
        )
    after, written = trace_relations(), TraceEvent.objects.count() - events_before
    grown = {name: after.get(name, 0) - before.get(name, 0) for name in after}
    per_event = {name: round(size / written) for name, size in grown.items() if size}
    return {"events": written, "total": round(sum(grown.values()) / written)} | per_event


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--skip-form", action="store_true")
    parser.add_argument("--bytes-only", action="store_true", help="part 3 alone")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    print(f"database: {connection.vendor}; load before: {load()}")
    missed = False
    runs = ((False, "sealed after each commit"), (True, "sealed at the end"))
    for deferred, how in () if args.bytes_only else runs:
        events, seconds = national_plan(deferred)
        rate = events / seconds
        missed |= rate < TARGETS["writes_per_s"]
        print(
            f"national plan through the services, {how}: {events:,} traced writes in "
            f"{seconds:.1f} s = {rate:.0f}/s (target >= {TARGETS['writes_per_s']:.0f}); "
            f"load {load()}"
        )
    if not (args.skip_form or args.bytes_only):
        if not shutil.which("wrk"):
            print("wrk is not installed (Debian: apt install wrk): the form's run is skipped")
        else:
            form = public_form(args.seconds, args.clients)
            print("public form, 50 posters:", json.dumps(form))
            missed |= form["contributions_per_s"] < TARGETS["contributions_per_s"]
            missed |= bool(form["lost"] or form["other_status"] or form["socket_errors"])
            missed |= not (form["verifies"] and form["all_sealed"])
    sizes = contribution_bytes()
    if sizes:
        print(f"trace bytes per event, contributions with their responses: {json.dumps(sizes)}")
        missed |= sizes["total"] > TARGETS["bytes_per_event"]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
