"""The versioned open-data API, under /api/v1/ (OpenAPI at /api/v1/openapi.json)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import UnreadablePostError
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from traza.api import lists, transfer
from traza.api.auth import TokenAuth
from traza.assessment import queries as assessment_queries
from traza.assessment import standards
from traza.monitoring import queries as monitoring_queries
from traza.plans.models import ActionPlan, Commitment
from traza.plans.queries import number_of_commitments, plans_with_counts

api = NinjaAPI(
    title="Traza open data API",
    version="1",
    description="Public data of the open government action plans held in this Traza instance.",
    urls_namespace="api-v1",
)


class PlanOut(Schema):
    id: int
    member: str
    number: int
    title: str
    period: str
    period_start: int
    period_end: int
    stage: str
    number_of_commitments: int | None
    is_fictional: bool = Field(
        description="true for the living demo's invented plan, whose data is fictional"
    )

    @staticmethod
    def resolve_member(obj) -> str:
        return obj.member.name

    @staticmethod
    def resolve_number_of_commitments(obj) -> int | None:
        return number_of_commitments(obj)


class BoundedPagination(LimitOffsetPagination):
    """limit 1-500, offset 0-10,000,000: a larger offset is a 422, not a database overflow
    (the fuzzer found it)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500)
        offset: int = Field(0, ge=0, le=10_000_000)


@api.get("/plans/", response=list[PlanOut], tags=["plans"], summary="Action plans")
@paginate(BoundedPagination)
def list_plans(request) -> QuerySet:
    """Every action plan with its member, period, stage and number of commitments."""
    return plans_with_counts().order_by("member__name", "number")


class CountOut(Schema):
    n: int = Field(description="commitments counted")
    percent: int | None = Field(
        description="share of the plan's commitments, whole number rounded half up as the IRM "
        "prints it; null while some commitments are not rated"
    )
    rated: int = Field(description="commitments on which this figure is known")
    of: int = Field(description="the plan's number of commitments")


class ReviewOut(Schema):
    reviewed: bool = Field(description="an action plan review rated something")
    verifiable: CountOut | None
    open_government_lens: CountOut | None
    potential_for_results: dict[str, CountOut] = Field(
        description="by level: substantial, modest, unclear"
    )
    promising: CountOut | None
    completion: dict[str, CountOut] | None = Field(
        description="by level, once a results report rated it (else null)"
    )
    early_results: dict[str, CountOut] | None = Field(
        description="by level, once a results report rated it (else null)"
    )


class SummaryOut(Schema):
    plan: int
    number_of_commitments: int
    assessed: bool = Field(description="a 2014-2020 methodology report rated something")
    methodology: str
    star_rule_version: str
    complete: bool = Field(description="every figure rests on every commitment")
    relevant: CountOut | None
    transformative: CountOut | None
    potentially_starred: CountOut | None
    starred: CountOut | None
    completed: CountOut | None
    diog_major: CountOut | None
    diog_outstanding: CountOut | None
    review: ReviewOut | None = Field(
        description="the 2021 methodology's action plan review and results report tables"
    )
    published: list[dict] = Field(
        description="the IRM's own published tables, each cell beside the computed figure"
    )


class ErrorOut(Schema):
    detail: str


def _figure(figure) -> dict | None:
    return figure.as_dict() if figure is not None else None


def _levels(figures: dict | None) -> dict | None:
    return None if figures is None else {k: v.as_dict() for k, v in figures.items()}


@api.get(
    "/plans/{plan_id}/summary",
    response={200: SummaryOut, 404: ErrorOut},
    tags=["assessment"],
    summary="A plan's IRM figures at a glance",
)
def plan_summary(request, plan_id: int):
    """The at-a-glance figures of the IRM (seed 000, Table 1), computed from the ratings, and
    the 2021 methodology's tables. Each figure says on how many commitments it rests; its
    share is null while some are not rated. Figures that need an end-of-term, implementation
    or results report are null until one exists."""
    plan = ActionPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        return Status(404, {"detail": "Plan not found"})
    ratings = assessment_queries.plan_ratings(plan)
    s = assessment_queries.plan_summary(plan, ratings)
    review = assessment_queries.review_summary(plan, ratings, s.commitments or None)
    return {
        "plan": plan.pk,
        "number_of_commitments": s.commitments,
        "assessed": s.assessed,
        "methodology": s.methodology,
        "star_rule_version": s.rule_version,
        "complete": s.assessed and not s.partial,
        **{name: _figure(figure) for name, figure in s.figures.items()},
        "review": {
            "reviewed": review.reviewed,
            "verifiable": _figure(review.verifiable),
            "open_government_lens": _figure(review.open_government_lens),
            "potential_for_results": _levels(review.potential_for_results),
            "promising": _figure(review.promising),
            "completion": _levels(review.completion),
            "early_results": _levels(review.early_results),
        }
        if review.assessed
        else None,
        "published": assessment_queries.published_comparison(plan, s, review, as_data=True),
    }


