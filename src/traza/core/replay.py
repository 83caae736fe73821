"""The trace replayed against the data: a row changed without its trace event is caught.

The chain and the checkpoints prove the trace itself; they say nothing of a row edited in the
database directly (``UPDATE plans_commitment SET title = …``), with no event. Every write
service records what it changed (``{field: [old, new]}``; a creation its non-empty values),
so folding a kind of object's events in order gives the value of each traced field that its
rows must hold now. ``traza verify-trace --data`` compares them.

The apps say which models and fields to replay (the core cannot see them): their registrant
calls :func:`register_replayed` from ``AppConfig.ready()`` (``traza.activity`` does it for
commitments, milestones, contributions and reasoned responses). Only fields the trace holds
can be checked: a contribution's text and author are personal data and never enter the trace,
so they are not (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models

from traza.core.models import TraceEvent
from traza.core.services import _editable_fields as editable_fields
from traza.core.services import field_values

EMPTY: tuple[Any, ...] = (None, "", False)


@dataclass(frozen=True)
class Replayed:
    model: type[models.Model]
    fields: tuple[str, ...]


_replayed: dict[str, Replayed] = {}


def register_replayed(model: type[models.Model], fields: list[str] | None = None) -> None:
    """Check the ``fields`` of every ``model`` row (by default every field a write service
    traces: the editable ones) against the trace replayed."""
    names = editable_fields(model) if fields is None else fields
    _replayed[model._meta.label_lower] = Replayed(model, tuple(names))


def replayed() -> dict[str, Replayed]:
    return dict(_replayed)


@dataclass(frozen=True)
class Mismatch:
    object_type: str
    object_id: str
    field: str
    traced: Any
    current: Any

    def __str__(self) -> str:
        return (
            f"{self.object_type}:{self.object_id}: {self.field} is {self.current!r} in the "
            f"data, {self.traced!r} in the trace (changed without a trace event)"
        )


def replay(label: str, fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The traced value of each field of each object of kind ``label`` (by object id), from
    its events in order; a deleted object is absent. One indexed query, streamed."""
    wanted = set(fields)
    state: dict[str, dict[str, Any]] = {}
    events = (
        TraceEvent.objects.filter(object_type=label)
        .order_by("id")
        .values_list("object_id", "action", "changes")
        .iterator(chunk_size=5000)
    )
    for object_id, action, changes in events:
        if action == "delete":
            state.pop(object_id, None)
            continue
        values = state.setdefault(object_id, {})
        for name, change in (changes or {}).items():
            if name in wanted and isinstance(change, list) and len(change) == 2:
                values[name] = change[1]
    return state


def mismatches(limit: int = 100) -> Iterator[Mismatch]:
    """Each traced field whose row disagrees with the trace, and each row the trace never
    mentions (``field`` is ``"*"``), at most ``limit``."""
    found = 0
    for label, entry in _replayed.items():
        state = replay(label, entry.fields)
        for obj in entry.model._default_manager.order_by("pk").iterator(chunk_size=2000):
            traced = state.get(str(obj.pk))
            if traced is None:
                yield Mismatch(label, str(obj.pk), "*", None, "a row without any trace event")
                found += 1
            else:
                current = field_values(obj, list(entry.fields))
                for name in entry.fields:
                    expected = traced.get(name)
                    now = current[name]
                    if name not in traced and now in EMPTY:
                        continue  # never set: a creation leaves its empty values out
                    if expected != now:
                        yield Mismatch(label, str(obj.pk), name, expected, now)
                        found += 1
                        break
            if found >= limit:
                return
