"""Reads of monitoring: public progress, indicators, delays, the completion of commitments,
fulfilment levels for dashboards and the self-assessment content (the public timeline of a
commitment is read by ``traza.activity``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.core.numbers import percent as whole_percent
from traza.monitoring.models import (
    Completion,
    CompletionOverride,
    Indicator,
    Measurement,
    MilestoneStatus,
    ProgressReport,
    Review,
)
from traza.plans.models import ADOPTED_STATUSES, ActionPlan, Commitment, Milestone

PUBLIC_MEASUREMENT = Q(report__isnull=True) | Q(report__review=Review.ACCEPTED)


@dataclass
class MilestoneState:
    """A milestone and the status and percentage of its latest accepted report."""

    milestone: Milestone
    status: str | None
    percent: int
    #: The day "delayed" is judged on (today's local date when not given): read once for
    #: all the milestones of a dashboard, not once per milestone.
    today: dt.date | None = field(default=None, kw_only=True)

    @property
    def complete(self) -> bool:
        return self.status == MilestoneStatus.COMPLETE

    @cached_property
    def delayed(self) -> bool:
        """Past its end date and not complete (read once: a dashboard asks it of every
        milestone for each of its groupings)."""
        end = self.milestone.ends_on
        return bool(end and end < (self.today or timezone.localdate()) and not self.complete)


@dataclass
class MilestoneProgress(MilestoneState):
    latest: ProgressReport | None = None
    history: list[ProgressReport] = field(default_factory=list)


def suggested_completion(items: Iterable[MilestoneState]) -> str:
    """The documented rule (docs/user/monitoring.md): no milestone → ""; every milestone
    complete → complete; no accepted progress at all → not_started; mean progress of the
    milestones at least 50 % → substantial; otherwise limited."""
    items = list(items)
    if not items:
        return ""
    if all(item.complete for item in items):
        return Completion.COMPLETE
    if all(item.percent == 0 for item in items):
        return Completion.NOT_STARTED
    mean = sum(item.percent for item in items) / len(items)
    return Completion.SUBSTANTIAL if mean >= 50 else Completion.LIMITED


@dataclass
class CompletionReading:
    suggested: str
    override: CompletionOverride | None

    @property
    def level(self) -> str:
        return self.override.level if self.override else self.suggested

    @property
    def label(self) -> str:
        return Completion(self.level).label if self.level else ""

    @property
    def suggested_label(self) -> str:
        return Completion(self.suggested).label if self.suggested else ""


def _accepted() -> Prefetch:
    accepted = (
        ProgressReport.objects.filter(review=Review.ACCEPTED)
        .select_related("organization")
        .prefetch_related("evidence")
    )
    return Prefetch("progress_reports", queryset=accepted, to_attr="accepted")


def commitment_progress(commitment: Commitment) -> list[MilestoneProgress]:
    """Each milestone with its accepted reports, newest first."""
    milestones = commitment.milestones.prefetch_related(_accepted())
    items = []
    for m in milestones:
        latest = m.accepted[0] if m.accepted else None
        items.append(
            MilestoneProgress(
                m,
                latest.status if latest else None,
                latest.percent if latest else 0,
                latest,
                m.accepted,
            )
        )
    return items


def commitment_completion(commitment: Commitment, items: list[MilestoneState]) -> CompletionReading:
    """The suggestion from the milestones and the override, if any (select_related
    ``completion_override`` on the commitment to save the query)."""
    try:
        override = commitment.completion_override
    except CompletionOverride.DoesNotExist:
        override = None
    return CompletionReading(suggested_completion(items), override)


def commitment_indicators(commitment: Commitment) -> list[Indicator]:
    """The indicators of the commitment and of its milestones with their public measurements."""
    public = Measurement.objects.filter(PUBLIC_MEASUREMENT).order_by("measured_on", "id")
    return list(
        Indicator.objects.filter(Q(commitment=commitment) | Q(milestone__commitment=commitment))
        .select_related("milestone")
        .prefetch_related(Prefetch("measurements", queryset=public, to_attr="public"))
        .order_by("milestone__number", "id")
    )


def milestone_states(milestones) -> list[MilestoneState]:
    """Milestones with the status and percentage of their latest accepted report (one query)."""
    latest = ProgressReport.objects.filter(
        milestone=OuterRef("pk"), review=Review.ACCEPTED
    ).order_by("-fact_date", "-id")
    rows = milestones.annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_percent=Subquery(latest.values("percent")[:1]),
    )
    today = timezone.localdate()
    return [MilestoneState(m, m.latest_status, m.latest_percent or 0, today=today) for m in rows]


@dataclass
class Fulfilment:
    """The share of milestones complete (seed 004's "nivel de cumplimiento")."""

    label: str
    url: str = ""
    milestones: int = 0
    complete: int = 0
    delayed: int = 0
    commitments: dict = field(default_factory=dict)

    @property
    def percent(self) -> int | None:
        return whole_percent(self.complete, self.milestones) if self.milestones else None

    def add(self, state: MilestoneState) -> None:
        self.milestones += 1
        self.complete += state.complete
        self.delayed += state.delayed


def _group(
    states: list[MilestoneState],
    label: Callable[[Commitment], str],
    url: Callable[[Commitment], str],
) -> list[Fulfilment]:
    """The states' fulfilment per ``label`` of their commitment; a group's address is that of
    its first commitment, computed once per group (not once per milestone)."""
    groups: dict[str, Fulfilment] = {}
    for state in states:
        commitment = state.milestone.commitment
        name = label(commitment)
        group = groups.get(name)
        if group is None:
            group = groups[name] = Fulfilment(name, url(commitment))
        group.add(state)
    return sorted(groups.values(), key=lambda g: g.label)


@dataclass
class CommitmentRow:
    commitment: Commitment
    states: list[MilestoneState]
    completion: CompletionReading
    url: str = ""  # the commitment's page, reversed once for its row and its delayed milestones

    @property
    def fulfilment(self) -> Fulfilment:
        result = Fulfilment(str(self.commitment))
        for state in self.states:
            result.add(state)
        return result


@dataclass
class DelayedMilestone:
    """A delayed milestone as the dashboard lists it, with its commitment's page."""

    state: MilestoneState
    url: str


@dataclass
class Dashboard:
    title: str
    total: Fulfilment
    rows: list[CommitmentRow]
    by_institution: list[Fulfilment]
    by_theme: list[Fulfilment]
    by_plan: list[Fulfilment]
    delayed: list[DelayedMilestone]
    reported: list = field(default_factory=list)

    @property
    def has_progress(self) -> bool:
        """Whether any milestone has an accepted progress report."""
        return any(state.status for row in self.rows for state in row.states)

    @property
    def completion_counts(self) -> list[tuple[str, str, int]]:
        counts = {level: 0 for level in Completion.values}
        for row in self.rows:
            if row.completion.level:
                counts[row.completion.level] += 1
        return [(level, Completion(level).label, n) for level, n in counts.items()]


def dashboard(commitments, title: str) -> Dashboard:
    """Fulfilment and completion over a set of adopted commitments (three queries)."""
    commitments = list(
        commitments.filter(status__in=ADOPTED_STATUSES).select_related(
            "plan", "theme", "lead_organization"
        )
    )
    by_pk = {c.pk: c for c in commitments}
    states = milestone_states(
        Milestone.objects.filter(commitment__in=commitments).order_by("commitment", "number")
    )
    overrides = {
        o.commitment_id: o for o in CompletionOverride.objects.filter(commitment__in=commitments)
    }
    per_commitment: dict[int, list[MilestoneState]] = {c.pk: [] for c in commitments}
    total = Fulfilment(title)
    for state in states:
        state.milestone.commitment = by_pk[state.milestone.commitment_id]
        per_commitment[state.milestone.commitment_id].append(state)
        total.add(state)
    urls = {c.pk: c.get_absolute_url() for c in commitments}
    rows = [
        CommitmentRow(
            c,
            per_commitment[c.pk],
            CompletionReading(suggested_completion(per_commitment[c.pk]), overrides.get(c.pk)),
            urls[c.pk],
        )
        for c in commitments
    ]
    return Dashboard(
        title=title,
        total=total,
        rows=rows,
        by_institution=_group(
            states,
            lambda c: (
                c.lead_organization.name if c.lead_organization_id else _("No lead institution")
            ),
            lambda c: (
                reverse("monitoring:institution", args=[c.lead_organization.slug])
                if c.lead_organization_id
                else ""
            ),
        ),
        by_theme=_group(
            states,
            lambda c: c.theme.name if c.theme_id else _("No theme"),
            lambda c: reverse("monitoring:theme", args=[c.theme.slug]) if c.theme_id else "",
        ),
        by_plan=_group(
            states,
            lambda c: str(c.plan),
            lambda c: reverse("monitoring:plan_dashboard", args=[c.plan_id]),
        ),
        delayed=[DelayedMilestone(s, urls[s.milestone.commitment_id]) for s in states if s.delayed],
    )


def plan_dashboard(plan: ActionPlan) -> Dashboard:
    from traza.cocreation.models import Measure

    board = dashboard(Commitment.objects.filter(plan=plan), str(plan))
    board.reported = list(plan.reported_figures.filter(measure=Measure.FULFILMENT_PERCENT))
    return board


def due_milestones(today, days: int) -> list:
    """Milestones ending between today and ``days`` ahead whose latest accepted report is not
    complete (two queries)."""
    candidates = Milestone.objects.filter(
        ends_on__gte=today,
        ends_on__lte=today + dt.timedelta(days=days),
        commitment__lead_organization__isnull=False,
    ).select_related("commitment")
    return [state.milestone for state in milestone_states(candidates) if not state.complete]


# Sections that apps above monitoring add to the self-assessment, by name: each builds its
# rows for a plan (assessment adds "recommendations", the follow-up of the IRM's
# recommendations). Registered in their AppConfig.ready(); monitoring never imports them.
_self_assessment_sections: dict[str, Callable[[ActionPlan], Any]] = {}


def register_self_assessment_section(name: str, build: Callable[[ActionPlan], Any]) -> None:
    """Add the section ``name`` to every self-assessment generated from now on, after the
    commitments, in the order of registration."""
    _self_assessment_sections[name] = build


def self_assessment_content(plan: ActionPlan) -> dict:
    """The self-assessment as data: fulfilment, completion and, per commitment, its
    milestones' accepted progress with evidence and its indicators' latest measurement, then
    the registered sections. Codes, not labels: the report page shows them in the reader's
    language."""
    board = plan_dashboard(plan)
    commitments = []
    for row in board.rows:
        c = row.commitment
        progress = {item.milestone.pk: item for item in commitment_progress(c)}
        commitments.append(
            {
                "number": c.number,
                "title": c.title,
                "url": c.get_absolute_url(),
                "lead_organization": c.lead_organization.name if c.lead_organization_id else "",
                "theme": c.theme.name if c.theme_id else "",
                "completion": row.completion.level,
                "suggested_completion": row.completion.suggested,
                "override_reason": row.completion.override.reason
                if row.completion.override
                else "",
                "milestones": [
                    {
                        "number": item.milestone.number,
                        "text": item.milestone.text,
                        "ends_on": item.milestone.ends_on.isoformat()
                        if item.milestone.ends_on
                        else None,
                        "status": item.status or "",
                        "percent": item.percent,
                        "delayed": item.delayed,
                        "narrative": item.latest.narrative if item.latest else "",
                        "fact_date": item.latest.fact_date.isoformat() if item.latest else None,
                        "evidence": [
                            {"title": e.title, "url": e.url, "sha256": e.sha256}
                            for e in (item.latest.evidence.all() if item.latest else [])
                        ],
                    }
                    for item in progress.values()
                ],
                "indicators": [
                    {
                        "name": i.name,
                        "level": i.level,
                        "unit": i.unit,
                        "baseline": i.baseline,
                        "target": i.target,
                        "latest": (
                            {
                                "measured_on": i.public[-1].measured_on.isoformat(),
                                "value": f"{i.public[-1].value.normalize():f}",
                            }
                            if i.public
                            else None
                        ),
                    }
                    for i in commitment_indicators(c)
                ],
            }
        )
    return {
        "fulfilment": {
            "milestones": board.total.milestones,
            "complete": board.total.complete,
            "delayed": board.total.delayed,
            "percent": board.total.percent,
        },
        "completion": {level: n for level, _label, n in board.completion_counts},
        "commitments": commitments,
        **{name: build(plan) for name, build in _self_assessment_sections.items()},
    }


def open_comment_periods(plan: ActionPlan | None = None, today: dt.date | None = None) -> list:
    """Self-assessment reports open for public comment today, as calls to take part (one
    query)."""
    from traza.monitoring.models import SelfAssessment
    from traza.plans.queries import Opportunity

    today = today or timezone.localdate()
    reports = SelfAssessment.objects.filter(
        comments_open_on__lte=today, comments_close_on__gte=today
    ).select_related("plan")
    if plan is not None:
        reports = reports.filter(plan=plan)
    return [
        Opportunity(
            kind="comment",
            plan_id=report.plan_id,
            plan_title=report.plan.title,
            title=report.get_kind_display(),
            url=report.get_absolute_url(),
            ends=report.comments_close_on,
        )
        for report in reports.order_by("comments_close_on", "pk")
    ]
