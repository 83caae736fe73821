"""Helpers of the trace tests: seal what is pending (what happens after each commit outside a
test transaction) and read events with their sealed position and hash."""

from __future__ import annotations

from django.db import connection

from traza.core import sealing
from traza.core.models import TraceEvent, TraceSeal


def seal() -> int:
    return sealing.seal_pending(wait=True)


def sealed_events(since: int = 1) -> list[TraceEvent]:
    """The events sealed at position ``since`` and after, in order, each with ``position``
    and ``hash`` (hexadecimal) set from its seal."""
    seals = (
        TraceSeal.objects.filter(position__gte=since).select_related("event").order_by("position")
    )
    events = []
    for found in seals:
        found.event.position = found.position
        found.event.hash = bytes(found.hash).hex()
        events.append(found.event)
    return events


def sealed_hash(position: int) -> str:
    if position == 0:
        return sealing.GENESIS_HASH
    return bytes(TraceSeal.objects.get(position=position).hash).hex()


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def remove_sealed_after(keep: int) -> None:
    """The attack on the end of the trace: its seals and events after position ``keep``
    deleted in the database."""
    ids = list(TraceSeal.objects.filter(position__gt=keep).values_list("event_id", flat=True))
    sql("DELETE FROM core_traceseal WHERE position > %s", [keep])
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join(["%s"] * len(chunk))
        sql(f"DELETE FROM core_traceevent WHERE id IN ({marks})", chunk)


def edit_event(event_id: int, **values) -> None:
    """An edit in the database, behind the application's back."""
    for name, value in values.items():
        sql(f"UPDATE core_traceevent SET {name} = %s WHERE id = %s", [value, event_id])


def rewrite(events: list[TraceEvent]) -> None:
    """Write ``events`` (sealed, changed in memory) back over their rows, recomputing each
    hash and every later event's link and hash: the attack a hash chain alone cannot see."""
    previous = sealed_hash(events[0].position - 1)
    for event in events:
        digest = sealing.event_hash(event.payload_values(event.position, previous))
        edit_event(
            event.id,
            reason=event.reason,
            summary=event.summary,
            object_id=int(event.object_id),
            occurred_at=event.occurred_at,
        )
        sql(
            "UPDATE core_traceseal SET hash = %s WHERE position = %s",
            [bytes.fromhex(digest), event.position],
        )
        previous = digest


def sealed_and_verified():
    """Seal what is pending, then verify the whole trace: the problem found, or None. (A bare
    ``verify_trace()`` inside a test transaction checks only what was sealed.)"""
    from traza.core.services import verify_trace

    seal()
    return verify_trace()
