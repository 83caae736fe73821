"""The trace is provable: the command names the first tampered event, anyone can download a
plan's trace with its hashes and recompute them, admin actions are traced."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.core.trace_helpers import edit_event, seal
from traza.core.models import TraceEvent, TraceSeal
from traza.core.sealing import event_hash


def test_verify_trace_passes_on_the_demo_and_names_the_altered_event(demo, capsys):
    call_command("verify_trace")  # seals the demo's events first
    assert f"verifies: {TraceEvent.objects.count()} events" in capsys.readouterr().out
    target = TraceEvent.objects.filter(object_type="plans.commitment").order_by("id")[3]
    position = TraceSeal.objects.get(event=target).position
    edit_event(target.id, summary="otra cosa")
    with pytest.raises(CommandError, match=f"#{position}"):
        call_command("verify_trace", "--full")  # the edit is in the part verified before


def test_anyone_downloads_a_plans_trace_and_recomputes_each_hash(client, demo):
    seal()
    response = client.get(f"/planes/{demo.pk}/traza.json")
    assert response.status_code == 200
    events = json.loads(b"".join(response.streaming_content))["events"]
    assert len(events) > 100
    for item in events[:50]:
        found = TraceSeal.objects.select_related("event").get(position=item["id"])
        assert bytes(found.hash).hex() == item["hash"]
        payload = {k: item[k] for k in item if k not in ("hash", "inclusion_proof")}
        stored = found.event.payload_values(found.position, item["previous_hash"])
        assert {**payload, "occurred_at": stored["occurred_at"]} == stored
        assert event_hash(stored) == item["hash"]
    csv_text = b"".join(client.get(f"/planes/{demo.pk}/traza.csv").streaming_content).decode()
    assert csv_text.startswith("id,occurred_at") and events[0]["hash"] in csv_text
    assert client.get(f"/planes/{demo.pk}/traza.xml").status_code == 404


def test_a_password_set_in_the_admin_is_traced_without_its_value(client, django_user_model):
    admin = django_user_model.objects.create_superuser("jefa", "jefa@example.org", "x-Strong-1")
    target = django_user_model.objects.create_user("oficial", "o@example.org", "x-Strong-1")
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/user/{target.pk}/password/",
        {
            "password1": "Otra-Clave-Segura-9",
            "password2": "Otra-Clave-Segura-9",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    event = TraceEvent.objects.filter(object_type="accounts.user", object_id=str(target.pk)).last()
    assert event.changes == {"fields": ["password"]} and "Otra-Clave" not in json.dumps(
        event.changes
    )
