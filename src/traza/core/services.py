"""Writes of the trace, and its verification.

Every domain service calls :func:`record` inside its own transaction, so a change and
its trace event are committed together or not at all.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any, Generic, NamedTuple, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from traza.core import checkpoints as checkpoints_module
from traza.core import sealing
from traza.core.jsonvalues import Decimals, NaiveDatetimes, to_json
from traza.core.merkle import Frontier, leaf_hash
from traza.core.models import (
    RECORDED_COLUMNS,
    TraceAction,
    TraceCheckpoint,
    TraceEvent,
    TracePending,
    TraceSeal,
    spliced_payload,
    stored_values,
)
from traza.core.scopes import moves_plan, plan_of
from traza.core.sealing import GENESIS_HASH

M = TypeVar("M", bound=models.Model)
P = ParamSpec("P")

_CHECKPOINT_LOCK_KEY = 7_261_002  # one checkpoint writer at a time


@dataclass(frozen=True)
class SystemActor:
    """The actor of command-line jobs (imports, demo loading) run by an operator."""

    label: str = "system"

    is_authenticated = True
    is_active = True
    is_staff = True
    is_superuser = True
    pk = None

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return True


SYSTEM = SystemActor()


def actor_label(actor: Any) -> str:
    if isinstance(actor, SystemActor):
        return actor.label
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "anonymous"
    return actor.get_username()


def account_of(actor: Any):
    """The account behind an actor, or None for the system (command-line jobs)."""
    return actor if getattr(actor, "pk", None) else None


def require_perm(actor: Any, perm: str, obj: Any = None) -> None:
    """Refuse the write unless ``actor`` holds ``perm`` (on ``obj`` when given)."""
    if actor is None or not getattr(actor, "is_active", False):
        raise PermissionDenied(perm)
    if not (actor.has_perm(perm) or (obj is not None and actor.has_perm(perm, obj))):
        raise PermissionDenied(perm)


def object_key(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def to_jsonable(value: Any) -> Any:
    """Field values as they are written into the trace and versions (hashed: the policy
    ``jsonvalues.TRACE`` must never change)."""
    return to_json(value, decimals=Decimals.AS_STRING, naive=NaiveDatetimes.KEEP)


def field_values(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        raw = getattr(obj, field.attname)  # type: ignore[union-attr]  # a concrete field
        values[name] = to_jsonable(raw)
    return values


def diff_values(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def trace_language():
    """The trace is written in the site's language, whatever the request's language."""
    return translation.override(settings.LANGUAGE_CODE)


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    summary: str,
    reason: str = "",
    changes: dict[str, Any] | None = None,
    scope: models.Model | None = None,
) -> TraceEvent:
    """Append one event to the trace. Must run inside the caller's transaction: the event is
    committed with the change it describes, or neither is. No lock is taken (the ``id`` comes
    from the database's sequence); the event is sealed into the chain once the transaction has
    committed (``core.sealing``)."""
    if not connection.in_atomic_block:
        raise RuntimeError("record() must run inside the transaction of the write it traces")
    scoped = scope or obj
    event = TraceEvent(
        occurred_at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label(actor),
        action=TraceAction(action),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
        scope_type=scoped._meta.label_lower,
        scope_id=str(scoped.pk),
        plan_id=plan_of(scoped),  # outside the hash: an index for reading a plan's activity
        summary=summary[:300],
        reason=reason,
        changes=to_jsonable_changes(changes or {}),
    )
    event.save(force_insert=True)
    TracePending.objects.create(event=event)
    sealing.ask_for_seal()
    if scope is None and moves_plan(obj, event.changes):
        # the scope moved to another plan: its earlier events follow it
        TraceEvent.objects.in_scope(scoped).filter(id__lt=event.id).set_plan_scope(event.plan_id)
    return event


def to_jsonable_changes(changes: dict[str, Any]) -> dict[str, Any]:
    return {key: to_jsonable(value) for key, value in changes.items()}


@dataclass
class TraceProblem:
    event_id: int
    problem: str

    def __str__(self) -> str:
        return f"event #{self.event_id}: {self.problem}"


@dataclass
class Verified:
    """Where a verification of the trace got to: the events checked, the right edge of their
    Merkle tree and the last event's hash. Kept in a file (``traza verify-trace``) so that the
    next verification goes on from there."""

    frontier: Frontier = dataclasses.field(default_factory=Frontier)
    last_hash: str = GENESIS_HASH

    @property
    def size(self) -> int:
        return self.frontier.size

    def as_json(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "root_hash": self.frontier.root().hex(),
            "frontier": [h.hex() for h in self.frontier.hashes],
            "last_hash": self.last_hash,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Verified:
        frontier = Frontier(int(data["size"]), [bytes.fromhex(h) for h in data["frontier"]])
        if frontier.root().hex() != data["root_hash"]:
            raise ValueError("the saved frontier does not give its root")
        return cls(frontier, str(data["last_hash"]))


class Target(NamedTuple):
    """A root the trace must give at some size: a signed checkpoint, or one saved outside."""

    size: int
    root_hash: str
    label: str


def _signed_targets(
    checkpoints: Iterable[TraceCheckpoint],
) -> tuple[list[Target], TraceProblem | None]:
    """The checkpoints as targets, after checking their signatures with the public key."""
    try:
        key = checkpoints_module.public_key()
    except (ImproperlyConfigured, OSError, ValueError):
        key = None
    current = checkpoints_module.key_id(key) if key else None
    targets = []
    for checkpoint in checkpoints:
        # a checkpoint of another key would let whoever rewrote the trace "sign" its own root
        if key is None or checkpoint.key_id != current:
            return [], TraceProblem(
                checkpoint.size,
                f"checkpoint {checkpoint.size} names a key that is not this instance's "
                f"({checkpoint.key_id}); see docs/operations.md on the signing key",
            )
        if not checkpoints_module.signature_valid(checkpoint, key):
            return [], TraceProblem(
                checkpoint.size,
                f"checkpoint {checkpoint.size} does not carry a valid signature",
            )
        targets.append(
            Target(
                checkpoint.size,
                checkpoint.root_hash,
                f"checkpoint {checkpoint.size} signed at "
                f"{checkpoints_module.timestamp(checkpoint.issued_at)}",
            )
        )
    return targets, None


_SEALED_ROWS = (
    "SELECT s.position, s.hash, "
    + ", ".join(f"e.{TraceEvent._meta.get_field(name).column}" for name in RECORDED_COLUMNS)  # type: ignore[union-attr]
    + " FROM core_traceseal s JOIN core_traceevent e ON e.id = s.event_id "
    "WHERE s.position > %s AND s.position <= %s ORDER BY s.position LIMIT %s"
)


def _sealed_rows(after: int, upto: int | None, limit: int) -> list[tuple[int, bytes, dict]]:
    """The next ``limit`` sealed events after position ``after``: position, hash and the
    recorded values their hash covers, read as ``TraceEvent``'s fields read them."""
    with connection.cursor() as cursor:
        cursor.execute(_SEALED_ROWS, [after, upto if upto is not None else 2**62, limit])
        rows = cursor.fetchall()
    return [(row[0], bytes(row[1]), stored_values(row[2:])) for row in rows]


def _walk(
    start: Verified, targets: Iterable[Target], *, upto: int | None = None, batch_size: int = 2000
) -> tuple[Verified, TraceProblem | None]:
    """Check the events after ``start``: each one's content against its hash, its link to the
    previous one, and the Merkle root at every target's size; return where it got to."""
    frontier = Frontier(start.frontier.size, start.frontier.hashes)
    expected_previous = start.last_hash
    wanted: dict[int, list[Target]] = {}
    for target in targets:
        if target.size > start.size:
            wanted.setdefault(target.size, []).append(target)
    last_position = start.size
    while True:  # plain rows, not the ORM's converters: a million events in seconds
        batch = _sealed_rows(last_position, upto, batch_size)
        if not batch:
            break
        for position, sealed, values in batch:
            sealed_hash = sealed.hex()
            expected = frontier.size + 1
            if position != expected:
                return Verified(frontier, expected_previous), TraceProblem(
                    expected, f"missing (the sequence jumps to #{position})"
                )
            values["id"] = position
            values["previous_hash"] = expected_previous
            if hashlib.sha256(spliced_payload(values)).hexdigest() != sealed_hash:
                return Verified(frontier, expected_previous), TraceProblem(
                    position,
                    "altered (its content no longer matches its hash, or an event before it "
                    "was removed or moved)",
                )
            frontier.append(leaf_hash(sealed))
            expected_previous = sealed_hash
            for target in wanted.pop(frontier.size, []):
                if frontier.root().hex() != target.root_hash:
                    return Verified(frontier, expected_previous), TraceProblem(
                        position,
                        f"the events up to here no longer give the root of {target.label}: "
                        "an event at or before this one was rewritten, removed or reordered "
                        "and the hashes recomputed",
                    )
        last_position = batch[-1][0]
    if wanted:
        size = min(wanted)
        return Verified(frontier, expected_previous), TraceProblem(
            frontier.size + 1,
            f"missing: {wanted[size][0].label} holds {size} events, the trace only "
            f"{frontier.size} (the end of the trace was removed)",
        )
    return Verified(frontier, expected_previous), None


def verify_trace(
    batch_size: int = 2000,
    *,
    since: Verified | None = None,
    saved: Iterable[Target] = (),
) -> TraceProblem | None:
    """Recompute the chain and the Merkle tree; return the first tampered or missing event, or
    None. The tree must give the root of every signed checkpoint in the database and of every
    checkpoint ``saved`` outside it (a copy kept by someone else, or by ``verify-trace``), so
    that removing the end of the trace, or rewriting it and recomputing every later hash, is
    caught too. ``since``: go on from an earlier verification instead of the first event."""
    return verify_trace_from(since or Verified(), saved=saved, batch_size=batch_size)[1]


def verify_trace_from(
    start: Verified, *, saved: Iterable[Target] = (), batch_size: int = 2000
) -> tuple[Verified, TraceProblem | None]:
    """:func:`verify_trace`, answering also where it got to (to save for the next time)."""
    targets, problem = _signed_targets(TraceCheckpoint.objects.filter(size__gt=start.size))
    if problem:
        return start, problem
    targets += list(saved)
    if start.size:
        last = _sealed_hash(start.size)
        if last is None:
            return start, TraceProblem(
                start.size,
                f"missing: {start.size} events were verified before, the trace has fewer now "
                "(its end was removed)",
            )
        if last != start.last_hash:
            return start, TraceProblem(
                start.size, "its hash is not the one verified before (rewritten)"
            )
    return _walk(start, targets, batch_size=batch_size)


def _sealed_hash(position: int) -> str | None:
    """The hash sealed at ``position`` (hexadecimal), None when there is none."""
    found = TraceSeal.objects.filter(position=position).values_list("hash", flat=True).first()
    return None if found is None else bytes(found).hex()


def write_checkpoint(now: datetime | None = None) -> TraceCheckpoint | None:
    """Seal what is pending, then sign a checkpoint of the whole sealed trace and store it;
    None when there is nothing new since the last one. The events since the last checkpoint
    are verified first (content, chain, its root): a broken trace is never signed. Run by
    ``traza checkpoint`` (hourly, docs/operations.md); concurrent writers of the trace are not
    held up."""
    sealing.seal_pending(wait=True)
    return _write_checkpoint(now)


@transaction.atomic
def _write_checkpoint(now: datetime | None) -> TraceCheckpoint | None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # one checkpoint writer at a time
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHECKPOINT_LOCK_KEY])
    previous = checkpoints_module.latest()
    start = Verified()
    if previous is not None:
        frontier = checkpoints_module.frontier_of(previous)
        if frontier is None:  # rebuild it from the events, checking them against the root
            start, problem = _walk(
                Verified(),
                [Target(previous.size, previous.root_hash, f"checkpoint {previous.size}")],
                upto=previous.size,
            )
            if problem is not None:
                raise checkpoints_module.TraceMismatch(str(problem))
        else:
            start = Verified(frontier, _sealed_hash(previous.size) or "")
    upto = TraceSeal.objects.aggregate(top=models.Max("position"))["top"] or 0
    if upto <= start.size:
        return None
    reached, problem = _walk(start, [], upto=upto)
    if problem is not None:
        raise checkpoints_module.TraceMismatch(str(problem))
    root_hash = reached.frontier.root().hex()
    issued_at = (now or timezone.now()).replace(microsecond=0)
    origin = checkpoints_module.origin()
    key = checkpoints_module.signing_key()
    text = checkpoints_module.signed_text(origin, reached.size, root_hash, issued_at)
    checkpoint = TraceCheckpoint(
        size=reached.size,
        root_hash=root_hash,
        issued_at=issued_at,
        origin=origin,
        key_id=checkpoints_module.key_id(key.public_key()),
        signature=base64.b64encode(key.sign(text)).decode(),
        frontier=checkpoints_module.encode_frontier(reached.frontier),
    )
    checkpoint.save(force_insert=True)
    return checkpoint


