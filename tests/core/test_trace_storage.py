"""The compact trace (issue 14, point 4): what is stored is smaller, what is hashed is the same."""

import datetime as dt
import hashlib
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.core.trace_helpers import sealed_and_verified, sql
from traza.core import tracefields
from traza.core.models import (
    RECORDED_COLUMNS,
    TraceEvent,
    canonical_payload,
    spliced_payload,
    stored_values,
)
from traza.core.sealing import GENESIS_HASH, event_hash
from traza.core.services import SYSTEM
from traza.plans import services

# format 1 of the stored changes is inflated with exactly these bytes: never change the file
DICTIONARY_SHA256 = "fa0e09affee2339690678915a888a94dd69c17037b019bdf8767de5f86b8aa33"


def test_the_preset_dictionary_never_changes():
    assert hashlib.sha256(tracefields._dictionary()).hexdigest() == DICTIONARY_SHA256


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"title": [None, "Datos abiertos"], "number": [None, 3], "done": [False, True]},
        {"text": [None, "ñandú " * 200]},  # long: deflated
        {"x": [None, "\u2603"]},  # short, not worth deflating: plain
    ],
)
def test_changes_come_back_as_they_were_given(changes):
    stored = tracefields.pack_changes(changes)
    assert tracefields.unpack_changes(stored) == changes
    if changes:
        assert stored[0] in (0, 1)


def test_a_response_s_changes_take_half_the_bytes_of_their_json():
    changes = {
        "text": [None, "No se acoge: la ley ya dispone la publicación mensual de contrataciones."],
        "outcome": [None, "not_adopted"],
        "revision": [None, 1],
        "decided_on": [None, "2026-12-07"],
        "contribution": [None, 2083],
        "published_at": [None, "2026-12-07T21:04:06.882749+00:00"],
        "deciding_body": [None, "secretariat"],
        "reason_category": [None, "outside_competence"],
    }
    stored = tracefields.pack_changes(changes)
    assert stored[0] == 1 and len(stored) < len(str(changes)) / 2


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        tracefields.unpack_changes(b"\x07abc")


@pytest.mark.django_db
def test_events_read_back_labels_and_ids_as_text_and_are_found_by_them(make_plan):
    plan = make_plan(n=1, m=1)
    commitment = plan.commitments.get()
    event = TraceEvent.objects.filter(object_type="plans.commitment").earliest("id")
    assert (event.object_type, event.object_id) == ("plans.commitment", str(commitment.pk))
    assert event.scope == f"plans.commitment:{commitment.pk}"
    assert event.changes["title"] == [None, commitment.title]
    milestone_events = TraceEvent.objects.in_scope(commitment).filter(object_type="plans.milestone")
    assert milestone_events.count() == 1
    in_scope = TraceEvent.objects.in_scope(f"plans.commitment:{commitment.pk}")
    assert set(in_scope.values_list("object_type", flat=True)) == {
        "plans.commitment",
        "plans.milestone",
    }
    assert not TraceEvent.objects.filter(object_type="nobody.recorded").exists()
    with connection.cursor() as cursor:  # what the database holds: integers and bytes
        cursor.execute(
            "SELECT object_type, object_id, scope_id FROM core_traceevent WHERE id = %s",
            [event.pk],
        )
        stored = cursor.fetchone()
    assert stored == (
        ContentType.objects.get_by_natural_key("plans", "commitment").pk,
        commitment.pk,
        commitment.pk,
    )
    assert sealed_and_verified() is None


@pytest.mark.django_db
def test_a_content_type_the_trace_names_cannot_be_deleted(make_plan):
    make_plan(n=1, m=1)
    traced = ContentType.objects.get_by_natural_key("plans", "milestone")
    with pytest.raises(models.ProtectedError), transaction.atomic():
        traced.delete()
    untraced = ContentType.objects.create(app_label="gone", model="oldmodel")
    untraced.delete()


OLD_EVENTS = [  # as the trace stored them before migration core/0005
    ("plans.actionplan", "7", "plans.actionplan:7", {"title": [None, "Plan"]}),
    ("plans.commitment", "12", "plans.commitment:12", {"title": [None, "Datos"], "n": [None, 1]}),
    ("gone.oldmodel", "3", "plans.commitment:12", {}),  # a model that no longer exists
]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_earlier_event_verifiable():
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0004_trace_seals")])
    previous = GENESIS_HASH
    for position, (object_type, object_id, scope, changes) in enumerate(OLD_EVENTS, start=1):
        values = {
            "id": position,
            "occurred_at": dt.datetime(2026, 1, position, 12, tzinfo=dt.UTC),
            "actor_label": "system",
            "action": "create",
            "object_type": object_type,
            "object_id": object_id,
            "object_label": f"Objeto {position}",
            "scope": scope,
            "summary": "Se creó",
            "reason": "",
            "changes": changes,
        }
        digest = event_hash({**values, "previous_hash": previous})
        sql(
            "INSERT INTO core_traceevent (id, occurred_at, actor_label, action, object_type, "
            "object_id, object_label, scope, summary, reason, changes) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                position,
                values["occurred_at"],
                "system",
                "create",
                object_type,
                object_id,
                values["object_label"],
                scope,
                "Se creó",
                "",
                json.dumps(changes),
            ],
        )
        sql(
            "INSERT INTO core_traceseal (position, event_id, hash) VALUES (%s, %s, %s)",
            [position, position, bytes.fromhex(digest)],
        )
        previous = digest
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    _plan, second, gone = TraceEvent.objects.order_by("id")
    assert (second.object_type, second.object_id, second.scope) == OLD_EVENTS[1][:3]
    assert second.changes == OLD_EVENTS[1][3]
    assert gone.object_type == "gone.oldmodel" and gone.changes == {}
    from traza.core.services import verify_trace

    assert verify_trace() is None
    services.save_theme(SYSTEM, None, {"slug": "despues", "name": "Después"})
    assert sealed_and_verified() is None


@pytest.mark.django_db
def test_verification_hashes_the_stored_changes_as_the_canonical_payload_does(make_plan):
    make_plan(n=2, m=2)
    services.save_theme(SYSTEM, None, {"slug": "vacio", "name": 'Ñandú \u2603 "comillas"'})
    columns = ", ".join(TraceEvent._meta.get_field(name).column for name in RECORDED_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {columns} FROM core_traceevent ORDER BY id")
        rows = cursor.fetchall()
    events = TraceEvent.objects.in_bulk()
    assert len(rows) == len(events) > 5
    for row in rows:
        stored = stored_values(row[1:])
        stored.update(id=7, previous_hash=GENESIS_HASH)
        expected = canonical_payload(events[row[0]].payload_values(7, GENESIS_HASH))
        assert spliced_payload(stored) == expected
