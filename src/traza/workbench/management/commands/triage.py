from django.core.management.base import BaseCommand, CommandError

from traza.core.services import SYSTEM
from traza.plans.models import ActionPlan
from traza.workbench.services import run_triage


class Command(BaseCommand):
    help = (
        "Compute the triage proposals of an action plan (groups of similar contributions, "
        "near-duplicates, likely theme and commitments) and store them for the workbench. "
        "For large plans: run it here rather than from the workbench page."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int, help="the action plan's id")

    def handle(self, *args, **options):
        plan = ActionPlan.objects.filter(pk=options["plan_id"]).first()
        if plan is None:
            raise CommandError(f"No action plan with id {options['plan_id']}.")
        run = run_triage(SYSTEM, plan)
        result = run.result
        targets = sum(bool(c["targets"]) for c in result["contributions"].values())
        self.stdout.write(
            f"{plan}: {run.contributions} contribution(s) read in {run.seconds:.2f} s; "
            f"{len(result['groups'])} group(s), "
            f"{sum(len(c['duplicates']) for c in result['contributions'].values()) // 2} "
            f"possible duplicate pair(s), a commitment suggested for {targets}."
        )
