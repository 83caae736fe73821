"""Open datasets: each app declares the public data it owns, the api app publishes it.

A :class:`Dataset` drives the JSON API list, the CSV, JSON and XLSX downloads, the
Frictionless data package and the data dictionary (docs/data/dictionary.md). Each app declares
its datasets in ``<app>/datasets.py`` and registers them in its ``AppConfig.ready()``::

    from traza.core.datasets import registry
    from traza.plans.datasets import DATASETS

    registry.register(*DATASETS)

The registry lives here, at the ground floor, so that every app can fill it and the api app
(``traza.api.opendata``) can read it without importing any domain app. Each dataset carries an
explicit ``position``: the registry lists them in that order (lowest first), whatever order
the apps start in, so the package and the dictionary never reorder.

Only public data belongs in a dataset: no e-mail address, no author's name without consent,
no person's registration or attendance (only counts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

__all__ = ["CHUNK", "Column", "Dataset", "DatasetRegistry", "registry"]

CHUNK = 2000
"""Rows read from the database at a time when a dataset is streamed."""


@dataclass
class Column:
    name: str
    type: str  # Frictionless field types: integer, number, string, boolean, date, datetime
    description: str
    computed: bool = False  # filled by the dataset's ``post``, not read from the database


@dataclass
class Dataset:
    """One public dataset. Rows come from ``query()`` (a queryset, read with ``values()`` of
    the columns not ``computed``, then passed through ``post``) or, for datasets computed in
    Python, from ``rows_builder(filters)``. ``filters`` maps a public filter name to the
    queryset lookup and the type of its value."""

    name: str
    title: str
    description: str
    columns: list[Column]
    query: Callable[[], QuerySet] | None = None
    filters: dict[str, tuple[str, type]] = field(default_factory=dict)
    order: tuple[str, ...] = ("id",)
    post: Callable[[dict], dict] | None = None
    rows_builder: Callable[[dict], Iterator[dict]] | None = None  # datasets computed in Python
    position: int = field(kw_only=True)
    """Where the dataset stands in every list of datasets (lowest first)."""

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def queryset(self, filters: dict[str, Any] | None = None) -> QuerySet:
        if self.query is None:
            raise TypeError(f"the dataset {self.name!r} is computed in Python: it has no query")
        queryset = self.query()
        for key, value in (filters or {}).items():
            path, _kind = self.filters[key]
            queryset = queryset.filter(**{path: value})
        return queryset.order_by(*self.order).values(
            *[c.name for c in self.columns if not c.computed]
        )

    def rows(self, filters: dict[str, Any] | None = None) -> Iterator[dict]:
        """Every row, streamed from the database in chunks (constant memory)."""
        if self.rows_builder is not None:
            yield from self.rows_builder(filters or {})
            return
        for row in self.queryset(filters).iterator(chunk_size=CHUNK):
            yield self.post(row) if self.post else row

    def count(self, filters: dict[str, Any] | None = None) -> int:
        if self.rows_builder is not None:
            return sum(1 for _ in self.rows_builder(filters or {}))
        return self.queryset(filters).count()

    def page(self, filters: dict[str, Any], offset: int, limit: int) -> list[dict]:
        if self.rows_builder is not None:
            return list(self.rows_builder(filters))[offset : offset + limit]
        rows = self.queryset(filters)[offset : offset + limit]
        return [self.post(r) if self.post else r for r in rows]


class DatasetRegistry(Mapping[str, Dataset]):
    """The registered datasets by name, iterated in the order of their ``position``."""

    def __init__(self) -> None:
        self._by_name: dict[str, Dataset] = {}
        self._ordered: list[str] | None = None

    def register(self, *datasets: Dataset) -> None:
        """Add ``datasets``. Registering the same object again does nothing (a repeated
        ``ready()`` is harmless); another dataset with a taken name or position is an error."""
        for dataset in datasets:
            known = self._by_name.get(dataset.name)
            if known is dataset:
                continue
            if known is not None:
                raise ImproperlyConfigured(f"two open datasets are named {dataset.name!r}")
            for other in self._by_name.values():
                if other.position == dataset.position:
                    raise ImproperlyConfigured(
                        f"the open datasets {other.name!r} and {dataset.name!r} both have "
                        f"position {dataset.position}"
                    )
            self._by_name[dataset.name] = dataset
            self._ordered = None

    def unregister(self, name: str) -> Dataset:
        """Take a dataset out (for tests and for an instance that withholds one)."""
        self._ordered = None
        return self._by_name.pop(name)

    def _names(self) -> list[str]:
        if self._ordered is None:
            self._ordered = sorted(self._by_name, key=lambda name: self._by_name[name].position)
        return self._ordered

    def __getitem__(self, name: str) -> Dataset:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._by_name)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name


registry = DatasetRegistry()
"""Every open dataset of the instance, filled by the apps at start-up."""
