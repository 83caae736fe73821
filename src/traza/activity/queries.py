"""The activity reads: what happened to a plan, a commitment or an event.

Each read asks the trace first, by scope, in one indexed query: the events of a plan
(``TraceEvent.plan_id``, filled by ``core.services.record`` for the scopes registered in
``apps.py``) or of one scope (``TraceEvent.scope``). The kinds of object those events touched
say which domain rows to read next, in batches (a fixed number of queries, whatever the size),
and what those rows are now decides what is shown: dates, texts and whether it is public (a
message hidden by moderation stays hidden, with the reasoned response to it).

This relies on every write going through a service that records it with its scope (the rule
of the house). Nothing is shown that the domain rows do not hold.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, overload

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.assessment.models import Rating
from traza.cocreation.models import Contribution, Event, Response, Second
from traza.cocreation.queries import origin_outcome_counts, outcome_key, outcome_label
from traza.core.models import (
    RECORDED_COLUMNS,
    TraceEvent,
    TracePending,
    TraceSeal,
    recorded_values,
    scope_q,
)
from traza.core.scopes import plan_scopes
from traza.core.sealing import GENESIS_HASH
from traza.core.text import shorten
from traza.monitoring.models import (
    CompletionOverride,
    Indicator,
    Measurement,
    ProgressReport,
    Review,
)
from traza.monitoring.queries import commitment_indicators, commitment_progress
from traza.plans.models import ActionPlan, Commitment, Milestone
from traza.repository.models import Document, DocumentVersion

# The kinds of object whose events the reads below look for (``TraceEvent.object_type``, the
# model's label when the event was written: a model that moves to another app keeps its old
# label here too).
COMMITMENT = Commitment._meta.label_lower
MILESTONE = Milestone._meta.label_lower
RESPONSE = Response._meta.label_lower
PROGRESS = ProgressReport._meta.label_lower
INDICATOR = Indicator._meta.label_lower
MEASUREMENT = Measurement._meta.label_lower
OVERRIDE = CompletionOverride._meta.label_lower
RATING = Rating._meta.label_lower
DOCUMENT = Document._meta.label_lower
DOCUMENT_VERSION = DocumentVersion._meta.label_lower


def happened(where: Q, since: dt.datetime | None = None) -> set[str]:
    """The kinds of object touched by the trace events ``where`` (after ``since``): one
    indexed query on the trace."""
    events = TraceEvent.objects.filter(where)
    if since is not None:
        events = events.filter(occurred_at__gt=since)
    return set(events.order_by().values_list("object_type", flat=True).distinct())


# --- the trace of a plan ---------------------------------------------------------------------


def plan_trace(plan: ActionPlan) -> Iterator[TraceEvent]:
    """Every trace event of the plan — about the plan, its commitments, events and
    contributions — oldest first, streamed (the trace is append-only and can be long).
    One indexed query on ``TraceEvent.plan_id``."""
    return TraceEvent.objects.filter(plan_id=plan.pk).order_by("id").iterator(chunk_size=2000)


def sealed_plan_trace(plan: ActionPlan, chunk: int = 2000) -> Iterator[dict[str, Any]]:
    """The plan's sealed events as their hash covers them (``HASHED_FIELDS``: ``id`` is the
    position in the trace, ``previous_hash`` the hash sealed before it), each with its
    ``hash`` (hexadecimal), oldest first, streamed: two indexed queries per ``chunk`` events.
    Events not sealed yet (``pending_in_plan``) are not among them."""
    last = 0
    while True:
        rows = list(
            TraceEvent.objects.filter(plan_id=plan.pk, id__gt=last, seal__isnull=False)
            .order_by("id")
            .values_list("id", "seal__position", "seal__hash", *RECORDED_COLUMNS)[:chunk]
        )
        if not rows:
            return
        before = {row[1] - 1 for row in rows}
        previous = {
            position: bytes(digest).hex()
            for position, digest in TraceSeal.objects.filter(position__in=before).values_list(
                "position", "hash"
            )
        }
        for _id, position, digest, *recorded in rows:
            yield {
                "id": position,
                **recorded_values(recorded),
                "previous_hash": previous.get(position - 1, GENESIS_HASH),
                "hash": bytes(digest).hex(),
            }
        if len(rows) < chunk:
            return
        last = rows[-1][0]


def pending_in_plan(plan: ActionPlan) -> int:
    """How many of the plan's events wait to be sealed (seconds, usually)."""
    return TracePending.objects.filter(event__plan_id=plan.pk).count()