def _editable_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and not f.many_to_many
    ]


class Saved(NamedTuple, Generic[M]):
    """What a write service did: the object, the changes it traced (``{field: [old, new]}``,
    for a new object its non-empty values) and whether it was created. Nothing was written
    when ``changed`` is False."""

    object: M
    changes: dict[str, Any]
    created: bool = False

    @property
    def changed(self) -> bool:
        return self.created or bool(self.changes)


Scope = models.Model | str | None
"""Where a write is traced: an object, the dotted path of one on the saved instance (read
after the values are set, e.g. ``"session.forum"``) or None (the instance itself)."""


def _resolve_scope(instance: models.Model, scope: Scope) -> models.Model | None:
    if isinstance(scope, str):
        return attrgetter(scope)(instance)
    return scope


def save_traced(
    actor: Any,
    instance: M,
    values: dict[str, Any],
    *,
    reason: str = "",
    scope: Scope = None,
    action: str | None = None,
    related: dict[str, Iterable[models.Model] | None] | None = None,
) -> Saved[M]:
    """Create or change ``instance`` with ``values``, check permission, validate, trace.

    ``related`` replaces many-to-many relations (None leaves one alone) in the same trace
    event: its changes name each relation that changed, ``[old names, new names]``.

    Returns the instance and the changes made (empty when nothing changed: then nothing
    is written, so repeating an import adds nothing).
    """
    model = type(instance)
    creating = instance.pk is None
    perm = f"{model._meta.app_label}.{'add' if creating else 'change'}_{model._meta.model_name}"
    require_perm(actor, perm, None if creating else instance)
    fields = _editable_fields(model)
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"unknown fields for {model.__name__}: {sorted(unknown)}")
    before = {} if creating else field_values(instance, fields)
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean()
    after = field_values(instance, fields)
    changes = diff_values(before, after)
    relations = _relations_to_change(instance, creating, related or {})
    if not creating and not changes and not relations:
        return Saved(instance, {})
    instance.save()
    for field, (_current, wanted) in relations.items():
        getattr(instance, field).set(wanted)
    if creating:
        changes = {k: [None, v] for k, v in after.items() if v not in (None, "", False)}
    changes.update(_named(relations))
    with trace_language():
        summary = _summary(instance, creating, changes)
    record(
        actor,
        action or ("create" if creating else "update"),
        instance,
        summary=summary,
        reason=reason,
        changes=changes,
        scope=_resolve_scope(instance, scope),
    )
    return Saved(instance, changes, created=creating)


