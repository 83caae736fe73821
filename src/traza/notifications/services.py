"""Queue and deliver e-mail through the outbox.

The worker hands each message to the mail server at most once on its own. It claims one
message at a time (committed, under a claim token and a lease), hands it to the mail backend and
marks it sent right after; the next message is claimed only then. If the worker dies between
claim and mark, only that one message is left: once its lease is over it becomes
``uncertain`` for the secretariat to check and requeue, rather than sent twice, and every
message never tried stays queued for the next worker. Requeueing an uncertain message may
deliver it a second time (it may have reached the server before the worker died). A backend
error puts the message back in the queue with exponential back-off.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, models, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from traza.notifications.models import (
    DeliveryAttempt,
    Frequency,
    MessageStatus,
    OutboxMessage,
    Subscription,
)


def _mail_connection():
    """The default mailer: ``mailers.default`` on Django 6.1+, ``get_connection()`` before."""
    if django.VERSION >= (6, 1):
        from django.core.mail import mailers

        return mailers.default
    return get_connection()


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


SUBJECT_MAX_LENGTH = 200


def clean_subject(subject: str) -> str:
    """A subject safe for a mail header: line breaks, tabs and every other control character
    or line separator become spaces, runs of spaces one space, and a long subject is cut with
    "…". (A newline in a header makes Django refuse the whole message.)"""
    text = "".join(
        " " if unicodedata.category(char) in {"Cc", "Zl", "Zp"} else char for char in str(subject)
    )
    text = " ".join(text.split())
    if len(text) > SUBJECT_MAX_LENGTH:
        text = text[: SUBJECT_MAX_LENGTH - 1].rstrip() + "…"
    return text


def enqueue(
    to: str,
    subject: str,
    body: str,
    *,
    purpose: str,
    about: models.Model | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> OutboxMessage:
    """Write one message to the outbox. Call it inside the transaction of the change it reports.
    The subject is cleaned here (``clean_subject``), whatever its source."""
    if not connection.in_atomic_block:
        raise RuntimeError("enqueue() must run inside the transaction it reports on")
    domain = _setting("TRAZA_MAIL_DOMAIN", "traza.local")
    return OutboxMessage.objects.create(
        purpose=purpose,
        object_type=about._meta.label_lower if about is not None else "",
        object_id=str(about.pk) if about is not None else "",
        to=to,
        subject=clean_subject(subject),
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


def _due(now: dt.datetime) -> models.QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(
        status=MessageStatus.QUEUED, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "id")


def claim_next(now: dt.datetime) -> OutboxMessage | None:
    """Claim the next due message for this worker alone, and commit the claim before anything
    is sent. PostgreSQL locks the row with SELECT … FOR UPDATE SKIP LOCKED, so workers never
    wait for each other; elsewhere (SQLite) an UPDATE that only succeeds while the message is
    still queued decides which worker got it. The claim carries a fresh token: a worker marks
    only a message it claimed itself."""
    token = uuid.uuid4().hex
    claimed: dict[str, Any] = {"status": MessageStatus.SENDING, "claim_token": token}
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            message = _due(now).select_for_update(skip_locked=True).first()
            if message is None:
                return None
            claimed["claimed_at"] = timezone.now()
            OutboxMessage.objects.filter(pk=message.pk).update(**claimed)
    else:
        while True:
            message = _due(now).first()
            if message is None:
                return None
            claimed["claimed_at"] = timezone.now()
            won = OutboxMessage.objects.filter(
                pk=message.pk, status=MessageStatus.QUEUED, next_attempt_at__lte=now
            ).update(**claimed)
            if won:
                break  # else another worker claimed it first: try the next one
    for field, value in claimed.items():
        setattr(message, field, value)
    return message


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


def deliver_due(
    limit: int = 100,
    now: dt.datetime | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> DeliveryReport:
    """Send what is due, one message at a time: claim it, send it, mark it sent or schedule
    its retry, then claim the next. Stops early when ``should_stop()`` is true (checked
    between messages, never while one is in flight)."""
    report = DeliveryReport()
    report.uncertain = mark_abandoned(now or timezone.now())
    while report.sent + report.retried + report.failed < limit and not should_stop():
        message = claim_next(now or timezone.now())
        if message is None:
            break
        outcome = _send(message)
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _send(message: OutboxMessage) -> str:
    """Hand one claimed message to the mail backend and record the outcome."""
    mine = OutboxMessage.objects.filter(pk=message.pk, claim_token=message.claim_token)
    attempt_at = timezone.now()
    try:
        with _mail_connection() as mail:
            mail.send_messages([_email(message)])
    except Exception as error:  # any backend failure means "try later"
        error_text = f"{type(error).__name__}: {error}"[:2000]
        attempts = message.attempts + 1
        changes: dict[str, Any]
        if attempts >= _setting("TRAZA_MAIL_MAX_ATTEMPTS", 8):
            outcome, changes = "failed", {"status": MessageStatus.FAILED}
        else:
            outcome = "retried"
            changes = {
                "status": MessageStatus.QUEUED,
                "next_attempt_at": attempt_at + backoff(attempts),
            }
        with transaction.atomic():
            mine.update(attempts=F("attempts") + 1, last_error=error_text, **changes)
            _record_attempt(message, attempt_at, succeeded=False, error=error_text)
        return outcome
    with transaction.atomic():
        # Sent, even if its lease ran out meanwhile and it was marked uncertain.
        mine.update(attempts=F("attempts") + 1, status=MessageStatus.SENT, sent_at=timezone.now())
        _record_attempt(message, attempt_at, succeeded=True)
    return "sent"


def _record_attempt(message: OutboxMessage, at: dt.datetime, **outcome: Any) -> None:
    """Record an attempt, unless the message was deleted meanwhile (an erasure)."""
    if OutboxMessage.objects.filter(pk=message.pk).exists():
        DeliveryAttempt.objects.create(message=message, attempted_at=at, **outcome)


def mark_abandoned(now: dt.datetime) -> int:
    """Messages whose claim is older than the lease and never marked: their worker died while
    sending them. At most one per worker process, since a worker claims one message at a time."""
    lease = dt.timedelta(seconds=_setting("TRAZA_MAIL_LEASE_SECONDS", 600))
    return OutboxMessage.objects.filter(
        status=MessageStatus.SENDING, claimed_at__lt=now - lease
    ).update(status=MessageStatus.UNCERTAIN)


def requeue(message: OutboxMessage) -> None:
    """Put a failed or uncertain message back in the queue (a person decided to resend it; an
    uncertain one may then arrive twice)."""
    OutboxMessage.objects.filter(
        pk=message.pk, status__in=[MessageStatus.FAILED, MessageStatus.UNCERTAIN]
    ).update(status=MessageStatus.QUEUED, next_attempt_at=timezone.now(), claim_token="")


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


def outbox_health(now: dt.datetime | None = None) -> tuple[dict[str, int], list[str]]:
    """The outbox's counts for the health check, and what is wrong with it: messages
    uncertain (including those still "sending" past their lease: their worker is gone),
    failed, or queued longer than ``TRAZA_HEALTH_QUEUE_MINUTES``."""
    now = now or timezone.now()
    lease = dt.timedelta(seconds=_setting("TRAZA_MAIL_LEASE_SECONDS", 600))
    counts = dict(
        OutboxMessage.objects.filter(
            status__in=[
                MessageStatus.QUEUED,
                MessageStatus.SENDING,
                MessageStatus.FAILED,
                MessageStatus.UNCERTAIN,
            ]
        )
        .values_list("status")
        .annotate(n=models.Count("id"))
        .order_by()
    )
    stale = OutboxMessage.objects.filter(
        status=MessageStatus.SENDING, claimed_at__lt=now - lease
    ).count()
    oldest = (
        OutboxMessage.objects.filter(status=MessageStatus.QUEUED)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    waited = int((now - oldest).total_seconds()) if oldest else 0
    summary = {
        "queued": counts.get(MessageStatus.QUEUED, 0),
        "sending": counts.get(MessageStatus.SENDING, 0) - stale,
        "failed": counts.get(MessageStatus.FAILED, 0),
        "uncertain": counts.get(MessageStatus.UNCERTAIN, 0) + stale,
        "oldest_queued_seconds": max(waited, 0),
    }
    problems = []
    if summary["uncertain"]:
        problems.append("outbox_uncertain")
    if summary["failed"]:
        problems.append("outbox_failed")
    if waited > _setting("TRAZA_HEALTH_QUEUE_MINUTES", 15) * 60:
        problems.append("outbox_waiting")
    return summary, problems


# Follow subscriptions: a person's address and wish to get news by e-mail
# (``traza.repository.following`` decides what is followed and what is sent). They are not
# traced: they are personal data, not part of the public record, and the trace never holds
# an address.


def subscribe(
    email: str, target: str, target_id: int, *, frequency: str, consent_text: str
) -> Subscription:
    """Record (or renew) the wish to follow ``target`` ``target_id``: a new subscription gets
    its random token; asking again keeps it, takes the new frequency and consent, and re-opens
    an ended one. Confirmation stays as it was."""
    subscription = Subscription.objects.filter(
        email__iexact=email, target=target, target_id=target_id
    ).first() or Subscription(
        email=email,
        target=target,
        target_id=target_id,
        token=secrets.token_urlsafe(32),
        created_at=timezone.now(),
    )
    subscription.frequency = frequency or Frequency.IMMEDIATE
    subscription.consent_text = consent_text
    subscription.unsubscribed_at = None
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def confirm_subscription(token: str) -> Subscription | None:
    """Confirm from the e-mailed link (news are counted from now); ``None`` when the link
    is unknown or the subscription ended."""
    subscription = Subscription.objects.select_for_update().filter(token=token).first()
    if subscription is None or subscription.unsubscribed_at:
        return None
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.last_sent_at = subscription.confirmed_at
        subscription.save(update_fields=["confirmed_at", "last_sent_at"])
    return subscription


@transaction.atomic
def end_subscription(token: str) -> Subscription | None:
    """One-click unsubscribe: ends the subscription of ``token`` (if it is still on)."""
    subscription = Subscription.objects.select_for_update().filter(token=token).first()
    if subscription is not None and subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


def mark_subscription_sent(subscription: Subscription, at: dt.datetime) -> None:
    """The news up to ``at`` went to the subscriber (call it in the transaction that
    enqueued them, with the subscription locked)."""
    subscription.last_sent_at = at
    subscription.save(update_fields=["last_sent_at"])


# Forgetting mail, for the privacy engine above (``traza.accounts.privacy``), which passes
# the pseudonym and the words that replace what is forgotten.


def forget_mail(messages: list[OutboxMessage], *, to: Callable[[str], str], body: str) -> None:
    """Delete what is not sent yet; keep of sent mail (or mail being sent) only that it
    went, and when: the address becomes ``to(address)``, the text ``body``, attachments and
    errors go."""
    kept = {MessageStatus.SENT, MessageStatus.SENDING}
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages if m.status not in kept]).delete()
    for message in messages:
        if message.status in kept:
            OutboxMessage.objects.filter(pk=message.pk).update(
                to=to(message.to), body=body, attachments=[], last_error=""
            )
            DeliveryAttempt.objects.filter(message_id=message.pk).update(error="")


def rewrite_mail(message: OutboxMessage, replace: Callable[[str], str]) -> None:
    """Take out of a message to someone else what ``replace`` removes (an erased person's
    name and address) from its subject, text and last error."""
    OutboxMessage.objects.filter(pk=message.pk).update(
        subject=replace(message.subject),
        body=replace(message.body),
        last_error=replace(message.last_error),
    )
