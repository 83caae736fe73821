"""Personal data never leaves through a public door. The test seeds a contribution, a
discussion message and a self-assessment comment whose authors did not agree to publish
their names, a registration with attendance, a follower and a forum input, then reads every
public page it can reach, every API list and detail, the feeds, every download in every
format and the data package, and looks for any of those names or addresses."""

import datetime as dt
import io
import re
import zipfile
from collections import deque

import pytest
from django.urls import reverse
from django.utils import timezone

from traza.api.opendata import DATASETS
from traza.cocreation import services as cocreation_services
from traza.cocreation.models import DiscussionPost, Registration
from traza.core.services import SYSTEM
from traza.monitoring import services as monitoring_services
from traza.plans import services as plan_services
from traza.repository import following

SECRETS = [
    "Zacarias Oculto",
    "zacarias.oculto@example.org",
    "Colectivo Reservado",
    "Eulalia Secreta",
    "eulalia.secreta@example.org",
    "Bartolome Anonimo",
    "bartolome.anonimo@example.org",
    "comentarista.privada@example.org",
    "Clementina Callada",
    "suscriptora.privada@example.org",
    "aportante.foro@example.org",
]


@pytest.fixture
def seeded(demo, editor):
    plan = demo
    commitment = plan.commitments.first()
    cocreation_services.record_contribution(
        editor,
        {
            "plan": plan,
            "channel": "email",
            "text": "Aporte con autor reservado",
            "received_at": timezone.now(),
            "author_name": "Zacarias Oculto",
            "author_email": "zacarias.oculto@example.org",
            "author_organization": "Colectivo Reservado",
            "show_author": False,
        },
    )
    cocreation_services.record_contribution(  # a control: this author agreed to be named
        editor,
        {
            "plan": plan,
            "channel": "email",
            "text": "Aporte con autor visible",
            "received_at": timezone.now(),
            "author_name": "Pública Visible",
            "author_email": "publica.visible@example.org",
            "show_author": True,
        },
    )
    event = plan.events.first()
    Registration.objects.create(
        event=event,
        name="Eulalia Secreta",
        email="eulalia.secreta@example.org",
        sector="civil_society",
        consent_text="ok",
        consented_at=timezone.now(),
        status="confirmed",
        cancel_token="privacy-test-token",
        attended=True,
    )
    DiscussionPost.objects.create(
        commitment=commitment,
        text="Mensaje con autor reservado",
        author_name="Bartolome Anonimo",
        author_email="bartolome.anonimo@example.org",
        show_author=False,
        status="published",
        created_at=timezone.now(),
    )
    plan_services.set_plan_stage(SYSTEM, plan, "implementation")
    report = monitoring_services.generate_self_assessment(
        SYSTEM, plan, "final", opens_on=timezone.localdate() - dt.timedelta(days=1)
    )
    monitoring_services.submit_self_assessment_comment(
        report,
        {
            "text": "Comentario reservado",
            "author_name": "Clementina Callada",
            "author_email": "comentarista.privada@example.org",
            "show_author": False,
        },
    )
    subscription = following.follow(
        {
            "email": "suscriptora.privada@example.org",
            "target": "plan",
            "target_id": plan.pk,
            "consent_text": "ok",
        }
    )
    following.confirm(subscription.token)
    return plan


HREF = re.compile(r'href="(/[^"#]*)"')


def crawl(client, starts, limit=900):
    seen, queue, pages = set(), deque(starts), []
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages.append((url, html))
        for found in HREF.findall(html):
            found = found.replace("&amp;", "&")
            if "?" in found or found.startswith(("/admin", "/static", "/media", "/data/", "/api/")):
                continue
            if found not in seen:
                queue.append(found)
    return pages


def body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:2] == b"PK":  # a workbook: read its XML
        archive = zipfile.ZipFile(io.BytesIO(raw))
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return raw.decode("utf-8", "replace")


def assert_clean(where: str, text: str) -> None:
    found = [s for s in SECRETS if s.lower() in text.lower()]
    assert not found, f"{where} shows {found}"


def test_no_personal_data_in_any_public_output(client, seeded):
    pages = crawl(client, ["/", "/en/", f"/planes/{seeded.pk}/aportes/", "/foro/", "/documentos/"])
    assert len(pages) > 60  # the crawl reached the plan, its commitments, events, contributions
    for url, html in pages:
        assert_clean(url, html)
    assert any("Pública Visible" in html for _url, html in pages)  # the crawl reads contributions
    outputs = ["/api/v1/openapi.json", "/data/datapackage.json", f"/planes/{seeded.pk}/canal/"]
    outputs += [
        f"/api/v1/{name.replace('_', '-')}/?limit=500" for name in DATASETS if name != "plans"
    ]
    outputs += ["/api/v1/plans/?limit=500", f"/api/v1/plans/{seeded.pk}/summary"]
    outputs += [f"/api/v1/plans/{seeded.pk}/standards"]
    outputs += [f"/api/v1/commitments/{c.pk}" for c in seeded.commitments.all()]
    outputs += [f"/data/{name}.{fmt}" for name in DATASETS for fmt in ("csv", "json", "xlsx")]
    outputs += [reverse("cocreation:responses-csv", args=[seeded.pk])]
    outputs += [reverse("activity:plan_trace", args=[seeded.pk, fmt]) for fmt in ("json", "csv")]
    for url in outputs:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_clean(url, body(response))
    # the secrets are really in the database: the scan would have found a leak
    from traza.cocreation.models import Contribution

    assert Contribution.objects.filter(author_email="zacarias.oculto@example.org").exists()