def _relations_to_change(
    instance: models.Model, creating: bool, related: dict[str, Iterable[models.Model] | None]
) -> dict[str, tuple[list[models.Model], list[models.Model]]]:
    """``{field: (current, wanted)}`` for each many-to-many relation that would change."""
    found = {}
    for field, items in related.items():
        if items is None:
            continue
        wanted = {item.pk: item for item in items}
        current = {} if creating else {item.pk: item for item in getattr(instance, field).all()}
        if set(wanted) != set(current):
            found[field] = (list(current.values()), list(wanted.values()))
    return found


def _named(
    relations: dict[str, tuple[list[models.Model], list[models.Model]]],
) -> dict[str, list[list[str]]]:
    """The trace's record of changed relations: ``{field: [old names, new names]}``."""
    return {
        field: [sorted(str(i) for i in current), sorted(str(i) for i in wanted)]
        for field, (current, wanted) in relations.items()
    }


class Service(Generic[P, M]):
    """A write service, atomic: calling it returns the object written (what most callers
    want); ``.traced(...)``, with the same arguments, returns its :class:`Saved`, so a caller
    that needs to know what changed (the importer) never compares snapshots itself."""

    def __init__(self, function: Callable[P, Saved[M]]) -> None:
        self.traced: Callable[P, Saved[M]] = transaction.atomic(function)
        functools.update_wrapper(self, function)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> M:
        return self.traced(*args, **kwargs).object


