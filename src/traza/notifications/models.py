"""The outbox: every e-mail is written here in the transaction of the decision it reports,
then delivered by ``traza worker``. Mail is delayed by a failing server, never lost."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    UNCERTAIN = "uncertain", _("uncertain: the worker stopped while sending")


# What each message is for, as staff read it in the admin. The stored code is kept as it is
# (it de-duplicates scheduled mail: "process_warnings:2026-05-04"); the label is looked up
# on the part before the colon. A code not listed here is shown as stored.
PURPOSE_LABELS = {
    "response_published": _("reasoned response published"),
    "contribution_receipt": _("receipt of a contribution"),
    "post_hidden": _("discussion message hidden"),
    "progress_reviewed": _("progress report reviewed"),
    "milestone_due": _("milestone due"),
    "process_warnings": _("process requirements at risk"),
    "weekly_digest": _("weekly digest of contributions awaiting a response"),
    "follow_confirm": _("confirm following"),
    "follow_updates": _("updates of what you follow"),
    "my_data": _("your data"),
    "signup_exists": _("sign-up with an existing address"),
    "verify_email": _("e-mail address check"),
    "password_reset": _("password reset"),
    "second_factor_enrol": _("second factor set-up link"),
    "registration": _("event registration"),
}


def purpose_label(code: str) -> str:
    """The translated label of a stored purpose code ("process_warnings:2026-05-04" →
    "process requirements at risk (2026-05-04)"); unknown codes are shown as stored."""
    kind, _sep, detail = code.partition(":")
    label = PURPOSE_LABELS.get(kind)
    if label is None:
        return code
    return f"{label} ({detail})" if detail else str(label)


class OutboxMessage(models.Model):
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    purpose = models.CharField(_("purpose"), max_length=60)
    object_type = models.CharField(_("about (type)"), max_length=60, blank=True)
    object_id = models.CharField(_("about (id)"), max_length=40, blank=True)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # Which claim the message is under: a worker marks only the message it claimed itself.
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"

    @property
    def purpose_label(self) -> str:
        return purpose_label(self.purpose)


class DeliveryAttempt(models.Model):
    message = models.ForeignKey(
        OutboxMessage, on_delete=models.CASCADE, related_name="delivery_attempts"
    )
    attempted_at = models.DateTimeField(_("attempted at"))
    succeeded = models.BooleanField(_("succeeded"))
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"{self.message_id} {self.attempted_at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'error'}"


class FollowTarget(models.TextChoices):
    PLAN = "plan", _("action plan")
    COMMITMENT = "commitment", _("commitment")
    EVENT = "event", _("event")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("as soon as something happens")
    WEEKLY = "weekly", _("a weekly digest")


class Subscription(models.Model):
    """Someone who follows a plan, commitment or event by e-mail. Active only after they
    confirm from the e-mail (double opt-in); one click on any message's link ends it. The
    address is never published."""

    email = models.EmailField(_("e-mail"))
    target = models.CharField(_("follows"), max_length=12, choices=FollowTarget.choices)
    target_id = models.PositiveBigIntegerField()
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    consent_text = models.TextField(_("consent given"))
    created_at = models.DateTimeField(_("created"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [models.Index(fields=["target", "target_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "target", "target_id"], name="subscription_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_target_display()} {self.target_id}"

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None
