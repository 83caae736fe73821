"""The trace: an append-only, hash-chained record of every create and change."""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TraceAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    STATUS = "status", _("status changed")
    DELETE = "delete", _("deleted")
    IMPORT = "import", _("imported")


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a trace event."""


class TraceEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Trace events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Trace events cannot be deleted.")

    def set_plan_scope(self, plan_id: int | None) -> int:
        """Point these events at the plan ``plan_id``: the one column written after the fact.
        It is derived from the scope and lies outside the hashed payload, so the chain still
        verifies (used when a scope moves to another plan, and to fill it in older rows)."""
        return super().update(plan_id=plan_id)


# What an event's hash covers, in the order read by verify_trace (values, not objects).
HASHED_FIELDS = (
    "id",
    "occurred_at",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "scope",
    "summary",
    "reason",
    "changes",
    "previous_hash",
)


def canonical_payload(values: dict) -> bytes:
    """The canonical JSON of an event's ``HASHED_FIELDS`` (``occurred_at`` a datetime)."""
    payload = dict(values)
    payload["occurred_at"] = values["occurred_at"].isoformat(timespec="microseconds")
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()


class TraceEvent(models.Model):
    """One step of the trace: who did what to which object, when and why.

    Each event stores the hash of the previous one, so any altered, inserted or
    removed row breaks the chain (see ``core.services.verify_trace``).
    """

    occurred_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=200)
    action = models.CharField(_("action"), max_length=20, choices=TraceAction.choices)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    object_label = models.CharField(_("object"), max_length=300)
    scope = models.CharField(
        _("scope"),
        max_length=80,
        help_text=_("The object whose public timeline shows this event (e.g. a commitment)."),
    )
    plan_id = models.BigIntegerField(
        _("plan"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The action plan the scope belongs to, kept for reading a plan's activity in one "
            "query; derived from the scope, outside the hash."
        ),
    )
    summary = models.CharField(_("what"), max_length=300)
    reason = models.TextField(_("why"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = TraceEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("trace event")
        verbose_name_plural = _("trace events")
        indexes = [
            models.Index(fields=["scope", "id"]),
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["plan_id", "id"], name="core_trace_plan_id_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Trace events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Trace events cannot be deleted.")

    def canonical_payload(self) -> bytes:
        """The bytes the hash covers: every recorded field plus the previous hash. Not
        ``plan_id``: it is derived from the scope (an index for reads, not a record)."""
        return canonical_payload(
            {
                "id": self.pk,
                "occurred_at": self.occurred_at,
                **{name: getattr(self, name) for name in HASHED_FIELDS[2:]},
            }
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_payload()).hexdigest()


class TraceCheckpointQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Checkpoints cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Checkpoints cannot be deleted.")


class TraceCheckpoint(models.Model):
    """A signed head of the trace (``traza checkpoint``), as Certificate Transparency's signed
    tree heads: the number of events, the root of the RFC 9162 Merkle tree over their hashes
    (``core.merkle``) and the time, signed with Ed25519 by a key kept outside the database
    (``core.checkpoints``). Published at ``/trace/checkpoints.json`` and in an Atom feed, so
    that anyone keeps copies: a later trace that is not an extension of a checkpoint someone
    saved is caught (consistency proofs), whatever the database says."""

    size = models.BigIntegerField(_("events"), unique=True)
    root_hash = models.CharField(_("root hash"), max_length=64)
    issued_at = models.DateTimeField(_("signed at"))
    origin = models.CharField(_("origin"), max_length=200)
    key_id = models.CharField(_("key"), max_length=16)
    signature = models.CharField(_("signature"), max_length=100)
    frontier = models.TextField(
        _("frontier"),
        help_text=_(
            "The roots of the complete subtrees at the right edge of the tree (hexadecimal, "
            "largest first): the next checkpoint starts from them instead of every event. Not "
            "signed; checked against the signed root before use."
        ),
    )

    objects = TraceCheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["size"]
        verbose_name = _("trace checkpoint")
        verbose_name_plural = _("trace checkpoints")

    def __str__(self) -> str:
        return f"{self.size} · {self.root_hash[:16]}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Checkpoints cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Checkpoints cannot be deleted.")
