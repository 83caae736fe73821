"""The maintained counts of contributions (``cocreation.models.tallies``): kept current
inside the transaction of every write that can move a contribution from one count to
another, rebuilt from the data on demand.

``refresh(ids)`` reads the contributions again with the definitions the figures use
(``queries.outcome_key``, ``unanswered_q``, ``public()``), compares each with what was counted
(``ContributionTally``) and adds the difference to the counters, in a fixed number of
queries whatever the plan's size. ``cocreation/signals.py`` calls it after each save or delete
of a contribution, a response, the versions a response changed, or a discussion message.
Like the search index, the counts are derived data: no trace event, no permission (they say
nothing the data does not), left out of backups and rebuilt after a restore.

Writes that bypass the signals (``bulk_create``, ``QuerySet.update``: the benchmark's data
generator, a restore) must call ``rebuild()`` afterwards."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import BooleanField, Case, Value, When

from traza.cocreation.models import (
    HIDDEN,
    CommitmentTally,
    Contribution,
    ContributionTally,
    DelayTally,
    PlanTally,
    Response,
)
from traza.cocreation.models.tallies import NONE

#: The columns of each counter that make its key (``n`` is the count).
PLAN_KEY = ("plan_id", "channel", "theme_id", "event_id", "outcome", "hidden")
DELAY_KEY = ("plan_id", "days")
COMMITMENT_KEY = ("commitment_id", "outcome")
#: A contribution's counted facts, in ContributionTally's columns.
FACTS = ("plan_id", "channel", "theme_id", "event_id", "outcome", "hidden", "days", "origins")


@dataclass
class Deltas:
    """What to add to each counter, by key."""

    plan: Counter = field(default_factory=Counter)
    delay: Counter = field(default_factory=Counter)
    commitment: Counter = field(default_factory=Counter)

    def add(self, facts: dict | None, sign: int) -> None:
        if facts is None:
            return
        self.plan[tuple(facts[k] for k in PLAN_KEY)] += sign
        if facts["hidden"]:
            return  # hidden messages count only as hidden
        if facts["days"] is not None:
            self.delay[(facts["plan_id"], facts["days"])] += sign
        for commitment in facts["origins"]:
            self.commitment[(commitment, facts["outcome"])] += sign


def current_facts(ids: Iterable[int] | None = None) -> dict[int, dict]:
    """Each contribution's facts as the figures define them, read from the data (two
    queries): ``ids`` only, or every contribution."""
    from traza.cocreation.queries import _days_to_answer, outcome_key, unanswered_q

    contributions = Contribution.objects.all()
    links = Response.changed_versions.through.objects.all()
    if ids is not None:
        ids = list(ids)
        contributions = contributions.filter(pk__in=ids)
        links = links.filter(response__contribution_id__in=ids)
    rows = (
        contributions.annotate(
            shown=outcome_key(),
            is_hidden=Case(
                When(discussion_post__status=HIDDEN, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            answered=Case(
                When(unanswered_q(), then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            ),
            delay=_days_to_answer(),
        )
        .order_by()
        .values_list(
            "pk", "plan_id", "channel", "theme_id", "event_id", "commitment_id", "shown",
            "is_hidden", "answered", "delay",
        )
    )  # fmt: skip
    origins: dict[int, set[int]] = {}
    for contribution_id, commitment_id in links.order_by().values_list(
        "response__contribution_id", "commitmentversion__commitment_id"
    ):
        origins.setdefault(contribution_id, set()).add(commitment_id)
    facts = {}
    for pk, plan, channel, theme, event, about, shown, hidden, answered, delay in rows:
        behind = origins.get(pk, set())
        if about:
            behind.add(about)
        facts[pk] = {
            "plan_id": plan,
            "channel": channel,
            "theme_id": theme or NONE,
            "event_id": event or NONE,
            "outcome": shown,
            "hidden": bool(hidden),
            "days": _whole_days(delay) if answered and not hidden else None,
            "origins": sorted(behind),
        }
    return facts


def _whole_days(delay: dt.timedelta | None) -> int | None:
    """The median's unit: ``timedelta.days`` (whole days, rounded down)."""
    return delay.days if delay is not None else None


