"""The page benchmark of issue 15 on PostgreSQL: Traza's production server against the same
server returning each page's saved bytes from memory, page by page, in the same run.

    make bench                                        # 10,000 and 200,000 contributions
    make bench BENCH_SIZES="10000"                    # one size
    make bench BENCH_SIZES="10000 200000 1000000"     # and a million
    .venv/bin/python bench/pages.py --sizes 10000 --seconds 5 --clients 50

Each size has its own database, ``$BENCH_DATABASE_URL_<size>`` (default
postgres://postgres@127.0.0.1/traza_bench_national_<size>), created and filled by
bench/national.py when it holds no contributions yet (kept for the next run). Then, per size:

1. in-process (Django's test client, this process): each page once with the page cache empty
   (cold: the median of 3, and its queries) and from the cache (warm: the median of 5);
2. ``traza serve`` (gunicorn, 4 sync workers, DEBUG off, rate limits off, page cache on) and the
   reference (the same gunicorn and middleware without the page cache; one view answering each
   address with the bytes Traza sent for it, from memory: bench/reference_settings.py);
3. per page, once every worker's page cache holds it (until 24 answers in a row are hits),
   ``wrk`` (or a Python thread pool when wrk is missing; the output says which) with 50
   clients for a few seconds against Traza, then against the reference, twice, interleaved,
   asking for gzip as a browser does: requests/s, ratio, p50/p95/p99 of both (the mean of
   the rounds).

Results are kept in var/bench/national-<size>.json; at the end the growth of each page's
in-process cost and throughput from the smallest size to each larger one is printed. The load
average of the machine is printed beside each page (the benchmark shares the machine).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pickle
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = Path(sys.executable).parent
RESULTS = ROOT / "var" / "bench"
DEFAULT_BASE = "postgres://postgres@127.0.0.1/traza_bench_national"
PAGES = [
    "home",
    "plan (200 commitments)",
    "commitment (most contributions)",
    "contribution journey",
    "plan contributions list",
    "flow diagram",
    "dashboard",
    "process health",
    "search, common word",
    "API list of contributions",
]


def database_url(size: int) -> str:
    return os.environ.get(
        f"BENCH_DATABASE_URL_{size}",
        f"{os.environ.get('BENCH_DATABASE_URL', DEFAULT_BASE)}_{size}",
    )


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def machine() -> dict:
    model = ""
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal"):
                memory = int(line.split()[1]) // 1024
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_mib": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
    }


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} stopped (exit {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"nothing answers on port {port}")


# --- load generation -----------------------------------------------------------------------


def run_wrk(url: str, clients: int, seconds: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{clients}",
            f"-d{seconds}s",
            "--timeout=30s",
            "-H",
            "Accept-Encoding: gzip",
            "-s",
            str(BENCH / "wrk_report.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    result = json.loads(line[4:])
    for p in ("p50", "p95", "p99"):
        result[p] = result[p] / 1000  # ms
    return result


def run_threads(url: str, clients: int, seconds: int) -> dict:
    """The fallback without wrk: ``clients`` threads, each one request after another."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
                with lock:
                    latencies.append((time.perf_counter() - began) * 1000)
            except Exception:
                with lock:
                    errors += 1

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    duration = time.perf_counter() - began
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] if latencies else 0

    return {
        "requests": len(latencies),
        "seconds": duration,
        "rps": len(latencies) / duration,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "errors": errors,
        "non2xx": 0,
    }


def fill_caches(url: str, clients: int = 8, hits: int = 24, limit: float = 120) -> float:
    """Request ``url`` from ``clients`` threads until the last ``hits`` answers all came from
    the page cache (each worker process has its own unless Redis is set): the seconds it
    took. Without it the first misses, slow under 50 clients, fill the first seconds."""
    recent: collections.deque[bool] = collections.deque(maxlen=hits)
    began = time.monotonic()

    def client() -> None:
        while time.monotonic() - began < limit and not (len(recent) == hits and all(recent)):
            request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                recent.append(response.headers.get("X-Traza-Cache") == "hit")

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - began


# --- one size, in a process of its own --------------------------------------------------------


def start_server(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        args, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)


def mean(runs: list[dict]) -> dict:
    """The rounds' mean of each figure (requests/s, percentiles, errors)."""
    return {key: statistics.mean(run[key] for run in runs) for key in runs[0]}


