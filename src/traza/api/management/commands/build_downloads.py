from django.core.management.base import BaseCommand

from traza.api.downloads import build_downloads, cache_dir


class Command(BaseCommand):
    help = (
        "Build the open-data downloads of the current data version that are not built yet "
        "(run it after writes, e.g. from cron, so that no visitor waits for a large XLSX)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            action="append",
            choices=["csv", "json", "xlsx"],
            help="only this format (repeatable; all three by default)",
        )

    def handle(self, *args, **options):
        if cache_dir() is None:
            self.stdout.write("The download cache is off (TRAZA_DOWNLOAD_CACHE_DIR).")
            return
        built = build_downloads(tuple(options["format"] or ("csv", "json", "xlsx")))
        self.stdout.write(f"{len(built)} downloads built in {cache_dir()}.")
