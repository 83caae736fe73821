"""Keyset (cursor) pagination for the open-data lists, with a count that never reads a large
table whole (issue 15.2).

A page is read after the last row of the previous one (``WHERE id > last ORDER BY id LIMIT
n+1``), so page 1,000 costs what page 1 does; the client gets the position as an opaque,
signed ``cursor`` (and the whole ``next`` address). The count stops at :data:`COUNT_CAP`
rows (``SELECT count(*) FROM (... LIMIT cap+1)``): below it, it is exact; above it,
PostgreSQL's planner estimate of the same query (``EXPLAIN``) is given, and where there is no
usable estimate (SQLite) the answer says "more than ``COUNT_CAP``". ``count_is`` says which.
A request costs the same few queries whatever the size of the table.

Datasets computed in Python (``rows_builder``) are small (one row per standard and plan):
their cursor carries a position, and their count is exact.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db import connections
from django.db.models import Q, QuerySet

from traza.api.opendata import Dataset

__all__ = [
    "COUNT_CAP",
    "CountKind",
    "InvalidCursor",
    "Page",
    "count_rows",
    "keyset_page",
]

COUNT_CAP = 10_000
"""Rows counted exactly at most; above this the count is an estimate or a lower bound."""

SALT = "traza.api.cursor"


class CountKind:
    EXACT = "exact"
    ESTIMATE = "estimate"  # PostgreSQL's planner estimate of the rows the query returns
    MORE_THAN = "more_than"  # there are more than ``count`` rows

    ALL = (EXACT, ESTIMATE, MORE_THAN)


class InvalidCursor(ValueError):
    """A cursor this server did not make (or made for another list)."""


@dataclass
class Page:
    items: list[dict]
    count: int
    count_is: str
    next_cursor: str | None


def _keys(dataset: Dataset) -> list[str] | None:
    """The ordering fields when the rows can be read by keyset, else None (read by position)."""
    if dataset.rows_builder is not None:
        return None
    read = {c.name for c in dataset.columns if not c.computed}
    fields = [f.removeprefix("-") for f in dataset.order]
    return fields if all(f in read for f in fields) else None


def _plain(value: Any) -> Any:
    """A key value as JSON keeps it exactly (datetimes to the microsecond)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode_cursor(dataset: Dataset, *, keys: list | None = None, position: int = 0) -> str:
    payload = {"d": dataset.name, "k": [_plain(v) for v in keys]} if keys is not None else None
    return signing.dumps(payload or {"d": dataset.name, "o": position}, salt=SALT, compress=True)


def decode_cursor(dataset: Dataset, token: str) -> dict:
    try:
        payload = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidCursor(token) from error
    if not isinstance(payload, dict) or payload.get("d") != dataset.name:
        raise InvalidCursor(token)
    keys = _keys(dataset)
    if keys is None:
        if not isinstance(payload.get("o"), int) or payload["o"] < 0:
            raise InvalidCursor(token)
    elif not isinstance(payload.get("k"), list) or len(payload["k"]) != len(keys):
        raise InvalidCursor(token)
    return payload


def _after(dataset: Dataset, values: list) -> Q:
    """Rows strictly after ``values`` in the dataset's order: (a > x) or (a = x and b > y)…"""
    condition = Q()
    equal: dict[str, Any] = {}
    for field, value in zip(dataset.order, values, strict=True):
        name = field.removeprefix("-")
        lookup = "lt" if field.startswith("-") else "gt"
        condition |= Q(**equal, **{f"{name}__{lookup}": value})
        equal[name] = value
    return condition


def count_rows(dataset: Dataset, filters: dict[str, Any]) -> tuple[int, str]:
    """The number of rows and what kind of number it is (:class:`CountKind`), reading at most
    ``COUNT_CAP + 1`` rows."""
    if dataset.rows_builder is not None:
        return dataset.count(filters), CountKind.EXACT
    queryset = dataset.queryset(filters)
    capped = queryset[: COUNT_CAP + 1].count()
    if capped <= COUNT_CAP:
        return capped, CountKind.EXACT
    estimate = _planner_estimate(queryset)
    if estimate is not None and estimate > COUNT_CAP:
        return estimate, CountKind.ESTIMATE
    return COUNT_CAP, CountKind.MORE_THAN


def _planner_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows ``queryset`` returns (one EXPLAIN, no rows read)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    try:
        return int(plan[0]["Plan"]["Plan Rows"])
    except (LookupError, TypeError, ValueError):
        return None


def keyset_page(
    dataset: Dataset,
    filters: dict[str, Any],
    *,
    limit: int,
    cursor: str | None = None,
    offset: int = 0,
) -> Page:
    """One page of ``dataset``: after ``cursor`` when given, else after ``offset`` rows (the
    deprecated way, kept for existing clients); ``next_cursor`` is None on the last page."""
    payload = decode_cursor(dataset, cursor) if cursor else None
    keys = _keys(dataset)
    if keys is None:  # computed in Python, and small: computed once for the count and the page
        start = payload["o"] if payload else offset
        every = list(dataset.rows_builder(filters))
        rows = every[start : start + limit + 1]
        more = len(rows) > limit
        next_cursor = encode_cursor(dataset, position=start + limit) if more else None
        return Page(rows[:limit], len(every), CountKind.EXACT, next_cursor)
    count, count_is = count_rows(dataset, filters)
    queryset = dataset.queryset(filters)
    queryset = queryset.filter(_after(dataset, payload["k"])) if payload else queryset[offset:]
    raw = list(queryset[: limit + 1])
    more = len(raw) > limit
    raw = raw[:limit]
    next_cursor = encode_cursor(dataset, keys=[raw[-1][k] for k in keys]) if more else None
    items = [dataset.post(dict(row)) if dataset.post else row for row in raw]
    return Page(items, count, count_is, next_cursor)
