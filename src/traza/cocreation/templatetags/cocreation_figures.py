"""Co-creation figures for pages of lower apps (the plan page), which may not import
traza.cocreation: the template loads this tag instead (as the plan page does with
assessment's at-a-glance box)."""

from __future__ import annotations

from django import template
from django.conf import settings

from traza.cocreation.queries import contribution_stats, overdue_contributions
from traza.plans.models import ActionPlan

register = template.Library()


@register.inclusion_tag("cocreation/_response_deadlines.html")
def response_deadlines(plan: ActionPlan) -> dict:
    """The share answered and the median days to answer, beside the deadline promised
    (``TRAZA_RESPONSE_WAIT_DAYS``) and how many contributions have waited longer (the one
    definition of overdue, ``cocreation.queries.overdue_contributions``). With no
    contributions every figure is "no data", never 0 %."""
    stats = contribution_stats(plan)
    return {
        "plan": plan,
        "stats": stats,
        "wait_days": settings.TRAZA_RESPONSE_WAIT_DAYS,
        "overdue": overdue_contributions(plan).count() if stats.total else None,
    }