def fill_plan_scope() -> int:
    """Fill ``TraceEvent.plan_id`` where it is missing, from the scope (the events of a
    backup written before the column existed). Returns how many events were filled."""
    filled = 0
    for label, field in plan_scopes().items():
        pks = list(
            TraceEvent.objects.filter(plan_id__isnull=True, scope_type=label)
            .order_by()
            .values_list("scope_id", flat=True)
            .distinct()
        )
        by_plan: dict[int, list[str]] = defaultdict(list)
        for start in range(0, len(pks), 500):
            rows = field.model._default_manager.filter(pk__in=pks[start : start + 500]).values_list(
                "pk", field.attname
            )
            for pk, plan_id in rows:
                if plan_id is not None:
                    by_plan[plan_id].append(pk)
        for plan_id, scoped in by_plan.items():
            for start in range(0, len(scoped), 500):
                filled += TraceEvent.objects.filter(
                    plan_id__isnull=True, scope_type=label, scope_id__in=scoped[start : start + 500]
                ).set_plan_scope(plan_id)
    return filled


# --- the timeline of a commitment ------------------------------------------------------------


@dataclass
class TimelineEntry:
    date: dt.date
    kind: str
    text: str
    url: str = ""
    planned: bool = False


def commitment_timeline(commitment: Commitment) -> list[TimelineEntry]:
    """What happened to the commitment, oldest first: where it was proposed, each version,
    the milestones' planned dates, accepted progress, measurements, IRM ratings, responses
    that changed it and completion overrides. The trace of the commitment (and the reasoned
    responses of its plan) says which of those to read; select_related ``origin_event`` on the
    commitment to save a query."""
    kinds = happened(scope_q(commitment) | Q(plan_id=commitment.plan_id, object_type=RESPONSE))
    entries: list[TimelineEntry] = []
    event = commitment.origin_event  # None without a query when there is none
    if event is not None:
        entries.append(
            TimelineEntry(
                timezone.localdate(event.starts_at),
                _("Proposed"),
                event.title,
                event.get_absolute_url(),
            )
        )
    if kinds & {COMMITMENT, MILESTONE}:  # the services that write them keep its versions
        for version in commitment.versions.all():
            entries.append(
                TimelineEntry(
                    timezone.localdate(version.created_at),
                    _("Version %(number)s") % {"number": version.number},
                    " · ".join(p for p in (version.get_step_display(), version.reason) if p),
                )
            )
    if MILESTONE in kinds:
        entries += _milestone_entries(commitment)
    if kinds & {INDICATOR, MEASUREMENT, PROGRESS}:  # a report may carry measurements
        for indicator in commitment_indicators(commitment):
            for measurement in indicator.public:  # type: ignore[attr-defined]  # prefetched
                entries.append(
                    TimelineEntry(
                        measurement.measured_on,
                        _("Measured"),
                        f"{indicator.name}: {measurement.value.normalize():f} "
                        f"{indicator.unit}".strip(),
                    )
                )
    if RATING in kinds:
        for rating in Rating.objects.filter(commitment=commitment, assessed_on__isnull=False):
            entries.append(
                TimelineEntry(
                    rating.assessed_on,  # type: ignore[arg-type]  # not null: filtered
                    _("IRM assessment"),
                    f"{rating.get_methodology_display()} · {rating.get_stage_display()}",
                )
            )
    if RESPONSE in kinds:
        responses = (
            Response.objects.public()
            .filter(changed_versions__commitment=commitment)
            .select_related("contribution")
            .distinct()
        )
        for response in responses:
            entries.append(
                TimelineEntry(
                    response.decided_on,
                    _("Reasoned response"),
                    response.get_outcome_display(),
                    response.contribution.get_absolute_url(),
                )
            )
    if OVERRIDE in kinds:
        override = CompletionOverride.objects.filter(commitment=commitment).first()
        if override:
            entries.append(
                TimelineEntry(
                    override.decided_on,
                    _("Completion set to %(level)s") % {"level": override.get_level_display()},
                    override.reason,
                )
            )
    return sorted(entries, key=lambda e: (e.date, e.planned))


