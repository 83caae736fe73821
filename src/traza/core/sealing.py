"""The sealer: gives recorded trace events their place in the chain, after they commit.

Writers never wait for each other on the trace: ``core.services.record`` inserts the event
(its ``id`` from the database's sequence) and a :class:`~traza.core.models.TracePending` row in
the transaction of the change it describes, and asks for a seal once that transaction has
committed. Sealing takes the pending events that are committed, oldest ``id`` first, numbers
them after the last sealed position, chains their hashes and writes one
:class:`~traza.core.models.TraceSeal` each while removing their pending rows, all in one
transaction: a sealer killed mid-batch leaves them pending, and the next one seals them in the
same order. As in Certificate Transparency, an entry is incorporated within a maximum merge
delay rather than at once: here right after its transaction commits (one sealer at a time,
the others leave the work to it), and otherwise by ``traza worker``, ``traza checkpoint`` or
``traza seal-trace`` (docs/security.md).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction

from traza.core.models import (
    RECORDED_COLUMNS,
    TraceEvent,
    TracePending,
    TraceSeal,
    canonical_payload,
    recorded_values,
)

log = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
_SEAL_LOCK_KEY = 7_261_003  # any constant: one sealer at a time on PostgreSQL
BATCH = 2000

# The recorded fields read to seal an event (``id`` and ``previous_hash`` come from the seal).
_RECORDED = ("id", *RECORDED_COLUMNS)


def last_seal() -> tuple[int, str]:
    """The last sealed position and its hash (hexadecimal); ``(0, GENESIS_HASH)`` when none."""
    row = TraceSeal.objects.order_by("-position").values_list("position", "hash").first()
    return (row[0], bytes(row[1]).hex()) if row else (0, GENESIS_HASH)


def event_hash(values: dict) -> str:
    """The SHA-256 (hexadecimal) of the canonical payload of ``values`` (HASHED_FIELDS)."""
    return hashlib.sha256(canonical_payload(values)).hexdigest()


def _lock(wait: bool) -> bool:
    """Take the sealer's lock for this transaction (PostgreSQL); False when another sealer
    holds it and ``wait`` is False. On SQLite the database's single writer does the same."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        # A seal lost in a crash is harmless: its event's pending row comes back with it (one
        # transaction) and the next sealer seals it again, the same way. So the sealer's commit
        # does not wait for the disk, and costs the request that triggered it less.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK_KEY])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_SEAL_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _pending_rows(batch: int) -> list[tuple]:
    """The recorded fields of up to ``batch`` committed pending events, oldest id first. Two
    queries, each on a primary key (a join could make the database scan the whole trace)."""
    pending = list(
        TracePending.objects.order_by("event_id").values_list("event_id", flat=True)[:batch]
    )
    if not pending:
        return []
    return list(TraceEvent.objects.filter(id__in=pending).order_by("id").values_list(*_RECORDED))


def _seal_batches(batch: int, wait: bool, rounds: int) -> int | None:
    """Seal pending events, ``batch`` at a time, in one transaction, until none is left (at
    most ``rounds`` batches); how many (None: another sealer is at work). The last look for
    pending events is made in the same transaction, so that an event committed while this
    sealer worked, whose writer found the lock taken, is sealed now rather than later."""
    with transaction.atomic():
        if not _lock(wait):
            return None
        sealed = 0
        position, previous = -1, ""
        for _ in range(rounds):
            rows = _pending_rows(batch)
            if not rows:
                break
            if position < 0:
                position, previous = last_seal()
            seals = []
            for row in rows:
                position += 1
                values = {"id": row[0], **recorded_values(row[1:])}
                event_id = values.pop("id")
                digest = event_hash({"id": position, **values, "previous_hash": previous})
                seals.append(
                    TraceSeal(position=position, event_id=event_id, hash=bytes.fromhex(digest))
                )
                previous = digest
            TraceSeal.objects.bulk_create(seals)
            TracePending.objects.filter(event_id__in=[row[0] for row in rows]).delete()
            sealed += len(rows)
        return sealed


def seal_pending(*, batch: int = BATCH, wait: bool = False, rounds: int = 10) -> int:
    """Seal every committed pending event; return how many were sealed.

    Without ``wait``, returns at once when another sealer is at work (it seals what is
    pending, ours included, before it stops). Safe to call from anywhere, any number of times:
    a position or an event can be sealed only once (primary and unique keys), so two sealers
    racing on SQLite make one of them fail harmlessly. Meant to run outside any write
    transaction (it sees only committed events and would otherwise hold its lock until that
    transaction ends). Each transaction seals at most ``rounds`` batches of ``batch``."""
    sealed = 0
    while True:
        try:
            done = _seal_batches(batch, wait, rounds)
        except IntegrityError:  # another sealer took these positions first (SQLite)
            log.info("another sealer sealed these events first")
            return sealed
        sealed += done or 0
        if not done or done < batch * rounds:
            return sealed


def seal_after_commit() -> None:
    """What ``record`` asks for after its transaction commits. Never fails the request that
    committed: an event left pending is sealed by the next sealer (docs/security.md)."""
    try:
        seal_pending()
    except Exception:  # the write is committed; sealing is retried by the next sealer
        log.exception("sealing the trace failed; the events stay pending")


_deferred = threading.local()


@contextmanager
def deferred() -> Iterator[None]:
    """Seal once at the end instead of after each commit: for a job of thousands of small
    transactions in one process (an import, the demo), where sealing after each would cost
    more than the writes. Nothing waits for it meanwhile (writers never do); the events are
    sealed when the job ends, or fails, before the block exits."""
    _deferred.depth = getattr(_deferred, "depth", 0) + 1
    try:
        yield
    finally:
        _deferred.depth -= 1
        if not _deferred.depth and not connection.in_atomic_block:
            seal_pending(wait=True)


def ask_for_seal() -> None:
    """Register :func:`seal_after_commit` once for the current transaction (not inside
    :func:`deferred`)."""
    if getattr(_deferred, "depth", 0):
        return
    if any(entry[1] is seal_after_commit for entry in connection.run_on_commit):
        return
    transaction.on_commit(seal_after_commit)


def pending_count() -> int:
    return TracePending.objects.count()
