"""The trace of a plan: every event scoped to the plan, its commitments, events and
contributions, read in one indexed query on ``TraceEvent.plan_id``; older rows get their plan
from the migration, or after restoring an older backup."""

import json

from django.db.models import Q

from tests.activity.conftest import happen
from tests.core.trace_helpers import sealed_and_verified
from traza.activity import queries
from traza.cocreation.models import Contribution, Event
from traza.core import hooks
from traza.core.models import TraceEvent, TraceSeal, scope_q
from traza.core.services import object_key, write_checkpoint
from traza.plans import queries as plan_queries


def scoped_to_the_plan(plan) -> list[int]:
    """What the plan's trace was before it had its column: its scopes, looked up one by one."""
    keys = [object_key(plan)]
    keys += [f"plans.commitment:{pk}" for pk in plan.commitments.values_list("pk", flat=True)]
    keys += [
        f"cocreation.event:{pk}"
        for pk in Event.objects.filter(plan=plan).values_list("pk", flat=True)
    ]
    keys += [
        f"cocreation.contribution:{pk}"
        for pk in Contribution.objects.filter(plan=plan).values_list("pk", flat=True)
    ]
    in_scopes = Q()
    for key in keys:
        in_scopes |= scope_q(key)
    return list(TraceEvent.objects.filter(in_scopes).order_by("id").values_list("id", flat=True))


def test_the_plan_trace_is_what_its_scopes_hold_in_one_query(
    busy, make_plan, django_assert_num_queries
):
    happen(busy)
    other = make_plan(n=1, m=1, number=2)
    for plan in (busy.plan, other):
        expected = scoped_to_the_plan(plan)
        with django_assert_num_queries(1):
            assert [e.id for e in queries.plan_trace(plan)] == expected
    kinds = {e.object_type for e in queries.plan_trace(busy.plan)}
    assert {
        "cocreation.response",
        "monitoring.progressreport",
        "repository.documentversion",
        "cocreation.event",
        "plans.milestone",
    } <= kinds
    assert (
        not TraceEvent.objects.filter(plan_id=busy.plan.pk)
        .filter(Q(object_type="plans.member") | Q(object_type="plans.theme"))
        .exists()
    )


def test_the_download_streams_it_with_its_hashes(client, busy, django_assert_num_queries):
    happen(busy)
    write_checkpoint()
    client.get(f"/planes/{busy.plan.pk}/traza.json")  # the checkpoint's tree, kept in memory
    # the plan, the newest checkpoint, its events waiting to be sealed, its sealed events and
    # the seals before them (two per 2,000 events)
    with django_assert_num_queries(5):
        response = client.get(f"/planes/{busy.plan.pk}/traza.json")
        download = json.loads(b"".join(response.streaming_content))
    events = download["events"]
    positions = TraceSeal.objects.filter(event_id__in=scoped_to_the_plan(busy.plan))
    assert [e["id"] for e in events] == list(  # the positions in the trace, by event
        positions.order_by("event_id").values_list("position", flat=True)
    )
    assert "plan_id" not in events[0]  # outside the hash, outside the download
    assert download["checkpoint"]["size"] == TraceEvent.objects.count()
    assert all(e["inclusion_proof"] for e in events)
    assert (
        response["Content-Disposition"] == f'attachment; filename="traza-plan-{busy.plan.pk}.json"'
    )
    assert client.get(f"/en/plans/{busy.plan.pk}/trace.csv").status_code == 200
    assert client.get(f"/planes/{busy.plan.pk}/traza.xml").status_code == 404
    assert client.get("/planes/999999/traza.json").status_code == 404


def test_older_events_get_their_plan_after_a_restore(busy, make_plan):
    """(Migration 0001 filled the column the same way in databases of the trace before it was
    compact; it cannot run on today's columns, and steps aside when it comes after them.)"""
    happen(busy)
    make_plan(n=1, m=1, number=2)
    before = dict(TraceEvent.objects.values_list("id", "plan_id"))
    assert any(before.values()) and None in before.values()
    TraceEvent.objects.all().set_plan_scope(None)
    assert queries.fill_plan_scope() == sum(1 for plan in before.values() if plan)
    assert dict(TraceEvent.objects.values_list("id", "plan_id")) == before
    assert queries.fill_plan_scope() == 0
    assert sealed_and_verified() is None
    assert queries.fill_plan_scope in hooks.after_restore()  # an older backup lacks the column


def test_the_commitment_page_reads_its_origin_from_the_activity(client, busy):
    happen(busy)
    lent = plan_queries.commitment_origin(busy.commitment)
    assert [c.pk for c in lent] == [c.pk for c in queries.commitment_origin(busy.commitment)]
    origin = client.get(busy.commitment.get_absolute_url()).context["page"].origin
    assert [c.text for c in origin] == ["Propuesta 0"]
