"""The plan's generated documents: the list (anyone), the download (anyone once public, e.g.
the action plan once approved; the secretariat always), and the secretariat's button that
generates and stores a new version in the repository."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from traza.accounts.second_factor import is_verified_staff
from traza.plans.models import ActionPlan
from traza.reports import queries, services
from traza.reports.models import Format, GeneratedVersion, Report
from traza.reports.render import RENDERERS

#: the documents built so far, each in the formats it has
AVAILABLE = {
    Report.ACTION_PLAN: [Format.DOCX, Format.PDF],
    Report.CO_CREATION: [Format.DOCX, Format.PDF],
    Report.SELF_ASSESSMENT: [Format.DOCX, Format.PDF],
    Report.ASSESSOR_TABLES: [Format.PDF, Format.XLSX],
}
PERM = "repository.add_documentversion"


def may_generate(user: Any) -> bool:
    return is_verified_staff(user) and user.has_perm(PERM)


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def plan_documents(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=pk)
    staff = may_generate(request.user)
    stored: dict[tuple[str, str, str], GeneratedVersion] = {}
    for row in (
        GeneratedVersion.objects.filter(plan=plan)
        .select_related("version", "document")
        .order_by("generated_at", "id")
    ):
        stored[row.report, row.format, row.language] = row  # the newest wins
    rows = []
    for report, formats in AVAILABLE.items():
        public = queries.is_public(plan, report)
        rows.append(
            {
                "report": report,
                "label": Report(report).label,
                "public": public,
                "downloadable": public or staff,
                "items": [
                    {
                        "format": fmt,
                        "language": language,
                        "stored": stored.get((report, fmt, language)),
                    }
                    for fmt in formats
                    for language in _languages()
                ],
            }
        )
    return render(
        request,
        "reports/plan_documents.html",
        {"plan": plan, "rows": rows, "staff": staff, "languages": settings.LANGUAGES},
    )


def _check(report: str, fmt: str, language: str) -> None:
    if report not in AVAILABLE or fmt not in AVAILABLE[report] or language not in _languages():
        raise Http404


def download(request: HttpRequest, pk: int, report: str, fmt: str, language: str) -> HttpResponse:
    """The document from the data as it stands: the stored version's file when it shows the
    same content, else rendered now (nothing is stored by a download)."""
    _check(report, fmt, language)
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=pk)
    if not (queries.is_public(plan, report) or may_generate(request.user)):
        raise Http404
    content = queries.build(plan, report, language)
    previous = services.latest(plan, report, fmt, language)
    if previous is not None and previous.content_sha256 == content.checksum():
        with previous.version.file.open("rb") as stored:
            data = stored.read()
    else:
        data = RENDERERS[fmt](content)
    generated = services.Generated(plan, report, fmt, language, content, data)
    response = HttpResponse(data, content_type=generated.content_type)
    response["Content-Disposition"] = f'attachment; filename="{generated.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_generate(request.user):
        raise PermissionDenied
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=pk)
    report, fmt = request.POST.get("report", ""), request.POST.get("format", "")
    language = request.POST.get("language", "")
    _check(report, fmt, language)
    stored = services.generate_document(request.user, plan, report, fmt, language)
    version = stored.generated.version
    if stored.created:
        messages.success(
            request,
            _("Version %(number)s of “%(title)s” stored in the repository.")
            % {"number": version.number, "title": stored.generated.document.title},
        )
    else:
        messages.info(
            request,
            _("The data has not changed since version %(number)s: no new version was stored.")
            % {"number": version.number},
        )
    return redirect("reports:plan_documents", pk=plan.pk)
