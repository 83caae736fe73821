"""Reads for the public pages: a fixed number of queries whatever the plan's size."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from traza.core.models import TraceEvent
from traza.plans.models import (
    ADOPTED_STATUSES,
    COMMITMENT_TEXT_FIELDS,
    ActionPlan,
    Commitment,
    CommitmentStatus,
    CommitmentVersion,
    Member,
    Milestone,
    OgpValue,
    Stage,
    VersionStep,
)


def plans_with_counts() -> QuerySet[ActionPlan]:
    """Plans with ``adopted_count``; ``number_of_commitments`` falls back to the reported one."""
    return ActionPlan.objects.select_related("member").annotate(
        adopted_count=Count("commitments", filter=Q(commitments__status__in=ADOPTED_STATUSES))
    )


def number_of_commitments(plan: ActionPlan) -> int | None:
    if getattr(plan, "adopted_count", 0):
        return plan.adopted_count
    return plan.reported_commitment_count


def members_with_plans() -> list[Member]:
    plans = plans_with_counts().order_by("-number")
    return list(Member.objects.prefetch_related(Prefetch("plans", queryset=plans)))


@dataclass
class StageStep:
    stage: Stage
    starts_on: Any
    ends_on: Any
    state: str  # done | current | upcoming


def stage_timeline(plan: ActionPlan) -> list[StageStep]:
    order = list(Stage)
    current = order.index(Stage(plan.stage))
    dates = {
        Stage.PREPARATORY: (plan.preparatory_starts_on, plan.co_creation_starts_on),
        Stage.CO_CREATION: (plan.co_creation_starts_on, plan.co_creation_ends_on),
        Stage.APPROVAL: (plan.co_creation_ends_on, plan.approved_on),
        Stage.IMPLEMENTATION: (plan.implementation_starts_on, plan.implementation_ends_on),
        Stage.CLOSED: (plan.implementation_ends_on, None),
    }
    steps = []
    for index, stage in enumerate(order):
        if plan.stage == Stage.CLOSED and stage == Stage.CLOSED:
            state = "current"
        else:
            state = "done" if index < current else "current" if index == current else "upcoming"
        steps.append(StageStep(stage, *dates[stage], state))
    return steps


@dataclass
class ThemeGroup:
    name: str
    commitments: list[Commitment] = field(default_factory=list)


@dataclass
class PlanPage:
    plan: ActionPlan
    groups: list[ThemeGroup]
    value_counts: list[tuple[OgpValue, int]]
    total: int
    stages: list[StageStep]
    proposals: list[Commitment] = field(default_factory=list)
    discarded: list[Commitment] = field(default_factory=list)


def plan_page(plan_id: int) -> PlanPage:
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=plan_id)
    everything = list(
        Commitment.objects.filter(plan=plan)
        .select_related("theme", "lead_organization", "origin_event")
        .annotate(milestone_count=Count("milestones"))
        .order_by("theme__name", "number")
    )
    commitments = [c for c in everything if c.status in ADOPTED_STATUSES]
    groups: dict[str, ThemeGroup] = {}
    for commitment in commitments:
        name = commitment.theme.name if commitment.theme_id else _("No theme")
        groups.setdefault(name, ThemeGroup(name)).commitments.append(commitment)
    value_counts = [
        (value, sum(1 for c in commitments if getattr(c, value.value))) for value in OgpValue
    ]
    unexplained = unexplained_changes(plan)
    for commitment in everything:
        commitment.unexplained_changes = unexplained.get(commitment.pk, 0)
    return PlanPage(
        plan=plan,
        groups=list(groups.values()),
        value_counts=value_counts,
        total=len(commitments),
        stages=stage_timeline(plan),
        proposals=[c for c in everything if c.status == CommitmentStatus.PROPOSAL],
        discarded=[c for c in everything if c.status == CommitmentStatus.DISCARDED],
    )


def unexplained_changes(plan: ActionPlan) -> dict[int, int]:
    """Per commitment, how many text changes after the first version carry no reason."""
    rows = (
        CommitmentVersion.objects.filter(commitment__plan=plan, number__gt=1, reason="")
        .exclude(step=VersionStep.IMPORT)
        .values("commitment_id")
        .annotate(n=Count("id"))
    )
    return {row["commitment_id"]: row["n"] for row in rows}


def plan_commitments(plan: ActionPlan) -> QuerySet[Commitment]:
    return (
        Commitment.objects.filter(plan=plan)
        .select_related("theme", "lead_organization")
        .order_by("number")
    )


@dataclass
class VersionDiff:
    version: CommitmentVersion
    changes: list[tuple[str, SafeString]]


FIELD_LABELS = {
    name: Commitment._meta.get_field(name).verbose_name
    for name in [
        *COMMITMENT_TEXT_FIELDS,
        "lead_organization",
        "theme",
        "starts_on",
        "ends_on",
        "status",
        "supporting_organizations",
    ]
}


def word_diff(old: str, new: str) -> SafeString:
    """Inline diff with <del> and <ins>, word by word."""
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_as_text(v) for v in value)
    if isinstance(value, dict):
        return " ".join(f"{v}" for v in value.values() if v not in (None, ""))
    return str(value)


def version_diffs(versions: list[CommitmentVersion]) -> list[VersionDiff]:
    """Each version with what changed since the one before it (newest first)."""
    result = []
    previous: dict[str, Any] = {}
    for version in versions:
        snapshot = version.snapshot
        changes = []
        for key, label in FIELD_LABELS.items():
            if snapshot.get(key) != previous.get(key):
                changes.append(
                    (
                        str(label),
                        word_diff(_as_text(previous.get(key)), _as_text(snapshot.get(key))),
                    )
                )
        if snapshot.get("milestones") != previous.get("milestones"):
            changes.append(
                (
                    _("milestones"),
                    word_diff(
                        "\n".join(_as_text(m) for m in previous.get("milestones", [])),
                        "\n".join(_as_text(m) for m in snapshot.get("milestones", [])),
                    ),
                )
            )
        result.append(VersionDiff(version, changes))
        previous = snapshot
    return list(reversed(result))


@dataclass
class CommitmentPage:
    commitment: Commitment
    milestones: list[Milestone]
    versions: list[VersionDiff]
    trace: list[TraceEvent]
    origin: Any = ()  # one page of the contributions behind it (``commitment_origin``)


# Where a commitment came from — the contributions about it, or whose reasoned response changed
# its text — is read by the apps above (co-creation); ``traza.activity`` lends that read here
# at start-up (its AppConfig.ready()).
_origin_readers: list[Callable[[Commitment, Any], Any]] = []


def register_commitment_origin(reader: Callable[[Commitment, Any], Any]) -> None:
    """Read the origin of a commitment with ``reader`` (it replaces any earlier one)."""
    _origin_readers[:] = [reader]


def commitment_origin(commitment: Commitment, page_number: Any = 1) -> Any:
    """One page of the contributions about this commitment or whose response changed its
    text, with the counts by outcome (``activity.queries.CommitmentOrigin``, iterable and
    false when there are none); an empty tuple when no app lent the read."""
    return _origin_readers[0](commitment, page_number) if _origin_readers else ()


def commitment_page(commitment_id: int, origin_page: Any = 1) -> CommitmentPage:
    commitment = get_object_or_404(
        Commitment.objects.select_related(
            "plan__member", "theme", "lead_organization", "origin_event", "completion_override"
        )
        .prefetch_related("supporting_organizations")
        .annotate(
            discussion_count=Count(
                "discussion", filter=Q(discussion__status="published"), distinct=True
            )
        ),
        pk=commitment_id,
    )
    versions = list(CommitmentVersion.objects.filter(commitment=commitment).order_by("number"))
    trace = list(TraceEvent.objects.in_scope(commitment).order_by("-id")[:200])
    return CommitmentPage(
        commitment=commitment,
        milestones=list(commitment.milestones.all()),
        versions=version_diffs(versions),
        trace=trace,
        origin=commitment_origin(commitment, origin_page),
    )


@dataclass(frozen=True)
class Opportunity:
    """A way to take part that is open now: send a contribution ("contribute"), register for
    an event ("register") or comment on a self-assessment report ("comment"), until ``ends``
    (a date or a moment; None when the period has no known end)."""

    kind: str
    plan_id: int
    plan_title: str
    title: str
    url: str
    ends: dt.date | dt.datetime | None


# What is open now is read by the apps above (co-creation's consultations and events,
# monitoring's comment periods); ``traza.activity``, which sees both, lends that read here.
_opportunity_readers: list[Callable[[ActionPlan | None], list[Opportunity]]] = []


def register_open_opportunities(reader: Callable[[ActionPlan | None], list[Opportunity]]) -> None:
    """Read what is open now with ``reader`` (it replaces any earlier one)."""
    _opportunity_readers[:] = [reader]


def open_opportunities(plan: ActionPlan | None = None) -> list[Opportunity]:
    """Ways to take part open now, in one plan or in all (a few queries, whatever the number
    of plans); none when no app lent the read."""
    return _opportunity_readers[0](plan) if _opportunity_readers else []
