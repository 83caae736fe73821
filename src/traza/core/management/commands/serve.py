import os

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Traza on http://127.0.0.1:PORT (PORT from --port or the PORT variable)."

    def add_arguments(self, parser):
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--reload", action="store_true", help="restart on code changes")

    def handle(self, *args, **options):
        self.stdout.write(f"Traza: http://{options['host']}:{options['port']}/")
        call_command(
            "runserver",
            f"{options['host']}:{options['port']}",
            use_reloader=options["reload"],
        )
