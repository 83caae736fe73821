"""Co-creation figures for pages of lower apps (the plan page), which may not import
traza.cocreation: the template loads this tag instead (as the plan page does with
assessment's at-a-glance box)."""

from __future__ import annotations

from django import template
from django.conf import settings

from traza.cocreation.flow import OUTCOME_COLOURS, contributions_url, plan_flow
from traza.cocreation.queries import (
    LIST_OUTCOMES,
    UNANSWERED,
    commitments_with_origin,
    contribution_stats,
    outcome_counts,
    outcome_label,
    overdue_count,
)
from traza.plans.models import ActionPlan

register = template.Library()

#: The outcomes the plan page always names, even at 0 (the others when they occur).
NAMED_OUTCOMES = ("adopted", "partially_adopted", "merged", "not_adopted", "forwarded")


@register.inclusion_tag("cocreation/_trace_at_a_glance.html")
def trace_at_a_glance(plan: ActionPlan) -> dict:
    """The plan's trace at a glance: contributions received, the share answered and the
    median days to answer beside the deadline promised (``TRAZA_RESPONSE_WAIT_DAYS``) and how
    many have waited longer (the one definition of overdue,
    ``cocreation.queries.overdue_contributions``, counted by ``overdue_count``), what was decided (``outcome_counts``,
    each linking to its contributions), the commitments whose origin the public can follow
    (``commitments_with_origin``), and the flow. Unknown is not zero: with no contributions
    the share, the median and the overdue read "no data", never 0."""
    stats = contribution_stats(plan)
    counts = outcome_counts(plan) if stats.total else {}
    outcomes = [
        {
            "key": key,
            "label": outcome_label(key),
            "count": counts.get(key, 0),
            "url": contributions_url(plan, {"outcome": key}),
            "colour": OUTCOME_COLOURS[key],
        }
        for key in LIST_OUTCOMES
        if key in NAMED_OUTCOMES or key == UNANSWERED or counts.get(key)
    ]
    return {
        "plan": plan,
        "stats": stats,
        "outcomes": outcomes,
        "origin": commitments_with_origin(plan),
        "wait_days": settings.TRAZA_RESPONSE_WAIT_DAYS,
        "overdue": overdue_count(plan) if stats.total else None,
        "flow": plan_flow(plan, compact=True) if stats.total else None,
    }
