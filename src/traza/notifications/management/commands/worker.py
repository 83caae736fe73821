import time

from django.core.management.base import BaseCommand

from traza.notifications.services import deliver_due


class Command(BaseCommand):
    help = "Deliver the e-mail outbox, with retries and back-off (runs until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between passes")

    def handle(self, *args, **options):
        while True:
            report = deliver_due()
            if report.sent or report.retried or report.failed or report.uncertain:
                self.stdout.write(
                    f"sent {report.sent}, retrying {report.retried}, failed {report.failed}, "
                    f"uncertain {report.uncertain}"
                )
            if options["once"]:
                return
            time.sleep(options["interval"])
