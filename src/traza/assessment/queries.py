"""Reads of the IRM assessment: the at-a-glance figures of both methodologies and the
per-commitment tables.

Every figure says on how many commitments it rests (``rated`` of ``of``): a count over some of
the commitments is never presented as the plan's result, and its share is given only when
every commitment was rated."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from traza.assessment.models import (
    AT_A_GLANCE_KEYS,
    GENERATION_A,
    PUBLISHED_KEYS,
    Completion,
    Diog,
    EarlyResults,
    Methodology,
    PotentialForResults,
    PotentialImpact,
    PublishedFigure,
    PublishedTable,
    Rating,
    RecommendationFollowUp,
    ReportStage,
    Verifiable,
)
from traza.assessment.rules import Derived, derive, is_relevant, percent, star_rule
from traza.plans.models import ADOPTED_STATUSES, ActionPlan, Commitment

DESIGN_STAGES = [ReportStage.DESIGN, ReportStage.PROGRESS]
FINAL_STAGES = [ReportStage.END_OF_TERM, ReportStage.IMPLEMENTATION]


@dataclass
class Figure:
    """``n`` commitments of the ``of`` in the plan; ``rated``: on how many the figure is known."""

    n: int
    rated: int
    of: int

    @property
    def complete(self) -> bool:
        return self.rated >= self.of

    @property
    def percent(self) -> int | None:
        """The share of the plan's commitments, as the IRM prints it; None while some
        commitments are not rated (a share of a part is not the plan's)."""
        return percent(self.n, self.of) if self.complete else None

    def as_dict(self) -> dict:
        return {"n": self.n, "percent": self.percent, "rated": self.rated, "of": self.of}


Count_ = Figure  # the former name


def _figure(values, of: int, counts) -> Figure:
    """Count ``counts(value)`` over the known values (None is unknown)."""
    known = [v for v in values if v is not None]
    return Figure(sum(1 for v in known if counts(v)), len(known), of)


@dataclass
class Summary:
    """The plan's "at a glance" figures of the 2014-2020 methodology (seed 000, Table 1)."""

    commitments: int
    assessed: bool
    relevant: Figure | None = None
    transformative: Figure | None = None
    potentially_starred: Figure | None = None
    # only once an end-of-term or implementation report rated completion or results
    starred: Figure | None = None
    completed: Figure | None = None
    diog_major: Figure | None = None
    diog_outstanding: Figure | None = None
    rule_version: str = ""
    methodology: str = ""

    ROWS = AT_A_GLANCE_KEYS[1:]  # the rows after the number of commitments

    @property
    def figures(self) -> dict[str, Figure | None]:
        return {name: getattr(self, name) for name in self.ROWS}

    @property
    def partial(self) -> bool:
        return any(f is not None and not f.complete for f in self.figures.values())


@dataclass
class ReviewSummary:
    """The 2021 methodology's tables: the action plan review (verifiable, open-government
    lens, potential for results, promising) and the results report (completion and early
    results, by level)."""

    commitments: int
    reviewed: bool = False  # an action plan review rated something
    verifiable: Figure | None = None
    open_government_lens: Figure | None = None
    potential_for_results: dict[str, Figure] = field(default_factory=dict)
    promising: Figure | None = None
    # None until a results report rated something
    completion: dict[str, Figure] | None = None
    early_results: dict[str, Figure] | None = None

    @property
    def assessed(self) -> bool:
        return self.reviewed or self.completion is not None

    @property
    def figures(self) -> dict[str, Figure | None]:
        out: dict[str, Figure | None] = {
            "verifiable": self.verifiable,
            "open_government_lens": self.open_government_lens,
            **{f"potential_{k}": v for k, v in self.potential_for_results.items()},
            "promising": self.promising,
        }
        out |= {f"completion_{k}": v for k, v in (self.completion or {}).items()}
        out |= {f"early_results_{k}": v for k, v in (self.early_results or {}).items()}
        return out

    @property
    def partial(self) -> bool:
        return any(f is not None and not f.complete for f in self.figures.values())


@dataclass
class Row:
    commitment: Commitment
    design: Rating | None
    final: Rating | None
    derived: Derived | None
    milestones: list = field(default_factory=list)  # (milestone, design, final)


@dataclass
class ReviewRow:
    commitment: Commitment
    review: Rating | None  # action plan review
    results: Rating | None  # results report


def plan_ratings(plan: ActionPlan) -> list[Rating]:
    return _ratings(plan)


def _ratings(plan: ActionPlan) -> list[Rating]:
    """Every rating of the plan, both methodologies, in one query."""
    return list(
        Rating.objects.filter(commitment__plan=plan)
        .select_related("commitment", "milestone")
        .order_by("commitment__number", "milestone__number", "id")
    )


def _pick(ratings: list[Rating], stages: Sequence[str]) -> dict:
    """Per (commitment, milestone), the rating of the latest of these stages."""
    chosen: dict = {}
    for rating in ratings:
        if rating.stage in stages:
            key = (rating.commitment_id, rating.milestone_id)
            current = chosen.get(key)
            if current is None or stages.index(rating.stage) >= stages.index(current.stage):
                chosen[key] = rating
    return chosen


def _of(plan: ActionPlan, adopted: int | None) -> int:
    if adopted is None:
        adopted = Commitment.objects.filter(plan=plan, status__in=ADOPTED_STATUSES).count()
    return adopted or (plan.reported_commitment_count or 0)


def _generation_a(ratings: list[Rating]) -> list[Rating]:
    return [r for r in ratings if r.methodology in GENERATION_A]


def _flags(design: Rating, final: Rating | None) -> Derived:
    """The flags at the end of the cycle: the design's indicators with the final completion
    ("" while no report rated it: starred is then unknown, never false; unknown too when that
    report awarded no stars)."""
    if final is None:
        return derive(design, "")
    return derive(design, final.completion, final.awards_stars)


def _end_of_cycle(design: Rating | None, final: Rating | None) -> Derived | None:
    return None if design is None else _flags(design, final)


def plan_summary(
    plan: ActionPlan, ratings: list[Rating] | None = None, adopted: int | None = None
) -> Summary:
    n = _of(plan, adopted)
    ratings = _generation_a(_ratings(plan) if ratings is None else ratings)
    design = {k: r for k, r in _pick(ratings, DESIGN_STAGES).items() if k[1] is None}
    final = {k: r for k, r in _pick(ratings, FINAL_STAGES).items() if k[1] is None}
    if not design and not final:
        return Summary(commitments=n, assessed=False)
    flags = {key: _flags(rating, final.get(key)) for key, rating in design.items()}
    first = next(iter((design or final).values()))
    summary = Summary(
        commitments=n,
        assessed=True,
        relevant=_figure([f.relevant for f in flags.values()], n, bool),
        # the IRM counts transformative commitments whether or not relevant or verifiable
        transformative=_figure(
            [r.potential_impact or None for r in design.values()],
            n,
            lambda v: v == PotentialImpact.TRANSFORMATIVE,
        ),
        potentially_starred=_figure([f.potentially_starred for f in flags.values()], n, bool),
        rule_version=derive(first).rule_version,
        methodology=first.methodology,
    )
    # "did it open government?" stands on its own: a report that rated it without completion
    # still fills its rows
    if any(r.completion or r.diog for r in final.values()):
        completions = [r.completion or None for r in final.values()]
        diogs = [r.diog or None for r in final.values()]
        if any(r.awards_stars for r in final.values()):  # else N/A: no stars were awarded
            summary.starred = _figure([f.starred for f in flags.values()], n, bool)
        summary.completed = _figure(completions, n, lambda v: v == Completion.COMPLETE)
        summary.diog_major = _figure(diogs, n, lambda v: v == Diog.MAJOR)
        summary.diog_outstanding = _figure(diogs, n, lambda v: v == Diog.OUTSTANDING)
    return summary


def review_summary(
    plan: ActionPlan, ratings: list[Rating] | None = None, adopted: int | None = None
) -> ReviewSummary:
    """The 2021 methodology's action plan review and results report tables."""
    n = _of(plan, adopted)
    ratings = [
        r
        for r in (_ratings(plan) if ratings is None else ratings)
        if r.methodology == Methodology.B_2021 and r.milestone_id is None
    ]
    review = [r for r in ratings if r.stage == ReportStage.APR]
    results = [r for r in ratings if r.stage == ReportStage.RESULTS]
    summary = ReviewSummary(commitments=n, reviewed=bool(review))
    if review:
        summary.verifiable = _figure(
            [r.verifiable or None for r in review], n, lambda v: v == Verifiable.VERIFIABLE
        )
        # a commitment the IRM could not verify is not assessed further: it has no lens, no
        # potential and is not promising (known values, not missing ones)
        unverifiable = {r.pk for r in review if r.verifiable == Verifiable.NOT_VERIFIABLE}
        summary.open_government_lens = _figure(
            [False if r.pk in unverifiable else r.open_government_lens for r in review], n, bool
        )
        potentials = [
            "" if r.pk in unverifiable else (r.potential_for_results or None) for r in review
        ]
        summary.potential_for_results = {
            level: _figure(potentials, n, lambda v, level=level: v == level)
            for level in reversed(PotentialForResults.values)
        }
        summary.promising = _figure(
            [False if r.pk in unverifiable else r.promising for r in review], n, bool
        )
    if any(r.completion or r.early_results for r in results):
        completions = [r.completion or None for r in results]
        early = [r.early_results or None for r in results]
        summary.completion = {
            level: _figure(completions, n, lambda v, level=level: v == level)
            for level in reversed(Completion.values)
        }
        summary.early_results = {
            level: _figure(early, n, lambda v, level=level: v == level)
            for level in reversed(EarlyResults.values)
        }
    return summary


@dataclass
class AssessmentPage:
    plan: ActionPlan
    summary: Summary
    rows: list[Row]
    followups: list[RecommendationFollowUp]
    review: ReviewSummary
    review_rows: list[ReviewRow] = field(default_factory=list)
    published: list = field(default_factory=list)  # PublishedTableView


def assessment_page(plan_id: int) -> AssessmentPage:
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=plan_id)
    every = _ratings(plan)
    ratings = _generation_a(every)
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
        row = Row(commitment, d, f, _end_of_cycle(d, f))
        for milestone in commitment.milestones.all():
            md, mf = (
                design.get((commitment.pk, milestone.pk)),
                final.get((commitment.pk, milestone.pk)),
            )
            if md or mf:
                row.milestones.append((milestone, md, mf))
        rows.append(row)
    review = review_summary(plan, every, len(commitments))
    review_rows = []
    if review.assessed:
        by_stage = {
            (r.commitment_id, r.stage): r
            for r in every
            if r.methodology == Methodology.B_2021 and r.milestone_id is None
        }
        review_rows = [
            ReviewRow(
                c,
                by_stage.get((c.pk, ReportStage.APR)),
                by_stage.get((c.pk, ReportStage.RESULTS)),
            )
            for c in commitments
        ]
    summary = plan_summary(plan, every, len(commitments))
    return AssessmentPage(
        plan=plan,
        summary=summary,
        rows=rows,
        followups=list(RecommendationFollowUp.objects.filter(plan=plan)),
        review=review,
        review_rows=review_rows,
        published=published_comparison(plan, summary, review),
    )


