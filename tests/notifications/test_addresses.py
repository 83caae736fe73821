"""Links in e-mails point where the site is served, and mail comes from the site's own host."""

import datetime as dt
import json
import os
import subprocess
import sys
from email.utils import parseaddr

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from tests.notifications.test_subjects import register
from traza.cocreation import services
from traza.core.services import SYSTEM
from traza.notifications.models import OutboxMessage


def settings_in_a_new_process(tmp_path, **env: str) -> dict[str, str]:
    """Import the settings as a fresh ``traza`` process would, with this environment."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PORT", "HOST", "DEFAULT_FROM_EMAIL"} and not key.startswith("TRAZA_")
    }
    code = (
        "import json, traza.settings as s\n"
        "print(json.dumps({n: getattr(s, n) for n in "
        "('TRAZA_BASE_URL', 'DEFAULT_FROM_EMAIL', 'TRAZA_MAIL_DOMAIN')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "TRAZA_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_links_follow_the_port_when_no_public_address_is_set(tmp_path):
    assert settings_in_a_new_process(tmp_path)["TRAZA_BASE_URL"] == "http://127.0.0.1:8000"
    assert (
        settings_in_a_new_process(tmp_path, PORT="9123")["TRAZA_BASE_URL"]
        == "http://127.0.0.1:9123"
    )
    chosen = settings_in_a_new_process(
        tmp_path, PORT="9123", TRAZA_BASE_URL="https://traza.example.gob.pe/"
    )
    assert chosen["TRAZA_BASE_URL"] == "https://traza.example.gob.pe"


def test_mail_comes_from_the_public_host_unless_a_sender_is_set(tmp_path):
    public = settings_in_a_new_process(tmp_path, TRAZA_BASE_URL="https://traza.example.gob.pe")
    assert parseaddr(public["DEFAULT_FROM_EMAIL"]) == ("Traza", "no-reply@traza.example.gob.pe")
    named = settings_in_a_new_process(
        tmp_path, TRAZA_BASE_URL="https://ogp.example.org:8443/traza", TRAZA_SITE_NAME="OGP, Perú"
    )
    assert parseaddr(named["DEFAULT_FROM_EMAIL"]) == ("OGP, Perú", "no-reply@ogp.example.org")
    chosen = settings_in_a_new_process(
        tmp_path,
        TRAZA_BASE_URL="https://traza.example.gob.pe",
        DEFAULT_FROM_EMAIL="Secretaría <gobierno-abierto@pcm.gob.pe>",
    )
    assert chosen["DEFAULT_FROM_EMAIL"] == "Secretaría <gobierno-abierto@pcm.gob.pe>"
    # Message-IDs and calendar UIDs keep their domain: changing it would duplicate events
    assert public["TRAZA_MAIL_DOMAIN"] == "traza.local"


@pytest.fixture
def served(monkeypatch, settings):
    """``traza serve`` with its servers (gunicorn, Django's development server) left out;
    settings and environment are put back afterwards."""
    ran = []
    monkeypatch.setattr(
        "traza.ops.management.commands.serve.call_command",
        lambda *args, **kwargs: ran.append(args),
    )
    monkeypatch.setattr(
        "traza.ops.management.commands.serve.run_gunicorn",
        lambda bind, workers: ran.append(("gunicorn", bind)),
    )
    for name in ("TRAZA_BASE_URL", "DEFAULT_FROM_EMAIL", "PORT", "HOST"):
        monkeypatch.setenv(name, "placeholder")
        monkeypatch.delenv(name)
    settings.TRAZA_BASE_URL = django_settings.TRAZA_BASE_URL
    settings.DEFAULT_FROM_EMAIL = django_settings.DEFAULT_FROM_EMAIL
    return ran


def test_serve_on_another_port_puts_that_port_in_the_links_of_e_mails(
    served, client, make_plan, settings
):
    call_command("serve", port="9123")
    assert served == [("gunicorn", "127.0.0.1:9123")]
    assert settings.TRAZA_BASE_URL == "http://127.0.0.1:9123"
    assert os.environ["TRAZA_BASE_URL"] == "http://127.0.0.1:9123"  # for --reload's child

    start = timezone.now() + dt.timedelta(days=20)
    event = services.save_event(
        SYSTEM,
        None,
        {
            "plan": make_plan(n=1, m=1),
            "key": "taller",
            "kind": "regional_workshop",
            "title": "Taller",
            "place": "Cusco",
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2),
        },
    )
    assert register(client, event, "rosa@example.org", "Rosa").status_code == 302
    body = OutboxMessage.objects.get().body
    assert f"http://127.0.0.1:9123{event.get_absolute_url()}" in body
    assert ":8000" not in body


@pytest.mark.parametrize(
    "host, url",
    [
        ("0.0.0.0", "http://127.0.0.1:9000"),
        ("::", "http://127.0.0.1:9000"),
        ("localhost", "http://localhost:9000"),
        ("::1", "http://[::1]:9000"),
    ],
)
def test_serve_links_to_where_a_browser_here_reaches_it(served, settings, host, url):
    call_command("serve", port="9000", host=host)
    assert url == settings.TRAZA_BASE_URL


def test_serve_keeps_a_public_address_that_is_set(served, settings, monkeypatch):
    monkeypatch.setenv("TRAZA_BASE_URL", "https://traza.example.gob.pe")
    settings.TRAZA_BASE_URL = "https://traza.example.gob.pe"
    call_command("serve", port="9123")
    assert settings.TRAZA_BASE_URL == "https://traza.example.gob.pe"


def test_mail_served_from_this_machine_comes_from_the_mail_domain_not_localhost(tmp_path):
    local = settings_in_a_new_process(tmp_path, PORT="9123")
    assert parseaddr(local["DEFAULT_FROM_EMAIL"]) == ("Traza", "no-reply@traza.local")
    named = settings_in_a_new_process(
        tmp_path, TRAZA_BASE_URL="http://localhost:9000", TRAZA_MAIL_DOMAIN="ogp.example.org"
    )
    assert parseaddr(named["DEFAULT_FROM_EMAIL"]) == ("Traza", "no-reply@ogp.example.org")


def test_serve_sends_from_the_mail_domain(served, settings):
    settings.TRAZA_MAIL_DOMAIN = "ogp.example.org"
    call_command("serve", port="9123")
    assert parseaddr(settings.DEFAULT_FROM_EMAIL)[1] == "no-reply@ogp.example.org"
