from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    name = "traza.activity"
    label = "activity"
    verbose_name = _("Activity")

    def ready(self) -> None:
        from traza.activity import queries
        from traza.cocreation.models import Contribution, Event, Response
        from traza.cocreation.services.contributions import CONTRIBUTION_TRACED_FIELDS
        from traza.core import hooks
        from traza.core.replay import register_replayed
        from traza.core.scopes import register_plan_scope
        from traza.plans import queries as plan_queries
        from traza.plans.models import ActionPlan, Commitment, Milestone
        from traza.repository import following

        # The scopes whose events make up a plan's activity (its trace download, its news).
        register_plan_scope(ActionPlan, None)
        register_plan_scope(Commitment, "plan")
        register_plan_scope(Event, "plan")
        register_plan_scope(Contribution, "plan")
        # The data checked against the trace replayed (`traza verify-trace --data`): every
        # traced field; of a contribution only those the trace holds (no personal data).
        register_replayed(Commitment)
        register_replayed(Milestone)
        register_replayed(Response)
        register_replayed(Contribution, CONTRIBUTION_TRACED_FIELDS)
        # A backup written before TraceEvent.plan_id existed restores without it.
        hooks.register_after_restore(queries.fill_plan_scope)
        # Reads lent to the apps below.
        plan_queries.register_commitment_origin(queries.commitment_origin)
        plan_queries.register_open_opportunities(queries.open_opportunities)
        following.register_updates_reader(queries.updates)
