"""Reads of monitoring: public progress, delays and the suggested completion."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from traza.monitoring.models import MilestoneStatus, ProgressReport, Review
from traza.plans.models import Commitment, Milestone


@dataclass
class MilestoneProgress:
    milestone: object
    latest: ProgressReport | None
    history: list[ProgressReport]

    @property
    def percent(self) -> int:
        return self.latest.percent if self.latest else 0

    @property
    def complete(self) -> bool:
        return bool(self.latest and self.latest.status == MilestoneStatus.COMPLETE)

    @property
    def delayed(self) -> bool:
        """Past its end date and not complete."""
        end = self.milestone.ends_on
        return bool(end and end < timezone.localdate() and not self.complete)


def suggested_completion(items: list[MilestoneProgress]) -> str:
    """The documented rule (docs/user/monitoring.md): no milestone → ""; every milestone
    complete → complete; no accepted progress at all → not_started; mean progress of the
    milestones at least 50 % → substantial; otherwise limited."""
    if not items:
        return ""
    if all(item.complete for item in items):
        return "complete"
    if all(item.latest is None or item.percent == 0 for item in items):
        return "not_started"
    mean = sum(item.percent for item in items) / len(items)
    return "substantial" if mean >= 50 else "limited"


def commitment_progress(commitment: Commitment) -> list[MilestoneProgress]:
    """Each milestone with its accepted reports, newest first (two queries)."""
    accepted = ProgressReport.objects.filter(review=Review.ACCEPTED).prefetch_related("evidence")
    milestones = commitment.milestones.prefetch_related(
        Prefetch("progress_reports", queryset=accepted, to_attr="accepted")
    )
    return [
        MilestoneProgress(m, m.accepted[0] if m.accepted else None, m.accepted) for m in milestones
    ]


def due_milestones(today, days: int) -> list:
    """Milestones ending between today and ``days`` ahead whose latest accepted report is not
    complete (three queries)."""
    accepted = ProgressReport.objects.filter(review=Review.ACCEPTED).order_by("-fact_date", "-id")
    candidates = (
        Milestone.objects.filter(
            ends_on__gte=today,
            ends_on__lte=today + dt.timedelta(days=days),
            commitment__lead_organization__isnull=False,
        )
        .select_related("commitment")
        .prefetch_related(Prefetch("progress_reports", queryset=accepted, to_attr="accepted"))
    )
    return [
        m
        for m in candidates
        if not (m.accepted and m.accepted[0].status == MilestoneStatus.COMPLETE)
    ]