def _milestone_entries(commitment: Commitment) -> list[TimelineEntry]:
    """The milestones' planned dates and their accepted progress."""
    entries = []
    for item in commitment_progress(commitment):
        m = item.milestone
        if m.starts_on:
            entries.append(
                TimelineEntry(
                    m.starts_on, _("Milestone %(n)s starts") % {"n": m.number}, m.text, planned=True
                )
            )
        if m.ends_on:
            entries.append(
                TimelineEntry(
                    m.ends_on, _("Milestone %(n)s due") % {"n": m.number}, m.text, planned=True
                )
            )
        for report in item.history:
            entries.append(
                TimelineEntry(
                    report.fact_date,
                    _("Progress on milestone %(n)s: %(percent)s %%")
                    % {"n": m.number, "percent": report.percent},
                    report.narrative,
                )
            )
    return entries


# --- news of a plan, commitment or event: follower e-mails and the Atom feed ----------------


@dataclass
class Update:
    kind: str
    title: str
    text: str
    url: str
    at: dt.datetime
    key: str


# The object types whose events may bring news of each kind (a milestone moved to another
# commitment brings its accepted reports with it).
RESPONSE_KINDS = {RESPONSE}
PROGRESS_KINDS = {PROGRESS, MILESTONE}
DOCUMENT_KINDS = {DOCUMENT, DOCUMENT_VERSION}


def _plan_of(target: str, target_id: int):
    """The plan of the followed object, as a value or a subquery (no query of its own)."""
    if target == "plan":
        return target_id
    model = Commitment if target == "commitment" else Event
    return Subquery(model.objects.filter(pk=target_id).order_by().values("plan_id")[:1])


def updates(
    target: str, target_id: int, since: dt.datetime | None = None, limit: int = 50
) -> list[Update]:
    """Reasoned responses published, progress accepted and documents added, newest first.
    ``target`` is plan, commitment or event. One query on the trace of the plan (since
    ``since``), then one per kind of news it found."""
    if target not in ("plan", "commitment", "event"):
        return []
    kinds = happened(
        Q(
            plan_id=_plan_of(target, target_id),
            object_type__in=RESPONSE_KINDS | PROGRESS_KINDS | DOCUMENT_KINDS,
        )
        # a document of no plan yet (its scope is itself) may be given one later
        | Q(plan_id__isnull=True, object_type=DOCUMENT),
        since,
    )
    items: list[Update] = []
    if kinds & RESPONSE_KINDS:
        items += _responses(target, target_id, since, limit)
    if kinds & PROGRESS_KINDS and target != "event":
        items += _progress(target, target_id, since, limit)
    if kinds & DOCUMENT_KINDS:
        items += _documents(target, target_id, since, limit)
    return sorted(items, key=lambda u: u.at, reverse=True)[:limit]


def feed_items(plan: ActionPlan, limit: int = 50) -> list[Update]:
    """The entries of the plan's Atom feed: its latest news."""
    return updates("plan", plan.pk, limit=limit)


