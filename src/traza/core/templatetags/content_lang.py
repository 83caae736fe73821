"""Mark content written in another language than the page (WCAG 3.1.2, language of parts).

What people write in Traza — plan and commitment titles and texts, contributions, responses,
event titles — is in the source language of the process (Spanish: ``LANGUAGE_CODE``, or
``TRAZA_CONTENT_LANGUAGE`` when set) and is never translated. On a page in another language
(``/en/…``) that content needs ``lang="es"`` so that screen readers pronounce it correctly.
One tag does it everywhere, and adds nothing when the page is already in that language::

    <h1{% content_lang %}>{{ plan.title }}</h1>
    <span{% content_lang %}>{{ contribution.text }}</span>
    <dd{% content_lang c.summary %}>{{ c.summary|default:_("Not stated.") }}</dd>

The tag is a template builtin (settings ``TEMPLATES`` → ``builtins``): no ``{% load %}``."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def content_language() -> str:
    """The language user-written content is in."""
    return getattr(settings, "TRAZA_CONTENT_LANGUAGE", None) or settings.LANGUAGE_CODE


@register.simple_tag
def content_lang(*values: object, language: str = "") -> SafeString:
    """`` lang="es"`` (leading space included) when the page is in another language than the
    content; nothing otherwise. With ``values``, nothing either when they are all empty (the
    element then shows a translated placeholder such as "Not stated."). ``language`` names the
    content's language when it is known to differ from the default."""
    if values and not any(values):
        return mark_safe("")
    content = (language or content_language()).strip()
    page = translation.get_language() or settings.LANGUAGE_CODE
    if not content or content.split("-")[0].lower() == page.split("-")[0].lower():
        return mark_safe("")
    return format_html(' lang="{}"', content)
