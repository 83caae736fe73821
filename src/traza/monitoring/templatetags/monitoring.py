from django import template

from traza.monitoring.queries import commitment_progress, suggested_completion

register = template.Library()


@register.inclusion_tag("monitoring/_progress.html")
def progress(commitment):
    """Accepted progress by milestone, delays and the suggested completion."""
    items = commitment_progress(commitment)
    return {"items": items, "suggested": suggested_completion(items), "commitment": commitment}
