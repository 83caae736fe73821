"""Compact storage for the trace's columns (issue 14, point 4).

An event's hash covers its recorded values as text (``core.models.HASHED_FIELDS``: a model's
label such as ``"plans.commitment"``, an object's id as ``"83"``, its changes as JSON). These
fields keep those values in Python, in the admin and in backups, and store them in fewer bytes:
a label as the id of its content type, an id as an integer, the changes as deflated JSON. What
the hash covers does not change, so events written before still verify.
"""

from __future__ import annotations

import json
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_migrate, pre_delete
from django.dispatch import receiver

_labels: dict[int, str] = {}  # content type id → label, read once per process


def label_of(type_id: int) -> str:
    """``app_label.model`` of a content type's id. Cached here, not only by Django's manager,
    because verifying a million events reads two per event (the cache is emptied when the
    content types may have been written again: ``forget_labels``)."""
    try:
        return _labels[type_id]
    except KeyError:
        content_type = ContentType.objects.get_for_id(type_id)
        label = _labels[type_id] = f"{content_type.app_label}.{content_type.model}"
        return label


@receiver(post_migrate)
def forget_labels(**kwargs: Any) -> None:
    """After ``migrate`` or a flush (a test's), content types may have other ids."""
    _labels.clear()


def type_id_of(label: str, create: bool = False) -> int | None:
    """The content type's id of ``app_label.model``; ``None`` when there is none (and it is
    not to be created). A label whose model is gone keeps its content type (see below)."""
    app_label, _, model = label.partition(".")
    try:
        return ContentType.objects.get_by_natural_key(app_label, model).pk
    except ContentType.DoesNotExist:
        if not create:
            return None
        return ContentType.objects.get_or_create(app_label=app_label, model=model)[0].pk


class ModelLabelField(models.IntegerField):
    """A model's label (``"app_label.model"``), stored as its content type's id (4 bytes
    instead of some 20, in the row and in each index). Queries compare labels:
    ``filter(object_type="plans.commitment")``."""

    _pyi_private_set_type: str | int  # what django-stubs' mypy plugin types it as
    _pyi_private_get_type: str  # type: ignore[assignment]  # read as text, stored as int

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        return None if value is None else label_of(value)

    def to_python(self, value: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return label_of(int(value))

    def get_prep_value(self, value: Any) -> int | None:
        """In a lookup: a label nobody recorded matches nothing (id 0 is never given)."""
        if value is None or isinstance(value, int):
            return value
        return type_id_of(str(value)) or 0

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        if isinstance(value, str):
            value = type_id_of(value, create=True)
        return super().get_db_prep_save(value, connection)


class TextIdField(models.BigIntegerField):
    """An object's id, stored as an integer and read as the text the trace records (``"83"``):
    every primary key Traza traces is an integer."""

    _pyi_private_set_type: str | int
    _pyi_private_get_type: str  # type: ignore[assignment]  # read as text, stored as int

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        return None if value is None else str(value)

    def to_python(self, value: Any) -> str | None:
        return None if value is None else str(int(value))


_DICTIONARY = Path(__file__).with_name("trace_changes_v1.dict")
# The first byte of stored changes says how the rest is written; a new dictionary would be a
# new format byte, and every format ever written stays readable.
_PLAIN, _DEFLATED_V1 = 0, 1


@cache
def _dictionary() -> bytes:
    """The preset dictionary of format 1: the field names and coded values of the traced
    models, as the demo's events record them with every free text emptied (so no one's words).
    Never changed: the stored changes of format 1 are inflated with exactly these bytes
    (``tests/core/test_trace_storage.py`` pins its SHA-256)."""
    return _DICTIONARY.read_bytes()


def canonical_json(value: Any) -> str:
    """JSON as the event's canonical payload writes it (``core.models.canonical_payload``)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def pack_changes(value: Any) -> bytes:
    """The changes as stored: empty for none, else a format byte and their canonical JSON,
    deflated with the preset dictionary when that is shorter. Canonical, so that verifying
    the trace can put the text in the payload it hashes without parsing it."""
    if not value:
        return b""
    text = canonical_json(value).encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, _dictionary())
    deflated = packer.compress(text) + packer.flush()
    if len(deflated) < len(text):
        return bytes([_DEFLATED_V1]) + deflated
    return bytes([_PLAIN]) + text


def changes_text(stored: bytes | memoryview | None) -> str:
    """The canonical JSON of stored changes (``"{}"`` for none), not parsed."""
    if not stored:
        return "{}"
    stored = bytes(stored)
    if stored[0] == _DEFLATED_V1:
        unpacker = zlib.decompressobj(-15, zdict=_dictionary())
        return (unpacker.decompress(stored[1:]) + unpacker.flush()).decode()
    if stored[0] == _PLAIN:
        return stored[1:].decode()
    raise ValueError(f"unknown format {stored[0]} of a trace event's changes")


def unpack_changes(stored: bytes | memoryview | None) -> Any:
    return json.loads(changes_text(stored))


class PackedJSONField(models.BinaryField):
    """A JSON value (an event's changes), stored deflated (``pack_changes``): about half the
    bytes of PostgreSQL's ``jsonb`` for a response, a tenth for a contribution. Read and
    written as the value; backups hold the JSON, as before."""

    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("default") is dict:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        return super().get_db_prep_value(pack_changes(value), connection, prepared)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else unpack_changes(value)

    def to_python(self, value: Any) -> Any:
        return value  # the deserialized JSON, as a JSONField's

    def value_to_string(self, obj: models.Model) -> Any:
        return self.value_from_object(obj)  # the JSON itself in a backup, as a JSONField's


@receiver(pre_delete, sender=ContentType)
def keep_traced_types(sender: Any, instance: ContentType, **kwargs: Any) -> None:
    """A content type the trace names is never removed (``remove_stale_contenttypes`` would
    for a model that is gone): its events would lose their label."""
    from traza.core.models import TraceEvent

    if TraceEvent.objects.filter(
        models.Q(object_type=instance.pk) | models.Q(scope_type=instance.pk)
    ).exists():
        raise models.ProtectedError(
            f"the trace names {instance.app_label}.{instance.model}: it is kept", set()
        )
