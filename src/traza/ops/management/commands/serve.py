"""``traza serve``: Traza on a production-grade server (gunicorn), or Django's development
server with ``--dev``.

``make run`` serves the demo the way an instance is served in production, so what a newcomer
measures or tries is what a ministry would get: several worker processes (the number of CPU
cores unless ``--workers`` or ``WEB_CONCURRENCY`` says otherwise), static files through
WhiteNoise (compressed, cached), no code reloading. Gunicorn needs a POSIX system; where it
cannot run (Windows), the development server answers instead, with a warning.
"""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from traza.notifications.addresses import default_sender, local_base_url


def default_workers() -> int:
    """One worker per core (at least 2, at most 8): the site's work is mostly the database's,
    and SQLite's single writer gains nothing from more processes than cores."""
    if os.environ.get("WEB_CONCURRENCY", "").isdigit():
        return max(1, int(os.environ["WEB_CONCURRENCY"]))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(max(cores or 1, 2), 8)


def gunicorn_available() -> bool:
    try:
        import fcntl  # noqa: F401  (gunicorn's workers need it: POSIX only)

        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def run_gunicorn(bind: str, workers: int) -> None:
    """Serve ``traza.wsgi:application`` with gunicorn's sync workers, in this process (no
    subprocess, so the environment prepared by ``handle`` reaches every worker)."""
    from django.db import connections
    from gunicorn.app.wsgiapp import WSGIApplication

    connections.close_all()  # no connection opened here may be shared by the forked workers
    options = [
        f"--bind={bind}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--timeout=60",  # a large download streams; a stuck worker is replaced
        "--graceful-timeout=10",
        "--access-logfile=-",
        "--error-logfile=-",
        "--preload",  # import Django once, fork the workers
    ]
    sys.argv = ["gunicorn", *options, "traza.wsgi:application"]
    WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()


class Command(BaseCommand):
    help = (
        "Serve Traza on http://HOST:PORT (PORT from --port or the PORT variable) with gunicorn; "
        "--dev for Django's development server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument(
            "--workers", type=int, default=None, help="worker processes (default: CPU cores)"
        )
        parser.add_argument(
            "--dev",
            action="store_true",
            help="Django's development server (one process; with --reload, restarts on changes)",
        )
        parser.add_argument("--reload", action="store_true", help="with --dev: restart on changes")

    def handle(self, *args, **options):
        if not os.environ.get("TRAZA_BASE_URL"):
            # No public address set: links in e-mails point at this server, on this port. The
            # environment carries it to the process --reload restarts and to the workers.
            base_url = local_base_url(options["host"], options["port"])
            os.environ["TRAZA_BASE_URL"] = base_url
            settings.TRAZA_BASE_URL = base_url
            if not os.environ.get("DEFAULT_FROM_EMAIL"):
                settings.DEFAULT_FROM_EMAIL = default_sender(
                    base_url, settings.TRAZA_SITE_NAME, settings.TRAZA_MAIL_DOMAIN
                )
        address = f"{options['host']}:{options['port']}"
        self.stdout.write(f"Traza: http://{address}/")
        self.stdout.write(f"Links in e-mails: {settings.TRAZA_BASE_URL}/")
        if not options["dev"] and gunicorn_available():
            workers = options["workers"] or default_workers()
            self.stdout.write(
                f"gunicorn, {workers} workers (traza serve --dev: development server)"
            )
            run_gunicorn(address, workers)
            return
        if not options["dev"]:
            self.stderr.write(
                "gunicorn cannot run on this system: serving with Django's development server."
            )
        call_command("runserver", address, use_reloader=options["reload"])
