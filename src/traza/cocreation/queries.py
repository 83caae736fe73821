"""Reads of the co-creation calendar: notice given, month views, attendance tables."""

from __future__ import annotations

import calendar
import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.cocreation.models import (
    FUNNEL_MEASURES,
    AttendanceTally,
    Channel,
    CommitmentTally,
    Contribution,
    ContributionTally,
    DelayTally,
    DiscussionPost,
    Event,
    EventKind,
    EventStatus,
    Evidence,
    Measure,
    Outcome,
    PlanTally,
    PostStatus,
    Registration,
    ReportedFigure,
    Response,
    Timeline,
    notice_days_setting,
)
from traza.cocreation.models.tallies import NONE
from traza.cocreation.services import running_consultation
from traza.core.params import as_id
from traza.notifications.models import MessageStatus, OutboxMessage
from traza.plans.models import (
    ADOPTED_STATUSES,
    ActionPlan,
    Commitment,
    Organization,
    Stage,
    Theme,
    VersionStep,
)
from traza.plans.queries import Opportunity


@dataclass
class Notice:
    """Days between publication and start; ``short`` when under the notice setting."""

    announced_on: dt.date | None
    starts_on: dt.date
    minimum: int

    @property
    def days(self) -> int | None:
        if self.announced_on is None:
            return None
        return (self.starts_on - self.announced_on).days

    @property
    def short(self) -> bool:
        return self.days is None or self.days < self.minimum


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def event_notice(event: Event, timeline: Timeline | None) -> Notice:
    if event.announced_at:
        announced = _local_date(event.announced_at)
    else:
        announced = timeline.published_on if timeline else None
    return Notice(announced, _local_date(event.starts_at), notice_days_setting())


@dataclass
class CalendarEvent:
    event: Event
    notice: Notice
    tallies: list[AttendanceTally] = field(default_factory=list)


@dataclass
class PlanCalendar:
    plan: ActionPlan
    timeline: Timeline | None
    events: list[CalendarEvent]
    process_notice: Notice | None
    minimum_notice: int

    @property
    def short_notice_count(self) -> int:
        return sum(1 for item in self.events if item.notice.short)


def _timeline(plan: ActionPlan) -> Timeline | None:
    return Timeline.objects.filter(plan=plan).first()


def plan_calendar(plan_id: int) -> PlanCalendar:
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=plan_id)
    timeline = _timeline(plan)
    events = list(
        Event.objects.filter(plan=plan)
        .select_related("organiser")
        .prefetch_related("themes", "tallies")
        .order_by("starts_at", "id")
    )
    items = [CalendarEvent(e, event_notice(e, timeline), list(e.tallies.all())) for e in events]
    held = [e for e in events if e.status != EventStatus.CANCELLED]
    process = None
    if held:
        first = min(_local_date(e.starts_at) for e in held)
        process = Notice(timeline.published_on if timeline else None, first, notice_days_setting())
    return PlanCalendar(plan, timeline, items, process, notice_days_setting())


@dataclass
class MonthGrid:
    year: int
    month: int
    weeks: list[list[tuple[dt.date | None, list[CalendarEvent]]]]
    previous: str
    next: str
    # One date per column, Monday first, for the headers (the first week's cells outside the
    # month are empty, so the headers cannot be read from them).
    weekdays: list[dt.date] = field(default_factory=list)


def month_grid(cal: PlanCalendar, month: str | None) -> MonthGrid:
    """A month of the calendar (``YYYY-MM``; default: the month of the first event)."""
    try:
        year, number = (int(part) for part in (month or "").split("-"))
        dt.date(year, number, 1)
    except ValueError:
        first = cal.events[0].event.starts_at if cal.events else timezone.now()
        year, number = timezone.localtime(first).year, timezone.localtime(first).month
    by_day: dict[dt.date, list[CalendarEvent]] = defaultdict(list)
    for item in cal.events:
        by_day[_local_date(item.event.starts_at)].append(item)
    weeks = []
    dates = calendar.Calendar(firstweekday=0).monthdatescalendar(year, number)
    for week in dates:
        weeks.append([(d if d.month == number else None, by_day.get(d, [])) for d in week])
    previous = dt.date(year, number, 1) - dt.timedelta(days=1)
    following = dt.date(year, number, 28) + dt.timedelta(days=4)
    return MonthGrid(
        year,
        number,
        weeks,
        f"{previous:%Y-%m}",
        f"{following.year:04d}-{following.month:02d}",
        weekdays=dates[0],
    )