def service(function: Callable[P, Saved[M]]) -> Service[P, M]:
    """Declare a write service that returns a :class:`Saved` (see :class:`Service`)."""
    return Service(function)


def saver(
    model: type[M],
    *,
    scope: str | None = None,
    module: str | None = None,
    doc: str | None = None,
) -> Service[..., M]:
    """The write service of ``model`` with nothing but permission, validation and trace:
    ``save(actor, instance_or_None, values, reason="", **many_to_many)``, traced under
    ``scope`` (a dotted path on the instance, see :data:`Scope`); each keyword replaces a
    many-to-many relation, traced too (None leaves it alone)."""

    def save(
        actor: Any,
        instance: M | None,
        values: dict[str, Any],
        reason: str = "",
        **related: Iterable[models.Model] | None,
    ) -> Saved[M]:
        saved = save_traced(actor, instance or model(), values, reason=reason, scope=scope)
        return with_related(actor, saved, related, reason=reason)

    save.__doc__ = doc or f"Create or change a {model._meta.verbose_name} (traced)."
    save.__name__ = save.__qualname__ = f"save_{model._meta.model_name}"
    if module:  # where the service is declared, not here
        save.__module__ = module
    return Service(save)


def with_related(
    actor: Any,
    saved: Saved[M],
    related: dict[str, Iterable[models.Model] | None],
    *,
    reason: str = "",
) -> Saved[M]:
    """``saved`` after replacing the many-to-many relations given (None leaves one alone),
    each traced; their changes join the result's."""
    changes = dict(saved.changes)
    for field, items in related.items():
        if items is not None:
            changes.update(replace_related(actor, saved.object, field, items, reason=reason))
    return saved._replace(changes=changes)