def _responses(target: str, target_id: int, since, limit: int) -> list[Update]:
    responses = Response.objects.public().select_related("contribution")  # none to hidden ones
    if target == "plan":
        responses = responses.filter(contribution__plan_id=target_id)
    elif target == "commitment":
        responses = responses.filter(
            Q(contribution__commitment_id=target_id) | Q(changed_versions__commitment_id=target_id)
        ).distinct()
    else:
        responses = responses.filter(contribution__event_id=target_id)
    if since:
        responses = responses.filter(published_at__gt=since)
    return [
        Update(
            "response",
            _("Reasoned response to contribution %(number)s: %(outcome)s")
            % {"number": r.contribution_id, "outcome": r.get_outcome_display()},
            r.text,
            r.contribution.get_absolute_url(),
            r.published_at,
            f"response-{r.pk}-{r.revision}",
        )
        for r in responses.order_by("-published_at")[:limit]
    ]


def _progress(target: str, target_id: int, since, limit: int) -> list[Update]:
    progress = ProgressReport.objects.filter(review=Review.ACCEPTED).select_related(
        "milestone__commitment"
    )
    if target == "plan":
        progress = progress.filter(milestone__commitment__plan_id=target_id)
    else:
        progress = progress.filter(milestone__commitment_id=target_id)
    if since:
        progress = progress.filter(reviewed_at__gt=since)
    return [
        Update(
            "progress",
            _("Progress on milestone %(number)s of “%(commitment)s”: %(percent)s %%")
            % {
                "number": p.milestone.number,
                "commitment": shorten(p.milestone.commitment.title, 120),
                "percent": p.percent,
            },
            p.narrative,
            p.milestone.commitment.get_absolute_url(),
            p.reviewed_at,  # type: ignore[arg-type]  # set when accepted
            f"progress-{p.pk}",
        )
        for p in progress.order_by("-reviewed_at")[:limit]
    ]


def _documents(target: str, target_id: int, since, limit: int) -> list[Update]:
    documents = DocumentVersion.objects.select_related("document")
    documents = documents.filter(**{f"document__{target}_id": target_id})
    if since:
        documents = documents.filter(uploaded_at__gt=since)
    return [
        Update(
            "document",
            _("Document added: %(title)s (version %(number)s)")
            % {"title": v.document.title, "number": v.number},
            v.document.description or v.note,
            v.document.get_absolute_url(),
            v.uploaded_at,
            f"document-{v.pk}",
        )
        for v in documents.order_by("-uploaded_at")[:limit]
    ]


# --- where a commitment came from ------------------------------------------------------------


#: Contributions listed per page of a commitment's origin.
ORIGIN_PAGE_SIZE = 50


@dataclass
class CommitmentOrigin:
    """The contributions behind a commitment, one page of them, and how they were answered
    (``UNANSWERED`` for those still waiting), counted over all of them."""

    page: Page
    by_outcome: list[tuple[str, str, int]]  # (outcome, its label, how many), most first
    total: int

    def __iter__(self) -> Iterator[Contribution]:
        return iter(self.page.object_list)

    def __bool__(self) -> bool:
        return self.total > 0


def origin_contributions(commitment: Commitment) -> QuerySet[Contribution]:
    """The public contributions about this commitment or whose published response changed
    its text: a union of two indexed reads (about it; linked to one of its versions), not an
    ``OR`` across the many-to-many join, so a commitment with thousands of contributions
    costs what a page of them costs."""
    about = Contribution.objects.filter(commitment=commitment).order_by().values("id")
    changed = (
        Response.changed_versions.through.objects.filter(commitmentversion__commitment=commitment)
        .order_by()
        .values("response__contribution_id")
    )
    return Contribution.objects.public().filter(pk__in=about.union(changed))


