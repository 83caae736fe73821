from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from traza.plans import queries


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/home.html", {"members": queries.members_with_plans()})


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "plans/plan_detail.html", {"page": queries.plan_page(pk)})


def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "plans/commitment_detail.html", {"page": queries.commitment_page(pk)})
