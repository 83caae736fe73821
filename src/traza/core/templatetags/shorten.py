"""``{{ text|shorten:80 }}``: text cut at a word boundary with "…" (``traza.core.text``)."""

from django import template

from traza.core.text import shorten as shorten_text

register = template.Library()


@register.filter(is_safe=False)
def shorten(value: object, limit: int) -> str:
    return shorten_text("" if value is None else str(value), int(limit))
