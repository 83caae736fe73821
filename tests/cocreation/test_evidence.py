import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tests import factories
from traza.cocreation import services
from traza.cocreation.models import Event, Evidence

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
    + b"\x00" * 40
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def event(db) -> Event:
    return factories.EventFactory(kind="regional_workshop", title="Taller regional: Arequipa")


def add(editor, event, name, content, **values):
    return services.add_evidence(
        editor,
        {"event": event, "kind": "minutes", "title": "Acta del taller", **values},
        SimpleUploadedFile(name, content),
    )


def test_a_file_is_stored_with_its_checksum_and_served_as_is(client, editor, event):
    evidence = add(editor, event, "acta.pdf", PDF)
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert evidence.size == len(PDF) and evidence.content_type == "application/pdf"
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Acta del taller" in html and evidence.sha256[:16] in html
    response = client.get(f"/evidencias/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"


def test_private_evidence_is_kept_but_never_published(client, editor, event, admin_user):
    evidence = add(editor, event, "fotos.png", PNG, kind="photo", is_private=True, title="Fotos")
    assert "Fotos" not in client.get(event.get_absolute_url()).content.decode()
    assert client.get(f"/evidencias/{evidence.pk}/").status_code == 404
    client.force_login(admin_user)
    assert client.get(f"/evidencias/{evidence.pk}/").status_code == 200


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("virus.exe", b"MZ\x90\x00", "se aceptan"),
        ("acta.pdf", PNG, "no corresponde"),
        ("lista.csv", b"a,b\x00\x01", "no corresponde"),
    ],
)
def test_forbidden_or_disguised_files_are_refused(editor, event, name, content, message):
    with pytest.raises(ValidationError) as error:
        add(editor, event, name, content)
    assert message in " ".join(error.value.messages)
    assert not Evidence.objects.exists()


@override_settings(TRAZA_MAX_UPLOAD_MB=1)
def test_oversized_files_are_refused(editor, event):
    with pytest.raises(ValidationError) as error:
        add(editor, event, "grande.pdf", PDF + b"0" * (1024 * 1024))
    assert "demasiado grande" in " ".join(error.value.messages)
    assert not Evidence.objects.exists()


def test_links_and_the_one_owner_rule(editor, event):
    link = services.add_evidence(
        editor, {"event": event, "kind": "video", "title": "Video", "url": "https://example.org/v"}
    )
    assert link.sha256 == ""
    with pytest.raises(ValidationError):
        services.add_evidence(
            editor, {"kind": "video", "title": "Nada", "url": "https://example.org/v"}
        )
    with pytest.raises(ValidationError):
        services.add_evidence(editor, {"event": event, "kind": "video", "title": "Ninguno"})


def test_only_permitted_people_add_evidence(outsider, event):
    with pytest.raises(PermissionDenied):
        add(outsider, event, "acta.pdf", PDF)
