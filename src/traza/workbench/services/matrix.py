"""Writes of the matrix import: the upload kept with its checksum, the dry run's mapping and
report, and the import itself, all at once through the co-creation services or nothing.

The file is parsed by the caller (:func:`traza.workbench.matrix.reader.read_table`, bounded)
before any of these runs: nothing is parsed inside a write transaction. The import checks
the rows again inside its transaction and refuses when the result is not the one the dry run
showed (someone changed the plan's data since): then nothing is written.

The trace gets the file's name, checksum and size and the counts, never the rows' content
(the matrix may hold authors' names)."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.cocreation.services import publish_response, record_contribution
from traza.core.services import record, require_perm, trace_language
from traza.core.uploads import check_upload
from traza.plans.models import ActionPlan
from traza.workbench.matrix.check import Options, check
from traza.workbench.matrix.reader import Table
from traza.workbench.models import MatrixImport, MatrixImportStatus

EXTENSIONS = {".xlsx", ".csv"}


def _require(actor: Any, plan: ActionPlan) -> None:
    """Importing creates contributions and publishes responses: both permissions."""
    require_perm(actor, "cocreation.publish_response", plan)
    require_perm(actor, "cocreation.add_contribution", plan)


def check_matrix_file(upload: Any) -> tuple[str, int]:
    """Refuse what is not an XLSX or CSV file, or is too large, or (XLSX) would unpack to
    too much, before anything parses it. Returns its SHA-256 and size."""
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in EXTENSIONS:
        raise ValidationError(
            _("Upload the matrix as an XLSX or CSV file."),
            code="file_type",
        )
    sha256, size, _type = check_upload(upload)
    return sha256, size


@transaction.atomic
def upload_matrix(actor: Any, plan: ActionPlan, upload: Any) -> MatrixImport:
    """Keep an uploaded matrix (checked, with its checksum) for its mapping and dry run."""
    _require(actor, plan)
    require_perm(actor, "workbench.add_matriximport")
    sha256, size = check_matrix_file(upload)
    matrix = MatrixImport(
        plan=plan,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        uploaded_at=timezone.now(),
        file=upload,
        filename=PurePath(upload.name).name[:255],
        sha256=sha256,
        size=size,
        status=MatrixImportStatus.UPLOADED,
    )
    matrix.full_clean(exclude=["uploaded_by"])  # none for the system actor
    matrix.save()
    with trace_language():
        summary = _("Uploaded the matrix “%(file)s” to import") % {"file": matrix.filename}
    record(
        actor,
        "create",
        matrix,
        summary=summary,
        changes={
            "filename": [None, matrix.filename],
            "sha256": [None, sha256],
            "size": [None, size],
        },
        scope=plan,
    )
    return matrix


def _locked(matrix: MatrixImport) -> MatrixImport:
    return MatrixImport.objects.select_for_update().select_related("plan").get(pk=matrix.pk)


def _same_file(matrix: MatrixImport, table: Table) -> None:
    if table.sha256 != matrix.sha256:
        raise ValidationError(
            _("The stored file no longer matches the one uploaded (its checksum differs)."),
            code="checksum",
        )


@transaction.atomic
def check_matrix(actor: Any, matrix: MatrixImport, table: Table, options: Options) -> MatrixImport:
    """The dry run: store the mapping and the report of what the import would do (every row
    it would create or change, every error); nothing else is written."""
    _require(actor, matrix.plan)
    require_perm(actor, "workbench.change_matriximport", matrix)
    matrix = _locked(matrix)
    if matrix.status == MatrixImportStatus.IMPORTED:
        raise ValidationError(_("This matrix was already imported."), code="imported")
    _same_file(matrix, table)
    result = check(matrix.plan, table, options)
    matrix.mapping = options.as_json(table.headers)
    matrix.report = result.report()
    matrix.status = MatrixImportStatus.CHECKED
    matrix.save(update_fields=["mapping", "report", "status"])
    counts = matrix.report["counts"]
    with trace_language():
        summary = _(
            "Dry run of the matrix “%(file)s”: %(create)s to create, %(update)s to change, "
            "%(errors)s errors"
        ) % {"file": matrix.filename, **counts}
    record(
        actor,
        "update",
        matrix,
        summary=summary,
        changes={"status": [None, matrix.status], "counts": [None, counts]},
        scope=matrix.plan,
    )
    return matrix


class MatrixChanged(ValidationError):
    """The plan's data changed since the dry run: nothing was imported."""


