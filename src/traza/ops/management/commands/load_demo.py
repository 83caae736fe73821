from importlib import resources

from django.core.management.base import BaseCommand, CommandError

from traza.api.transfer import ImportProblem, import_data, load_file
from traza.core import sealing
from traza.core.services import SYSTEM
from traza.ops.irm_verdicts import load_irm_verdicts
from traza.ops.living_demo import load_living_demo


class Command(BaseCommand):
    help = (
        "Load the demo: Peru's real 2017-2019 plan, as the sources tell it, and a fictional "
        "municipal plan whose dates follow the day it is loaded (idempotent: a second run "
        "adds nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh-dates",
            action="store_true",
            help=(
                "Move the fictional plan's living dates (open consultation, events ahead, "
                "self-assessment comments) to today, as traced changes; history stays."
            ),
        )
        parser.add_argument(
            "--real-only",
            action="store_true",
            help="Load only Peru's real plan, not the fictional one.",
        )

    def handle(self, *args, **options):
        with sealing.deferred():  # the trace sealed once, at the end
            self._load(**options)

    def _load(self, **options):
        demo = resources.files("traza").joinpath("demo/peru-2017-2019.json")
        with resources.as_file(demo) as path:
            try:
                stats = import_data(SYSTEM, load_file(path), str(path))
            except ImportProblem as problem:
                raise CommandError(problem.render()) from None
        summary = ", ".join(f"{count} {name}" for name, count in sorted(stats.items()))
        self.stdout.write(f"Demo loaded: {summary or 'already up to date, nothing added'}.")
        verdicts = load_irm_verdicts()
        self.stdout.write(
            f"IRM's verdicts on Peru's process (Annex I, level of influence): "
            f"{f'{verdicts} written' if verdicts else 'already up to date, nothing added'}."
        )
        if options["real_only"]:
            return
        result = load_living_demo(refresh=options["refresh_dates"])
        written = (
            f"{result.events} trace events written"
            if result.events
            else "already up to date, nothing added"
        )
        self.stdout.write(
            f"Fictional living demo (plan {result.plan.pk}, dates relative to "
            f"{result.living.isoformat()}; history from {result.history.isoformat()}): "
            f"{written}."
        )