def one_size(size: int, clients: int, seconds: int, rounds: int, with_load: bool = True) -> dict:
    url = database_url(size)
    ensure_database(url)
    var = RESULTS / "var"
    var.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="traza.settings",
        TRAZA_VAR_DIR=str(var),
        DEBUG="false",
        TRAZA_RATE_LIMITS="false",
    )
    sys.path.insert(0, str(BENCH))
    import django

    django.setup()
    import national
    from django.conf import settings
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from traza.cocreation.models import Contribution
    from traza.plans.models import ActionPlan, Commitment

    call_command("migrate", verbosity=0)
    generated = None
    if not Contribution.objects.exists():
        print(f"generating {size:,} contributions (bench/national.py)…", flush=True)
        generated = national.generate(size).seconds
        print(f"generated in {generated:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database()), version()")
        db_bytes, pg_version = cursor.fetchone()
    plan = ActionPlan.objects.annotate(n=Count("contributions")).order_by("-n").first()
    hot = (
        Commitment.objects.filter(plan=plan)
        .annotate(n=Count("contributions"))
        .order_by("-n")
        .first()
    )
    journey = Contribution.objects.filter(plan=plan, response__isnull=False).order_by("id").first()
    with translation.override(settings.LANGUAGE_CODE):
        paths = {
            "home": reverse("plans:home"),
            "plan (200 commitments)": reverse("plans:plan", args=[plan.pk]),
            "commitment (most contributions)": reverse("plans:commitment", args=[hot.pk]),
            "contribution journey": reverse("cocreation:contribution", args=[journey.pk]),
            "plan contributions list": reverse("cocreation:contributions", args=[plan.pk]),
            "flow diagram": reverse("cocreation:flow", args=[plan.pk]),
            "dashboard": reverse("monitoring:plan_dashboard", args=[plan.pk]),
            "process health": reverse("assessment:process", args=[plan.pk]),
            "search, common word": reverse("repository:search") + f"?q={national.COMMON_WORD}",
            "API list of contributions": "/api/v1/contributions/",
        }
    result: dict = {
        "size": size,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "postgresql": pg_version.split(" on ")[0],
        "database_mib": db_bytes // 2**20,
        "generated_seconds": generated,
        "plan_contributions": plan.n,
        "commitment_contributions": hot.n,
        "clients": clients,
        "seconds": seconds,
        "rounds": rounds,
        "load_before": load(),
        "pages": {},
    }
    print(
        f"\n== {size:,} contributions: database {result['database_mib']:,} MiB, "
        f"{result['postgresql']}; plan with {plan.n:,} contributions, "
        f"commitment with {hot.n:,}; load average {result['load_before']}",
        flush=True,
    )

    # 1. in-process
    client = Client()
    pages_cache = caches["pages"]
    for name, path in paths.items():
        cold, warm = [], []
        queries = warm_queries = 0
        for _ in range(3):
            pages_cache.clear()
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(path)
                cold.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            queries = len(captured.captured_queries)
        for _ in range(5):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                warm_response = client.get(path)
                warm.append((time.perf_counter() - began) * 1000)
            warm_queries = len(captured.captured_queries)
        result["pages"][name] = {
            "path": path,
            "bytes": len(response.content),
            "cold_first_ms": cold[0],
            "cold_ms": statistics.median(cold),
            "queries": queries,
            "warm_ms": statistics.median(warm),
            "warm_queries": warm_queries,
            "cache": warm_response.get("X-Traza-Cache", "not stored"),
            "load": load(),
        }
    connection.close()
    if not with_load:
        result["load_generator"] = "none (in-process only)"
        result["load_after"] = load()
        for name in paths:
            print_page(name, result["pages"][name])
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"national-{size}.json").write_text(json.dumps(result, indent=1))
        return result

    # 2. the two servers
    logs = Path(tempfile.mkdtemp(prefix="traza-bench-"))
    env = dict(os.environ)
    traza_port, reference_port = free_port(), free_port()
    traza = start_server(
        [str(VENV_BIN / "traza"), "serve", "--workers", "4", "--port", str(traza_port)],
        env,
        logs / "traza.log",
    )
    reference = None
    try:
        wait_for(traza_port, traza)
        saved = {}
        for path in paths.values():
            request = urllib.request.Request(f"http://127.0.0.1:{traza_port}{path}")
            with urllib.request.urlopen(request, timeout=120) as response:
                saved[path] = (response.headers["Content-Type"], response.read())
        (logs / "pages.pickle").write_bytes(pickle.dumps(saved))
        reference_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "reference_settings",
            "PYTHONPATH": str(BENCH),
            "BENCH_REFERENCE_PAGES": str(logs / "pages.pickle"),
        }
        reference = start_server(
            [
                str(VENV_BIN / "gunicorn"),
                f"--bind=127.0.0.1:{reference_port}",
                "--workers=4",
                "--worker-class=sync",
                "--timeout=60",
                "--access-logfile=-",
                "--error-logfile=-",
                "--preload",
                "traza.wsgi:application",
            ],
            reference_env,
            logs / "reference.log",
        )
        wait_for(reference_port, reference)

        # 3. load, page by page: Traza, then the reference
        drive = run_wrk if shutil.which("wrk") else run_threads
        result["load_generator"] = "wrk" if shutil.which("wrk") else "python threads"
        for name, path in paths.items():
            page = result["pages"][name]
            page["load"] = load()
            # every worker's page cache filled, the reference's workers warmed, before measuring
            page["warming_s"] = fill_caches(f"http://127.0.0.1:{traza_port}{path}")
            drive(f"http://127.0.0.1:{reference_port}{path}", 8, 1)
            runs: dict[str, list[dict]] = {"traza": [], "reference": []}
            for _ in range(rounds):  # interleaved, so that a change of load hits both
                runs["traza"].append(
                    drive(f"http://127.0.0.1:{traza_port}{path}", clients, seconds)
                )
                runs["reference"].append(
                    drive(f"http://127.0.0.1:{reference_port}{path}", clients, seconds)
                )
            page["traza"], page["reference"] = mean(runs["traza"]), mean(runs["reference"])
            page["ratio"] = page["traza"]["rps"] / max(page["reference"]["rps"], 1e-9)
            print_page(name, page)
    finally:
        stop_server(traza)
        if reference is not None:
            stop_server(reference)
    result["load_after"] = load()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"national-{size}.json").write_text(json.dumps(result, indent=1))
    return result


