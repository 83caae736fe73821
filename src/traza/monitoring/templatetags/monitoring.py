import datetime as dt
from collections.abc import Callable
from typing import Any

from django import template
from django.utils.formats import date_format, localize, number_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from traza.monitoring.models import Completion, MilestoneStatus
from traza.monitoring.queries import (
    DelayedMilestone,
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


@register.simple_tag
def delayed_items(delayed: list[DelayedMilestone], due: str) -> SafeString:
    """The dashboard's delayed milestones as list items (``queries.DelayedMilestone``), the
    markup a template loop would write: ``<a href="page">3.2</a> text (16 words) · due
    date · percent %``. Written here because a plan of 200 commitments has hundreds of them
    (800 in the national-scale benchmark), where the template loop took over 100 ms of the
    page's render and this takes some 15; the same dates and numbers are formatted once."""
    shown: dict[tuple[type, object], str] = {}

    def show(value: object, format_value: Callable[[Any], str]) -> str:
        key = (type(value), value)
        if key not in shown:
            shown[key] = format_value(value)
        return shown[key]

    def day(value: dt.date | None) -> str:
        return date_format(value, "DATE_FORMAT") if value else ""

    return format_html_join(
        "",
        '<li><a href="{}">{}.{}</a> {} · {} {} · {} %</li>',
        (
            (
                item.url,
                show(m.commitment.number, localize),
                show(m.number, localize),
                Truncator(m.text).words(16, truncate=" …"),
                due,
                show(m.ends_on, day),
                show(item.state.percent, localize),
            )
            for item in delayed
            for m in (item.state.milestone,)
        ),
    )


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