@dataclass
class AttendanceRow:
    label: str
    state: int
    civil_society: int
    others: int
    source: str

    @property
    def total(self) -> int:
        return self.state + self.civil_society + self.others

    def percent(self, part: int) -> float:
        return round(100 * part / self.total, 1) if self.total else 0.0

    @property
    def percents(self) -> tuple[float, float, float]:
        return (
            self.percent(self.state),
            self.percent(self.civil_society),
            self.percent(self.others),
        )


@dataclass
class KindTable:
    kind: EventKind
    rows: list[AttendanceRow]
    totals: dict[str, AttendanceRow]


def attendance_by_kind(cal: PlanCalendar) -> list[KindTable]:
    """Per kind of event, one row per event and source, and the total per source."""
    tables: dict[str, KindTable] = {}
    from_records = registration_rows(cal.plan)
    for item in cal.events:
        rows = [
            AttendanceRow(item.event.title, t.state, t.civil_society, t.others, t.source)
            for t in item.tallies
        ]
        if item.event.pk in from_records:
            record = from_records[item.event.pk]
            record.label = item.event.title
            rows.append(record)
        for row in rows:
            table = tables.setdefault(
                item.event.kind, KindTable(EventKind(item.event.kind), [], {})
            )
            table.rows.append(row)
            total = table.totals.setdefault(row.source, AttendanceRow("", 0, 0, 0, row.source))
            total.state += row.state
            total.civil_society += row.civil_society
            total.others += row.others
    return list(tables.values())


def public_evidence():

    return Prefetch("evidence", queryset=Evidence.objects.public())


def event_page(event_id: int) -> tuple[Event, Notice, list[AttendanceRow]]:
    event = get_object_or_404(
        Event.objects.select_related("plan__member", "organiser").prefetch_related(
            "themes", public_evidence()
        ),
        pk=event_id,
    )
    notice = event_notice(event, _timeline(event.plan))
    rows = [
        AttendanceRow(event.title, t.state, t.civil_society, t.others, t.source)
        for t in event.tallies.all()
    ]
    from_records = registration_rows(event.plan, event).get(event.pk)
    if from_records:
        from_records.label = event.title
        rows.append(from_records)
    return event, notice, rows


def contribution_page(contribution_id: int):
    """A contribution with its response, the versions it changed and when its author was told."""

    contribution = get_object_or_404(
        Contribution.objects.select_related(
            "plan__member",
            "event",
            "theme",
            "commitment",
            "response__deciding_sector",
            "discussion_post",
        ).prefetch_related(public_evidence()),
        pk=contribution_id,
    )
    if contribution.is_hidden:  # the page only says that and why: nothing of what it said
        return contribution, None, [], None
    response = getattr(contribution, "response", None)
    versions = []
    told_at = None
    if response is not None:
        versions = list(response.changed_versions.select_related("commitment"))
        sent = (
            OutboxMessage.objects.filter(
                object_type=Response._meta.label_lower,
                object_id=str(response.pk),
                status=MessageStatus.SENT,
            )
            .order_by("-sent_at")
            .first()
        )
        told_at = sent.sent_at if sent else None
    return contribution, response, versions, told_at


def unanswered_q() -> Q:
    """A contribution is answered once its response is published and is not "pending":
    the one definition behind the share answered, the workbench's queue, the overdue
    warnings and the weekly digest."""
    return (
        Q(response__isnull=True)
        | Q(response__published_at__isnull=True)
        | Q(response__outcome=Outcome.PENDING)
    )


def response_deadline_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Contributions received before this instant and still unanswered are overdue
    (``TRAZA_RESPONSE_WAIT_DAYS``)."""
    return (now or timezone.now()) - dt.timedelta(days=settings.TRAZA_RESPONSE_WAIT_DAYS)


def awaiting_response(plan: ActionPlan):
    """The plan's public contributions that still wait for their reasoned response."""
    return Contribution.objects.public().filter(plan=plan).filter(unanswered_q())


def overdue_contributions(plan: ActionPlan, now: dt.datetime | None = None):
    """Those that have waited longer than ``TRAZA_RESPONSE_WAIT_DAYS``."""
    return awaiting_response(plan).filter(received_at__lt=response_deadline_cutoff(now))


def overdue_count(plan: ActionPlan, now: dt.datetime | None = None) -> int:
    """How many ``overdue_contributions`` there are, reading only the plan's contributions
    still waiting (the maintained counts name them, indexed): one query whose cost follows
    the backlog, not the plan's size."""
    waiting = ContributionTally.objects.filter(
        plan_id=plan.pk, outcome=UNANSWERED, hidden=False
    ).values("contribution_id")
    return Contribution.objects.filter(
        pk__in=waiting, received_at__lt=response_deadline_cutoff(now)
    ).count()


