"""The trace: an append-only, hash-chained record of every create and change."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from traza.core.tracefields import (
    ModelLabelField,
    PackedJSONField,
    TextIdField,
    canonical_json,
    changes_text,
    label_of,
)


class TraceAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    STATUS = "status", _("status changed")
    DELETE = "delete", _("deleted")
    IMPORT = "import", _("imported")


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a trace event."""


class AppendOnlyQuerySet(models.QuerySet):
    """Rows that are only ever inserted: no update, no delete through the ORM."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be changed.")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be deleted.")


class AppendOnly(models.Model):
    """A model whose rows are only ever inserted (a new object, or ``force_insert``); its
    manager is an :class:`AppendOnlyQuerySet`'s."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError(f"{type(self).__name__} rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows cannot be deleted.")


def scope_q(scope: "str | models.Model") -> models.Q:
    """The events whose public timeline is ``scope``'s: an object, or its key
    ``"app_label.model:id"`` (``core.services.object_key``). Indexed (scope, id)."""
    if isinstance(scope, models.Model):
        return models.Q(scope_type=scope._meta.label_lower, scope_id=scope.pk)
    label, _sep, object_id = scope.rpartition(":")
    return models.Q(scope_type=label, scope_id=object_id)


class TraceEventQuerySet(AppendOnlyQuerySet):
    def in_scope(self, scope: "str | models.Model") -> "TraceEventQuerySet":
        """The events whose public timeline is ``scope``'s (see :func:`scope_q`)."""
        return self.filter(scope_q(scope))

    def set_plan_scope(self, plan_id: int | None) -> int:
        """Point these events at the plan ``plan_id``: the one column written after the fact.
        It is derived from the scope and lies outside the hashed payload, so the chain still
        verifies (used when a scope moves to another plan, and to fill it in older rows)."""
        return models.QuerySet.update(self, plan_id=plan_id)


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


# The columns an event's recorded values (``HASHED_FIELDS`` but ``id`` and ``previous_hash``)
# are read from: the scope is two of them (``recorded_values`` joins them).
RECORDED_COLUMNS = (
    "occurred_at",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "scope_type",
    "scope_id",
    "summary",
    "reason",
    "changes",
)


def recorded_values(row) -> dict:
    """An event's recorded values, by the names its hash covers, from a row of
    ``RECORDED_COLUMNS``."""
    values = dict(zip(RECORDED_COLUMNS, row, strict=True))
    values["scope"] = f"{values.pop('scope_type')}:{values.pop('scope_id')}"
    return values


def stored_values(row) -> dict:
    """:func:`recorded_values` from a row of ``RECORDED_COLUMNS`` as the database driver gives
    it (integers, bytes, a datetime that may be naive UTC or text on SQLite), read like the
    fields read them but without the ORM's per-row work (verification reads a million), and
    with ``changes`` left as their canonical JSON text (see :func:`spliced_payload`)."""
    occurred_at, actor_label, action, object_type, object_id = row[:5]
    object_label, scope_type, scope_id, summary, reason, changes = row[5:]
    if isinstance(occurred_at, str):
        occurred_at = dt.datetime.fromisoformat(occurred_at)
    if occurred_at.tzinfo is None:
        occurred_at = occurred_at.replace(tzinfo=dt.UTC)
    return {
        "occurred_at": occurred_at,
        "actor_label": actor_label,
        "action": action,
        "object_type": label_of(object_type),
        "object_id": str(object_id),
        "object_label": object_label,
        "scope": f"{label_of(scope_type)}:{scope_id}",
        "summary": summary,
        "reason": reason,
        "changes": changes_text(changes),
    }


def spliced_payload(values: dict) -> bytes:
    """:func:`canonical_payload` of values whose ``changes`` are already their canonical JSON
    text: the same bytes, without parsing and writing the changes again. The keys are sorted,
    and only ``action`` and ``actor_label`` come before ``changes``."""
    rest = dict(values)
    changes = rest.pop("changes")
    head = {"action": rest.pop("action"), "actor_label": rest.pop("actor_label")}
    rest["occurred_at"] = rest["occurred_at"].isoformat(timespec="microseconds")
    return (
        f'{canonical_json(head)[:-1]}, "changes": {changes}, {canonical_json(rest)[1:]}'
    ).encode()


