"""Reads of the workbench: the plans with what waits, a plan's queue with its filters and
their counts, one contribution with everything staff need to answer it. Every count is an
SQL aggregate and every page a fixed number of queries, whatever the size of the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traza.cocreation.models import Channel, Contribution, Outcome, Response
from traza.cocreation.queries import response_deadline_cutoff, unanswered_q
from traza.core.params import as_id
from traza.plans.models import ActionPlan, CommitmentVersion
from traza.workbench.suggestions import plan_triage

PAGE_SIZE = 25

STATUSES: dict[str, Any] = {
    "unanswered": _("unanswered"),
    "drafted": _("drafted"),
    "overdue": _("overdue"),
    "answered": _("answered"),
}


# --- the plans ---------------------------------------------------------------------------


@dataclass
class PlanCounts:
    plan: ActionPlan
    total: int = 0
    unanswered: int = 0
    drafted: int = 0
    overdue: int = 0


def plan_index(now: dt.datetime | None = None) -> list[PlanCounts]:
    """Every plan with its public contributions: how many wait for an answer, how many have a
    draft, how many are overdue (two queries, whatever the number of plans)."""
    cutoff = response_deadline_cutoff(now)
    counts = {
        row["plan"]: row
        for row in Contribution.objects.public()
        .order_by()
        .values("plan")
        .annotate(
            total=Count("pk"),
            unanswered=Count("pk", filter=unanswered_q()),
            drafted=Count("pk", filter=Q(draft__isnull=False)),
            overdue=Count("pk", filter=unanswered_q() & Q(received_at__lt=cutoff)),
        )
    }
    rows = []
    for plan in ActionPlan.objects.select_related("member").order_by("member__name", "-number"):
        row = counts.get(plan.pk, {})
        rows.append(
            PlanCounts(
                plan,
                row.get("total", 0),
                row.get("unanswered", 0),
                row.get("drafted", 0),
                row.get("overdue", 0),
            )
        )
    return rows


# --- a plan's queue ----------------------------------------------------------------------


FILTER_NAMES = ("status", "theme", "channel", "event", "commitment", "outcome", "group")


@dataclass(frozen=True)
class QueueFilters:
    """The queue's filters, read from a query string without trusting it (an unknown value
    is ignored, never an error)."""

    status: str = ""
    theme: int | None = None
    channel: str = ""
    event: int | None = None
    commitment: int | None = None
    outcome: str = ""
    group: str = ""

    @classmethod
    def parse(cls, data: QueryDict | dict[str, str]) -> QueueFilters:
        status = data.get("status", "")
        channel = data.get("channel", "")
        outcome = data.get("outcome", "")
        group = (data.get("group") or "")[:100]
        return cls(
            status=status if status in STATUSES else "",
            theme=as_id(data.get("theme")),
            channel=channel if channel in Channel.values else "",
            event=as_id(data.get("event")),
            commitment=as_id(data.get("commitment")),
            outcome=outcome if outcome in Outcome.values else "",
            group=group if group.isprintable() else "",
        )

    def without(self, name: str) -> QueueFilters:
        empty: dict[str, Any] = {name: "" if isinstance(getattr(self, name), str) else None}
        return replace(self, **empty)

    def query(self) -> str:
        """The filters as a query string (empty ones left out)."""
        return urlencode({n: getattr(self, n) for n in FILTER_NAMES if getattr(self, n)})

    @property
    def active(self) -> bool:
        return any(getattr(self, n) for n in FILTER_NAMES)


def queue(
    plan: ActionPlan,
    filters: QueueFilters,
    *,
    triage: Any = None,
    now: dt.datetime | None = None,
) -> QuerySet[Contribution]:
    """The plan's public contributions matching ``filters``, oldest first."""
    found = Contribution.objects.public().filter(plan=plan)
    if filters.status == "unanswered":
        found = found.filter(unanswered_q())
    elif filters.status == "drafted":
        found = found.filter(draft__isnull=False)
    elif filters.status == "overdue":
        found = found.filter(unanswered_q(), received_at__lt=response_deadline_cutoff(now))
    elif filters.status == "answered":
        found = found.exclude(unanswered_q())
    if filters.theme:
        found = found.filter(theme_id=filters.theme)
    if filters.channel:
        found = found.filter(channel=filters.channel)
    if filters.event:
        found = found.filter(event_id=filters.event)
    if filters.commitment:
        found = found.filter(commitment_id=filters.commitment)
    if filters.outcome:
        found = found.filter(
            response__outcome=filters.outcome, response__published_at__isnull=False
        )
    if filters.group:
        group = _group(triage, filters.group)
        found = found.filter(pk__in=group.contribution_ids if group else [])
    return found.order_by("received_at", "pk")