ROW_LABELS = {
    "commitments": gettext_lazy("Number of commitments"),
    "relevant": gettext_lazy("Commitments relevant to OGP values"),
    "transformative": gettext_lazy("Transformative commitments"),
    "potentially_starred": gettext_lazy("Potentially starred commitments"),
    "starred": gettext_lazy("Starred commitments"),
    "completed": gettext_lazy("Completed commitments"),
    "diog_major": gettext_lazy("Major “did it open government?”"),
    "diog_outstanding": gettext_lazy("Outstanding “did it open government?”"),
    "verifiable": gettext_lazy("Verifiable commitments"),
    "open_government_lens": gettext_lazy("Commitments with an open-government lens"),
    "potential_substantial": gettext_lazy("Substantial potential for results"),
    "potential_modest": gettext_lazy("Modest potential for results"),
    "potential_unclear": gettext_lazy("Unclear potential for results"),
    "promising": gettext_lazy("Promising commitments"),
    **{f"completion_{v}": label for v, label in Completion.choices},
    **{f"early_results_{v}": label for v, label in EarlyResults.choices},
}
STAR_ROWS = {"potentially_starred", "starred"}


@dataclass
class PublishedCell:
    """One cell of an IRM table as printed, beside what Traza computes."""

    key: str
    published: PublishedFigure
    computed: Figure | int | None  # None: N/A here too (no report rated it yet)
    agrees: bool
    reason: str = ""  # why they differ

    @property
    def label(self) -> str:
        return str(ROW_LABELS.get(self.key, self.key))


