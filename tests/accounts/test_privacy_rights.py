"""A person downloads their data and has it erased; the trace still verifies; registrations
lose their personal data after the retention period."""

import datetime as dt
import hashlib
import json
import time

from django.core import signing
from django.db import transaction
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.accounts.test_accounts import readable
from tests.cocreation.test_contributions import contribute_url, form_data
from tests.core.trace_helpers import sealed_and_verified
from tests.mail import link_path
from tests.notifications.test_outbox import LOCMEM
from traza.accounts.privacy import apply_retention
from traza.cocreation.forms import SALT
from traza.cocreation.models import Contribution, Registration, Second
from traza.core.models import TraceEvent
from traza.notifications.models import OutboxMessage
from traza.notifications.services import deliver_due, enqueue


def ask(client, email):
    data = {"email": email, "website": "", "started": signing.dumps(time.time() - 10, salt=SALT)}
    return client.post("/privacidad/", data)


def test_a_person_downloads_then_erases_their_data(client, make_plan):
    from traza.core.services import SYSTEM
    from traza.plans import services as plan_services

    plan = plan_services.set_plan_stage(SYSTEM, make_plan(n=1, m=1), "co_creation")
    client.post(contribute_url(plan), form_data(show_author="on"))
    contribution = Contribution.objects.get()
    assert contribution.consent_text.startswith("Acepto") and contribution.consented_at
    assert "Ana Quispe" in client.get(contribution.get_absolute_url()).content.decode()

    assert ask(client, "ana@example.org").status_code == 200
    assert ask(client, "nadie@example.org").status_code == 200  # the page never tells
    mail = OutboxMessage.objects.filter(to="ana@example.org", purpose="my_data").get()
    page = link_path(mail.body)
    data = json.loads(client.get(page + "?format=json").content)
    assert data["contributions"][0]["author_name"] == "Ana Quispe"
    assert client.post(page, {}).status_code == 400  # the box must be ticked
    assert client.post(page, {"confirm": "on"}).status_code == 200
    contribution.refresh_from_db()
    assert (contribution.author_name, contribution.author_email, contribution.show_author) == (
        "",
        "",
        False,
    )
    assert contribution.text == "Publicar los contratos de obras en formato abierto."
    assert "Ana Quispe" not in client.get(contribution.get_absolute_url()).content.decode()
    assert sealed_and_verified() is None
    erased = TraceEvent.objects.get(object_type="cocreation.contribution", action="update")
    assert erased.changes == {"fields": ["personal data"]} and "Ana" not in erased.summary
    assert client.get("/privacidad/mis-datos/forged/").status_code == 400


def test_registrations_lose_their_personal_data_after_the_retention(db, settings):
    event = factories.EventFactory()
    Registration.objects.create(
        event=event,
        name="Eulalia",
        email="eulalia@example.org",
        sector="civil_society",
        consent_text="ok",
        consented_at=timezone.now(),
        status="confirmed",
        cancel_token="x1",
        attended=True,
    )
    registration = Registration.objects.get()
    with transaction.atomic():  # its confirmation, sent, and a message still waiting
        enqueue(
            "eulalia@example.org",
            "Inscripción",
            "Eulalia, …",
            purpose="registration",
            about=registration,
        )
        waiting = enqueue(
            "eulalia@example.org", "Cambio", "Eulalia, …", purpose="x", about=registration
        )
    OutboxMessage.objects.exclude(pk=waiting.pk).update(status="sent", sent_at=timezone.now())
    settings.TRAZA_REGISTRATION_RETENTION_DAYS = 365
    assert apply_retention(timezone.localdate(event.ends_at) + dt.timedelta(days=30)) == 0
    assert apply_retention() == 1  # the 2024 event ended long ago
    kept = Registration.objects.get()
    assert (
        kept.name == "—"
        and "eulalia" not in kept.email
        and kept.attended
        and kept.sector == "civil_society"
    )
    assert apply_retention() == 0
    sent = OutboxMessage.objects.get()  # the waiting one is gone; the sent one keeps its date
    assert sent.sent_at and sent.to.startswith("suprimido-") and "Eulalia" not in sent.body
    event = TraceEvent.objects.filter(object_type="cocreation.registration").last()
    assert event.changes == {"fields": ["personal data"]} and "Eulalia" not in str(event.changes)


def second_form(**overrides):
    values = {
        "name": "Ana Quispe",
        "email": "Ana@Example.org",
        "organization": "Red Ciudadana",
        "consent": "on",
        "website": "",
        "started": signing.dumps(time.time() - 10, salt=SALT),
    }
    values.update(overrides)
    return values


