from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from traza.core.models import AppendOnlyError, TraceEvent
from traza.core.services import GENESIS_HASH, verify_trace
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
    assert events[0].previous_hash == GENESIS_HASH
    assert all(b.previous_hash == a.hash for a, b in pairwise(events))
    assert verify_trace() is None


def test_a_tampered_row_is_named(commitment):
    target = TraceEvent.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_traceevent SET reason = %s WHERE id = %s", ["rewritten", target.id]
        )
    problem = verify_trace()
    assert problem is not None and problem.event_id == target.id
    assert "altered" in problem.problem
    with pytest.raises(CommandError, match=f"#{target.id}"):
        call_command("verify_trace")


def test_a_removed_row_is_named(commitment):
    target = TraceEvent.objects.order_by("id")[1]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_traceevent WHERE id = %s", [target.id])
    problem = verify_trace()
    assert problem is not None and problem.event_id == target.id
    assert "missing" in problem.problem


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