@dataclass
class PublishedTableView:
    table: str
    label: str
    sources: list[str]
    cells: list[PublishedCell]

    @property
    def agreeing(self) -> int:
        return sum(1 for c in self.cells if c.agrees)


def _compare(figure: PublishedFigure, computed: Figure | int | None) -> tuple[bool, str]:
    """Whether a printed cell and the computed figure agree, and if not, why."""
    if figure.value is None:  # the IRM printed N/A
        if computed is None:
            return True, ""
        return False, _(
            "The IRM printed N/A: its report came before this was rated; Traza counts the "
            "ratings of a later report."
        )
    if computed is None:
        return False, _("Missing ratings: no report recorded here rates this yet.")
    if isinstance(computed, int):
        if computed == figure.value:
            return True, ""
        return False, _(
            "Traza counts %(n)d adopted commitments; the report counted %(printed)d "
            "(a commitment withdrawn, merged or not recorded here?)."
        ) % {"n": computed, "printed": figure.value}
    if not computed.complete:
        return False, _(
            "Missing ratings: only %(rated)d of %(of)d commitments are rated here, so the "
            "count is not the plan's."
        ) % {"rated": computed.rated, "of": computed.of}
    same_share = figure.percent is None or figure.percent == computed.percent
    if computed.n == figure.value and same_share:
        return True, ""
    rule = star_rule()
    if figure.key in STAR_ROWS and figure.star_rule and figure.star_rule != rule:
        return False, _(
            "A different rule edition: the report applied the %(theirs)s star rule, Traza "
            "applies the %(ours)s one (TRAZA_STAR_RULE)."
        ) % {"theirs": figure.star_rule, "ours": rule}
    if computed.n == figure.value:
        return False, _(
            "Same count, different share: Traza divides by %(of)d commitments and rounds half "
            "up as the IRM does."
        ) % {"of": computed.of}
    return False, _(
        "The ratings recorded here give another count than the report's: compare them, "
        "commitment by commitment, with the report."
    )


