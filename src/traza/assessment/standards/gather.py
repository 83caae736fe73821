"""What the rules read, gathered once per plan in a fixed number of queries: process health is
a read model over co-creation, the forum, monitoring and the repository (all below this app)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from traza.assessment.models import ProcessOverride
from traza.cocreation.models import (
    Channel,
    Contribution,
    DiscussionPost,
    Event,
    EventStatus,
    Evidence,
    FaqEntry,
    PostStatus,
    Timeline,
)
from traza.cocreation.queries import plan_counts
from traza.forum.models import Decision, Forum, ForumRules, Membership, Session
from traza.monitoring.models import ProgressEvidence, ProgressReport, Review
from traza.plans.models import ActionPlan, Stage
from traza.repository.models import Document
from traza.repository.queries import last_updated


@dataclass
class ProcessData:
    plan: ActionPlan
    today: dt.date
    timeline: Timeline | None
    events: list[Event]
    contributions: int
    answered: int
    with_evidence: int
    forum_inputs: int
    official_answers: int
    faq_entries: int
    cocreation_evidence: list[Evidence]
    implementation_evidence: list[ProgressEvidence]
    documents: list[Document]
    repository_updated: dt.datetime | None
    forums: list[Forum]
    memberships: list[Membership]
    sessions: list[Session]
    rules: list[ForumRules]
    decisions: list[Decision]
    accepted_progress: int
    # The assessor's verdicts, by subject (``2017:1a``, ``contrary``…): every rule that reads
    # another verdict (the 2022 "acted contrary" rule) reads the assessor's where there is one.
    overrides: dict[str, ProcessOverride] = field(default_factory=dict)

    @property
    def closed(self) -> bool:
        """The plan is closed: its process is over."""
        return self.plan.stage == Stage.CLOSED

    @property
    def start(self) -> dt.date:
        """When the process starts: co-creation, else the first event, else implementation."""
        candidates = [
            d for d in (self.plan.co_creation_starts_on, self.first_event_day) if d is not None
        ]
        if candidates:
            return min(candidates)
        return self.plan.implementation_starts_on or dt.date(self.plan.period_start, 1, 1)

    @property
    def end(self) -> dt.date:
        end = self.plan.implementation_ends_on or dt.date(self.plan.period_end, 12, 31)
        return min(end, self.today)

    @property
    def held_events(self) -> list[Event]:
        """The events not cancelled."""
        return [e for e in self.events if e.status != EventStatus.CANCELLED]

    @property
    def first_event_day(self) -> dt.date | None:
        days = [timezone.localdate(e.starts_at) for e in self.held_events]
        return min(days) if days else None

    @property
    def implementation_window(self) -> tuple[dt.date, dt.date] | None:
        start = self.plan.implementation_starts_on
        if not start or start > self.today:
            return None
        end = self.plan.implementation_ends_on or dt.date(self.plan.period_end, 12, 31)
        return start, min(end, self.today)

    def sessions_between(self, start: dt.date, end: dt.date) -> list[Session]:
        return [s for s in self.sessions if start <= s.held_on <= end]

    def members_serving(self) -> list[Membership]:
        return [
            m
            for m in self.memberships
            if m.starts_on <= self.end and (m.ends_on is None or m.ends_on >= self.start)
        ]


def gather(plan: ActionPlan, today: dt.date | None = None) -> ProcessData:
    today = today or timezone.localdate()
    contributions = Contribution.objects.public().filter(plan=plan)  # hidden ones never count
    # counted, answered (published, not pending: a reasoned response's text is then required)
    # and forum inputs: co-creation's maintained counts, one query whatever the plan's size
    counts = plan_counts(plan)
    period_start = plan.co_creation_starts_on or dt.date(plan.period_start - 1, 1, 1)
    period_end = plan.implementation_ends_on or dt.date(plan.period_end, 12, 31)
    forums = list(
        Forum.objects.filter(member=plan.member_id, established_on__lte=period_end).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=period_start)
        )
    )
    sessions = list(
        Session.objects.filter(forum__in=forums)
        .select_related("forum")
        .prefetch_related("decisions")
        .order_by("held_on")
    )
    return ProcessData(
        plan=plan,
        today=today,
        timeline=Timeline.objects.filter(plan=plan).first(),
        events=list(Event.objects.filter(plan=plan).order_by("starts_at")),
        contributions=counts.public(),
        answered=counts.answered,
        # read from the evidence side: as many rows as the plan's evidence, not contributions
        with_evidence=Evidence.objects.filter(
            is_private=False, contribution__in=contributions.values("pk")
        )
        .values("contribution_id")
        .distinct()
        .count(),
        forum_inputs=counts.public(Channel.FORUM_INPUT),
        official_answers=DiscussionPost.objects.filter(
            commitment__plan=plan, official=True, status=PostStatus.PUBLISHED
        ).count(),
        faq_entries=FaqEntry.objects.filter(published=True).count(),
        cocreation_evidence=list(
            Evidence.objects.public()
            .filter(Q(event__plan=plan) | Q(contribution__plan=plan))
            .order_by("-uploaded_at")[:5]
        ),
        implementation_evidence=list(
            ProgressEvidence.objects.filter(
                report__review=Review.ACCEPTED, report__milestone__commitment__plan=plan
            )
            .select_related("report")
            .order_by("-report__reviewed_at")[:5]
        ),
        documents=list(Document.objects.filter(plan=plan).order_by("-document_date")[:5]),
        repository_updated=last_updated(plan),
        forums=forums,
        memberships=list(
            Membership.objects.filter(forum__in=forums).select_related("organization")
        ),
        sessions=sessions,
        rules=list(ForumRules.objects.filter(forum__in=forums, published_on__lte=today)),
        decisions=list(
            Decision.objects.filter(session__forum__in=forums).select_related("session")
        ),
        accepted_progress=ProgressReport.objects.filter(
            review=Review.ACCEPTED, milestone__commitment__plan=plan
        ).count(),
        overrides={o.subject: o for o in ProcessOverride.objects.filter(plan=plan)},
    )
