from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from traza.accounts.second_factor import is_verified_staff
from traza.cocreation.forms import SelfAssessmentCommentForm
from traza.core.uploads import serve_checked_file
from traza.monitoring import queries, services
from traza.monitoring.forms import ProgressForm
from traza.monitoring.models import (
    Completion,
    MilestoneStatus,
    ProgressEvidence,
    Review,
    SelfAssessment,
)
from traza.plans.models import ActionPlan, Commitment, IndicatorLevel, Organization, Theme


@login_required
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """An institution officer reports progress on a milestone of their commitment."""
    commitment = get_object_or_404(
        Commitment.objects.select_related("lead_organization", "plan"), pk=pk
    )
    form = ProgressForm(request.POST or None, request.FILES or None, commitment=commitment)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            files, links = form.evidence()
            try:
                services.submit_progress(
                    request.user,
                    form.cleaned_data["milestone"],
                    form.report_values(),
                    files=files,
                    links=links,
                    measurements=form.measurements(),
                )
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You cannot report on this commitment."))
                status = 403
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                messages.success(
                    request, _("Thank you. Your report waits for the secretariat's review.")
                )
                return redirect(commitment.get_absolute_url())
        else:
            status = 400
    return render(
        request, "monitoring/report.html", {"commitment": commitment, "form": form}, status=status
    )


def _dashboard(request: HttpRequest, board, context: dict) -> HttpResponse:
    return render(request, "monitoring/dashboard.html", {"board": board, **context})


def plan_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=pk)
    return _dashboard(
        request,
        queries.plan_dashboard(plan),
        {"plan": plan, "show_plans": False, "self_assessments": plan.self_assessments.all()},
    )


def institution_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    board = queries.dashboard(
        Commitment.objects.filter(lead_organization=organization), organization.name
    )
    return _dashboard(request, board, {"subject": organization, "show_plans": True})


def theme_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    board = queries.dashboard(Commitment.objects.filter(theme=theme), theme.name)
    return _dashboard(request, board, {"subject": theme, "show_plans": True})


def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """The generated report, its public comments with their reasoned responses, and the form."""
    report = get_object_or_404(SelfAssessment.objects.select_related("plan__member"), pk=pk)
    is_open = report.open_for_comments()
    form = SelfAssessmentCommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not is_open:
            status = 403
        elif form.is_valid():
            try:
                contribution = services.submit_self_assessment_comment(
                    report, form.contribution_values()
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. Your comment was received; you will get the reasoned response by e-mail."
                    ),
                )
                return redirect(contribution.get_absolute_url())
        else:
            status = 400
    comments = report.comments.select_related("response").order_by("received_at", "id")
    return render(
        request,
        "monitoring/self_assessment.html",
        {
            "report": report,
            "content": report.content,
            "comments": comments,
            "form": form,
            "is_open": is_open,
            "completion_labels": dict(Completion.choices),
            "status_labels": dict(MilestoneStatus.choices),
            "level_labels": dict(IndicatorLevel.choices),
        },
        status=status,
    )


def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence of accepted reports is public; the rest only for staff whose session
    confirmed its second factor."""
    evidence = get_object_or_404(ProgressEvidence.objects.select_related("report"), pk=pk)
    accepted = evidence.report.review == Review.ACCEPTED
    if not evidence.file or not (accepted or is_verified_staff(request.user)):
        raise Http404
    return serve_checked_file(evidence)
