from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from traza.api.transfer import dumps, export_data
from traza.plans.models import ActionPlan


class Command(BaseCommand):
    help = "Export plans in Traza's JSON import format (all plans, or --plan ID)."

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, action="append", help="plan id (repeatable)")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        plan_ids = options["plan"]
        if plan_ids:
            missing = set(plan_ids) - set(
                ActionPlan.objects.filter(pk__in=plan_ids).values_list("pk", flat=True)
            )
            if missing:
                raise CommandError(f"No plan with id {', '.join(map(str, sorted(missing)))}.")
        text = dumps(export_data(plan_ids))
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
