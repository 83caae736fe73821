"""The matrix in the workbench: export (XLSX, CSV) and the import's steps — upload, map the
columns, dry run, import. Thin: the reader parses (outside any transaction), the services
write. Verified staff only: the export for those who may draft or publish responses, the
import for those who may publish responses and add contributions."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from traza.accounts.second_factor import is_verified_staff
from traza.cocreation.matrix import matrix_download
from traza.plans.models import ActionPlan
from traza.workbench.matrix.check import Options
from traza.workbench.matrix.forms import MappingForm, UploadForm
from traza.workbench.matrix.mapping import guess_mapping
from traza.workbench.matrix.reader import Table, read_table
from traza.workbench.models import MatrixImport, MatrixImportStatus
from traza.workbench.services.matrix import check_matrix, import_matrix, upload_matrix

EXPORT_PERMS = ("cocreation.draft_response", "cocreation.publish_response")
IMPORT_PERMS = ("cocreation.publish_response", "cocreation.add_contribution")
REPORT_PAGE = 100


def staff_only(*, any_of: tuple[str, ...] = (), all_of: tuple[str, ...] = ()) -> Callable:
    """Anonymous: to the sign-in page; not verified staff with the permissions: 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            allowed = is_verified_staff(user) and all(user.has_perm(p) for p in all_of)
            if any_of:
                allowed = allowed and any(user.has_perm(p) for p in any_of)
            if not allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@staff_only(any_of=EXPORT_PERMS)
def export(request: HttpRequest, plan_pk: int, fmt: str) -> HttpResponseBase:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    plan = get_object_or_404(ActionPlan, pk=plan_pk)
    return matrix_download(plan, fmt)


@staff_only(all_of=IMPORT_PERMS)
def import_start(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """Step 1: upload the matrix (checked, then read once to refuse what cannot be read)."""
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=plan_pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                read_table(upload, upload.name)  # bounded; outside any transaction
                matrix = upload_matrix(request.user, plan, upload)
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect("workbench:matrix-import-detail", matrix.pk)
        status = 400
    recent = MatrixImport.objects.filter(plan=plan).select_related("uploaded_by")[:10]
    return render(
        request,
        "workbench/matrix_upload.html",
        {"plan": plan, "form": form, "recent": recent},
        status=status,
    )


def breakable(name: str) -> str:
    """A file name that a narrow screen may wrap after its ``_ - .`` (it has no spaces)."""
    parts = ((part,) for part in re.split(r"(?<=[_.\-])", name))
    return format_html_join(mark_safe("<wbr>"), "{}", parts)


def _stored_table(matrix: MatrixImport) -> Table:
    if not matrix.file:
        raise ValidationError(
            _(
                "This file is no longer kept (its personal data was removed after "
                "%(days)d days). Upload it again."
            )
            % {"days": settings.TRAZA_MATRIX_RETENTION_DAYS},
            code="forgotten",
        )
    with matrix.file.open("rb") as stored:
        return read_table(stored, matrix.filename)


@staff_only(all_of=IMPORT_PERMS)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Steps 2 and 3: map the columns, run the dry run, read its report."""
    matrix = get_object_or_404(MatrixImport.objects.select_related("plan__member"), pk=pk)
    try:
        table = _stored_table(matrix)
    except (ValidationError, OSError) as error:
        messages.error(
            request, error.messages[0] if isinstance(error, ValidationError) else str(error)
        )
        return redirect("workbench:matrix-import", matrix.plan_id)
    if matrix.mapping.get("columns"):
        initial = Options.from_json(matrix.mapping)
        columns = initial.columns
        initial_data = {
            "channel": initial.channel,
            "deciding_body": initial.deciding_body,
            "names_public": initial.names_public,
        }
    else:
        columns, initial_data = guess_mapping(table.headers), {}
    form = MappingForm(
        request.POST or None, table=table, initial_columns=columns, initial=initial_data
    )
    status = 200
    if request.method == "POST" and matrix.status != MatrixImportStatus.IMPORTED:
        if form.is_valid():
            try:
                check_matrix(request.user, matrix, table, form.options())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(f"{request.path}#report")
        status = 400
    report = matrix.report or {}
    rows = Paginator(report.get("rows", []), REPORT_PAGE).get_page(request.GET.get("page"))
    errors = Paginator(report.get("errors", []), REPORT_PAGE).get_page(
        request.GET.get("errors_page")
    )
    return render(
        request,
        "workbench/matrix_import.html",
        {
            "plan": matrix.plan,
            "matrix": matrix,
            "filename": breakable(matrix.filename),
            "table": table,
            "form": form,
            "report": report,
            "page": rows,
            "errors": errors,
            "importable": matrix.status == MatrixImportStatus.CHECKED and not report.get("errors"),
        },
        status=status,
    )


@require_POST
@staff_only(all_of=IMPORT_PERMS)
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 4: import everything the dry run listed, or nothing."""
    matrix = get_object_or_404(MatrixImport, pk=pk)
    try:
        table = _stored_table(matrix)
        matrix = import_matrix(request.user, matrix, table)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        written = matrix.report.get("imported", {})
        messages.success(
            request,
            _(
                "Imported: %(create)s new contributions, %(update)s responses published or "
                "revised. Nobody was e-mailed."
            )
            % {"create": written.get("create", 0), "update": written.get("update", 0)},
        )
    return redirect("workbench:matrix-import-detail", matrix.pk)
