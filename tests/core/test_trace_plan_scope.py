"""The plan of each trace event (``TraceEvent.plan_id``): filled by ``record()`` from the scope
it already receives, for the scopes an app registered; outside the hashed payload, so the
hashes and the chain are what they were."""

import datetime as dt
import hashlib
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.core.trace_helpers import sealed_and_verified
from traza.core import scopes
from traza.core.models import AppendOnlyError, TraceEvent
from traza.core.sealing import GENESIS_HASH, event_hash
from traza.core.services import SYSTEM, record
from traza.plans import services
from traza.plans.models import ActionPlan, Commitment


@pytest.fixture
def registered(monkeypatch):
    """Only the plan and its commitments, whatever the installed apps registered."""
    monkeypatch.setattr(scopes, "_plan_fields", {})
    scopes.register_plan_scope(ActionPlan, None)
    scopes.register_plan_scope(Commitment, "plan")


def test_the_hash_covers_what_it_covered_and_not_the_plan():
    event = TraceEvent(
        id=40,  # not hashed: the position in the trace is
        occurred_at=dt.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
        actor_label="system",
        action="create",
        object_type="plans.commitment",
        object_id="1",
        object_label="1. Datos abiertos",
        scope="plans.commitment:1",
        summary="Created",
        reason="",
        changes={"title": [None, "Datos abiertos"]},
    )
    documented = {  # docs/security.md: the canonical payload, field by field
        "id": 1,
        "occurred_at": "2026-01-02T03:04:05.000006+00:00",
        "actor_label": "system",
        "action": "create",
        "object_type": "plans.commitment",
        "object_id": "1",
        "object_label": "1. Datos abiertos",
        "scope": "plans.commitment:1",
        "summary": "Created",
        "reason": "",
        "changes": {"title": [None, "Datos abiertos"]},
        "previous_hash": GENESIS_HASH,
    }
    expected = hashlib.sha256(
        json.dumps(documented, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    assert event_hash(event.payload_values(1, GENESIS_HASH)) == expected
    event.plan_id = 7
    assert event_hash(event.payload_values(1, GENESIS_HASH)) == expected


def test_record_files_each_event_under_the_plan_of_its_scope(registered, make_plan):
    plan = make_plan(n=1, m=1)
    commitment = plan.commitments.get()
    milestone = commitment.milestones.get()
    by_type = {e.object_type: e for e in TraceEvent.objects.order_by("id")}
    assert by_type["plans.actionplan"].plan_id == plan.pk
    assert by_type["plans.commitment"].plan_id == plan.pk
    assert by_type["plans.milestone"].plan_id == plan.pk  # scoped to its commitment
    assert by_type["plans.milestone"].scope == f"plans.commitment:{commitment.pk}"
    for unscoped in ("plans.member", "plans.theme", "plans.organization"):
        assert by_type[unscoped].plan_id is None  # no plan: nobody registered them
    services.save_milestone(SYSTEM, milestone, {"text": "Otro texto"})
    assert TraceEvent.objects.order_by("-id").first().plan_id == plan.pk
    assert sealed_and_verified() is None


def test_a_commitment_that_moves_takes_its_earlier_events_along(registered, make_plan):
    first, second = make_plan(n=1, m=1, number=1), make_plan(n=1, m=1, number=2)
    commitment = first.commitments.get()
    scoped = TraceEvent.objects.in_scope(f"plans.commitment:{commitment.pk}")
    assert set(scoped.values_list("plan_id", flat=True)) == {first.pk}
    services.save_commitment(SYSTEM, commitment, {"plan": second, "number": 9})
    assert set(scoped.values_list("plan_id", flat=True)) == {second.pk}
    assert not TraceEvent.objects.in_scope(commitment).filter(plan_id=first.pk).exists()
    assert sealed_and_verified() is None  # the plan is outside the hash


def test_only_the_plan_is_written_after_the_fact(registered, make_plan):
    make_plan(n=1, m=1)
    events = TraceEvent.objects.filter(object_type="plans.milestone")
    assert events.set_plan_scope(None) == 1
    assert events.get().plan_id is None
    with pytest.raises(AppendOnlyError):
        events.update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        events.update(plan_id=1)
    assert sealed_and_verified() is None


def test_record_takes_no_extra_query_for_the_plan(monkeypatch, registered, make_plan):
    commitment = make_plan(n=1, m=1).commitments.get()

    def queries_of_record() -> int:
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            record(SYSTEM, "update", commitment, summary="touched", changes={"x": [1, 2]})
        return len(captured)

    with_plan = queries_of_record()
    assert TraceEvent.objects.order_by("-id").first().plan_id == commitment.plan_id
    monkeypatch.setattr(scopes, "_plan_fields", {})
    assert queries_of_record() == with_plan
    assert TraceEvent.objects.order_by("-id").first().plan_id is None