@transaction.atomic
def import_matrix(actor: Any, matrix: MatrixImport, table: Table) -> MatrixImport:
    """Import a checked matrix without errors, all rows or none, through the co-creation
    services; refused (nothing written) when a check inside this transaction does not give
    exactly what the dry run showed. Publishes without e-mailing anyone."""
    _require(actor, matrix.plan)
    require_perm(actor, "workbench.change_matriximport", matrix)
    matrix = _locked(matrix)
    if matrix.status == MatrixImportStatus.IMPORTED:
        raise ValidationError(_("This matrix was already imported."), code="imported")
    if matrix.status != MatrixImportStatus.CHECKED or matrix.report.get("errors"):
        raise ValidationError(
            _("Only a matrix whose dry run found no error can be imported."), code="unchecked"
        )
    _same_file(matrix, table)
    plan = matrix.plan
    result = check(plan, table, Options.from_json(matrix.mapping))
    if result.errors or result.fingerprint != matrix.report.get("fingerprint"):
        raise MatrixChanged(
            _(
                "The plan's contributions or responses changed since the dry run, so the "
                "import would not do what its report says. Nothing was imported: run the dry "
                "run again and read its report."
            ),
            code="changed",
        )
    with trace_language():
        reason = _("Imported from the matrix “%(file)s”") % {"file": matrix.filename}
    written = {"create": 0, "update": 0}
    try:
        for planned in result.planned:
            if planned.action == "unchanged":
                continue
            contribution = planned.contribution
            if planned.contribution_values is not None:
                contribution = record_contribution(
                    actor, planned.contribution_values, reason=reason
                )
            if planned.response_values is not None and contribution is not None:
                publish_response(
                    actor,
                    contribution,
                    planned.response_values,
                    versions=planned.versions,
                    reason=reason,
                    expected_revision=planned.expected_revision,
                    tell_author=False,
                )
            written[planned.action] += 1
    except IntegrityError:  # a key taken meanwhile by another writer
        raise MatrixChanged(
            _("Another change to this plan was written at the same time. Nothing was imported."),
            code="changed",
        ) from None
    matrix.status = MatrixImportStatus.IMPORTED
    matrix.imported_at = timezone.now()
    matrix.report = {**matrix.report, "imported": written}
    matrix.save(update_fields=["status", "imported_at", "report"])
    with trace_language():
        summary = _(
            "Imported the matrix “%(file)s”: %(create)s contributions created, "
            "%(update)s responses changed"
        ) % {"file": matrix.filename, **written}
    record(
        actor,
        "update",
        matrix,
        summary=summary,
        changes={
            "status": [MatrixImportStatus.CHECKED, matrix.status],
            "imported": [None, written],
        },
        scope=plan,
    )
    return matrix


def forget_matrix_file(matrix: MatrixImport, summary: str) -> bool:
    """Delete a stored matrix's file and the rows quoted in its dry-run report (they may
    hold authors' names and addresses); its name, checksum, size, counts and status stay, so
    what was imported can still be told. Traced; returns whether anything was removed.
    Called by the retention rule (:mod:`traza.workbench.personal_data`), as the system."""
    if not matrix.file and not matrix.report.get("rows"):
        return False
    with transaction.atomic():
        locked = _locked(matrix)
        if locked.file:
            locked.file.delete(save=False)
        report = {k: v for k, v in locked.report.items() if k not in ("rows", "errors")}
        locked.report = {**report, "forgotten": True}
        if locked.status != MatrixImportStatus.IMPORTED:
            locked.status = MatrixImportStatus.REFUSED  # nothing left to import
        locked.save(update_fields=["file", "report", "status"])
        record(
            None,
            "update",
            locked,
            summary=summary,
            scope=locked.plan,
        )
    return True
