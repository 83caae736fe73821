from django import template
from django.utils.formats import number_format

from traza.monitoring.models import Completion, MilestoneStatus
from traza.monitoring.queries import (
    commitment_completion,
    commitment_indicators,
    commitment_progress,
)
from traza.plans.models import IndicatorLevel

register = template.Library()


@register.inclusion_tag("monitoring/_progress.html")
def progress(commitment):
    """Accepted progress by milestone, delays, indicators and the completion."""
    items = commitment_progress(commitment)
    return {
        "items": items,
        "completion": commitment_completion(commitment, items),
        "indicators": commitment_indicators(commitment),
        "commitment": commitment,
    }


@register.inclusion_tag("monitoring/_bars.html")
def fulfilment_chart(rows, title: str, chart_id: str, group_label: str):
    """A bar per group drawn as SVG, and the table with the same figures."""
    return {
        "rows": rows,
        "title": title,
        "id": chart_id,
        "group_label": group_label,
        "height": 20 * len(rows) + 4,
    }


@register.filter
def measure(value) -> str:
    """A measured Decimal without trailing zeros, in the reader's number format (12,5 / 12.5)."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    places = len(text.split(".")[1]) if "." in text else 0
    return number_format(value, decimal_pos=places, use_l10n=True)


CHOICES = {"completion": Completion, "status": MilestoneStatus, "level": IndicatorLevel}


@register.filter
def label_of(code: str, kind: str) -> str:
    """The reader's-language label of a code stored in a frozen report (``completion``,
    ``status`` or ``level``)."""
    choices = CHOICES[kind]
    return choices(code).label if code in choices.values else ""