def refresh(ids: Iterable[int]) -> None:
    """Count these contributions again (deleted ones leave the counts). Runs in the caller's
    transaction; six queries at most whatever the plan's size."""
    ids = sorted(set(ids))
    if not ids:
        return
    # no savepoint of its own when the write's transaction holds it: a failure here fails the
    # write, and a savepoint is two more round trips in every traced write of a contribution
    with transaction.atomic(savepoint=False):
        current = current_facts(ids)
        counted = {
            row["contribution_id"]: row
            for row in ContributionTally.objects.filter(contribution_id__in=ids).values(
                "contribution_id", *FACTS
            )
        }
        deltas = Deltas()
        changed, gone = [], []
        for pk in ids:
            now, before = current.get(pk), counted.get(pk)
            if before is not None:
                before = {k: before[k] for k in FACTS}
            if now == before:
                continue
            deltas.add(before, -1)
            deltas.add(now, +1)
            if now is None:
                gone.append(pk)
            else:
                changed.append(ContributionTally(contribution_id=pk, **now))
        if gone:
            ContributionTally.objects.filter(contribution_id__in=gone).delete()
        if changed:
            ContributionTally.objects.bulk_create(
                changed,
                update_conflicts=True,
                unique_fields=["contribution_id"],
                update_fields=list(FACTS),
            )
        _apply(PlanTally, PLAN_KEY, deltas.plan)
        _apply(DelayTally, DELAY_KEY, deltas.delay)
        _apply(CommitmentTally, COMMITMENT_KEY, deltas.commitment)


def _apply(model, key: tuple[str, ...], deltas: Counter) -> None:
    """Add each delta to its counter row, creating it when missing (one upsert: concurrent
    writers add, never overwrite)."""
    rows = [(*k, n) for k, n in sorted(deltas.items()) if n]
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in (*key, "n"))
    conflict = ", ".join(connection.ops.quote_name(c) for c in key)
    placeholders = ", ".join(["(" + ", ".join(["%s"] * (len(key) + 1)) + ")"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES {placeholders} "
            f"ON CONFLICT ({conflict}) DO UPDATE SET n = {table}.n + EXCLUDED.n",
            [value for row in rows for value in row],
        )


@dataclass
class Recount:
    """The counters as the data says they should be."""

    facts: dict[int, dict]
    plan: Counter
    delay: Counter
    commitment: Counter


def recount() -> Recount:
    """Every counter computed from the data (reads every contribution: for the rebuild and
    the check, never for a page)."""
    facts = current_facts()
    deltas = Deltas()
    for each in facts.values():
        deltas.add(each, +1)
    return Recount(facts, +deltas.plan, +deltas.delay, +deltas.commitment)


def stored() -> Recount:
    """The counters as they are stored (zero rows left out)."""
    return Recount(
        facts={
            row["contribution_id"]: {k: row[k] for k in FACTS}
            for row in ContributionTally.objects.values("contribution_id", *FACTS)
        },
        plan=_counter(PlanTally, PLAN_KEY),
        delay=_counter(DelayTally, DELAY_KEY),
        commitment=_counter(CommitmentTally, COMMITMENT_KEY),
    )


def _counter(model, key: tuple[str, ...]) -> Counter:
    return Counter(
        {tuple(row[:-1]): row[-1] for row in model.objects.values_list(*key, "n") if row[-1]}
    )


def differences() -> list[str]:
    """What the stored counts get wrong, one line per counter (empty: they are right)."""
    expected, found = recount(), stored()
    lines = []
    for name in ("facts", "plan", "delay", "commitment"):
        want, have = getattr(expected, name), getattr(found, name)
        if want != have:
            keys = {k for k in set(want) | set(have) if want.get(k) != have.get(k)}
            lines.append(f"{name}: {len(keys)} keys differ, e.g. {sorted(keys, key=str)[:3]}")
    return lines


def rebuild() -> int:
    """Recount everything from the data and replace the counters (one transaction); returns
    the number of contributions counted."""
    with transaction.atomic():
        counted = recount()
        for model in (ContributionTally, PlanTally, DelayTally, CommitmentTally):
            model.objects.all().delete()
        ContributionTally.objects.bulk_create(
            (ContributionTally(contribution_id=pk, **f) for pk, f in counted.facts.items()),
            batch_size=2000,
        )
        for model, key, counter in (
            (PlanTally, PLAN_KEY, counted.plan),
            (DelayTally, DELAY_KEY, counted.delay),
            (CommitmentTally, COMMITMENT_KEY, counted.commitment),
        ):
            model.objects.bulk_create(
                (model(**dict(zip(key, k, strict=True)), n=n) for k, n in counter.items()),
                batch_size=2000,
            )
    return len(counted.facts)
