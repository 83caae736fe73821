"""The repository: typed documents with versions and checksums, evidence attached elsewhere
listed beside them without copies, the date it was last updated."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.repository import services
from traza.repository.models import Document, DocumentVersion
from traza.repository.queries import last_updated

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def publish(plan, title="Plan de acción", kind="action_plan", content=PDF, name="plan.pdf"):
    return services.publish_document(
        SYSTEM,
        {"kind": kind, "title": title, "document_date": "2024-06-15", "plan": plan},
        SimpleUploadedFile(name, content),
        "Versión aprobada",
    )


def test_documents_keep_versions_with_checksums_and_are_listed(client, make_plan):
    plan = make_plan(n=1, m=1)
    document = publish(plan)
    services.add_version(
        SYSTEM, document, SimpleUploadedFile("plan-v2.pdf", PDF + b"%v2\n"), "Fe de erratas"
    )
    versions = list(document.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].sha256 == hashlib.sha256(PDF).hexdigest()
    download = client.get(f"/documentos/archivo/{versions[1].pk}/")
    assert download.status_code == 200 and download["Digest"] == f"sha-256={versions[1].sha256}"
    html = client.get(f"/documentos/?plan={plan.pk}").content.decode()
    assert "Plan de acción" in html and "Última actualización" in html
    page = client.get(document.get_absolute_url()).content.decode()
    assert versions[1].sha256 in page and "Fe de erratas" in page
    assert last_updated(plan) == versions[1].uploaded_at
    assert TraceEvent.objects.filter(object_type="repository.documentversion").count() == 2


def test_a_forbidden_file_or_a_foreign_commitment_writes_nothing(make_plan):
    plan = make_plan(n=1, m=1)
    other = make_plan(n=1, m=1, number=2)
    with pytest.raises(ValidationError):
        publish(plan, content=b"MZ\x90binary", name="plan.pdf")
    with pytest.raises(ValidationError):
        services.publish_document(
            SYSTEM,
            {
                "kind": "minutes",
                "title": "X",
                "document_date": "2024-01-01",
                "plan": plan,
                "commitment": other.commitments.first(),
            },
            SimpleUploadedFile("x.pdf", PDF),
        )
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()


def test_evidence_attached_elsewhere_appears_without_copies(client, sample_plan, editor):
    from traza.cocreation import services as cocreation_services

    event = sample_plan.events.first()
    cocreation_services.add_evidence(
        editor,
        {
            "event": event,
            "kind": "minutes",
            "title": "Acta firmada de la mesa",
            "url": "https://example.gob.pe/acta",
        },
    )
    html = client.get("/documentos/?kind=evidence").content.decode()
    assert "Acta firmada de la mesa" in html and "https://example.gob.pe/acta" in html
    assert not Document.objects.exists()
    assert client.get("/documentos/?kind=action_plan").content.decode().count("Acta firmada") == 0


def test_the_repository_feeds_standards_5a_and_2_2(client, make_plan):
    from traza.assessment.standards import process_health

    plan = make_plan(n=1, m=1)

    def status(code):
        return {v.code: v for _set, v in process_health(plan).all_verdicts}[code]

    assert status("5a").final == "no_data"  # nothing recorded is unknown, not a failure
    publish(plan)
    verdict = status("2.2")
    assert verdict.final == "met" and "Última actualización" in verdict.explanation
    assert any(
        e.url == publish.__globals__["Document"].objects.get().get_absolute_url()
        for e in verdict.evidence
    )
