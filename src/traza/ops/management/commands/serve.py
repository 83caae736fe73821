import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from traza.notifications.addresses import default_sender, local_base_url


class Command(BaseCommand):
    help = "Serve Traza on http://127.0.0.1:PORT (PORT from --port or the PORT variable)."

    def add_arguments(self, parser):
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--reload", action="store_true", help="restart on code changes")

    def handle(self, *args, **options):
        if not os.environ.get("TRAZA_BASE_URL"):
            # No public address set: links in e-mails point at this server, on this port. The
            # environment carries it to the process --reload restarts.
            base_url = local_base_url(options["host"], options["port"])
            os.environ["TRAZA_BASE_URL"] = base_url
            settings.TRAZA_BASE_URL = base_url
            if not os.environ.get("DEFAULT_FROM_EMAIL"):
                settings.DEFAULT_FROM_EMAIL = default_sender(
                    base_url, settings.TRAZA_SITE_NAME, settings.TRAZA_MAIL_DOMAIN
                )
        self.stdout.write(f"Traza: http://{options['host']}:{options['port']}/")
        self.stdout.write(f"Links in e-mails: {settings.TRAZA_BASE_URL}/")
        call_command(
            "runserver",
            f"{options['host']}:{options['port']}",
            use_reloader=options["reload"],
        )
