"""Uploads are checked before anything opens them: a file whose content does not match its
name, or an office archive that would expand far beyond its size, is a form error at every
entry point; the text of a stored document is extracted after the upload's commit, in a process
bounded in memory, time and pages, and a refused extraction leaves the document stored with a
reason."""

import functools
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.repository import bombs
from traza.cocreation.models import Event, Evidence
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.core.uploads import check_upload
from traza.repository import services, text
from traza.repository.models import Document, DocumentVersion, TextStatus

HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@functools.cache
def bomb(extension: str) -> bytes:
    return bombs.office_bomb(extension)


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


# --- checked before they are opened ------------------------------------------------------------


@pytest.mark.parametrize("extension", bombs.ARCHIVE_TYPES)
def test_an_archive_that_expands_far_beyond_its_size_is_refused_before_it_is_opened(extension):
    data = bomb(extension)
    assert len(data) < 500_000  # 150 MB inside
    started = time.monotonic()
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile(f"acta{extension}", data))
    assert codes(error.value) == {"archive_too_large"}
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("extension", [".docx", ".ods"])
def test_declared_sizes_are_not_trusted(settings, extension):
    settings.TRAZA_ARCHIVE_MAX_RATIO = 10_000  # only the real, streamed size can refuse it
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile(f"acta{extension}", bombs.lying_bomb(extension)))
    assert codes(error.value) & {"archive_too_large", "archive_damaged"}


def test_the_real_size_is_counted_while_reading_not_taken_from_the_headers(settings):
    settings.TRAZA_ARCHIVE_MAX_RATIO = 10_000
    settings.TRAZA_ARCHIVE_MAX_MB = 20
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("acta.xlsx", bombs.office_bomb(".xlsx", 30)))
    assert codes(error.value) == {"archive_too_large"}


def test_an_archive_of_too_many_members_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("cuadro.xlsx", bombs.many_members(".xlsx")))
    assert codes(error.value) == {"archive_members"}