def _group(triage: Any, key: str) -> Any:
    if triage is None:
        return None
    try:
        return triage.group(key)
    except (KeyError, LookupError):
        return None


@dataclass
class FacetValue:
    value: Any
    label: str
    count: int


@dataclass
class Facets:
    status: list[FacetValue] = field(default_factory=list)
    theme: list[FacetValue] = field(default_factory=list)
    channel: list[FacetValue] = field(default_factory=list)
    event: list[FacetValue] = field(default_factory=list)
    commitment: list[FacetValue] = field(default_factory=list)
    outcome: list[FacetValue] = field(default_factory=list)
    group: list[FacetValue] = field(default_factory=list)


def facets(
    plan: ActionPlan, filters: QueueFilters, *, triage: Any = None, now: dt.datetime | None = None
) -> Facets:
    """For each filter, its values with how many contributions each would show, the other
    filters applied (one aggregate query per filter)."""

    def base(name: str) -> QuerySet[Contribution]:
        return queue(plan, filters.without(name), triage=triage, now=now).order_by()

    cutoff = response_deadline_cutoff(now)
    status = base("status").aggregate(
        total=Count("pk"),
        unanswered=Count("pk", filter=unanswered_q()),
        drafted=Count("pk", filter=Q(draft__isnull=False)),
        overdue=Count("pk", filter=unanswered_q() & Q(received_at__lt=cutoff)),
    )
    status["answered"] = status["total"] - status["unanswered"]
    found = Facets(
        status=[FacetValue(key, str(label), status[key]) for key, label in STATUSES.items()]
    )
    channels = dict(Channel.choices)
    found.channel = [
        FacetValue(row["channel"], str(channels.get(row["channel"], row["channel"])), row["n"])
        for row in base("channel").values("channel").annotate(n=Count("pk")).order_by("channel")
    ]
    found.theme = [
        FacetValue(row["theme"], row["theme__name"], row["n"])
        for row in base("theme")
        .filter(theme__isnull=False)
        .values("theme", "theme__name")
        .annotate(n=Count("pk"))
        .order_by("theme__name")
    ]
    found.event = [
        FacetValue(row["event"], row["event__title"], row["n"])
        for row in base("event")
        .filter(event__isnull=False)
        .values("event", "event__title", "event__starts_at")
        .annotate(n=Count("pk"))
        .order_by("event__starts_at", "event")
    ]
    found.commitment = [
        FacetValue(
            row["commitment"], f"{row['commitment__number']}. {row['commitment__title']}", row["n"]
        )
        for row in base("commitment")
        .filter(commitment__isnull=False)
        .values("commitment", "commitment__number", "commitment__title")
        .annotate(n=Count("pk"))
        .order_by("commitment__number", "commitment")
    ]
    outcomes = dict(Outcome.choices)
    found.outcome = [
        FacetValue(row["response__outcome"], str(outcomes[row["response__outcome"]]), row["n"])
        for row in base("outcome")
        .filter(response__published_at__isnull=False)
        .values("response__outcome")
        .annotate(n=Count("pk"))
        .order_by("response__outcome")
    ]
    if triage is not None:
        found.group = [
            FacetValue(g.key, ", ".join(g.words[:4]) or g.key, len(g.contribution_ids))
            for g in triage.groups
        ]
    return found


@dataclass
class QueueRow:
    contribution: Contribution
    seconds: int
    status: str  # unanswered, drafted, answered (a published outcome)
    days_waiting: int
    overdue: bool
    proposals: Any = None

    @property
    def response(self) -> Response | None:
        return getattr(self.contribution, "response", None)


def is_answered(contribution: Contribution) -> bool:
    response = getattr(contribution, "response", None)
    return bool(
        response is not None
        and response.published_at is not None
        and response.outcome != Outcome.PENDING
    )


