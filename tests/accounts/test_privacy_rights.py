"""A person downloads their data and has it erased; the trace still verifies; registrations
lose their personal data after the retention period."""

import datetime as dt
import json
import time

from django.core import signing
from django.utils import timezone

from tests.cocreation.test_contributions import contribute_url, form_data
from tests.mail import link_path
from traza.accounts.privacy import apply_retention
from traza.cocreation.forms import SALT
from traza.cocreation.models import Contribution, Registration
from traza.core.models import TraceEvent
from traza.core.services import verify_trace
from traza.notifications.models import OutboxMessage


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
    assert verify_trace() is None
    erased = TraceEvent.objects.get(object_type="cocreation.contribution", action="update")
    assert erased.changes == {"fields": ["personal data"]} and "Ana" not in erased.summary
    assert client.get("/privacidad/mis-datos/forged/").status_code == 400


def test_registrations_lose_their_personal_data_after_the_retention(demo, settings):
    event = demo.events.first()
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
    settings.TRAZA_REGISTRATION_RETENTION_DAYS = 365
    assert apply_retention(timezone.localdate(event.ends_at) + dt.timedelta(days=30)) == 0
    assert apply_retention() == 1  # the 2017 event ended long ago
    kept = Registration.objects.get()
    assert (
        kept.name == "—"
        and "eulalia" not in kept.email
        and kept.attended
        and kept.sector == "civil_society"
    )
    assert apply_retention() == 0
    event = TraceEvent.objects.filter(object_type="cocreation.registration").last()
    assert event.changes == {"fields": ["personal data"]} and "Eulalia" not in str(event.changes)
