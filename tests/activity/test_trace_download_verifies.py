"""A plan's trace download carries the newest signed checkpoint and each event's inclusion
proof; the standalone verifier (standard library and ``cryptography``) checks it against the
public key and checkpoints saved earlier, and fails on a tampered copy."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.core.trace_helpers import seal
from tests.core.verifier import traza_verify
from traza.core.models import TraceSeal
from traza.core.services import SYSTEM, write_checkpoint
from traza.core.trace_views import VERIFIER
from traza.plans import services


def _download(client, plan) -> dict:
    response = client.get(f"/planes/{plan.pk}/traza.json")
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


@pytest.fixture
def saved(client, tmp_path):
    """What an outsider keeps: the public key, and checkpoints as they were published."""

    def save(name: str, path: str) -> str:
        target = tmp_path / name
        target.write_bytes(client.get(path).content)
        return str(target)

    return save


def _verify(data: dict, tmp_path, *args: str) -> int:
    download = tmp_path / "download.json"
    download.write_text(json.dumps(data, ensure_ascii=False))
    return traza_verify.main(["download", str(download), *args])


def test_the_download_carries_proofs_that_the_verifier_checks(
    client, make_plan, saved, tmp_path, monkeypatch, capsys
):
    plan = make_plan(n=3, m=3)
    first = write_checkpoint()
    key = saved("key.pem", "/trace/public-key.pem")
    old = saved("old.json", "/trace/checkpoints/latest.json")
    services.save_commitment(SYSTEM, plan.commitments.first(), {"title": "Later"}, reason="r")
    assert _download(client, plan)["pending"] == 1  # not sealed yet: not in the download
    seal()  # as after the commit
    data = _download(client, plan)
    assert data["checkpoint"]["size"] == first.size and data["pending"] == 0
    assert data["public_key"].endswith("/trace/public-key.pem")
    assert [e["id"] for e in data["events"]] == list(  # ids are the positions in the trace
        TraceSeal.objects.filter(event__plan_id=plan.pk)
        .order_by("event_id")
        .values_list("position", flat=True)
    )
    assert data["events"][-1]["inclusion_proof"] is None  # newer than the checkpoint
    assert all(e["inclusion_proof"] is not None for e in data["events"][:-1])
    assert _verify(data, tmp_path, "--public-key", key, "--checkpoint", old) == 0
    assert "later events with valid hashes" in capsys.readouterr().out

    # a newer checkpoint: the one saved earlier must be its prefix, shown by a fetched proof
    write_checkpoint()
    monkeypatch.setattr(traza_verify, "fetch_json", lambda site, path: client.get(path).json())
    data = _download(client, plan)
    assert all(e["inclusion_proof"] is not None for e in data["events"])
    assert _verify(data, tmp_path, "--public-key", key, "--checkpoint", old, "--site", "x") == 0
    assert (
        traza_verify.main(["instance", "--site", "x", "--public-key", key, "--checkpoint", old])
        == 0
    )


def test_the_verifier_fails_on_a_tampered_copy(client, make_plan, saved, tmp_path, capsys):
    plan = make_plan(n=2, m=2)
    write_checkpoint()
    key = saved("key.pem", "/trace/public-key.pem")
    data = _download(client, plan)

    edited = json.loads(json.dumps(data))
    edited["events"][3]["reason"] = "Nobody objected"
    assert _verify(edited, tmp_path, "--public-key", key) == 1
    assert "altered" in capsys.readouterr().err

    rehashed = json.loads(json.dumps(data))  # the same, with its hash recomputed
    rehashed["events"][3]["reason"] = "Nobody objected"
    rehashed["events"][3]["hash"] = traza_verify.event_hash(rehashed["events"][3])
    assert _verify(rehashed, tmp_path, "--public-key", key) == 1
    assert "is not in the signed checkpoint" in capsys.readouterr().err

    moved = json.loads(json.dumps(data))
    moved["events"][2]["inclusion_proof"] = moved["events"][3]["inclusion_proof"]
    assert _verify(moved, tmp_path, "--public-key", key) == 1

    resigned = json.loads(json.dumps(data))
    resigned["checkpoint"]["root_hash"] = "ab" * 32
    assert _verify(resigned, tmp_path, "--public-key", key) == 1
    assert "signature" in capsys.readouterr().err

    unsigned = {**data, "checkpoint": None}
    assert _verify(unsigned, tmp_path, "--public-key", key) == 1


def test_the_served_verifier_runs_alone_on_the_demo(client, demo, saved, tmp_path):
    """As an outsider would: the verifier downloaded from the site, run by a plain Python."""
    write_checkpoint()
    key = saved("key.pem", "/trace/public-key.pem")
    checkpoint = saved("checkpoint.json", "/trace/checkpoints/latest.json")
    script = tmp_path / "traza_verify.py"
    script.write_bytes(b"".join(client.get("/trace/traza_verify.py").streaming_content))
    assert script.read_bytes() == VERIFIER.read_bytes()
    download = tmp_path / "plan.json"
    download.write_bytes(b"".join(client.get(f"/planes/{demo.pk}/traza.json").streaming_content))

    def run(path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-I", str(script), "download", str(path), "--public-key", key,
             "--checkpoint", checkpoint],
            capture_output=True, text=True, cwd=tmp_path, check=False,
        )  # fmt: skip

    result = run(download)
    assert result.returncode == 0, result.stderr
    assert "verified:" in result.stdout
    data = json.loads(download.read_text())
    assert len(data["events"]) > 100
    data["events"][40]["summary"] = "otra cosa"
    data["events"][40]["hash"] = traza_verify.event_hash(data["events"][40])
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data, ensure_ascii=False))
    result = run(tampered)
    assert result.returncode == 1 and "NOT VERIFIED" in result.stderr