def test_a_damaged_archive_is_refused():
    data = bombs.docx("Acta")
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("acta.docx", data[: len(data) // 2]))
    assert codes(error.value) == {"archive_damaged"}


def test_ordinary_office_files_pass():
    for name, data in (("acta.docx", bombs.docx("Acta")), ("acta.odt", bombs.odt("Acta"))):
        sha256, size, content_type = check_upload(SimpleUploadedFile(name, data))
        assert size == len(data) and len(sha256) == 64 and content_type


# --- every entry point answers with a form error, never a 500 ----------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("acta.pdf", HTML),
        ("acta.docx", HTML),
        ("acta.odt", bombs.text_pdf(["x"])),
        ("foto.png", HTML),
        ("lista.csv", b"a,b\x00\x01"),
        ("acta.docx", None),  # the bomb
    ],
    ids=["html-as-pdf", "html-as-docx", "pdf-as-odt", "html-as-png", "binary-csv", "docx-bomb"],
)
def test_the_document_admin_answers_a_bad_file_with_a_form_error(client, admin_user, name, content):
    content = bomb(".docx") if content is None else content
    client.force_login(admin_user)
    response = client.post(
        "/admin/repository/document/add/", bombs.document_form(SimpleUploadedFile(name, content))
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["upload"]
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert not TraceEvent.objects.filter(
        object_type__in=["repository.document", "repository.documentversion"]
    ).exists()


def test_a_new_version_of_a_document_refused_in_the_admin_changes_nothing(client, admin_user):
    document = services.publish_document(
        SYSTEM,
        {"kind": "minutes", "title": "Acta", "document_date": "2025-03-01"},
        SimpleUploadedFile("acta.pdf", bombs.text_pdf(["acta"])),
    )
    client.force_login(admin_user)
    response = client.post(
        f"/admin/repository/document/{document.pk}/change/",
        bombs.document_form(
            SimpleUploadedFile("acta.pdf", HTML),
            title="Acta",
            **{"versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1"},
            **{"versions-0-id": document.versions.get().pk, "versions-0-document": document.pk},
        ),
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors["upload"]
    assert document.versions.count() == 1


@pytest.fixture
def event(db) -> Event:
    return factories.EventFactory(kind="regional_workshop", title="Taller regional: Arequipa")


@pytest.mark.parametrize("name", ["acta.pdf", "acta.docx"])
def test_the_evidence_admin_answers_a_bad_file_with_a_form_error(client, admin_user, event, name):
    client.force_login(admin_user)
    content = HTML if name.endswith(".pdf") else bomb(".docx")
    response = client.post(
        "/admin/cocreation/evidence/add/",
        {
            "event": event.pk,
            "contribution": "",
            "kind": "minutes",
            "title": "Acta del taller",
            "file": SimpleUploadedFile(name, content),
            "url": "",
            "change_reason": "",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"]
    assert not Evidence.objects.exists()


def test_the_progress_form_refuses_a_bad_evidence_file_on_its_field(commitment):
    from traza.monitoring.forms import ProgressForm

    milestone = commitment.milestones.get()
    data = {
        "milestone": milestone.pk,
        "status": "in_progress",
        "percent": "10",
        "narrative": "Talleres.",
        "fact_date": "2025-01-01",
        "evidence_title": "Acta",
    }
    for name, content in (("acta.pdf", HTML), ("acta.odt", bomb(".odt"))):
        form = ProgressForm(
            data, {"evidence_file": SimpleUploadedFile(name, content)}, commitment=commitment
        )
        assert not form.is_valid()
        assert form.errors["evidence_file"]


# --- the text is extracted within bounds -------------------------------------------------------


def test_the_text_of_ordinary_documents_is_extracted():
    assert text.extract(bombs.docx("Acta de la mesa"), "a.docx") == (
        "Acta de la mesa",
        TextStatus.EXTRACTED,
    )
    assert text.extract(bombs.odt("Acta de la mesa"), "a.odt") == (
        "Acta de la mesa",
        TextStatus.EXTRACTED,
    )
    assert text.extract(bombs.text_pdf(["uno", "dos"]), "a.pdf") == (
        "uno dos",
        TextStatus.EXTRACTED,
    )
    assert text.extract("años\n de   datos".encode(), "a.txt") == (
        "años de datos",
        TextStatus.EXTRACTED,
    )
    assert text.extract(b"\x89PNG...", "a.png") == ("", TextStatus.NO_TEXT)
    assert text.extract(b"%PDF-1.4 nothing else", "a.pdf") == ("", TextStatus.UNREADABLE)


@pytest.mark.parametrize("extension", [".docx", ".odt"])
def test_an_archive_bomb_is_not_opened_even_if_it_was_stored(extension):
    started = time.monotonic()
    assert text.extract(bomb(extension), f"a{extension}") == ("", TextStatus.TOO_LARGE)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("extension", [".docx", ".odt"])
def test_the_extracting_process_is_bounded_in_memory(settings, extension):
    settings.TRAZA_ARCHIVE_MAX_MB = 1000  # let it through to the parser
    settings.TRAZA_ARCHIVE_MAX_RATIO = 100_000
    settings.TRAZA_EXTRACT_MEMORY_MB = 256
    started = time.monotonic()
    assert text.extract(bomb(extension), f"a{extension}") == ("", TextStatus.TOO_LARGE)
    assert time.monotonic() - started < 30


def test_a_pdf_bomb_is_bounded():
    started = time.monotonic()
    extracted, status = text.extract(bombs.pdf_bomb(), "a.pdf")
    assert status in (TextStatus.TOO_LARGE, TextStatus.TOO_SLOW, TextStatus.EXTRACTED)
    assert len(extracted) <= text.MAX_CHARS
    assert time.monotonic() - started < 30


def test_a_slow_pdf_is_stopped_at_the_time_limit(settings):
    settings.TRAZA_EXTRACT_SECONDS = 1
    data = bombs.slow_pdf()
    assert len(data) < 20_000
    started = time.monotonic()
    assert text.extract(data, "a.pdf") == ("", TextStatus.TOO_SLOW)
    assert time.monotonic() - started < 5


def test_only_the_first_pages_of_a_pdf_are_read(settings):
    settings.TRAZA_EXTRACT_MAX_PAGES = 2
    assert text.extract(bombs.text_pdf(["uno", "dos", "tres", "cuatro"]), "a.pdf") == (
        "uno dos",
        TextStatus.EXTRACTED,
    )
