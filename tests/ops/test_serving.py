"""How Traza is served: a production server by default, compressed pages, conditional GETs."""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from traza.ops.management.commands.serve import default_workers


def test_pages_are_compressed_for_clients_that_accept_it(client, make_plan):
    plan = make_plan(n=3, m=2)
    plain = client.get(plan.get_absolute_url())
    packed = client.get(plan.get_absolute_url(), headers={"accept-encoding": "gzip, br"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content)
    assert plan.title.encode() in html
    assert len(packed.content) < len(plain.content) / 2


def test_a_repeated_request_with_the_etag_answers_304_without_a_body(client, make_plan):
    plan = make_plan(n=2, m=1)
    first = client.get(plan.get_absolute_url())
    assert first.status_code == 200 and first["ETag"]
    again = client.get(plan.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    changed = client.get(plan.get_absolute_url(), headers={"if-none-match": '"not-this-one"'})
    assert changed.status_code == 200


def test_workers_follow_web_concurrency_or_the_cores(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert default_workers() == 3
    monkeypatch.delenv("WEB_CONCURRENCY")
    assert 2 <= default_workers() <= 8


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_traza_serve_runs_gunicorn_workers_that_serve_pages_and_static_files(tmp_path: Path):
    """The command ``make run`` ends with, in a process of its own, on a migrated database."""
    database = tmp_path / "serve.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "TRAZA_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "traza.settings",
    }
    env.pop("TRAZA_BASE_URL", None)
    traza = [sys.executable, "-m", "traza.cli"]
    subprocess.run([*traza, "migrate", "-v0"], env=env, check=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [*traza, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{base}/", timeout=5) as response:
                    home = response.read().decode()
                    server_header = response.headers.get("Server", "")
                break
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        else:
            pytest.fail("traza serve did not answer")
        assert "Traza" in home
        assert "gunicorn" in server_header.lower()
        css = next(part.split('"')[0] for part in home.split('href="')[1:] if ".css" in part)
        request = urllib.request.Request(base + css, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
            assert response.headers["Content-Encoding"] == "gzip"
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "gunicorn, 2 workers" in output
    assert output.count("Booting worker") == 2


def test_serve_dev_runs_the_development_server(monkeypatch):
    ran = []
    monkeypatch.setattr(
        "traza.ops.management.commands.serve.call_command",
        lambda *args, **kwargs: ran.append((args, kwargs)),
    )
    monkeypatch.setattr(
        "traza.ops.management.commands.serve.run_gunicorn",
        lambda bind, workers: pytest.fail("--dev must not start gunicorn"),
    )
    monkeypatch.setenv("TRAZA_BASE_URL", "http://127.0.0.1:9001")
    call_command("serve", port="9001", dev=True, reload=True)
    assert ran == [(("runserver", "127.0.0.1:9001"), {"use_reloader": True})]


def test_signed_in_pages_are_not_compressed(client, make_plan, django_user_model):
    """BREACH: a signed-in page may hold personal data next to text from the address."""
    plan = make_plan(n=1, m=1)
    user = django_user_model.objects.create_user("ana", "ana@example.org", "x-Long-pass-9")
    client.force_login(user)
    response = client.get(plan.get_absolute_url(), headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_a_spreadsheet_is_not_compressed_again(client, make_plan):
    """XLSX is a zip archive: gzip would spend time to gain nothing."""
    make_plan(n=1, m=1)
    response = client.get("/data/commitments.xlsx", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    csv = client.get("/data/commitments.csv", headers={"accept-encoding": "gzip"})
    assert csv["Content-Encoding"] == "gzip"