class DerivedOut(Schema):
    relevant: bool | None = Field(description="null when relevance was not rated")
    potentially_starred: bool | None = Field(description="null when an input was not rated")
    starred: bool | None = Field(description="null until completion is rated")
    rule_version: str


class RatingOut(Schema):
    stage: str
    methodology: str
    verifiability: str
    relevance: list[str]
    potential_impact: str
    completion: str
    diog: str
    verifiable: str
    open_government_lens: bool | None
    potential_for_results: str
    promising: bool | None
    early_results: str
    narratives: dict[str, str]
    evidence: str
    assessed_on: str | None
    source: str
    derived: DerivedOut | None


class CompletionOut(Schema):
    level: str = Field(
        description="not_started, limited, substantial or complete; '' without milestones"
    )
    suggested: str = Field(description="computed from the milestones' accepted progress")
    override_reason: str | None = Field(description="why the secretariat set the level by hand")
    milestones: int
    milestones_complete: int


class MeasurementOut(Schema):
    measured_on: str
    value: float


class IndicatorOut(Schema):
    name: str
    level: str
    milestone: int | None = Field(description="the milestone's number, or null for the commitment")
    unit: str
    baseline: str
    target: str
    measurements: list[MeasurementOut]


class CommitmentOut(Schema):
    id: int
    plan: int
    number: int
    title: str
    status: str
    theme: str | None
    lead_organization: str | None
    ogp_values: list[str]
    url: str
    ratings: list[RatingOut]
    completion: CompletionOut
    indicators: list[IndicatorOut]


RELEVANCE = [
    "access_to_information",
    "civic_participation",
    "public_accountability",
    "technology_innovation",
]


@api.get(
    "/commitments/{commitment_id}",
    response={200: CommitmentOut, 404: ErrorOut},
    tags=["plans", "assessment"],
    summary="A commitment with its IRM ratings, completion and indicators",
)
def commitment_detail(request, commitment_id: int):
    """A commitment, its IRM ratings by report and the flags derived from them."""
    commitment = (
        Commitment.objects.select_related("theme", "lead_organization", "completion_override")
        .filter(pk=commitment_id)
        .first()
    )
    if commitment is None:
        return Status(404, {"detail": "Commitment not found"})
    progress = monitoring_queries.commitment_progress(commitment)
    completion = monitoring_queries.commitment_completion(commitment, progress)
    ratings = []
    for rating, derived in assessment_queries.commitment_ratings(commitment):
        ratings.append(
            {
                **{
                    f: getattr(rating, f)
                    for f in [
                        "stage",
                        "methodology",
                        "verifiability",
                        "potential_impact",
                        "completion",
                        "diog",
                        "verifiable",
                        "open_government_lens",
                        "potential_for_results",
                        "promising",
                        "early_results",
                        "narratives",
                        "evidence",
                        "source",
                    ]
                },
                "relevance": [v for v in RELEVANCE if getattr(rating, v)],
                "assessed_on": rating.assessed_on.isoformat() if rating.assessed_on else None,
                "derived": vars(derived) if derived else None,
            }
        )
    return {
        "id": commitment.pk,
        "plan": commitment.plan_id,
        "number": commitment.number,
        "title": commitment.title,
        "status": commitment.status,
        "theme": commitment.theme.name if commitment.theme_id else None,
        "lead_organization": commitment.lead_organization.name
        if commitment.lead_organization_id
        else None,
        "ogp_values": [v.value for v in commitment.values],
        "url": request.build_absolute_uri(commitment.get_absolute_url()),
        "ratings": ratings,
        "completion": {
            "level": completion.level,
            "suggested": completion.suggested,
            "override_reason": completion.override.reason if completion.override else None,
            "milestones": len(progress),
            "milestones_complete": sum(item.complete for item in progress),
        },
        "indicators": [
            {
                "name": i.name,
                "level": i.level,
                "milestone": i.milestone.number if i.milestone_id else None,
                "unit": i.unit,
                "baseline": i.baseline,
                "target": i.target,
                "measurements": [
                    {"measured_on": m.measured_on.isoformat(), "value": float(m.value)}
                    for m in i.public
                ],
            }
            for i in monitoring_queries.commitment_indicators(commitment)
        ],
    }


class EvidenceOut(Schema):
    label: str
    url: str | None = Field(description="absolute address of the evidence, when it has one")


class OverrideOut(Schema):
    value: str
    justification: str
    decided_on: str


