"""Reads of the co-creation calendar: notice given, month views, attendance tables."""

from __future__ import annotations

import calendar
import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.cocreation.models import (
    FUNNEL_MEASURES,
    AttendanceTally,
    Channel,
    Contribution,
    DiscussionPost,
    Event,
    EventKind,
    EventStatus,
    Evidence,
    Measure,
    Outcome,
    PostStatus,
    Registration,
    ReportedFigure,
    Response,
    Timeline,
    notice_days_setting,
)
from traza.cocreation.services import running_consultation
from traza.notifications.models import MessageStatus, OutboxMessage
from traza.plans.models import (
    ADOPTED_STATUSES,
    ActionPlan,
    Commitment,
    Organization,
    Stage,
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


def contribution_stats(plan: ActionPlan) -> ContributionStats:
    """Counts by channel × theme (seed 002, Cuadro 4), share answered, days to answer.

    A contribution counts as answered only when its response is published and not pending.
    Contributions hidden by moderation are left out of every figure and counted apart.
    """

    rows = list(
        Contribution.objects.public()
        .filter(plan=plan)
        .values_list(
            "channel", "theme__name", "received_at", "response__outcome", "response__published_at"
        )
    )
    channels = [c for c in Channel.values if any(r[0] == c for r in rows)]
    table: dict[str, list[int]] = {}
    delays = []
    for channel, theme, received, outcome, published in rows:
        counts = table.setdefault(theme or "—", [0] * len(channels))
        counts[channels.index(channel)] += 1
        if published and outcome != Outcome.PENDING:
            delays.append((published - received).days)
    by_channel_theme = [(theme, counts, sum(counts)) for theme, counts in sorted(table.items())]
    labels = [str(Channel(c).label) for c in channels]
    return ContributionStats(
        total=len(rows),
        answered=len(delays),
        median_days=statistics.median(delays) if delays else None,
        slowest_days=max(delays) if delays else None,
        by_channel_theme=by_channel_theme,
        channels=labels,
        hidden=Contribution.objects.hidden().filter(plan=plan).count(),
    )


def plan_contributions(plan: ActionPlan, channel: str = "", outcome: str = ""):

    queryset = (
        Contribution.objects.public()
        .filter(plan=plan)
        .select_related("theme", "commitment", "response", "event")
        .order_by("-received_at", "-id")
    )
    if channel:
        queryset = queryset.filter(channel=channel)
    if outcome == "unanswered":
        queryset = queryset.filter(response__isnull=True)
    elif outcome:
        queryset = queryset.filter(response__outcome=outcome)
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