def rows(
    contributions: Iterable[Contribution],
    *,
    triage: Any = None,
    now: dt.datetime | None = None,
) -> list[QueueRow]:
    """One page of the queue as table rows (the queryset comes from :func:`queue_page`)."""
    now = now or timezone.now()
    cutoff = response_deadline_cutoff(now)
    found = []
    for contribution in contributions:
        answered = is_answered(contribution)
        has_draft = getattr(contribution, "draft", None) is not None
        found.append(
            QueueRow(
                contribution=contribution,
                seconds=getattr(contribution, "n_seconds", 0),
                status="answered" if answered else "drafted" if has_draft else "unanswered",
                days_waiting=max(0, (now - contribution.received_at).days),
                overdue=not answered and contribution.received_at < cutoff,
                proposals=proposals_for(triage, contribution.pk),
            )
        )
    return found


def with_details(found: QuerySet[Contribution]) -> QuerySet[Contribution]:
    """What a row shows, fetched with the page (one query)."""
    return found.select_related(
        "event",
        "theme",
        "commitment",
        "response",
        "draft",
        "draft__drafted_by",
    ).annotate(n_seconds=Count("seconds"))


def proposals_for(triage: Any, contribution_id: int) -> Any:
    if triage is None:
        return None
    try:
        return triage.for_contribution(contribution_id)
    except (KeyError, LookupError):
        return None


def matching_ids(
    plan: ActionPlan, filters: QueueFilters, *, triage: Any = None, limit: int
) -> list[int]:
    """The ids of the contributions a filter selects (at most ``limit`` + 1, so that the
    caller can tell the selection is too large)."""
    return list(queue(plan, filters, triage=triage).values_list("pk", flat=True)[: limit + 1])


# --- one contribution --------------------------------------------------------------------


@dataclass
class ContributionFile:
    contribution: Contribution
    seconds: int
    response: Response | None
    revisions: list
    versions: list[CommitmentVersion]
    draft: Any
    draft_versions: list[CommitmentVersion]
    answered: bool
    overdue: bool
    days_waiting: int
    proposals: Any
    duplicates: list[tuple[Contribution, float]]


def contribution_file(contribution_id: int, *, now: dt.datetime | None = None) -> ContributionFile:
    """Everything staff read before answering one contribution."""
    from django.shortcuts import get_object_or_404

    contribution = get_object_or_404(
        Contribution.objects.public()
        .select_related(
            "plan__member",
            "event",
            "theme",
            "commitment",
            "response__deciding_sector",
            "draft__drafted_by",
            "draft__deciding_sector",
        )
        .annotate(n_seconds=Count("seconds")),
        pk=contribution_id,
    )
    response = getattr(contribution, "response", None)
    draft = getattr(contribution, "draft", None)
    now = now or timezone.now()
    answered = is_answered(contribution)
    triage = plan_triage(contribution.plan)
    proposals = proposals_for(triage, contribution.pk)
    duplicates: list[tuple[Contribution, float]] = []
    if proposals is not None and proposals.duplicates:
        scores = dict(proposals.duplicates)
        others = Contribution.objects.public().filter(pk__in=list(scores)).order_by("pk")
        duplicates = [(other, scores[other.pk]) for other in others]
    return ContributionFile(
        contribution=contribution,
        seconds=contribution.n_seconds,
        response=response,
        revisions=list(response.revisions.order_by("-number")) if response else [],
        versions=list(response.changed_versions.select_related("commitment")) if response else [],
        draft=draft,
        draft_versions=list(draft.changed_versions.select_related("commitment")) if draft else [],
        answered=answered,
        overdue=not answered and contribution.received_at < response_deadline_cutoff(now),
        days_waiting=max(0, (now - contribution.received_at).days),
        proposals=proposals,
        duplicates=duplicates,
    )


def plan_versions(plan: ActionPlan) -> QuerySet[CommitmentVersion]:
    """The commitment versions a decision on this plan may link."""
    return (
        CommitmentVersion.objects.filter(commitment__plan=plan)
        .select_related("commitment")
        .order_by("commitment__number", "-number")
    )


def plan_drafts(plan: ActionPlan) -> QuerySet:
    """The plan's drafts awaiting publication, oldest first."""
    from traza.cocreation.models import ResponseDraft

    return (
        ResponseDraft.objects.filter(contribution__plan=plan)
        .select_related("contribution", "drafted_by", "deciding_sector", "contribution__response")
        .order_by("drafted_at", "pk")
    )
