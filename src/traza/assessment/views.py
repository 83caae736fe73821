from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from traza.assessment import queries


def plan_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """The IRM's tables rebuilt from the ratings: at a glance, per commitment, follow-up."""
    return render(request, "assessment/plan.html", {"page": queries.assessment_page(pk)})
