from django import template

from traza.assessment.models import (
    Completion,
    Diog,
    EarlyResults,
    PotentialForResults,
    Verifiable,
)
from traza.assessment.queries import commitment_ratings, plan_ratings, plan_summary, review_summary

register = template.Library()

SCALES = {
    "completion": Completion,
    "early_results": EarlyResults,
    "diog": Diog,
    "potential_for_results": PotentialForResults,
    "verifiable": Verifiable,
}


@register.inclusion_tag("assessment/_summary.html")
def at_a_glance(plan, link: bool = True, summary=None, review=None):
    """The plan's at-a-glance tables (both IRM methodologies), for the plan page; the
    assessment page passes what it has already computed."""
    if summary is None or review is None:
        ratings = plan_ratings(plan)
        summary = summary or plan_summary(plan, ratings)
        review = review or review_summary(plan, ratings, summary.commitments or None)
    return {"summary": summary, "review": review, "plan": plan, "link": link}


@register.filter
def irm_label(value: str, scale: str) -> str:
    """The label of a value of one of the IRM's scales ("" stays "")."""
    choices = SCALES.get(scale)
    if not value or choices is None:
        return value
    try:
        return choices(value).label
    except ValueError:
        return value


@register.inclusion_tag("assessment/_commitment.html")
def irm_ratings(commitment):
    """The IRM's ratings of a commitment with the derived flags, for the commitment page (or,
    for a commitment of an approved plan not rated yet, who rates it)."""
    return {"ratings": commitment_ratings(commitment), "commitment": commitment}