HEADER = (
    f"{'page':<34} {'Traza r/s':>9} {'ref r/s':>8} {'ratio':>6}  "
    f"{'Traza p50/p95/p99 ms':>21}  {'ref p50/p95/p99 ms':>19}  "
    f"{'cold ms':>8} {'q':>3} {'warm ms':>7} {'q':>2} {'cache':>10}  load"
)


def print_page(name: str, page: dict) -> None:
    if "traza" in page:
        t, r = page["traza"], page["reference"]
        errors = t["errors"] + t["non2xx"] + r["errors"] + r["non2xx"]
        loaded = (
            f"{t['rps']:>9.0f} {r['rps']:>8.0f} {page['ratio']:>6.0%}  "
            f"{t['p50']:>6.0f}/{t['p95']:>6.0f}/{t['p99']:>6.0f}  "
            f"{r['p50']:>5.0f}/{r['p95']:>5.0f}/{r['p99']:>5.0f}  "
        )
    else:
        errors, loaded = 0, f"{'—':>9} {'—':>8} {'—':>6}  {'—':>20}  {'—':>17}  "
    print(
        f"{name:<34} {loaded}"
        f"{page['cold_ms']:>8.0f} {page['queries']:>3} {page['warm_ms']:>7.1f} "
        f"{page['warm_queries']:>2} {page['cache']:>10}  {page['load']}"
        + (f"  ({errors} errors)" if errors else ""),
        flush=True,
    )


def report(results: list[dict]) -> int:
    missed = 0
    for result in results:
        print(
            f"\n{result['size']:,} contributions ({result['date']}, {result['machine']['cores']} "
            f"cores, {result['load_generator']}, {result['clients']} clients × "
            f"{result['seconds']} s × {result.get('rounds', 1)} rounds, interleaved; "
            f"load {result['load_before']} → {result['load_after']})"
        )
        print(HEADER)
        for name in PAGES:
            page = result["pages"][name]
            print_page(name, page)
            if "traza" not in page:
                continue
            good = page["ratio"] >= 0.5 and page["traza"]["p95"] <= 2 * page["reference"]["p95"]
            missed += not good
    base = results[0]
    for other in results[1:]:
        print(f"\ngrowth from {base['size']:,} to {other['size']:,} contributions")
        print(
            f"{'page':<34} {'cold ms':>14} {'×':>5} {'queries':>8} {'warm ms':>12} "
            f"{'Traza r/s':>14}"
        )
        for name in PAGES:
            a, b = base["pages"][name], other["pages"][name]
            print(
                f"{name:<34} {a['cold_ms']:>6.0f} → {b['cold_ms']:<6.0f}"
                f"{b['cold_ms'] / max(a['cold_ms'], 1e-9):>5.2f} "
                f"{a['queries']:>3} → {b['queries']:<3} "
                f"{a['warm_ms']:>5.1f} → {b['warm_ms']:<5.1f} "
                + (
                    f"{a['traza']['rps']:>6.0f} → {b['traza']['rps']:<6.0f}"
                    if "traza" in a and "traza" in b
                    else "     —"
                )
            )
    print(
        "\ntarget (issue 15): ratio ≥ 50 % and Traza's p95 ≤ 2 × the reference's; "
        f"{missed} page-size pairs miss it"
    )
    return 1 if missed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000 200000", help="contributions, e.g. '10000'")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2, help="Traza, reference, Traza, …")
    parser.add_argument(
        "--load-sizes",
        help="the sizes measured under load (default: all; the others in-process only)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-load", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_size(args.one, args.clients, args.seconds, args.rounds, not args.no_load)
        return 0
    sizes = [int(s) for s in args.sizes.replace(",", " ").split()]
    loaded = (
        [int(s) for s in args.load_sizes.replace(",", " ").split()] if args.load_sizes else sizes
    )
    if not shutil.which("wrk"):
        print("wrk is not installed (Debian: apt install wrk): Python threads drive the load.")
    print(f"machine: {machine()}; load average {load()}")
    for size in sizes:
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(size),
                "--clients",
                str(args.clients),
                "--seconds",
                str(args.seconds),
                "--rounds",
                str(args.rounds),
                *([] if size in loaded else ["--no-load"]),
            ],
            check=True,
        )
    results = [json.loads((RESULTS / f"national-{s}.json").read_text()) for s in sizes]
    return report(results)


if __name__ == "__main__":
    sys.exit(main())