@dataclass
class ContributionStats:
    total: int  # public contributions only
    answered: int
    median_days: float | None
    slowest_days: int | None
    by_channel_theme: list[tuple[str, list[int], int]]
    channels: list[str]
    hidden: int = 0  # messages hidden by moderation: counted apart, never in the figures

    @property
    def answered_percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def _days_to_answer():
    """Received → response published, as a duration (SQL)."""
    return ExpressionWrapper(
        F("response__published_at") - F("received_at"), output_field=DurationField()
    )


@dataclass
class PlanCounts:
    """A plan's maintained counts (``cocreation.models.tallies``), summed over events: one
    row per (channel, theme, outcome, hidden) that occurs."""

    rows: list[tuple[str, int, str, bool, int]]

    def public(self, channel: str | None = None) -> int:
        return sum(
            n
            for c, _t, _o, hidden, n in self.rows
            if not hidden and (channel is None or c == channel)
        )

    @property
    def hidden(self) -> int:
        return sum(n for *_key, hidden, n in self.rows if hidden)

    @property
    def answered(self) -> int:
        return sum(n for _c, _t, o, hidden, n in self.rows if not hidden and o != UNANSWERED)

    def by_outcome(self) -> dict[str, int]:
        found: dict[str, int] = defaultdict(int)
        for _c, _t, outcome, hidden, n in self.rows:
            if not hidden:
                found[outcome] += n
        return dict(found)


def plan_counts(plan: ActionPlan) -> PlanCounts:
    """The plan's contributions counted by channel, theme, outcome (``outcome_key``) and
    whether moderation hid them, read from the maintained counts: one query over at most
    channels × themes × outcomes × 2 rows, whatever the number of contributions."""
    rows = (
        PlanTally.objects.filter(plan_id=plan.pk, n__gt=0)
        .values_list("channel", "theme_id", "outcome", "hidden")
        .annotate(total=Sum("n"))
        .order_by()
    )
    return PlanCounts([(c, t, o, bool(h), n) for c, t, o, h, n in rows if n])


