"""Queue and deliver e-mail through the outbox.

Delivery is at most once per message: a message is claimed (committed) before it is handed to
the mail backend and marked sent right after. If the worker dies between the two, the message
is left ``uncertain`` for the secretariat to check and requeue, rather than sent twice. A
backend error puts the message back in the queue with exponential back-off.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from traza.notifications.models import DeliveryAttempt, MessageStatus, OutboxMessage


def _mail_connection():
    """The default mailer: ``mailers.default`` on Django 6.1+, ``get_connection()`` before."""
    if django.VERSION >= (6, 1):
        from django.core.mail import mailers

        return mailers.default
    return get_connection()


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def enqueue(
    to: str,
    subject: str,
    body: str,
    *,
    purpose: str,
    about: models.Model | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> OutboxMessage:
    """Write one message to the outbox. Call it inside the transaction of the change it reports."""
    if not connection.in_atomic_block:
        raise RuntimeError("enqueue() must run inside the transaction it reports on")
    domain = _setting("TRAZA_MAIL_DOMAIN", "traza.local")
    return OutboxMessage.objects.create(
        purpose=purpose,
        object_type=about._meta.label_lower if about is not None else "",
        object_id=str(about.pk) if about is not None else "",
        to=to,
        subject=subject[:300],
        body=body,
        attachments=[
            {"filename": name, "content": base64.b64encode(content).decode(), "mimetype": mimetype}
            for name, content, mimetype in (attachments or [])
        ],
        message_id=f"<{uuid.uuid4().hex}@{domain}>",
        next_attempt_at=timezone.now(),
    )


def backoff(attempts: int) -> dt.timedelta:
    """Wait before retry number ``attempts``: 1, 2, 4 … minutes, capped at 6 hours."""
    base = _setting("TRAZA_MAIL_RETRY_BASE_SECONDS", 60)
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    uncertain: int = 0


def _claim(now: dt.datetime, limit: int) -> list[OutboxMessage]:
    with transaction.atomic():
        due = OutboxMessage.objects.filter(
            status=MessageStatus.QUEUED, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        messages = list(due[:limit])
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
            status=MessageStatus.SENDING, claimed_at=now
        )
    return messages


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.to],
        headers={"Message-ID": message.message_id},
    )
    for item in message.attachments:
        email.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
    return email


def deliver_due(limit: int = 100, now: dt.datetime | None = None) -> DeliveryReport:
    """Send what is due; mark each message sent, or schedule its retry."""
    now = now or timezone.now()
    report = DeliveryReport()
    report.uncertain = mark_abandoned(now)
    max_attempts = _setting("TRAZA_MAIL_MAX_ATTEMPTS", 8)
    for message in _claim(now, limit):
        attempt_at = timezone.now()
        try:
            with _mail_connection() as mail:
                mail.send_messages([_email(message)])
        except Exception as error:  # any backend failure means "try later"
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= max_attempts:
                message.status = MessageStatus.FAILED
                report.failed += 1
            else:
                message.status = MessageStatus.QUEUED
                message.next_attempt_at = attempt_at + backoff(message.attempts)
                report.retried += 1
            with transaction.atomic():
                message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
                DeliveryAttempt.objects.create(
                    message=message,
                    attempted_at=attempt_at,
                    succeeded=False,
                    error=message.last_error,
                )
            continue
        message.attempts += 1
        message.status = MessageStatus.SENT
        message.sent_at = timezone.now()
        with transaction.atomic():
            message.save(update_fields=["attempts", "status", "sent_at"])
            DeliveryAttempt.objects.create(message=message, attempted_at=attempt_at, succeeded=True)
        report.sent += 1
    return report


def mark_abandoned(now: dt.datetime) -> int:
    """Messages claimed long ago and never marked: the worker died while sending."""
    lease = dt.timedelta(seconds=_setting("TRAZA_MAIL_LEASE_SECONDS", 600))
    return OutboxMessage.objects.filter(
        status=MessageStatus.SENDING, claimed_at__lt=now - lease
    ).update(status=MessageStatus.UNCERTAIN)


def requeue(message: OutboxMessage) -> None:
    """Put a failed or uncertain message back in the queue (a person decided to resend it)."""
    OutboxMessage.objects.filter(
        pk=message.pk, status__in=[MessageStatus.FAILED, MessageStatus.UNCERTAIN]
    ).update(status=MessageStatus.QUEUED, next_attempt_at=timezone.now())


def enqueue_rendered(
    to: str,
    subject: Callable[[], str],
    template: str,
    context: dict[str, Any],
    *,
    purpose: str,
    about: models.Model | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> OutboxMessage:
    """Write a message whose subject and body are composed in the site's language, whatever
    language the request that caused it was in. ``subject`` is called inside that language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject_text = subject()
        body = render_to_string(template, context)
    return enqueue(to, subject_text, body, purpose=purpose, about=about, attachments=attachments)
