import datetime as dt

import django
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from traza.notifications.models import MessageStatus, OutboxMessage
from traza.notifications.services import claim_next, deliver_due, enqueue, requeue


def mail_backend(backend: str, **options):
    """Point Django's mail at a real backend, in the settings style of the Django in use."""
    if django.VERSION >= (6, 1):
        return override_settings(MAILERS={"default": {"BACKEND": backend, "OPTIONS": options}})
    return override_settings(
        EMAIL_BACKEND=backend, **{f"EMAIL_{k.upper()}": v for k, v in options.items()}
    )


# A real SMTP connection to a port where nothing listens: the mail server is down.
SMTP_DOWN = mail_backend(
    "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=9, timeout=2
)
LOCMEM = mail_backend("django.core.mail.backends.locmem.EmailBackend")


def queue_one(**kwargs) -> OutboxMessage:
    with transaction.atomic():
        return enqueue(
            "ana@example.org",
            "Respuesta a su aporte",
            "Su aporte fue evaluado.",
            purpose="response_published",
            attachments=[("evento.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
            **kwargs,
        )


@pytest.mark.django_db(transaction=True)
def test_enqueue_needs_the_callers_transaction():
    with pytest.raises(RuntimeError):
        enqueue("a@example.org", "s", "b", purpose="x")


def test_a_failing_mail_server_delays_mail_but_loses_none(db):
    message = queue_one()
    with SMTP_DOWN:
        report = deliver_due()
    assert (report.sent, report.retried) == (0, 1)
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert message.attempts == 1 and message.last_error
    assert message.next_attempt_at > timezone.now()
    assert list(message.delivery_attempts.values_list("succeeded", flat=True)) == [False]

    with LOCMEM:
        assert deliver_due().sent == 0  # not due yet: back-off
        report = deliver_due(now=message.next_attempt_at + dt.timedelta(seconds=1))
    assert report.sent == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ana@example.org"]
    assert sent.extra_headers["Message-ID"] == message.message_id
    assert sent.attachments[0][0] == "evento.ics"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at
    assert list(message.delivery_attempts.values_list("succeeded", flat=True)) == [False, True]


def test_a_message_is_never_sent_twice(db):
    queue_one()
    with LOCMEM:
        deliver_due()
        deliver_due(now=timezone.now() + dt.timedelta(days=1))
    assert len(mail.outbox) == 1


def test_a_worker_that_died_while_sending_leaves_the_message_uncertain(db):
    message = queue_one()
    # the worker claimed it, then the process died before marking it sent
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_at=timezone.now() - dt.timedelta(hours=1)
    )
    with LOCMEM:
        report = deliver_due()
    assert report.uncertain == 1 and len(mail.outbox) == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.UNCERTAIN
    requeue(message)
    with LOCMEM:
        assert deliver_due().sent == 1
    assert len(mail.outbox) == 1


@override_settings(TRAZA_MAIL_MAX_ATTEMPTS=2)
def test_after_the_last_attempt_the_message_is_failed_and_kept(db):
    message = queue_one()
    with SMTP_DOWN:
        deliver_due()
        deliver_due(now=timezone.now() + dt.timedelta(days=1))
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.delivery_attempts.count() == 2


def test_worker_command_delivers_once(db, capsys):
    queue_one()
    with LOCMEM:
        call_command("worker", once=True)
    assert "sent 1" in capsys.readouterr().out
    assert len(mail.outbox) == 1


class WorkerKilled(BaseException):
    """Stands for the process dying: nothing in the worker catches it."""


class MailServer:
    """A mail connection that takes messages and dies on the ``die_on``-th one."""

    def __init__(self, die_on: int | None = None):
        self.die_on, self.handed = die_on, []

    def __call__(self):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        for message in messages:
            self.handed.append(message.extra_headers["Message-ID"])
            if len(self.handed) == self.die_on:
                raise WorkerKilled
        return len(messages)


def test_a_worker_dying_mid_batch_strands_only_the_message_in_flight(db, monkeypatch):
    with transaction.atomic():
        messages = [enqueue(f"p{i}@example.org", f"M {i}", "b", purpose="x") for i in range(45)]
    server = MailServer(die_on=3)
    monkeypatch.setattr("traza.notifications.services._mail_connection", server)
    with pytest.raises(WorkerKilled):
        deliver_due()
    status = dict(OutboxMessage.objects.values_list("message_id", "status"))
    assert status[messages[2].message_id] == MessageStatus.SENDING
    assert sorted(status.values()).count(MessageStatus.QUEUED) == 42

    restarted = MailServer()
    monkeypatch.setattr("traza.notifications.services._mail_connection", restarted)
    later = timezone.now() + dt.timedelta(hours=1)  # the dead worker's lease is over
    report = deliver_due(now=later)
    assert (report.sent, report.uncertain) == (42, 1)
    assert messages[2].message_id not in restarted.handed
    assert sorted(server.handed[:2] + restarted.handed) == sorted(
        m.message_id for i, m in enumerate(messages) if i != 2
    )
    assert OutboxMessage.objects.get(pk=messages[2].pk).status == MessageStatus.UNCERTAIN


def test_a_message_sent_after_its_lease_ran_out_is_still_marked_sent(db, monkeypatch):
    message = queue_one()

    class SlowServer(MailServer):
        def send_messages(self, messages):
            # meanwhile another worker decided this one was abandoned
            deliver_due(limit=0, now=timezone.now() + dt.timedelta(hours=1))
            assert OutboxMessage.objects.get(pk=message.pk).status == MessageStatus.UNCERTAIN
            return super().send_messages(messages)

    monkeypatch.setattr("traza.notifications.services._mail_connection", SlowServer())
    assert deliver_due().sent == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1


def test_a_worker_marks_only_the_message_it_claimed(db, monkeypatch):
    """An uncertain message requeued and claimed by a second worker is that worker's: the
    first one, finishing late, records its attempt but does not mark the new claim."""
    message = queue_one()
    second: list[OutboxMessage] = []

    class SlowServer(MailServer):
        def send_messages(self, messages):
            if not second:
                deliver_due(limit=0, now=timezone.now() + dt.timedelta(hours=1))
                requeue(OutboxMessage.objects.get(pk=message.pk))
                second.append(claim_next(timezone.now()))
            return super().send_messages(messages)

    monkeypatch.setattr("traza.notifications.services._mail_connection", SlowServer())
    deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    assert message.claim_token == second[0].claim_token
    assert list(message.delivery_attempts.values_list("succeeded", flat=True)) == [True]


@pytest.mark.django_db(transaction=True)  # foreign keys are checked at a real commit
def test_a_message_erased_while_in_flight_does_not_stop_the_worker(monkeypatch):
    """An erasure may delete a message while the worker hands it over: the worker carries on."""
    first, second = queue_one(), queue_one()

    class ErasingServer(MailServer):
        def send_messages(self, messages):
            OutboxMessage.objects.filter(pk=first.pk).delete()
            return super().send_messages(messages)

    server = ErasingServer()
    monkeypatch.setattr("traza.notifications.services._mail_connection", server)
    assert deliver_due().sent == 2
    assert OutboxMessage.objects.get().status == MessageStatus.SENT
    assert server.handed == [first.message_id, second.message_id]