def _median_and_slowest(plan: ActionPlan, answered: int) -> tuple[float | None, int | None]:
    """The median and the largest number of whole days to answer (``timedelta.days`` of
    received → published), from the plan's histogram of whole days (one query): the same
    figures as sorting every answered contribution's delay, since rounding down keeps the
    order."""
    histogram = list(
        DelayTally.objects.filter(plan_id=plan.pk, n__gt=0)
        .order_by("days")
        .values_list("days", "n")
    )
    if not answered or not histogram:
        return None, None
    wanted = [(answered - 1) // 2, answered // 2]  # the middle one or two, counted from 0
    middle, seen = [], 0
    for days, n in histogram:
        while wanted and wanted[0] < seen + n:
            middle.append(days)
            wanted.pop(0)
        seen += n
    median = statistics.median(middle)
    return (int(median) if median == int(median) else median), histogram[-1][0]


def contribution_stats(plan: ActionPlan) -> ContributionStats:
    """Counts by channel × theme (seed 002, Cuadro 4), share answered, days to answer.

    A contribution counts as answered only when its response is published and not pending.
    Contributions hidden by moderation are left out of every figure and counted apart.
    Read from the maintained counts (``plan_counts``, the days' histogram, the themes'
    names): three queries whatever the plan's size (one with no contributions).
    """

    counts = plan_counts(plan)
    total, n_answered = counts.public(), counts.answered
    if not total:
        return ContributionStats(0, 0, None, None, [], [], hidden=counts.hidden)
    cells: dict[tuple[str, int], int] = defaultdict(int)
    for channel, theme, _outcome, hidden, n in counts.rows:
        if not hidden:
            cells[(channel, theme)] += n
    present = {channel for channel, _theme in cells}
    channels = [c for c in Channel.values if c in present]
    names = dict(
        Theme.objects.filter(pk__in={theme for _c, theme in cells}).values_list("pk", "name")
    )
    table: dict[str, list[int]] = {}
    for (channel, theme), n in cells.items():
        counts_row = table.setdefault(names.get(theme) or "—", [0] * len(channels))
        counts_row[channels.index(channel)] += n
    by_channel_theme = [(theme, row, sum(row)) for theme, row in sorted(table.items())]
    median, slowest = _median_and_slowest(plan, n_answered)
    return ContributionStats(
        total=total,
        answered=n_answered,
        median_days=median,
        slowest_days=slowest,
        by_channel_theme=by_channel_theme,
        channels=[str(Channel(c).label) for c in channels],
        hidden=counts.hidden,
    )


# --- the trace at a glance: outcomes and commitments with a visible origin --------------------

#: The middle of the flow and the list's outcome filter: contributions still waiting (no
#: response, an unpublished one, or one marked pending; ``unanswered_q``) are "not answered
#: yet"; the others count under their published outcome.
UNANSWERED = "unanswered"


def outcome_key():
    """The outcome a public reader sees for each contribution, as an SQL expression."""
    return Case(
        When(unanswered_q(), then=Value(UNANSWERED)),
        default=F("response__outcome"),
        output_field=CharField(),
    )


def outcome_counts(plan: ActionPlan) -> dict[str, int]:
    """Public contributions per outcome (``UNANSWERED`` for those waiting), one query of the
    maintained counts."""
    return plan_counts(plan).by_outcome()


def origin_outcome_counts(commitment: Commitment) -> list[tuple[str, int]]:
    """The public contributions behind a commitment (about it, or whose response changed one
    of its versions) per outcome as ``outcome_key`` gives it, most first: one query of the
    maintained counts, whatever their number."""
    return list(
        CommitmentTally.objects.filter(commitment_id=commitment.pk, n__gt=0)
        .order_by("-n", "outcome")
        .values_list("outcome", "n")
    )


def changed_by_contributions_q(prefix: str = "") -> Q:
    """Commitments (``prefix`` leading to one) changed by a public, answered contribution:
    its published response names a version of the commitment it changed."""
    changing = (
        Contribution.objects.public()
        .exclude(unanswered_q())
        .filter(response__changed_versions__commitment=OuterRef(f"{prefix}pk"))
    )
    return Q(Exists(changing))


def visible_origin_q() -> Q:
    """The one definition of a commitment whose origin the public can follow: it was
    proposed at a recorded event (``origin_event``, the page's "Proposed at"), or at least
    one public contribution changed it (a published response linked the versions it
    changed, the page's "Contributions behind this commitment"). The free-text "Origin" of
    the commitment template is a statement, not a link, and does not count."""
    return Q(origin_event__isnull=False) | changed_by_contributions_q()


@dataclass
class OriginCount:
    with_origin: int
    total: int  # commitments in the plan (approved, withdrawn or closed)


def commitments_with_origin(plan: ActionPlan) -> OriginCount:
    """How many of the plan's commitments have a visible origin (one query)."""
    counts = Commitment.objects.filter(plan=plan, status__in=ADOPTED_STATUSES).aggregate(
        total=Count("id"), with_origin=Count("id", filter=visible_origin_q())
    )
    return OriginCount(counts["with_origin"], counts["total"])


# --- the list of contributions, filtered as the flow's bands are ----------------------------

#: The flow draws at most this many events and changed commitments by name; the rest are
#: one "other" node each, so the page does bounded work whatever the plan's size.
FLOW_EVENT_LIMIT = 8
FLOW_COMMITMENT_LIMIT = 10
NO_EVENT = "none"  # the ``event`` filter: not collected at an event
ANY_EVENT = "any"  # the ``event`` filter: collected at an event, whichever
OTHER = "other"  # the ``event`` and ``changed`` filters: those the flow groups as "other"


@dataclass
class Top:
    ids: list[int]  # named in the flow, most contributions first
    more: bool  # others exist (the flow groups them in one "other" node)


def _top(rows, key: str, limit: int) -> Top:
    """The ids of the first ``limit`` rows (most contributions first, then by id); all of
    them when one more would be enough (an "other" node of one is no help)."""
    ids = [row[key] for row in rows[: limit + 2]]
    if len(ids) <= limit + 1:
        return Top(ids, False)
    return Top(ids[:limit], True)


def _event_counts(plan: ActionPlan):
    """Public contributions per (channel, event, outcome) from the maintained counts; event
    0 for those not collected at an event."""
    return (
        PlanTally.objects.filter(plan_id=plan.pk, hidden=False, n__gt=0)
        .values("channel", "event_id", "outcome")
        .annotate(total=Sum("n"))
        .order_by()
    )


def flow_top_events(plan: ActionPlan) -> Top:
    """The events the flow names, most contributions first (one query of the maintained
    counts)."""
    rows = (
        PlanTally.objects.filter(plan_id=plan.pk, hidden=False, n__gt=0)
        .exclude(event_id=NONE)
        .values("event_id")
        .annotate(total=Sum("n"))
        .filter(total__gt=0)
        .order_by("-total", "event_id")
    )
    return _top(rows, "event_id", FLOW_EVENT_LIMIT)


def _changes(commitments: Q) -> Exists:
    """The contribution's response changed a version of one of ``commitments``."""
    through = Response.changed_versions.through.objects.filter(
        response__contribution=OuterRef("pk")
    ).filter(commitments)
    return Exists(through)


def flow_top_commitments(plan: ActionPlan) -> Top:
    """The commitments the flow names: changed by the most answered contributions first."""
    rows = (
        Contribution.objects.public()
        .filter(plan=plan)
        .exclude(unanswered_q())
        .filter(response__changed_versions__commitment__plan=plan)
        .values("response__changed_versions__commitment")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "response__changed_versions__commitment")
    )
    return _top(rows, "response__changed_versions__commitment", FLOW_COMMITMENT_LIMIT)