def _summary(instance: models.Model, creating: bool, changes: dict[str, Any]) -> str:
    model = type(instance)
    if creating:
        return _("Created %(type)s “%(object)s”") % {
            "type": model._meta.verbose_name,
            "object": instance,
        }
    return _("Changed %(type)s “%(object)s”: %(fields)s") % {
        "type": model._meta.verbose_name,
        "object": instance,
        "fields": ", ".join(
            str(model._meta.get_field(k).verbose_name)  # type: ignore[union-attr]
            for k in changes
        ),
    }


def replace_related(
    actor: Any, obj: models.Model, field: str, wanted: Any, *, reason: str = ""
) -> dict[str, list[Any]]:
    """Replace a many-to-many relation and trace the change (names, old and new).

    Returns ``{field: [old names, new names]}``, or ``{}``, writing nothing, when the
    relation already holds exactly ``wanted``.
    """
    manager = getattr(obj, field)
    wanted = {item.pk: item for item in wanted}
    current = {item.pk: item for item in manager.all()}
    if set(wanted) == set(current):
        return {}
    manager.set(list(wanted.values()))
    label = obj._meta.get_field(field).verbose_name  # type: ignore[union-attr]
    with trace_language():
        summary = _("Changed the %(field)s of “%(object)s”") % {"field": label, "object": obj}
    changes = {
        field: [
            sorted(str(i) for i in current.values()),
            sorted(str(i) for i in wanted.values()),
        ]
    }
    record(actor, "update", obj, summary=summary, reason=reason, changes=changes)
    return changes


def set_related(
    actor: Any, obj: models.Model, field: str, wanted: Any, *, reason: str = ""
) -> bool:
    """:func:`replace_related`, answering whether anything changed."""
    return bool(replace_related(actor, obj, field, wanted, reason=reason))
