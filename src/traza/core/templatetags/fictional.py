"""The notice that says a page shows invented demonstration data (the living demo).

One mechanism for every page: ``base.html`` asks :func:`fictional_notice`, which looks at
what the view put in the context (the plan itself, or an object of a plan: an event, a
contribution, a commitment, a self-assessment, a document, a forum page…) and shows the
notice when that plan is marked ``is_fictional``. Nothing is imported from the apps above
``core``: objects are read by their attributes, so the rule stays in the lowest layer and
every app's pages get it without a change to their views."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Q

register = template.Library()

# What the views put in the context, in the order they are looked at.
CONTEXT_KEYS = (
    "plan",
    "page",
    "cal",
    "event",
    "contribution",
    "commitment",
    "report",
    "document",
    "milestone",
    "forum",
    "object",
)
# How an object leads to its plan (or to an object that does).
PARENTS = ("plan", "commitment", "milestone", "event", "contribution", "report", "forum")
_MISSING = object()


def _attribute(obj: Any, name: str) -> Any:
    """``obj.name``, or None when it has none (a missing relation, a Paginator page)."""
    try:
        return getattr(obj, name, None)
    except Exception:  # a related object that does not exist: nothing to learn from it
        return None


def _member_is_fictional(member: Any) -> bool:
    """A forum belongs to an OGP member, not to a plan: it is fictional when every plan of
    its member is (the living demo's municipality has only its fictional plan)."""
    plans = _attribute(member, "plans")
    if plans is None or not hasattr(plans, "aggregate"):
        return False
    counts = plans.aggregate(
        fictional=Count("pk", filter=Q(is_fictional=True)),
        real=Count("pk", filter=Q(is_fictional=False)),
    )
    return bool(counts["fictional"]) and not counts["real"]


def is_fictional(obj: Any, depth: int = 0) -> bool:
    """Whether ``obj`` is, or belongs to, a plan of invented demonstration data."""
    if obj is None or depth > 4 or isinstance(obj, (str, int, float, bool, dict, list)):
        return False
    flag = _attribute(obj, "is_fictional")
    if isinstance(flag, bool):
        return flag
    for name in PARENTS:
        parent = _attribute(obj, name)
        if parent is not None and parent is not obj and is_fictional(parent, depth + 1):
            return True
    member = _attribute(obj, "member")
    if member is not None and _attribute(obj, "established_on") is not None:  # a forum
        return _member_is_fictional(member)
    return False


def fictional_in(context: Any) -> bool:
    """Whether the page's context shows an object of a fictional plan."""
    for key in CONTEXT_KEYS:
        value = context.get(key, _MISSING)
        if value is not _MISSING and is_fictional(value):
            return True
    return False


@register.inclusion_tag("_fictional_notice.html", takes_context=True)
def fictional_notice(context: Any) -> dict[str, bool]:
    """The notice, on every page that shows a fictional plan or one of its objects."""
    return {"fictional": fictional_in(context)}