class StandardOut(Schema):
    set: str = Field(
        description="2017 (participation and co-creation standards) or 2021 (minimum requirements)"
    )
    code: str
    title: str
    status: str = Field(
        description=(
            "met, in_progress, not_met or no_data (nothing recorded to judge it by): "
            "the assessor's reading when overridden"
        )
    )
    computed_status: str
    explanation: str
    evidence: list[EvidenceOut]
    override: OverrideOut | None


class InfluenceOut(Schema):
    level: str
    computed_level: str
    reasons: list[str]
    override: OverrideOut | None


class StandardsOut(Schema):
    plan: int
    in_force: str
    standards: list[StandardOut]
    influence_development: InfluenceOut
    influence_implementation: InfluenceOut
    acted_contrary: bool
    contrary_rule_version: str
    contrary_grace_period: bool
    starred_process: bool | None


def _override(override) -> dict | None:
    if override is None:
        return None
    return {
        "value": override.value,
        "justification": override.justification,
        "decided_on": override.decided_on.isoformat(),
    }


def _influence(influence) -> dict:
    return {
        "level": influence.final,
        "computed_level": influence.level,
        "reasons": [str(r) for r in influence.reasons],
        "override": _override(influence.override),
    }


@api.get(
    "/plans/{plan_id}/standards",
    response={200: StandardsOut, 404: ErrorOut},
    tags=["assessment"],
    summary="OGP standards, public influence and process verdict, computed from the data",
)
def plan_standards(request, plan_id: int):
    """Every standard of both sets with its status, explanation, evidence links and any
    assessor's override; the level of public influence and the contrary verdict."""
    plan = ActionPlan.objects.select_related("member").filter(pk=plan_id).first()
    if plan is None:
        return Status(404, {"detail": "Plan not found"})
    health = standards.process_health(plan)
    return {
        "plan": plan.pk,
        "in_force": health.in_force,
        "standards": [
            {
                "set": set_name,
                "code": v.code,
                "title": str(v.title),
                "status": v.final,
                "computed_status": v.computed,
                "explanation": str(v.explanation),
                "evidence": [
                    {
                        "label": str(e.label),
                        "url": request.build_absolute_uri(e.url) if e.url else None,
                    }
                    for e in v.evidence
                ],
                "override": _override(v.override),
            }
            for set_name, v in health.all_verdicts
        ],
        "influence_development": _influence(health.development),
        "influence_implementation": _influence(health.implementation),
        "acted_contrary": health.contrary.final,
        "contrary_rule_version": health.contrary.rule_version,
        "contrary_grace_period": health.contrary.grace,
        "starred_process": health.starred_process,
    }


lists.register(api, ErrorOut)


class ImportOut(Schema):
    changed: dict[str, int] = Field(description="objects created or changed, by type")


class ProblemsOut(Schema):
    detail: str
    problems: list[list[str]] = Field(description="[JSON path, message] for each problem")


@api.post(
    "/import",
    auth=TokenAuth(),
    response={
        200: ImportOut,
        400: ProblemsOut,
        401: ErrorOut,
        403: ErrorOut,
        413: ProblemsOut,
    },
    tags=["write (staff integrations)"],
    summary="Import a file in Traza's format (token-authenticated)",
)
def import_endpoint(request):
    """Import a document in Traza's JSON import format (docs/data/import-format.md), with the
    rights of the token's account; all or nothing. Send ``Authorization: Bearer <token>``.
    UTF-8, with or without a byte-order mark; at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes
    (2.5 MB unless the operator changes it; 413 above it — import larger files with
    ``traza import``). Every problem is a JSON answer with the JSON path of each problem."""
    body = _import_body(request)
    if body is None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = _(
            "The document is larger than %(limit)s bytes; send it in parts or import it "
            "with “traza import”."
        ) % {"limit": limit}
        return Status(413, {"detail": detail, "problems": []})
    try:
        data = transfer.parse(body, "api")
        changed = transfer.import_data(request.auth, data, "api")
    except transfer.ImportProblem as problem:
        return Status(
            400,
            {
                "detail": _("The document cannot be imported."),
                "problems": [list(p) for p in problem.problems],
            },
        )
    except PermissionDenied as error:
        return Status(403, {"detail": str(error) or _("This account cannot import.")})
    except ValidationError as error:
        return Status(400, {"detail": "; ".join(error.messages), "problems": []})
    return Status(200, {"changed": dict(changed)})


def _import_body(request) -> bytes | None:
    """The request's body, or None when it is larger than the operator's limit (read no
    further than the limit, whatever the Content-Length says)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if limit is not None and declared > limit:
        return None
    try:
        body = request.read(limit + 1) if limit is not None else request.read()
    except UnreadablePostError:  # the client went away
        body = b""
    if limit is not None and len(body) > limit:
        return None
    return body