def _other_commitments(plan: ActionPlan, top: Top) -> Q:
    """On the through table of the versions a response changed: a commitment of the plan
    that the flow does not name (its "other commitments" node)."""
    return Q(commitmentversion__commitment__plan=plan) & ~Q(
        commitmentversion__commitment_id__in=top.ids
    )


@dataclass
class FlowCounts:
    """What the flow draws, counted in SQL (at most seven queries whatever the plan's size).

    ``sources`` maps (channel, event, outcome) to a number of public contributions, where
    ``event`` is None for those not collected at an event (they count under their channel,
    and ``channel`` is "" for the others), an event's id for the events the flow names, and
    0 for "other events". ``changed`` maps (outcome, commitment) to the answered
    contributions whose response changed a version of that commitment, 0 standing for
    "other commitments"; a contribution that changed two commitments counts under each."""

    sources: dict[tuple[str, int | None, str], int]
    changed: dict[tuple[str, int], int]
    events: dict[int, str]  # id → title, most contributions first
    commitments: dict[int, tuple[int, str]]  # id → (number, title), most changed first


def flow_counts(plan: ActionPlan, *, name_events: bool = True) -> FlowCounts:
    """``name_events=False`` (the plan page's compact flow) groups every event in one node:
    the event is then 0 for all of them, which the list reads as ``ANY_EVENT``."""
    top_events = flow_top_events(plan) if name_events else Top([], True)
    top_commitments = flow_top_commitments(plan)
    named = set(top_events.ids)
    sources: dict[tuple[str, int | None, str], int] = defaultdict(int)
    for row in _event_counts(plan):
        event = row["event_id"]
        if event == NONE:
            key = (row["channel"], None, row["outcome"])
        else:
            key = ("", event if event in named else 0, row["outcome"])
        sources[key] += row["total"]
    public = Contribution.objects.public().filter(plan=plan)
    answered = public.exclude(unanswered_q())
    changed: dict[tuple[str, int], int] = {}
    if top_commitments.ids:
        named = (
            answered.filter(response__changed_versions__commitment__in=top_commitments.ids)
            .values("response__outcome", "response__changed_versions__commitment")
            .annotate(n=Count("id", distinct=True))
            .order_by()
        )
        for row in named:
            key = (row["response__outcome"], row["response__changed_versions__commitment"])
            changed[key] = row["n"]
    if top_commitments.more:
        others = (
            answered.filter(_changes(_other_commitments(plan, top_commitments)))
            .values("response__outcome")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in others:
            changed[(row["response__outcome"], 0)] = row["n"]
    titles = dict(Event.objects.filter(pk__in=top_events.ids).values_list("pk", "title"))
    numbers = {
        pk: (number, title)
        for pk, number, title in Commitment.objects.filter(pk__in=top_commitments.ids).values_list(
            "pk", "number", "title"
        )
    }
    return FlowCounts(
        sources=dict(sources),
        changed=changed,
        events={pk: titles[pk] for pk in top_events.ids if pk in titles},
        commitments={pk: numbers[pk] for pk in top_commitments.ids if pk in numbers},
    )


@dataclass
class FilterLabel:
    name: str  # the filter, translated
    value: str  # what it selects: translated, or a title written by people (``content``)
    content: bool = False


@dataclass
class ContributionFilters:
    """The list's filters, validated: anything unknown is dropped, never trusted."""

    channel: str = ""  # a Channel value
    outcome: str = ""  # an Outcome value or UNANSWERED
    event: str = ""  # an event's id, NO_EVENT or OTHER
    changed: str = ""  # the id of a commitment the contribution's answer changed, or OTHER
    # the active ones, named in the page's language
    labels: list[FilterLabel] = field(default_factory=list)

    def params(self) -> dict[str, str]:
        names = ("channel", "event", "outcome", "changed")
        return {name: getattr(self, name) for name in names if getattr(self, name)}


#: The outcomes a reader can filter by, in the flow's order: a published "pending" is one of
#: the contributions "not answered yet" (``unanswered_q``), never an outcome of its own.
LIST_OUTCOMES = [*(o for o in Outcome.values if o != Outcome.PENDING), UNANSWERED]


def outcome_label(value: str) -> str:
    return str(_("not answered yet")) if value == UNANSWERED else str(Outcome(value).label)


def parse_contribution_filters(plan: ActionPlan, params) -> ContributionFilters:
    """Read ``channel``, ``outcome``, ``event`` and ``changed`` from a query string; an
    event or commitment must belong to the plan (at most two queries)."""
    found = ContributionFilters()
    channel = params.get("channel", "")
    if channel in Channel.values:
        found.channel = channel
        found.labels.append(FilterLabel(_("Channel"), str(Channel(channel).label)))
    event = params.get("event", "")
    if event == NO_EVENT:
        found.event = NO_EVENT
        found.labels.append(FilterLabel(_("Event"), _("not collected at an event")))
    elif event == OTHER:
        found.event = OTHER
        found.labels.append(FilterLabel(_("Event"), _("other events")))
    elif event == ANY_EVENT:
        found.event = ANY_EVENT
        found.labels.append(FilterLabel(_("Event"), _("collected at an event")))
    elif (event_id := as_id(event)) is not None:
        title = Event.objects.filter(plan=plan, pk=event_id).values_list("title", flat=True)
        if title:
            found.event = str(event_id)
            found.labels.append(FilterLabel(_("Event"), title[0], content=True))
    outcome = params.get("outcome", "")
    if outcome in LIST_OUTCOMES:
        found.outcome = outcome
        found.labels.append(FilterLabel(_("Outcome"), outcome_label(outcome)))
    changed = params.get("changed", "")
    if changed == OTHER:
        found.changed = OTHER
        found.labels.append(FilterLabel(_("Commitment changed"), _("other commitments")))
    elif (commitment_id := as_id(changed)) is not None:
        commitment = (
            Commitment.objects.filter(plan=plan, pk=commitment_id)
            .values_list("number", "title")
            .first()
        )
        if commitment:
            found.changed = str(commitment_id)
            found.labels.append(
                FilterLabel(_("Commitment changed"), f"{commitment[0]}. {commitment[1]}", True)
            )
    return found


def count_contributions(plan: ActionPlan, filters: ContributionFilters) -> int | None:
    """How many ``plan_contributions(plan, filters)`` there are, from the maintained counts
    (one query) when the filters are the counts' own (channel, event, outcome); None for
    ``changed``, which they do not hold."""
    if filters.changed:
        return None
    rows = PlanTally.objects.filter(plan_id=plan.pk, hidden=False)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.event == NO_EVENT:
        rows = rows.filter(event_id=NONE)
    elif filters.event == OTHER:
        rows = rows.exclude(event_id=NONE).exclude(event_id__in=flow_top_events(plan).ids)
    elif filters.event == ANY_EVENT:
        rows = rows.exclude(event_id=NONE)
    elif filters.event:
        rows = rows.filter(event_id=int(filters.event))
    if filters.outcome:
        rows = rows.filter(outcome=filters.outcome)
    return rows.aggregate(total=Sum("n"))["total"] or 0


def plan_contributions(plan: ActionPlan, filters: ContributionFilters | None = None):
    """The plan's public contributions, newest first, filtered. The filters mean exactly
    what the flow's nodes and bands count (:mod:`traza.cocreation.flow`): a contribution
    collected at an event is under its event, another under its channel; its outcome is
    the published one, or "not answered yet" (``unanswered_q``); "changed" follows its
    published answer to the commitments whose versions it changed."""
    filters = filters or ContributionFilters()
    queryset = (
        Contribution.objects.public()
        .filter(plan=plan)
        .select_related("theme", "commitment", "response", "event")
        .annotate(shown_outcome=outcome_key())  # what its badge says, as the flow counts it
        .order_by("-received_at", "-id")
    )
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.event == NO_EVENT:
        queryset = queryset.filter(event__isnull=True)
    elif filters.event == OTHER:
        queryset = queryset.filter(event__isnull=False).exclude(
            event_id__in=flow_top_events(plan).ids
        )
    elif filters.event == ANY_EVENT:
        queryset = queryset.filter(event__isnull=False)
    elif filters.event:
        queryset = queryset.filter(event_id=int(filters.event))
    if filters.outcome == UNANSWERED:
        queryset = queryset.filter(unanswered_q())
    elif filters.outcome:
        queryset = queryset.filter(
            response__published_at__isnull=False, response__outcome=filters.outcome
        )
    if filters.changed:
        if filters.changed == OTHER:
            which = _other_commitments(plan, flow_top_commitments(plan))
        else:
            which = Q(commitmentversion__commitment_id=int(filters.changed))
        queryset = queryset.exclude(unanswered_q()).filter(_changes(which))
    return queryset


@dataclass
class DiscussionPage:
    commitment: Any
    threads: list  # opening messages, each with ``thread_replies``
    pending: int
    consultation: Event | None


def discussion_page(commitment_id: int) -> DiscussionPage:
    """The public discussion of a commitment in two queries, whatever its length."""

    commitment = get_object_or_404(
        Commitment.objects.select_related("plan__member", "theme"), pk=commitment_id
    )
    posts = list(
        DiscussionPost.objects.filter(commitment=commitment)
        .select_related("official_organization", "contribution__response")
        .order_by("created_at", "id")
    )
    visible = [p for p in posts if p.status != PostStatus.PENDING]
    by_parent: dict[int | None, list] = {}
    for post in visible:
        by_parent.setdefault(post.parent_id, []).append(post)
    threads = by_parent.get(None, [])
    for post in visible:
        post.thread_replies = by_parent.get(post.pk, [])
    return DiscussionPage(
        commitment=commitment,
        threads=threads,
        pending=len(posts) - len(visible),
        consultation=running_consultation(commitment.plan),
    )


# --- the proposals funnel and participation as reported ---------------------------------------


@dataclass
class FunnelStage:
    label: str
    recorded: int | None  # from Traza's own records (None: nothing recorded at this stage)
    reported: list = field(default_factory=list)  # ReportedFigure rows, each with its source


def proposal_funnel(plan: ActionPlan) -> list[FunnelStage]:
    """Proposals from thematic tables and regional workshops → kept at the national tables →
    in the approved plan. Counts from the records where Traza holds them, beside the figures
    the reports printed (every source kept)."""

    later_steps = [VersionStep.NATIONAL_TABLE, VersionStep.SECTOR_VALIDATION, VersionStep.APPROVAL]
    rows = list(
        Commitment.objects.filter(plan=plan)
        .annotate(
            at_national=Count("versions", filter=Q(versions__step__in=later_steps)),
        )
        .values_list("origin_event__kind", "status", "at_national")
    )
    born_thematic = sum(1 for kind, _s, _n in rows if kind == EventKind.THEMATIC_TABLE)
    born_regional = sum(1 for kind, _s, _n in rows if kind == EventKind.REGIONAL_WORKSHOP)
    recorded_any = bool(born_thematic or born_regional)
    national = sum(1 for _k, _s, n in rows if n)
    adopted = sum(1 for _k, status, _n in rows if status in ADOPTED_STATUSES)
    recorded = {
        Measure.PROPOSALS_THEMATIC_TABLES: born_thematic,
        Measure.PROPOSALS_REGIONAL_WORKSHOPS: born_regional,
        Measure.PROPOSALS_NATIONAL_TABLES: national,
        Measure.COMMITMENTS_IN_PLAN: adopted,
    }
    figures: dict[str, list] = {}
    for figure in ReportedFigure.objects.filter(plan=plan, measure__in=FUNNEL_MEASURES):
        figures.setdefault(figure.measure, []).append(figure)
    return [
        FunnelStage(
            label=str(Measure(measure).label),
            recorded=recorded[measure]
            if recorded_any or measure == Measure.COMMITMENTS_IN_PLAN
            else None,
            reported=figures.get(measure, []),
        )
        for measure in FUNNEL_MEASURES
    ]


def reported_participation(plan: ActionPlan) -> list:
    """The participation figures reports printed (persons, entities and CSOs by type)."""

    return list(ReportedFigure.objects.filter(plan=plan).exclude(measure__in=FUNNEL_MEASURES))


@dataclass
class PersonCount:
    """Unique persons who attended, counted once across events (by e-mail)."""

    total: int
    by_sector: list[tuple[str, int, float]]
    by_civil_society_type: list[tuple[str, int, float]]
    attendances: int


def _shares(counter: dict[str, int], labels: dict[str, str]) -> list[tuple[str, int, float]]:
    total = sum(counter.values())
    return [
        (labels.get(key, key) or "—", n, round(100 * n / total, 1) if total else 0.0)
        for key, n in sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    ]


def unique_attendees(plan: ActionPlan) -> PersonCount:
    """Persons marked present at any event of the plan, each counted once, by the sector and
    civil-society type of their latest registration (seed 002 counts the same way)."""

    rows = (
        Registration.objects.filter(event__plan=plan, attended=True)
        .order_by("created_at", "id")
        .values_list("email", "sector", "civil_society_type")
    )
    people: dict[str, tuple[str, str]] = {}
    attendances = 0
    for email, sector, cs_type in rows:
        attendances += 1
        people[email.strip().lower()] = (sector, cs_type)
    sectors: dict[str, int] = defaultdict(int)
    types: dict[str, int] = defaultdict(int)
    for sector, cs_type in people.values():
        sectors[sector] += 1
        if sector == Organization.Sector.CIVIL_SOCIETY:
            types[cs_type] += 1
    return PersonCount(
        total=len(people),
        by_sector=_shares(sectors, dict(Organization.Sector.choices)),
        by_civil_society_type=_shares(types, dict(Organization.CivilSocietyType.choices)),
        attendances=attendances,
    )


def registration_rows(plan: ActionPlan, event: Event | None = None) -> dict[int, AttendanceRow]:
    """Per event, the attendance counted from the registrations marked present."""
    present = Registration.objects.filter(event__plan=plan, attended=True)
    if event is not None:
        present = present.filter(event=event)
    counts = present.values("event_id", "sector").annotate(n=Count("id"))
    rows: dict[int, AttendanceRow] = {}
    source = str(_("Attendance records"))
    for item in counts:
        row = rows.setdefault(item["event_id"], AttendanceRow("", 0, 0, 0, source))
        if item["sector"] == Organization.Sector.PUBLIC:
            row.state += item["n"]
        elif item["sector"] == Organization.Sector.CIVIL_SOCIETY:
            row.civil_society += item["n"]
        else:
            row.others += item["n"]
    return rows


# How many upcoming events with registration open a page lists in its call to action.
REGISTRATION_CTA_LIMIT = 3
# How many events (running consultations and events taking registrations) the read looks at.
OPPORTUNITY_EVENT_LIMIT = 30


def open_opportunities(
    plan: ActionPlan | None = None, now: dt.datetime | None = None
) -> list[Opportunity]:
    """What co-creation has open now, in one plan or in all: contributions (the plan is in
    co-creation or a virtual consultation runs; its end is the deadline) and registration
    for the next events. Two queries at most."""
    from django.urls import reverse

    now = now or timezone.now()
    running_q = Q(kind=EventKind.VIRTUAL_CONSULTATION, starts_at__lte=now, ends_at__gte=now)
    registering_q = (
        ~Q(kind=EventKind.VIRTUAL_CONSULTATION)
        & (Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now))
        & (
            Q(registration_closes_at__gte=now)
            | Q(registration_closes_at__isnull=True, starts_at__gte=now)
        )
    )
    events = (
        Event.objects.exclude(status=EventStatus.CANCELLED)
        .filter(running_q | registering_q)
        .select_related("plan")
        .order_by("starts_at", "pk")
    )
    if plan is not None:
        events = events.filter(plan=plan)
    # one query; bounded: the running consultations come first, then the nearest events
    fetched = list(events[:OPPORTUNITY_EVENT_LIMIT])
    running = sorted(
        (e for e in fetched if e.kind == EventKind.VIRTUAL_CONSULTATION), key=lambda e: e.ends_at
    )
    registering = [e for e in fetched if e.kind != EventKind.VIRTUAL_CONSULTATION]
    ends_by_plan: dict[int, dt.datetime] = {}
    plans: dict[int, ActionPlan] = {}
    for event in running:
        ends_by_plan.setdefault(event.plan_id, event.ends_at)
        plans[event.plan_id] = event.plan
    if plan is not None:
        in_co_creation = [plan] if plan.stage == Stage.CO_CREATION else []
    else:
        in_co_creation = list(ActionPlan.objects.filter(stage=Stage.CO_CREATION))
    for each in in_co_creation:
        plans.setdefault(each.pk, each)
    found = [
        Opportunity(
            kind="contribute",
            plan_id=each.pk,
            plan_title=each.title,
            title=each.title,
            url=reverse("cocreation:contribute", args=[each.pk]),
            ends=ends_by_plan.get(each.pk),
        )
        for each in sorted(plans.values(), key=lambda p: p.pk)
    ]
    found += [
        Opportunity(
            kind="register",
            plan_id=event.plan_id,
            plan_title=event.plan.title,
            title=event.title,
            url=reverse("cocreation:register", args=[event.pk]),
            ends=event.registration_closes_at or event.starts_at,
        )
        for event in registering[:REGISTRATION_CTA_LIMIT]
    ]
    return found


def next_opportunity(plan: ActionPlan, now: dt.datetime | None = None) -> Event | None:
    """The plan's next virtual consultation or event, for a page that is closed now."""
    now = now or timezone.now()
    return (
        Event.objects.filter(plan=plan, starts_at__gt=now)
        .exclude(status=EventStatus.CANCELLED)
        .order_by("starts_at")
        .first()
    )
