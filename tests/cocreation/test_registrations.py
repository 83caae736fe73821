import datetime as dt
import time

import pytest
from django.core import signing
from django.utils import timezone
from icalendar import Calendar

from traza.cocreation import services
from traza.cocreation.forms import SALT
from traza.cocreation.models import Registration
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.notifications.models import OutboxMessage


@pytest.fixture
def workshop(make_plan):
    plan = make_plan(n=1, m=1)
    start = timezone.now() + dt.timedelta(days=20)
    return services.save_event(
        SYSTEM,
        None,
        {
            "plan": plan,
            "key": "taller-cusco",
            "kind": "regional_workshop",
            "title": "Taller regional Cusco",
            "place": "Cusco",
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=4),
            "capacity": 1,
        },
    )


def data(**overrides):
    values = {
        "name": "Rosa Mamani",
        "email": "rosa@example.org",
        "organization": "Asociación de Mujeres",
        "sector": "civil_society",
        "civil_society_type": "grassroots",
        "region": "Cusco",
        "consent": "on",
        "website": "",
        "started": signing.dumps(time.time() - 10, salt=SALT),
    }
    values.update(overrides)
    return values


def url(event) -> str:
    return f"/eventos/{event.pk}/inscripcion/"


def test_registration_confirms_with_ics_and_cancel_link_then_waiting_list(client, workshop):
    response = client.post(url(workshop), data())
    assert response.status_code == 302
    first = Registration.objects.get()
    assert first.status == "confirmed" and first.consent_text
    message = OutboxMessage.objects.get()
    assert message.to == "rosa@example.org"
    cancel_path = f"/inscripciones/cancelar/{first.cancel_token}/"
    assert cancel_path in message.body
    ics = Calendar.from_ical(__import__("base64").b64decode(message.attachments[0]["content"]))
    assert str(next(iter(ics.walk("VEVENT")))["summary"]) == "Taller regional Cusco"

    client.post(url(workshop), data(email="luis@example.org", name="Luis"))
    second = Registration.objects.get(email="luis@example.org")
    assert second.status == "waitlisted"  # capacity 1

    assert client.get(cancel_path).status_code == 200  # a page asks to confirm; GET changes nothing
    assert Registration.objects.get(pk=first.pk).status == "confirmed"
    client.post(cancel_path)
    assert Registration.objects.get(pk=first.pk).status == "cancelled"
    assert Registration.objects.get(pk=second.pk).status == "confirmed"
    assert OutboxMessage.objects.filter(to="luis@example.org").count() == 2
    # no personal data in the trace
    traced = " ".join(str(e.changes) + e.summary for e in TraceEvent.objects.all())
    assert "Rosa" not in traced and "example.org" not in traced


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"consent": ""}, "consent"),
        ({"email": "rosa@"}, "email"),
        ({"sector": "martian"}, "sector"),
        ({"website": "x"}, "__all__"),
    ],
)
def test_bad_registrations_are_refused_and_write_nothing(client, workshop, overrides, field):
    response = client.post(url(workshop), data(**overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Registration.objects.exists() and not OutboxMessage.objects.exists()


def test_duplicate_registration_gets_a_message(client, workshop):
    client.post(url(workshop), data())
    response = client.post(url(workshop), data())
    assert response.status_code == 400
    assert "ya está inscrito" in response.content.decode()
    assert Registration.objects.count() == 1 and OutboxMessage.objects.count() == 1


def test_civil_society_type_needs_civil_society(client, workshop):
    response = client.post(url(workshop), data(sector="public"))
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_registration_closes_when_the_event_starts(client, workshop):
    workshop.starts_at = timezone.now() - dt.timedelta(hours=1)
    workshop.ends_at = timezone.now() + dt.timedelta(hours=1)
    workshop.save()
    assert client.post(url(workshop), data()).status_code == 403
    assert not Registration.objects.exists()


def test_registrations_never_show_on_public_pages(client, workshop):
    client.post(url(workshop), data())
    for path in (workshop.get_absolute_url(), f"/planes/{workshop.plan_id}/calendario/"):
        html = client.get(path).content.decode()
        assert "Rosa" not in html and "rosa@example.org" not in html


def test_staff_record_attendance_with_permission(workshop, editor, outsider, client):
    from django.core.exceptions import PermissionDenied

    client.post(url(workshop), data())
    registration = Registration.objects.get()
    with pytest.raises(PermissionDenied):
        services.record_attendance(outsider, registration, True)
    services.record_attendance(editor, registration, True)
    assert Registration.objects.get().attended is True
