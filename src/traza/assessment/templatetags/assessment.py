from django import template

from traza.assessment.queries import commitment_ratings, plan_summary

register = template.Library()


@register.inclusion_tag("assessment/_summary.html")
def at_a_glance(plan, link: bool = True, summary=None):
    """The plan's at-a-glance box, for pages of other apps (the plan page)."""
    return {"summary": summary or plan_summary(plan), "plan": plan, "link": link}


@register.inclusion_tag("assessment/_commitment.html")
def irm_ratings(commitment):
    """The IRM's ratings of a commitment with the derived flags, for the commitment page (or,
    for a commitment of an approved plan not rated yet, who rates it)."""
    return {"ratings": commitment_ratings(commitment), "commitment": commitment}
