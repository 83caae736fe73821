"""Django's JSON serialization, but exact: timestamps keep their microseconds (the stock
encoder cuts them to milliseconds), so a backup restores the trace byte for byte. And
bounded: many-to-many values are read for 500 objects at a time, not with one query per
object (200,000 responses would otherwise cost 200,000 queries for ``changed_versions``)."""

import datetime as dt
from collections.abc import Iterable, Iterator

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db.models import Model, prefetch_related_objects

__all__ = ["Deserializer", "Serializer"]


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


CHUNK = 500


def _auto_m2m(model: type[Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.many_to_many
        if field.remote_field.through._meta.auto_created  # type: ignore[union-attr]
    ]


def with_m2m_prefetched(objects: Iterable[Model], size: int = CHUNK) -> Iterator[Model]:
    """The same objects in the same order, their many-to-many values read per chunk of
    ``size`` objects of one model (the serializer uses the prefetched values)."""
    chunk: list[Model] = []
    for obj in objects:
        if chunk and (type(obj) is not type(chunk[0]) or len(chunk) >= size):
            yield from _prefetched(chunk)
            chunk = []
        chunk.append(obj)
    yield from _prefetched(chunk)


def _prefetched(chunk: list[Model]) -> list[Model]:
    names = _auto_m2m(type(chunk[0])) if chunk else []
    if names:
        prefetch_related_objects(chunk, *names)
    return chunk


class Serializer(JSONSerializer):
    def serialize(self, queryset, *args, **options):
        return super().serialize(with_m2m_prefetched(queryset), *args, **options)

    def _init_options(self):
        super()._init_options()  # type: ignore[misc]  # not in django-stubs
        self.json_kwargs["cls"] = ExactEncoder
