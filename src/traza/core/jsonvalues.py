"""Python values as JSON values: the one place where a date, a date-time or a decimal number
becomes something ``json.dumps`` can write.

Traza writes such values in three places, and each has its own contract, so the policies are
named and every caller says which one it uses:

- the trace and the versions (``core.services``): hashed, so the spelling must never change:
  ``Decimals.AS_STRING`` and ``NaiveDatetimes.KEEP`` (see :data:`TRACE`);
- the open data (API lists, downloads, a person's own data): a JSON number for a decimal,
  ``Decimals.AS_FLOAT`` (see :data:`OPEN_DATA`);
- the import/export format (``api.transfer``): a whole number without a fraction, so an
  export reads like the file that was imported, ``Decimals.AS_NUMBER`` (see :data:`EXPORT`).

Aware date-times are always written in UTC (one spelling per instant), dates as ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models

__all__ = [
    "EXPORT",
    "OPEN_DATA",
    "TRACE",
    "Decimals",
    "JsonPolicy",
    "NaiveDatetimes",
    "to_json",
]


class Decimals(enum.Enum):
    """How a ``Decimal`` is written."""

    AS_STRING = "string"
    """Its exact digits as text, trailing zeros kept: ``Decimal("12.5000")`` → ``"12.5000"``."""

    AS_FLOAT = "float"
    """A JSON number through ``float()``: ``Decimal("12.5000")`` → ``12.5``, ``Decimal("100")``
    → ``100.0``."""

    AS_NUMBER = "number"
    """A whole number as an integer, any other as the float of its normalised value:
    ``Decimal("100.0000")`` → ``100``, ``Decimal("12.5000")`` → ``12.5``."""


class NaiveDatetimes(enum.Enum):
    """How a date-time without a time zone is written (an aware one is always in UTC)."""

    KEEP = "keep"
    """As it is, without an offset."""

    LOCAL_TIME = "local"
    """Read as the server's local time and written in UTC (what ``datetime.astimezone`` does).
    With ``USE_TZ`` the database never returns one."""


@dataclass(frozen=True)
class JsonPolicy:
    """A named choice of how decimals and naive date-times are written."""

    decimals: Decimals
    naive: NaiveDatetimes = NaiveDatetimes.LOCAL_TIME

    def __call__(self, value: Any) -> Any:
        return to_json(value, decimals=self.decimals, naive=self.naive)


def to_json(
    value: Any,
    *,
    decimals: Decimals,
    naive: NaiveDatetimes = NaiveDatetimes.LOCAL_TIME,
) -> Any:
    """``value`` as a JSON value. Dates and date-times become ISO 8601 text, decimals follow
    ``decimals``, a model instance becomes its primary key, a list, tuple or set becomes a
    list of converted items; anything else is returned as it is."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None and naive is NaiveDatetimes.KEEP:
            return value.isoformat()
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if decimals is Decimals.AS_STRING:
            return str(value)
        if decimals is Decimals.AS_NUMBER and value == value.to_integral_value():
            return int(value)
        return float(value.normalize() if decimals is Decimals.AS_NUMBER else value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [to_json(item, decimals=decimals, naive=naive) for item in value]
    return value


TRACE = JsonPolicy(Decimals.AS_STRING, NaiveDatetimes.KEEP)
"""The trace and the versions: hashed payloads, so exact digits and no guessed time zone."""

OPEN_DATA = JsonPolicy(Decimals.AS_FLOAT)
"""The open data: the API lists, the JSON and XLSX downloads and a person's own data."""

EXPORT = JsonPolicy(Decimals.AS_NUMBER)
"""Traza's import/export format: ``100`` rather than ``100.0``, as a person writes it."""
