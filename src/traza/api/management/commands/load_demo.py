from importlib import resources

from django.core.management.base import BaseCommand, CommandError

from traza.api.transfer import ImportProblem, import_data, load_file
from traza.core.services import SYSTEM


class Command(BaseCommand):
    help = "Load the Peru 2017-2019 demo (idempotent: a second run adds nothing)."

    def handle(self, *args, **options):
        demo = resources.files("traza").joinpath("demo/peru-2017-2019.json")
        with resources.as_file(demo) as path:
            try:
                stats = import_data(SYSTEM, load_file(path), str(path))
            except ImportProblem as problem:
                raise CommandError(problem.render()) from None
        summary = ", ".join(f"{count} {name}" for name, count in sorted(stats.items()))
        self.stdout.write(f"Demo loaded: {summary or 'already up to date, nothing added'}.")
