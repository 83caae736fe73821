from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from traza.assessment import queries, standards
from traza.plans.models import ActionPlan


def plan_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """The IRM's tables rebuilt from the ratings: at a glance, per commitment, follow-up."""
    return render(request, "assessment/plan.html", {"page": queries.assessment_page(pk)})


def process_health(request: HttpRequest, pk: int) -> HttpResponse:
    """The standards (both sets), the level of public influence and the contrary verdict,
    computed from the data, each with its evidence and any assessor's override."""
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=pk)
    return render(
        request,
        "assessment/process.html",
        {"plan": plan, "health": standards.process_health(plan), "labels": standards.STATUS_LABELS},
    )
