"""An uploaded matrix may hold authors' names and addresses: its file and the rows of its
dry-run report are deleted after ``TRAZA_MATRIX_RETENTION_DAYS``; its name, checksum and
counts remain, a matrix not yet imported can no longer be imported, and the deletion is
traced without the content."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.workbench.test_matrix import as_upload, build_plan, secretary  # noqa: F401
from traza.accounts.privacy import apply_retention
from traza.core.models import TraceEvent
from traza.workbench.models import MatrixImport, MatrixImportStatus
from traza.workbench.services import upload_matrix

CSV = "Código;Aporte;Canal\nA-1;Más luminarias en el parque, escribe Rosa Quispe;carta\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db(transaction=True)
def test_old_matrices_lose_their_file_and_rows(client, secretary):  # noqa: F811
    plan, _event, _lead = build_plan(1)
    matrix = upload_matrix(secretary, plan, as_upload(CSV.encode(), "csv"))
    matrix.report = {"rows": [{"text": "Rosa Quispe"}], "errors": [], "counts": {"create": 1}}
    MatrixImport.objects.filter(pk=matrix.pk).update(report=matrix.report)
    name = matrix.file.name
    assert default_storage.exists(name)
    today = timezone.localdate()

    assert apply_retention(today + dt.timedelta(days=30)) == 0  # within the period: kept

    assert apply_retention(today + dt.timedelta(days=31)) == 1
    forgotten = MatrixImport.objects.get(pk=matrix.pk)
    assert not forgotten.file and not default_storage.exists(name)
    assert forgotten.report == {"counts": {"create": 1}, "forgotten": True}
    assert forgotten.sha256 == matrix.sha256 and forgotten.status == MatrixImportStatus.REFUSED
    event = TraceEvent.objects.latest("id")
    assert event.object_type == "workbench.matriximport" and "Rosa" not in str(event.changes)
    assert apply_retention(today + dt.timedelta(days=40)) == 0  # once only

    client.force_login(secretary)
    page = client.get(f"/en/workbench/matrix-imports/{matrix.pk}/", follow=True)
    assert page.status_code == 200
    assert b"no longer kept" in page.content
