"""The versioned open-data API, under /api/v1/ (OpenAPI at /api/v1/openapi.json)."""

from django.db.models import QuerySet
from ninja import NinjaAPI, Schema
from ninja.pagination import LimitOffsetPagination, paginate

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

    @staticmethod
    def resolve_member(obj) -> str:
        return obj.member.name

    @staticmethod
    def resolve_number_of_commitments(obj) -> int | None:
        return number_of_commitments(obj)


@api.get("/plans/", response=list[PlanOut], tags=["plans"], summary="Action plans")
@paginate(LimitOffsetPagination)
def list_plans(request) -> QuerySet:
    """Every action plan with its member, period, stage and number of commitments."""
    return plans_with_counts().order_by("member__name", "number")