def test_seconds_and_the_outbox_are_in_the_download_and_are_erased(client, make_plan, editor):
    from traza.cocreation import services as cocreation_services
    from traza.core.services import SYSTEM
    from traza.notifications.models import MessageStatus
    from traza.plans import services as plan_services

    plan = plan_services.set_plan_stage(SYSTEM, make_plan(n=1, m=1), "co_creation")
    client.post(contribute_url(plan), form_data())  # Ana's contribution
    client.post(contribute_url(plan), form_data(author_name="Luis", author_email="luis@x.org"))
    own, luis = Contribution.objects.order_by("pk")
    assert client.post(luis.get_absolute_url(), second_form()).status_code == 302
    assert client.post(luis.get_absolute_url(), second_form(name="Eva", email="eva@x.org"))
    # Ana's reasoned response is sent; a message to her is still queued; a message to
    # someone else mentions her
    cocreation_services.publish_response(
        editor,
        own,
        {
            "outcome": "adopted",
            "text": "Sí.",
            "deciding_body": "secretariat",
            "decided_on": "2026-02-01",
        },
    )
    with LOCMEM:
        assert deliver_due().sent == 3  # the two receipts and the response
    told_at = client.get(own.get_absolute_url()).context["told_at"]
    assert told_at is not None
    with transaction.atomic():
        enqueue("sgp@example.org", "Pedido", "Ana Quispe (ana@example.org) pidió…", purpose="x")
    assert ask(client, "ana@example.org").status_code == 200  # queued, to Ana

    page = link_path(OutboxMessage.objects.get(purpose="my_data").body)
    data = json.loads(client.get(page + "?format=json").content)
    assert [(s["name"], s["email"], s["organization"]) for s in data["seconds"]] == [
        ("Ana Quispe", "Ana@Example.org", "Red Ciudadana")
    ]
    assert {m["purpose"] for m in data["messages"]} == {
        "contribution_receipt",
        "response_published",
        "my_data",
    }

    assert client.post(page, {"confirm": "on"}).status_code == 200
    assert sealed_and_verified() is None
    second = Second.objects.get(contribution=luis, name="—")
    assert second.organization == "" and "ana" not in second.email.lower()
    assert luis.seconds.count() == 2  # the count stays
    everything = " ".join(
        f"{m.to} {m.subject} {m.body} {m.last_error}" for m in OutboxMessage.objects.all()
    )
    assert "ana@example.org" not in everything.lower() and "Ana Quispe" not in everything
    # the sent response stays, without her address or the text: the page still says when
    # she was told; the message still queued to her is gone
    sent = OutboxMessage.objects.get(purpose="response_published")
    assert sent.status == MessageStatus.SENT and sent.to.startswith("suprimido-")
    assert client.get(own.get_absolute_url()).context["told_at"] == told_at
    assert not OutboxMessage.objects.filter(purpose="my_data").exists()
    assert OutboxMessage.objects.get(to="sgp@example.org").body.startswith("— (")


def test_the_pseudonym_is_a_keyed_hash(settings):
    from traza.accounts.privacy import pseudonym as _pseudonym

    email = "ana@example.org"
    unsalted = hashlib.sha256(email.encode()).hexdigest()
    pseudonym = _pseudonym(email)
    assert pseudonym.startswith("suprimido-") and pseudonym.endswith("@invalid")
    assert unsalted[:12] not in pseudonym  # nobody with the database alone can test an address
    assert _pseudonym(email) == pseudonym  # the same address, the same pseudonym
    settings.TRAZA_PSEUDONYM_KEY = "another key"
    assert _pseudonym(email) != pseudonym
    settings.TRAZA_PSEUDONYM_KEY = ""
    settings.SECRET_KEY = "another secret key, long enough for Django's checks 0123456789"
    assert _pseudonym(email) != pseudonym  # derived from SECRET_KEY when no key is set


def test_the_my_data_link_carries_no_address_expires_and_goes_with_the_data(
    client, db, monkeypatch
):
    assert ask(client, "Ana@Example.org").status_code == 200
    link = link_path(OutboxMessage.objects.get(purpose="my_data").body)
    assert "ana" not in readable(link) and "example" not in readable(link)
    assert client.get(link).status_code == 200
    later = timezone.now() + dt.timedelta(hours=24, minutes=1)
    with monkeypatch.context() as m:
        m.setattr(time, "time", lambda: later.timestamp())
        m.setattr(timezone, "now", lambda: later)
        assert client.get(link).status_code == 400
    assert client.get(link).status_code == 200
    assert client.post(link, {"confirm": "on"}).status_code == 200
    assert client.get(link).status_code == 400  # erased: the link went with the data


def test_a_request_for_ones_data_answers_alike_for_any_address(client, make_plan):
    from tests.accounts.test_accounts import _answer
    from traza.core.services import SYSTEM
    from traza.plans import services as plan_services

    plan = plan_services.set_plan_stage(SYSTEM, make_plan(n=1, m=1), "co_creation")
    Client().post(contribute_url(plan), form_data())  # Ana's, from her own browser
    seen = set()
    for email in ["ana@example.org", "nadie@example.org"]:
        before = OutboxMessage.objects.filter(to=email).count()  # Ana has her receipt
        response = ask(client, email)
        work = tuple(t.name for t in response.templates)
        sent = OutboxMessage.objects.filter(to=email).count() - before
        seen.add((_answer(response), work, sent))
    assert len(seen) == 1
