from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from traza.plans import queries
from traza.plans.models import CommitmentStatus


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "plans/home.html",
        {
            "members": queries.members_with_plans(),
            "opportunities": queries.open_opportunities(),
        },
    )


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = queries.plan_page(pk)
    return render(
        request,
        "plans/plan_detail.html",
        {"page": page, "opportunities": queries.open_opportunities(page.plan)},
    )


def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = queries.commitment_page(pk, request.GET.get("page"))
    commitment = page.commitment
    # a draft commitment invites comments while something is open; an adopted one does not
    is_draft = commitment.status == CommitmentStatus.PROPOSAL
    opportunities = queries.open_opportunities(commitment.plan) if is_draft else []
    return render(
        request,
        "plans/commitment_detail.html",
        {"page": page, "opportunities": opportunities},
    )
