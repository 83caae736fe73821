import signal
import threading
import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand

from traza.core import sealing
from traza.notifications.services import deliver_due


@contextmanager
def stop_requests():
    """SIGTERM (a supervisor stopping the worker) or Ctrl-C only asks the worker to stop: it
    finishes and marks the message in flight, then exits, so a planned stop leaves nothing
    uncertain. The previous handlers come back afterwards."""
    stopping: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield stopping  # signals reach the main thread only
        return
    previous = {}
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous[signum] = signal.signal(signum, lambda received, frame: stopping.append(received))
    try:
        yield stopping
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class Command(BaseCommand):
    help = (
        "Deliver the e-mail outbox, with retries and back-off, and seal any trace event left "
        "pending (runs until stopped)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between passes")

    def handle(self, *args, **options):
        with stop_requests() as stopping:
            while True:
                sealed = sealing.seal_pending()
                if sealed:
                    self.stdout.write(f"sealed {sealed} trace events left pending")
                report = deliver_due(should_stop=lambda: bool(stopping))
                if report.sent or report.retried or report.failed or report.uncertain:
                    self.stdout.write(
                        f"sent {report.sent}, retrying {report.retried}, "
                        f"failed {report.failed}, uncertain {report.uncertain}"
                    )
                if options["once"] or stopping:
                    return
                deadline = time.monotonic() + options["interval"]
                while not stopping and time.monotonic() < deadline:
                    time.sleep(min(0.2, options["interval"]))