def _origin_arms(commitment: Commitment) -> tuple[QuerySet, QuerySet]:
    """The two arms of :func:`origin_contributions`, each public and in the listing's order
    (``received_at``, then ``id``), as ``(received_at, id)`` pairs. The first is read in order
    from the index ``contribution_commitment_order``; the second follows the commitment's
    versions to the responses that changed them, an index at each step, and sorts only those
    (the contributions that changed its text: a few, where the first arm has thousands)."""
    order = ("received_at", "id")
    about = (
        Contribution.objects.public()
        .filter(commitment=commitment)
        .order_by(*order)
        .values_list(*order)
    )
    changing = (
        Response.changed_versions.through.objects.filter(commitmentversion__commitment=commitment)
        .order_by()
        .values("response__contribution_id")
    )
    changed = (
        Contribution.objects.public().filter(pk__in=changing).order_by(*order).values_list(*order)
    )
    return about, changed


class _OriginRows:
    """The ordered contributions behind a commitment as the paginator slices them: a slice
    ending at ``end`` reads at most ``end`` rows of each arm (two indexed reads, not an ``IN``
    over the union, which PostgreSQL answers by scanning every contribution), merges them
    (a contribution in both counts once) and reads the slice's rows by their ids."""

    def __init__(self, commitment: Commitment, total: int) -> None:
        self.commitment = commitment
        self.total = total

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[Contribution]:
        return iter(self[0 : self.total])

    @overload
    def __getitem__(self, where: int) -> Contribution: ...

    @overload
    def __getitem__(self, where: slice) -> list[Contribution]: ...

    def __getitem__(self, where: int | slice) -> Contribution | list[Contribution]:
        if isinstance(where, int):
            return self[where : where + 1][0]
        start, end = where.start or 0, where.stop if where.stop is not None else self.total
        if end <= start:
            return []
        about, changed = _origin_arms(self.commitment)
        # the first `end` of the union are among the first `end` of each arm
        ids = [pk for _at, pk in sorted(set(about[:end]) | set(changed[:end]))][start:end]
        if not ids:
            return []
        seconds = (
            Second.objects.filter(contribution=OuterRef("pk"))
            .order_by()
            .values("contribution")
            .annotate(n=Count("id"))
            .values("n")
        )
        rows = Contribution.objects.filter(pk__in=ids).select_related("response", "event")
        found = {
            row.pk: row
            for row in rows.annotate(
                second_count=Coalesce(Subquery(seconds), 0), outcome_key=outcome_key()
            )
        }
        return [found[pk] for pk in ids if pk in found]


def commitment_origin(commitment: Commitment, page_number: Any = 1) -> CommitmentOrigin:
    """One page of :func:`origin_contributions`, oldest first, with each one's outcome as the
    public sees it and how many participants seconded it, and the counts by outcome. Four
    queries whatever the number of contributions (none but the counts when there are none):
    the counts are co-creation's maintained ones, each arm of the union is read in order from
    an index up to the page's end only, and the page's rows are read by their ids, each
    one's seconds counted for it alone (``_OriginRows``). Hidden ones are not public. Lent to
    the commitment page (``plans.queries.register_commitment_origin``)."""
    by_outcome = [(key, outcome_label(key), n) for key, n in origin_outcome_counts(commitment)]
    total = sum(n for _key, _label, n in by_outcome)
    paginator: Paginator[Contribution] = Paginator(_OriginRows(commitment, total), ORIGIN_PAGE_SIZE)
    paginator.count = total  # known already: no second count
    return CommitmentOrigin(paginator.get_page(page_number), by_outcome, total)


def open_opportunities(plan: ActionPlan | None = None) -> list:
    """Everything open now for participation — co-creation's consultations and event
    registrations, monitoring's comment periods — in one read. Lent to the public pages
    (``plans.queries.register_open_opportunities``)."""
    from traza.cocreation.queries import open_opportunities as cocreation_opportunities
    from traza.monitoring.queries import open_comment_periods

    return cocreation_opportunities(plan) + open_comment_periods(plan)
