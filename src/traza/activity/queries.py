"""The activity reads: what happened to a plan, a commitment or an event.

Each read asks the trace first, by scope, in one indexed query: the events of a plan
(``TraceEvent.plan_id``, filled by ``core.services.record`` for the scopes registered in
``apps.py``) or of one scope (``TraceEvent.scope``). The kinds of object those events touched
say which domain rows to read next, in batches (a fixed number of queries, whatever the size),
and what those rows are now decides what is shown: dates, texts and whether it is public (a
message hidden by moderation stays hidden, with the reasoned response to it).

This relies on every write going through a service that records it with its scope (the rule
of the house). Nothing is shown that the domain rows do not hold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Count, Q

from traza.cocreation.models import Contribution
from traza.core.models import TraceEvent
from traza.core.scopes import plan_scopes
from traza.plans.models import ActionPlan, Commitment


# --- the trace of a plan ---------------------------------------------------------------------


def plan_trace(plan: ActionPlan) -> Iterator[TraceEvent]:
    """Every trace event of the plan — about the plan, its commitments, events and
    contributions — oldest first, streamed (the trace is append-only and can be long).
    One indexed query on ``TraceEvent.plan_id``."""
    return TraceEvent.objects.filter(plan_id=plan.pk).order_by("id").iterator(chunk_size=2000)


def fill_plan_scope() -> int:
    """Fill ``TraceEvent.plan_id`` where it is missing, from the scope (the events of a
    backup written before the column existed). Returns how many events were filled."""
    filled = 0
    for label, field in plan_scopes().items():
        prefix = f"{label}:"
        keys = list(
            TraceEvent.objects.filter(plan_id__isnull=True, scope__startswith=prefix)
            .order_by()
            .values_list("scope", flat=True)
            .distinct()
        )
        if not keys:
            continue
        keys_by_pk = {key[len(prefix) :]: key for key in keys}
        by_plan: dict[int, list[str]] = defaultdict(list)
        pks = list(keys_by_pk)
        for start in range(0, len(pks), 500):
            rows = field.model._default_manager.filter(pk__in=pks[start : start + 500]).values_list(
                "pk", field.attname
            )
            for pk, plan_id in rows:
                if plan_id is not None:
                    by_plan[plan_id].append(keys_by_pk[str(pk)])
        for plan_id, scoped in by_plan.items():
            for start in range(0, len(scoped), 500):
                filled += TraceEvent.objects.filter(
                    plan_id__isnull=True, scope__in=scoped[start : start + 500]
                ).set_plan_scope(plan_id)
    return filled


# --- where a commitment came from ------------------------------------------------------------


def commitment_origin(commitment: Commitment) -> list[Contribution]:
    """The contributions about this commitment or whose response changed its text, with
    their response and how many participants seconded them (one query). Hidden ones are not
    public. Lent to the commitment page (``plans.queries.register_commitment_origin``)."""
    return list(
        Contribution.objects.public()  # not what moderation hid
        .filter(Q(commitment=commitment) | Q(response__changed_versions__commitment=commitment))
        .select_related("response", "event")
        .annotate(second_count=Count("seconds", distinct=True))
        .distinct()
        .order_by("received_at", "id")
    )