def published_comparison(
    plan: ActionPlan,
    summary: Summary | None = None,
    review: ReviewSummary | None = None,
    as_data: bool = False,
) -> list:
    """The IRM's published tables recorded for the plan, each cell beside the computed figure
    (one query, plus the summaries when not given)."""
    figures = list(PublishedFigure.objects.filter(plan=plan).order_by("table", "id"))
    if not figures:
        return []
    summary = summary or plan_summary(plan)
    review = review or review_summary(plan, adopted=summary.commitments or None)
    order = {t: i for i, t in enumerate(PublishedTable.values)}
    tables: dict[str, PublishedTableView] = {}
    for figure in sorted(figures, key=lambda f: order.get(f.table, 99)):
        source = review if figure.table in (PublishedTable.APR, PublishedTable.RESULTS) else summary
        computed = (
            source.commitments if figure.key == "commitments" else source.figures.get(figure.key)
        )
        agrees, reason = _compare(figure, computed)
        view = tables.setdefault(
            figure.table,
            PublishedTableView(figure.table, figure.get_table_display(), [], []),
        )
        if figure.source not in view.sources:
            view.sources.append(figure.source)
        view.cells.append(PublishedCell(figure.key, figure, computed, agrees, reason))
    for view in tables.values():
        keys = list(PUBLISHED_KEYS[view.table])
        view.cells.sort(key=lambda c: keys.index(c.key) if c.key in keys else len(keys))
    if not as_data:
        return list(tables.values())
    return [
        {
            "table": view.table,
            "sources": view.sources,
            "cells": len(view.cells),
            "agreeing": view.agreeing,
            "rows": [
                {
                    "key": c.key,
                    "published": {
                        "n": c.published.value,
                        "percent": c.published.percent,
                        "printed": c.published.printed,
                        "star_rule": c.published.star_rule,
                    },
                    "computed": c.computed.as_dict()
                    if isinstance(c.computed, Figure)
                    else c.computed,
                    "agrees": c.agrees,
                    "reason": c.reason,
                }
                for c in view.cells
            ],
        }
        for view in tables.values()
    ]


def commitment_ratings(commitment: Commitment) -> list[tuple[Rating, Derived | None]]:
    """Every rating of a commitment (not of its milestones), with the derived flags: a design
    or progress rating's own; an end-of-term or implementation rating's stars from the design
    indicators and its completion, its relevance only if it rated relevance itself."""
    ratings = list(
        Rating.objects.filter(commitment=commitment, milestone__isnull=True).order_by("stage", "id")
    )
    design = _pick(_generation_a(ratings), DESIGN_STAGES).get((commitment.pk, None))
    out: list[tuple[Rating, Derived | None]] = []
    for rating in ratings:
        if rating.methodology not in GENERATION_A:
            out.append((rating, None))
        elif rating.stage in FINAL_STAGES and design is not None:
            flags = _flags(design, rating)
            out.append((rating, dataclasses.replace(flags, relevant=is_relevant(rating))))
        else:
            out.append((rating, derive(rating)))
    return out


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
