"""Subjects are cleaned where every e-mail enters the outbox: a line break in an event title
(or anywhere else) must not make Django refuse the message at send time."""

import datetime as dt
import time

import pytest
from django.core import mail, signing
from django.db import transaction
from django.utils import timezone

from tests.notifications.test_outbox import LOCMEM
from traza.cocreation import services
from traza.cocreation.forms import SALT
from traza.core.services import SYSTEM
from traza.notifications.models import MessageStatus, OutboxMessage
from traza.notifications.services import SUBJECT_MAX_LENGTH, clean_subject, deliver_due, enqueue


@pytest.fixture
def workshop_with_a_line_break(make_plan):
    start = timezone.now() + dt.timedelta(days=20)
    return services.save_event(
        SYSTEM,
        None,
        {
            "plan": make_plan(n=1, m=1),
            "key": "taller-cusco",
            "kind": "regional_workshop",
            "title": "Taller regional\r\nCusco\n",
            "place": "Cusco",
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=4),
            "capacity": 1,
        },
    )


def register(client, event, email: str, name: str):
    return client.post(
        f"/eventos/{event.pk}/inscripcion/",
        {
            "name": name,
            "email": email,
            "organization": "Asociación de Mujeres",
            "sector": "civil_society",
            "civil_society_type": "grassroots",
            "region": "Cusco",
            "consent": "on",
            "website": "",
            "started": signing.dumps(time.time() - 10, salt=SALT),
        },
    )


def test_registration_mail_for_an_event_title_with_a_line_break_is_sent(
    client, workshop_with_a_line_break
):
    assert "\n" in workshop_with_a_line_break.title
    assert (
        register(client, workshop_with_a_line_break, "rosa@example.org", "Rosa").status_code == 302
    )
    assert (
        register(client, workshop_with_a_line_break, "luis@example.org", "Luis").status_code == 302
    )
    with LOCMEM:
        report = deliver_due()
    assert (report.sent, report.retried, report.failed) == (2, 0, 0)
    assert OutboxMessage.objects.filter(status=MessageStatus.SENT).count() == 2
    subjects = sorted(message.subject for message in mail.outbox)
    assert all("\n" not in s and "\r" not in s for s in subjects)
    assert all(s.endswith(": Taller regional Cusco") for s in subjects), subjects


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("Taller\nCusco", "Taller Cusco"),
        ("Taller\r\n  Cusco\t(Perú)", "Taller Cusco (Perú)"),
        ("A\x00B\x1bC\x7fD\x85E\u2028F\u2029G", "A B C D E F G"),
        ("  Respuesta a su aporte  ", "Respuesta a su aporte"),
    ],
)
def test_subjects_lose_line_breaks_and_control_characters(raw, clean):
    assert clean_subject(raw) == clean


def test_a_long_subject_is_cut_and_marked(db):
    with transaction.atomic():
        message = enqueue("a@example.org", "Palabra " * 100, "b", purpose="x")
    assert len(message.subject) == SUBJECT_MAX_LENGTH and message.subject.endswith("…")
    with LOCMEM:
        assert deliver_due().sent == 1
    assert mail.outbox[0].subject == message.subject
