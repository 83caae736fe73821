from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.core.trace_helpers import edit_event, seal, sealed_events, sql
from traza.core.models import AppendOnlyError, TraceEvent, TraceSeal
from traza.core.sealing import GENESIS_HASH, event_hash
from traza.core.services import verify_trace
from traza.plans import services


def test_every_write_leaves_an_event_chained_to_the_previous(commitment, editor):
    before = TraceEvent.objects.count()
    services.save_commitment(
        editor, commitment, {"title": "A clearer title"}, reason="Table 2 asked"
    )
    events = list(TraceEvent.objects.order_by("id"))
    assert len(events) == before + 1
    last = events[-1]
    assert last.action == "update"
    assert last.actor == editor and last.actor_label == "editor"
    assert last.reason == "Table 2 asked"
    assert last.changes == {"title": ["Commitment 1", "A clearer title"]}
    assert last.scope == f"plans.commitment:{commitment.pk}"
    assert seal() == len(events)  # what follows each commit outside a test transaction
    sealed = sealed_events()
    assert [e.position for e in sealed] == list(range(1, len(events) + 1))
    assert [e.id for e in sealed] == [e.id for e in events]  # committed in this order
    for before, event in pairwise([None, *sealed]):
        previous = before.hash if before else GENESIS_HASH
        assert event.hash == event_hash(event.payload_values(event.position, previous))
    assert verify_trace() is None


def test_a_tampered_row_is_named(commitment):
    seal()
    target = sealed_events(3)[0]
    edit_event(target.id, reason="rewritten")
    problem = verify_trace()
    assert problem is not None and problem.event_id == target.position == 3
    assert "altered" in problem.problem
    with pytest.raises(CommandError, match="#3"):
        call_command("verify_trace")


def test_a_removed_row_is_named(commitment):
    """Its seal goes with it (the database refuses a seal without its event)."""
    seal()
    target = sealed_events(2)[0]
    sql("DELETE FROM core_traceseal WHERE position = %s", [2])
    sql("DELETE FROM core_traceevent WHERE id = %s", [target.id])
    problem = verify_trace()
    assert problem is not None and problem.event_id == 2
    assert "missing" in problem.problem


def test_a_seal_cannot_be_changed_through_the_orm(commitment):
    seal()
    found = TraceSeal.objects.first()
    with pytest.raises(AppendOnlyError):
        found.save()
    with pytest.raises(AppendOnlyError):
        found.delete()
    with pytest.raises(AppendOnlyError):
        TraceSeal.objects.update(hash=b"0" * 32)
    with pytest.raises(AppendOnlyError):
        TraceSeal.objects.all().delete()


def test_the_trace_cannot_be_changed_through_the_orm(commitment):
    event = TraceEvent.objects.first()
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        TraceEvent.objects.update(reason="x")
    with pytest.raises(AppendOnlyError):
        TraceEvent.objects.all().delete()
    assert verify_trace() is None


def test_verify_trace_command_passes_on_the_demo(demo, capsys):
    call_command("verify_trace")
    assert "chain intact" in capsys.readouterr().out
