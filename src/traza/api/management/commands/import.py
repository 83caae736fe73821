from django.core.management.base import BaseCommand, CommandError

from traza.api.transfer import ImportProblem, import_file
from traza.core.services import SYSTEM


class Command(BaseCommand):
    help = "Import a Traza JSON file (docs/data/import-format.md). Writes all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            stats = import_file(SYSTEM, options["file"])
        except ImportProblem as problem:
            raise CommandError(problem.render()) from None
        summary = ", ".join(f"{count} {name}" for name, count in sorted(stats.items()))
        self.stdout.write(f"Imported {options['file']}: {summary or 'nothing new'}.")