def canonical_payload(values: dict) -> bytes:
    """The canonical JSON of an event's ``HASHED_FIELDS`` (``occurred_at`` a datetime): ``id``
    is its position in the trace (``TraceSeal.position``) and ``previous_hash`` the hash of the
    event sealed before it, in hexadecimal."""
    payload = dict(values)
    payload["occurred_at"] = values["occurred_at"].isoformat(timespec="microseconds")
    return canonical_json(payload).encode()


class TraceEvent(AppendOnly):
    """One step of the trace: who did what to which object, when and why.

    Written by ``core.services.record`` in the transaction of the change it describes, with
    no lock: ``id`` comes from the database's sequence. Its place in the chain and its hash
    are given after that transaction commits, by the sealer (:class:`TraceSeal`,
    ``core.sealing``), in order, as a Certificate Transparency log incorporates entries. Any
    altered, inserted, removed or reordered sealed event breaks the chain or a signed
    checkpoint's root (see ``core.services.verify_trace``).
    """

    occurred_at = models.DateTimeField(_("when"))
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
    object_type = ModelLabelField(_("object type"))
    object_id = TextIdField(_("object id"))
    object_label = models.CharField(_("object"), max_length=300)
    scope_type = ModelLabelField(
        _("scope"),
        help_text=_("The object whose public timeline shows this event (e.g. a commitment)."),
    )
    scope_id = TextIdField(_("scope id"))
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
    changes = PackedJSONField(_("changes"))

    objects = TraceEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("trace event")
        verbose_name_plural = _("trace events")
        indexes = [
            # Scope and kind without the id: PostgreSQL keeps one entry per scope (or kind) with
            # the list of its rows (B-tree deduplication), a few bytes per event, where an entry
            # per event cost 76 (issue 14.4). A scope's events are few; they are sorted.
            models.Index(fields=["scope_type", "scope_id"], name="core_trace_scope_idx"),
            models.Index(fields=["object_type"], name="core_trace_object_idx"),
            models.Index(fields=["plan_id", "id"], name="core_trace_plan_id_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.summary}"

    @property
    def scope(self) -> str:
        """The key of the object whose timeline shows this event (``"plans.commitment:12"``)."""
        return f"{self.scope_type}:{self.scope_id}"

    @scope.setter
    def scope(self, key: str) -> None:
        self.scope_type, _sep, self.scope_id = key.rpartition(":")

    def payload_values(self, position: int, previous_hash: str) -> dict:
        """The values its hash covers once sealed at ``position`` after ``previous_hash``."""
        return {
            "id": position,
            "occurred_at": self.occurred_at,
            **{name: getattr(self, name) for name in HASHED_FIELDS[2:-1]},
            "previous_hash": previous_hash,
        }


class TraceSeal(AppendOnly):
    """An event's place in the chain and its hash, written once by the sealer
    (``core.sealing``) shortly after the event's transaction committed.

    ``position`` numbers the sealed events 1, 2, 3… with no gap: it is the ``id`` of the
    canonical payload and leaf ``position - 1`` of the Merkle tree the checkpoints sign. The
    hash (SHA-256, 32 bytes) covers the event's recorded fields, its position and the hash of
    the event sealed before it. Events recorded before sealing existed have the position of
    their ``id`` (migration 0004), so their hashes did not change."""

    position = models.BigIntegerField(_("position"), primary_key=True)
    event = models.OneToOneField(
        TraceEvent, verbose_name=_("event"), on_delete=models.PROTECT, related_name="seal"
    )
    hash = models.BinaryField(_("hash"), max_length=32)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("trace seal")
        verbose_name_plural = _("trace seals")

    def __str__(self) -> str:
        return f"{self.position} · {bytes(self.hash).hex()[:16]}"


class TracePending(models.Model):
    """An event recorded and not sealed yet: written with the event, in its transaction, and
    removed by the sealer in the transaction that seals it (so a sealer that dies mid-batch
    leaves its events pending, never lost, and the next one seals them in the same order)."""

    event = models.OneToOneField(
        TraceEvent, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["event"]
        verbose_name = _("event waiting to be sealed")
        verbose_name_plural = _("events waiting to be sealed")

    def __str__(self) -> str:
        return f"#{self.event_id}"


class TraceCheckpoint(AppendOnly):
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

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["size"]
        verbose_name = _("trace checkpoint")
        verbose_name_plural = _("trace checkpoints")

    def __str__(self) -> str:
        return f"{self.size} · {self.root_hash[:16]}"
