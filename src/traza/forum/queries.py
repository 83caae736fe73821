"""Reads of the forum, the network directory and the good practices."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from traza.forum.models import (
    Criterion,
    Decision,
    Forum,
    ForumRules,
    GoodPractice,
    Initiative,
    InitiativeKind,
    Membership,
    Session,
)
from traza.plans.models import Theme


@dataclass
class ForumPage:
    forum: Forum
    current: list[Membership]
    past: list[Membership]
    rules: list[ForumRules]
    sessions: list[Session]


def forum_page(forum: Forum) -> ForumPage:
    """Members (serving and past), every published version of the rules, sessions with
    attendance and decisions (a fixed number of queries)."""
    today = timezone.localdate()
    members = list(
        Membership.objects.filter(forum=forum)
        .select_related("organization")
        .order_by("sector", "role", "organization__name", "person")
    )
    sessions = list(
        Session.objects.filter(forum=forum)
        .annotate(members_present=Count("attendees", distinct=True))
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("plan", "commitment"),
            )
        )
        .order_by("-held_on")
    )
    return ForumPage(
        forum=forum,
        current=[m for m in members if m.serving_on(today)],
        past=[m for m in members if not m.serving_on(today)],
        rules=list(
            ForumRules.objects.filter(forum=forum, published_on__lte=today).order_by(
                "kind", "-version"
            )
        ),
        sessions=sessions,
    )


def directory(theme: str = "", region: str = "", kind: str = "") -> QuerySet[Initiative]:
    """Initiatives and actors, filtered; themes, commitments and forum members prefetched."""
    items = Initiative.objects.select_related("organization").prefetch_related(
        "themes", "commitments__plan", "forum_members__forum"
    )
    if theme:
        items = items.filter(themes__slug=theme)
    if region:
        items = items.filter(regions__icontains=region)
    if kind in InitiativeKind.values:
        items = items.filter(kind=kind)
    return items.distinct().order_by("name")


def directory_filters() -> dict:
    regions = sorted(
        {
            r
            for regions in Initiative.objects.values_list("regions", flat=True)
            for r in _split(regions)
        }
    )
    return {
        "themes": Theme.objects.filter(
            pk__in=Initiative.themes.through.objects.values("theme_id")
        ).order_by("name"),
        "regions": regions,
        "kinds": InitiativeKind.choices,
    }


def _split(regions: str) -> list[str]:
    return [r.strip() for r in regions.split(",") if r.strip()]


def good_practices(criterion: str = "") -> QuerySet[GoodPractice]:
    items = GoodPractice.objects.select_related("commitment__plan", "initiative")
    if criterion in Criterion.values:
        # JSON containment is not on SQLite; criteria are short lists of codes
        items = items.filter(Q(criteria__icontains=f'"{criterion}"'))
    return items.order_by("-identified_on", "title")
