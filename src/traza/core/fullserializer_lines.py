"""The backup's serialization: JSON Lines, one object per line, with the exactness and the
bounded many-to-many reads of :mod:`traza.core.fullserializer`. A line at a time is written
by ``dumpdata`` and read by ``loaddata``, so backup and restore run in constant memory
whatever the size of the database (the JSON document format is read whole)."""

from django.core.serializers.jsonl import Deserializer
from django.core.serializers.jsonl import Serializer as LinesSerializer

from traza.core.fullserializer import ExactEncoder, with_m2m_prefetched

__all__ = ["Deserializer", "Serializer"]


class Serializer(LinesSerializer):
    def serialize(self, queryset, *args, **options):
        return super().serialize(with_m2m_prefetched(queryset), *args, **options)

    def _init_options(self):
        super()._init_options()  # type: ignore[misc]  # not in django-stubs
        self.json_kwargs["cls"] = ExactEncoder
