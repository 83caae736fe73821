"""Signed checkpoints make the attacks the hash chain alone missed detectable: removing the end
of the trace (one event, fifty, all), rewriting an event and recomputing every later hash,
reordering events — each against a checkpoint saved earlier, in the database or outside it.
The checkpoints, the key and the proofs are public and check out with the RFC's algorithms."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from tests.core.trace_helpers import (
    edit_event,
    remove_sealed_after,
    rewrite,
    seal,
    sealed_events,
    sealed_hash,
    sql,
)
from traza.core import checkpoints
from traza.core.merkle import leaf_hash, verify_consistency, verify_inclusion
from traza.core.models import AppendOnlyError, TraceCheckpoint, TraceEvent, TraceSeal
from traza.core.services import verify_trace, write_checkpoint
from traza.plans import services


@pytest.fixture
def busy(make_plan):
    """A plan of some 60 events, with a checkpoint of them all."""
    plan = make_plan(n=6, m=6)
    checkpoint = write_checkpoint()
    assert checkpoint is not None and checkpoint.size == TraceEvent.objects.count() > 50
    assert TraceSeal.objects.count() == checkpoint.size  # every event sealed first
    return plan


def _broken(**kwargs) -> str:
    problem = verify_trace(**kwargs)
    assert problem is not None
    with pytest.raises(CommandError, match="broken"):
        call_command("verify_trace", "--full")
    return str(problem)


def test_a_checkpoint_is_signed_published_and_only_written_when_something_is_new(busy, client):
    checkpoint = TraceCheckpoint.objects.get()
    key = checkpoints.public_key()
    assert key is not None and checkpoints.signature_valid(checkpoint, key)
    assert checkpoint.key_id == checkpoints.key_id(key)
    assert write_checkpoint() is None  # nothing new
    assert verify_trace() is None

    pem = client.get("/trace/public-key.pem")
    assert pem.status_code == 200 and pem.content.decode() == checkpoints.public_key_pem(key)
    listed = client.get("/trace/checkpoints.json").json()
    assert listed["checkpoints"] == [checkpoints.as_json(checkpoint)]
    assert client.get("/trace/checkpoints/latest.json").json()["size"] == checkpoint.size
    assert client.get(f"/trace/checkpoints/{checkpoint.size}.json").status_code == 200
    assert client.get("/trace/checkpoints/1.json").status_code == 404
    feed = client.get("/trace/checkpoints.atom").content.decode()
    assert checkpoint.root_hash in feed and checkpoint.signature in feed

    signed = checkpoints.signed_text(
        listed["checkpoints"][0]["origin"], checkpoint.size, checkpoint.root_hash,
        checkpoint.issued_at,
    )  # fmt: skip
    key.verify(base64.b64decode(checkpoint.signature), signed)  # raises when it does not verify
    with pytest.raises(AppendOnlyError):
        checkpoint.delete()
    with pytest.raises(AppendOnlyError):
        TraceCheckpoint.objects.update(root_hash="0" * 64)


def test_inclusion_and_consistency_proofs_check_out_with_the_rfc_algorithms(busy, client):
    first = TraceCheckpoint.objects.get()
    services.save_commitment(
        checkpoints_actor(), busy.commitments.first(), {"title": "A later title"}, reason="r"
    )
    second = write_checkpoint()
    assert second is not None and second.size == first.size + 1
    for position in (1, 7, first.size, second.size):
        answer = client.get(f"/trace/proofs/inclusion/{position}.json").json()
        event_hash = sealed_hash(position)
        assert answer["tree_size"] == second.size and answer["event_hash"] == event_hash
        assert verify_inclusion(
            leaf_hash(bytes.fromhex(event_hash)),
            position - 1,
            second.size,
            [bytes.fromhex(h) for h in answer["proof"]],
            bytes.fromhex(second.root_hash),
        )
    older = client.get(f"/trace/proofs/inclusion/3.json?size={first.size}").json()
    assert older["checkpoint"]["size"] == first.size
    proof = client.get(f"/trace/proofs/consistency/{first.size}/{second.size}.json").json()
    assert verify_consistency(
        first.size,
        second.size,
        [bytes.fromhex(h) for h in proof["proof"]],
        bytes.fromhex(first.root_hash),
        bytes.fromhex(second.root_hash),
    )
    assert client.get(f"/trace/proofs/inclusion/{second.size + 1}.json").status_code == 404
    assert client.get("/trace/proofs/consistency/9/3.json").status_code == 404
    assert client.get(f"/trace/proofs/consistency/9/{first.size - 1}.json").status_code == 404
    assert (
        client.get(f"/trace/proofs/consistency/{second.size}/{first.size}.json").status_code == 400
    )


def checkpoints_actor():
    from traza.core.services import SYSTEM

    return SYSTEM


@pytest.mark.parametrize("removed", [1, 50, None], ids=["the last event", "the last 50", "all"])
def test_removing_the_end_of_the_trace_is_caught(busy, removed):
    size = TraceSeal.objects.count()
    keep = 0 if removed is None else size - removed
    remove_sealed_after(keep)
    assert TraceEvent.objects.count() == TraceSeal.objects.count() == keep
    problem = _broken()
    assert f"#{keep + 1}" in problem and "removed" in problem


def test_wiping_the_trace_and_its_checkpoints_is_caught_by_the_last_verification(busy):
    call_command("verify_trace", "--full", verbosity=0)  # the operator's saved state
    remove_sealed_after(0)
    sql("DELETE FROM core_tracecheckpoint", [])
    with pytest.raises(CommandError, match="its end was removed"):
        call_command("verify_trace")


def test_rewriting_an_event_and_every_later_hash_is_caught(busy):
    events = sealed_events(30)
    events[0].reason = "Nobody objected"  # the rewritten decision
    rewrite(events)
    assert verify_trace(saved=[]) is not None  # the chain verifies; the checkpoint does not
    problem = _broken()
    assert "rewritten, removed or reordered" in problem


def test_reordering_events_and_rehashing_is_caught(busy):
    events = sealed_events(20)
    a, b = events[0], events[1]
    for name in ("reason", "summary", "object_id", "occurred_at"):
        first, second = getattr(a, name), getattr(b, name)
        setattr(a, name, second)
        setattr(b, name, first)
    rewrite(events)
    assert "rewritten, removed or reordered" in _broken()


def test_a_rewrite_that_also_removes_the_checkpoints_is_caught_by_a_saved_copy(
    busy, client, tmp_path
):
    saved = tmp_path / "checkpoint.json"
    saved.write_text(json.dumps(client.get("/trace/checkpoints/latest.json").json()))
    events = sealed_events(30)
    events[0].reason = "Nobody objected"
    rewrite(events)
    sql("DELETE FROM core_tracecheckpoint", [])
    assert verify_trace() is None  # the database alone now looks right
    with pytest.raises(CommandError, match="checkpoint saved in"):
        call_command("verify_trace", "--checkpoint", str(saved))


def test_a_forged_or_altered_checkpoint_is_caught(busy):
    checkpoint = TraceCheckpoint.objects.get()
    sql(
        "UPDATE core_tracecheckpoint SET root_hash = %s WHERE id = %s",
        ["ab" * 32, checkpoint.pk],
    )
    assert "valid signature" in _broken()
    sql(
        "UPDATE core_tracecheckpoint SET key_id = %s WHERE id = %s",
        ["0123456789abcdef", checkpoint.pk],
    )
    assert "names a key that is not this instance's" in _broken()


def test_verify_trace_goes_on_from_the_last_verification(busy, capsys):
    call_command("verify_trace")
    assert "checked in full" in capsys.readouterr().out
    size = TraceSeal.objects.count()
    services.save_commitment(
        checkpoints_actor(), busy.commitments.first(), {"title": "Later"}, reason="r"
    )
    call_command("verify_trace")  # seals the new event, then verifies it alone
    assert f"checked from event #{size + 1}" in capsys.readouterr().out
    # an edit in the part verified before is left to --full, which finds it
    edit_event(sealed_events(5)[0].id, reason="edited")
    call_command("verify_trace")
    with pytest.raises(CommandError, match="#5"):
        call_command("verify_trace", "--full")


def test_a_broken_trace_is_never_signed(busy):
    services.save_commitment(
        checkpoints_actor(), busy.commitments.first(), {"title": "Later"}, reason="r"
    )
    seal()  # after its commit; an edit before that is the operator's (docs/security.md)
    edit_event(sealed_events()[-1].id, reason="edited")
    with pytest.raises(CommandError, match="Not signed"):
        call_command("checkpoint")
    assert TraceCheckpoint.objects.count() == 1


def test_the_production_key_must_exist(settings, tmp_path, commitment):
    settings.TRAZA_TRACE_SIGNING_KEY_FILE = tmp_path / "missing.pem"
    settings.TRAZA_TRACE_SIGNING_KEY_AUTO = False
    with pytest.raises(CommandError):
        call_command("trace_key", "--show")
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="traza trace-key"):
        write_checkpoint()
    call_command("trace_key", verbosity=0)
    assert (tmp_path / "missing.pem").stat().st_mode & 0o777 == 0o600
    with pytest.raises(CommandError, match="exists"):
        call_command("trace_key")
    assert write_checkpoint() is not None


@pytest.mark.django_db(transaction=True)
def test_checkpoints_are_committed_and_survive_concurrent_writes(make_plan):
    """Outside a test transaction: the checkpoint is committed on its own, reads only
    committed events, and a later write is in the next one."""
    plan = make_plan(n=2, m=2)
    first = write_checkpoint()
    assert first is not None and not connection.in_atomic_block
    assert TraceCheckpoint.objects.filter(size=first.size).exists()
    with transaction.atomic():
        services.save_commitment(
            checkpoints_actor(), plan.commitments.first(), {"title": "Later"}, reason="r"
        )
    second = write_checkpoint()
    assert second is not None and second.size == first.size + 1
    assert checkpoints.frontier_of(second) is not None
    assert verify_trace() is None
