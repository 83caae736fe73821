"""A row changed in the database without its trace event is caught: the trace replayed gives
the traced fields of every commitment, milestone, contribution and reasoned response, and
``traza verify-trace --data`` (and ``--full``) names the first that differ."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from traza.cocreation.models import Contribution, Response
from traza.core import replay
from traza.core.services import SYSTEM
from traza.plans import services
from traza.plans.models import Commitment, Milestone


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _named() -> list[str]:
    return [f"{m.object_type}:{m.object_id}:{m.field}" for m in replay.mismatches()]


def test_the_trace_replayed_gives_the_data(sample_plan, demo):
    assert _named() == []
    call_command("verify_trace", "--full", verbosity=0)


def test_an_edit_through_a_service_is_in_the_replay(sample_plan):
    commitment = sample_plan.commitments.first()
    services.save_commitment(SYSTEM, commitment, {"title": "Clearer"}, reason="asked")
    assert _named() == []


@pytest.mark.parametrize(
    ("model", "column", "value"),
    [
        (Commitment, "title", "Quietly rewritten"),
        (Milestone, "deliverable", "Quietly rewritten"),
        (Response, "text", "We never said that"),
        (Contribution, "show_author", True),
    ],
)
def test_a_row_edited_without_a_trace_event_is_named(sample_plan, model, column, value):
    target = model.objects.order_by("pk").first()
    assert target is not None
    _sql(f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s", [value, target.pk])
    assert _named() == [f"{model._meta.label_lower}:{target.pk}:{column}"]
    with pytest.raises(CommandError, match=f"{column} is"):
        call_command("verify_trace", "--data")
    call_command("verify_trace", verbosity=0)  # the trace itself is intact


def test_a_row_written_without_any_trace_event_is_named(sample_plan):
    commitment = sample_plan.commitments.first()
    hidden = Milestone.objects.create(commitment=commitment, number=99, text="Never traced")
    assert f"plans.milestone:{hidden.pk}:*" in _named()
