"""The personal data the workbench holds: the secretariat's uploaded matrices of
contributions, which may carry authors' names and addresses in their rows. They cannot be
searched by address without parsing every file, so they are not part of a person's
download or erasure; instead no file is kept longer than ``TRAZA_MATRIX_RETENTION_DAYS``
(what was imported lives on in the contributions themselves, under their own rules)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from traza.workbench.models import MatrixImport
from traza.workbench.services import forget_matrix_file


def forget_old_matrices(today: dt.date, summary: str) -> int:
    """Delete the files (and reported rows) of matrices uploaded before the retention
    period; returns how many were forgotten."""
    cutoff = today - dt.timedelta(days=settings.TRAZA_MATRIX_RETENTION_DAYS)
    old = MatrixImport.objects.filter(uploaded_at__date__lt=cutoff).exclude(
        report__has_key="forgotten"
    )
    return sum(forget_matrix_file(matrix, summary) for matrix in old.iterator())
