"""A document's text is extracted after the upload's transaction committed: a slow or refused
extraction never holds the database, never loses anyone else's write and never answers 500."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils.text import capfirst

from tests.cocreation.test_contributions import contribute_url, form_data
from tests.repository import bombs
from traza.cocreation.models import Contribution
from traza.core.services import SYSTEM
from traza.plans import services as plan_services
from traza.repository import services, text
from traza.repository.models import DocumentVersion, SearchEntry, TextStatus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def open_plan(make_plan):
    return plan_services.set_plan_stage(SYSTEM, make_plan(n=1, m=1), "co_creation")


@pytest.mark.django_db(transaction=True)
def test_a_contribution_sent_while_a_text_is_extracted_is_saved(
    client, admin_user, open_plan, monkeypatch
):
    real_extract = text.extract
    seen = {}

    def contribute() -> None:
        try:
            response = Client(raise_request_exception=False).post(
                contribute_url(open_plan), form_data()
            )
            seen["contribution_status"] = response.status_code
        finally:
            connection.close()

    citizen = threading.Thread(target=contribute)

    def slow_extract(data, filename):
        seen["in_transaction"] = connection.in_atomic_block
        seen["version_committed"] = DocumentVersion.objects.filter(
            text_status=TextStatus.PENDING
        ).exists()
        citizen.start()
        citizen.join(timeout=20)  # the extraction is "slow": the contribution comes meanwhile
        seen["contribution_done_during_extraction"] = not citizen.is_alive()
        return real_extract(data, filename)

    monkeypatch.setattr(text, "extract", slow_extract)
    client.force_login(admin_user)
    response = client.post(
        "/admin/repository/document/add/",
        bombs.document_form(
            SimpleUploadedFile("acta.docx", bombs.docx("Mesa sobre contrataciones públicas")),
            plan=open_plan.pk,
        ),
    )
    citizen.join()  # had it waited for the upload's locks, it ends now
    assert response.status_code == 302
    assert seen == {
        "in_transaction": False,
        "version_committed": True,
        "contribution_status": 302,
        "contribution_done_during_extraction": True,
    }
    assert Contribution.objects.count() == 1
    version = DocumentVersion.objects.get()
    assert version.text_status == TextStatus.EXTRACTED
    assert "contrataciones" in version.text
    assert "contrataciones" in SearchEntry.objects.get(kind="document").body


@pytest.mark.django_db(transaction=True)
def test_a_refused_extraction_keeps_the_document_with_its_reason(
    client, admin_user, open_plan, settings
):
    settings.TRAZA_EXTRACT_SECONDS = 1
    client.force_login(admin_user)
    response = client.post(
        "/admin/repository/document/add/",
        bombs.document_form(SimpleUploadedFile("acta.pdf", bombs.slow_pdf()), plan=open_plan.pk),
    )
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert version.text_status == TextStatus.TOO_SLOW and version.text == ""
    assert version.sha256 and version.file.size == version.size
    page = client.get(version.document.get_absolute_url())
    assert page.status_code == 200
    assert capfirst(str(TextStatus.TOO_SLOW.label)) in page.content.decode()
    admin_page = client.get(f"/admin/repository/document/{version.document.pk}/change/")
    assert str(TextStatus.TOO_SLOW.label) in admin_page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_failing_extraction_step_leaves_the_version_pending_for_extract_text(
    make_plan, monkeypatch
):
    plan = make_plan(n=1, m=1)

    def broken(data, filename):
        raise OSError("the storage went away")

    monkeypatch.setattr(text, "extract", broken)
    document = services.publish_document(
        SYSTEM,
        {"kind": "minutes", "title": "Acta", "document_date": "2025-03-01", "plan": plan},
        SimpleUploadedFile("acta.odt", bombs.odt("Acta de la mesa de diálogo")),
    )
    version = document.versions.get()
    assert version.text_status == TextStatus.PENDING  # stored; the upload did not fail
    monkeypatch.undo()
    call_command("extract_text", verbosity=0)
    version.refresh_from_db()
    assert version.text_status == TextStatus.EXTRACTED
    assert version.text == "Acta de la mesa de diálogo"
    assert "diálogo" in SearchEntry.objects.get(kind="document").body


def test_on_file_based_sqlite_a_slow_upload_does_not_turn_a_contribution_into_a_500(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'traza.sqlite3'}",
        "TRAZA_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TRAZA_RATE_LIMITS": "false",
        "TRAZA_REQUIRE_STAFF_2FA": "false",
        "TRAZA_EXTRACT_SECONDS": "4",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("TRAZA_TEST_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "repository" / "sqlite_scenario.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["journal_mode"] == "wal"
    assert result["busy_timeout"] >= 20_000
    assert result["uploading_when_contribution_sent"], result  # during the extraction
    assert result["contribution_status"] == 302, result
    assert result["contribution_seconds"] < 3, result
    assert result["contributions"] == 1
    assert result["upload_status"] == 302
    assert result["text_status"] == [TextStatus.TOO_SLOW]
