"""Reads of the IRM assessment: the at-a-glance figures and the per-commitment table."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404

from traza.assessment.models import (
    GENERATION_A,
    Completion,
    Diog,
    PotentialImpact,
    Rating,
    RecommendationFollowUp,
    ReportStage,
)
from traza.assessment.rules import Derived, derive, percent
from traza.plans.models import ADOPTED_STATUSES, ActionPlan, Commitment

DESIGN_STAGES = [ReportStage.DESIGN, ReportStage.PROGRESS]
FINAL_STAGES = [ReportStage.END_OF_TERM, ReportStage.IMPLEMENTATION]


@dataclass
class Count_:
    n: int
    percent: int


@dataclass
class Summary:
    """The plan's "at a glance" figures (seed 000, Table 1)."""

    commitments: int
    assessed: bool
    relevant: Count_ | None = None
    transformative: Count_ | None = None
    potentially_starred: int | None = None
    # only once an end-of-term or implementation report rated completion
    starred: int | None = None
    completed: int | None = None
    diog_major: int | None = None
    diog_outstanding: int | None = None
    rule_version: str = ""
    methodology: str = ""


@dataclass
class Row:
    commitment: Commitment
    design: Rating | None
    final: Rating | None
    derived: Derived | None
    milestones: list = field(default_factory=list)  # (milestone, design, final)


def _ratings(plan: ActionPlan) -> list[Rating]:
    return list(
        Rating.objects.filter(commitment__plan=plan, methodology__in=GENERATION_A)
        .select_related("commitment", "milestone")
        .order_by("commitment__number", "milestone__number", "id")
    )


def _pick(ratings: list[Rating], stages: list[str]) -> dict:
    """Per (commitment, milestone), the rating of the latest of these stages."""
    chosen: dict = {}
    for rating in ratings:
        if rating.stage in stages:
            key = (rating.commitment_id, rating.milestone_id)
            current = chosen.get(key)
            if current is None or stages.index(rating.stage) >= stages.index(current.stage):
                chosen[key] = rating
    return chosen


def plan_summary(
    plan: ActionPlan, ratings: list[Rating] | None = None, adopted: int | None = None
) -> Summary:
    if adopted is None:
        adopted = Commitment.objects.filter(plan=plan, status__in=ADOPTED_STATUSES).count()
    n = adopted or (plan.reported_commitment_count or 0)
    ratings = _ratings(plan) if ratings is None else ratings
    design = {k: r for k, r in _pick(ratings, DESIGN_STAGES).items() if k[1] is None}
    final = {k: r for k, r in _pick(ratings, FINAL_STAGES).items() if k[1] is None}
    if not design:
        return Summary(commitments=n, assessed=False)
    flags = {
        key: derive(rating, final[key].completion if key in final else "")
        for key, rating in design.items()
    }
    relevant = sum(1 for f in flags.values() if f.relevant)
    # the IRM counts transformative commitments whether or not they are relevant or verifiable
    transformative = sum(
        1 for r in design.values() if r.potential_impact == PotentialImpact.TRANSFORMATIVE
    )
    summary = Summary(
        commitments=n,
        assessed=True,
        relevant=Count_(relevant, percent(relevant, n)),
        transformative=Count_(transformative, percent(transformative, n)),
        potentially_starred=sum(1 for f in flags.values() if f.potentially_starred),
        rule_version=next(iter(flags.values())).rule_version,
        methodology=next(iter(design.values())).methodology,
    )
    if any(r.completion for r in final.values()):
        summary.starred = sum(1 for f in flags.values() if f.starred)
        summary.completed = sum(1 for r in final.values() if r.completion == Completion.COMPLETE)
        summary.diog_major = sum(1 for r in final.values() if r.diog == Diog.MAJOR)
        summary.diog_outstanding = sum(1 for r in final.values() if r.diog == Diog.OUTSTANDING)
    return summary


@dataclass
class AssessmentPage:
    plan: ActionPlan
    summary: Summary
    rows: list[Row]
    followups: list[RecommendationFollowUp]


def assessment_page(plan_id: int) -> AssessmentPage:
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=plan_id)
    ratings = _ratings(plan)
    design = _pick(ratings, DESIGN_STAGES)
    final = _pick(ratings, FINAL_STAGES)
    commitments = list(
        Commitment.objects.filter(plan=plan, status__in=ADOPTED_STATUSES)
        .prefetch_related("milestones")
        .order_by("number")
    )
    rows = []
    for commitment in commitments:
        key = (commitment.pk, None)
        d, f = design.get(key), final.get(key)
        row = Row(commitment, d, f, derive(d, f.completion if f else "") if d else None)
        for milestone in commitment.milestones.all():
            md, mf = (
                design.get((commitment.pk, milestone.pk)),
                final.get((commitment.pk, milestone.pk)),
            )
            if md or mf:
                row.milestones.append((milestone, md, mf))
        rows.append(row)
    return AssessmentPage(
        plan=plan,
        summary=plan_summary(plan, ratings, len(commitments)),
        rows=rows,
        followups=list(RecommendationFollowUp.objects.filter(plan=plan)),
    )


def commitment_ratings(commitment: Commitment) -> list[tuple[Rating, Derived | None]]:
    """Every rating of a commitment (not of its milestones), with the derived flags."""
    ratings = list(
        Rating.objects.filter(commitment=commitment, milestone__isnull=True).order_by("stage", "id")
    )
    final = next((r.completion for r in ratings if r.stage in FINAL_STAGES and r.completion), "")
    return [(r, derive(r, final) if r.methodology in GENERATION_A else None) for r in ratings]


def recommendation_follow_up(plan: ActionPlan) -> list[dict]:
    """The follow-up of the IRM's recommendations, as the self-assessment keeps it (a section
    monitoring's report gets from here: see ``AssessmentConfig.ready``)."""
    return [
        {
            "number": f.number,
            "recommendation": f.recommendation,
            "addressed": f.addressed,
            "integrated": f.integrated,
        }
        for f in RecommendationFollowUp.objects.filter(plan=plan).order_by("number")
    ]
