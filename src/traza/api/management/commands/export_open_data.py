from pathlib import Path

from django.core.management.base import BaseCommand

from traza.api.downloads import write_package


class Command(BaseCommand):
    help = "Write the open data package (datapackage.json and one CSV per dataset) into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, **options):
        counts = write_package(Path(options["directory"]))
        total = sum(counts.values())
        self.stdout.write(
            f"{len(counts)} resources, {total} rows written to {options['directory']}."
        )
