"""Client addresses behind a reverse proxy: rate limits and the login lock-out count each
citizen apart when TRAZA_TRUSTED_PROXIES says which proxies stand in front, and never believe
a client-sent X-Forwarded-For otherwise."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from traza.core.clients import client_ip, parse_trusted_proxies

PROXY = "10.0.0.5"
CITIZEN = "203.0.113.9"
ATTACKER = "198.51.100.66"


def request_from(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRAZA_TRUSTED_PROXIES = ""
    assert client_ip(request_from(CITIZEN, ATTACKER)) == CITIZEN
    settings.TRAZA_TRUSTED_PROXIES = 0
    assert client_ip(request_from(CITIZEN, ATTACKER)) == CITIZEN


def test_a_number_of_proxies_takes_the_address_the_outermost_one_saw(settings):
    settings.TRAZA_TRUSTED_PROXIES = 1
    # the client wrote ATTACKER itself; the proxy appended the address it really saw
    assert client_ip(request_from(PROXY, f"{ATTACKER}, {CITIZEN}")) == CITIZEN
    assert client_ip(request_from(PROXY, CITIZEN)) == CITIZEN
    assert client_ip(request_from(PROXY)) == PROXY  # no header: nothing to believe
    assert client_ip(request_from(PROXY, "not-an-address")) == PROXY
    settings.TRAZA_TRUSTED_PROXIES = "2"
    assert client_ip(request_from(PROXY, f"{ATTACKER}, {CITIZEN}, 10.0.0.9")) == CITIZEN
    assert client_ip(request_from(PROXY, CITIZEN)) == PROXY  # fewer hops than proxies


def test_a_list_of_proxies_takes_the_first_untrusted_address_from_the_right(settings):
    settings.TRAZA_TRUSTED_PROXIES = "10.0.0.0/8, 192.0.2.7"
    assert client_ip(request_from(PROXY, f"{ATTACKER}, {CITIZEN}, 192.0.2.7")) == CITIZEN
    assert client_ip(request_from(PROXY, CITIZEN)) == CITIZEN
    # a request that did not come through a trusted proxy keeps its own address
    assert client_ip(request_from(CITIZEN, ATTACKER)) == CITIZEN
    # garbage in the header stops at the last proxy vouched for
    assert client_ip(request_from(PROXY, f"{ATTACKER}, garbage")) == PROXY
    assert client_ip(request_from(PROXY, "10.1.2.3")) == "10.1.2.3"  # only proxies: the leftmost
    settings.TRAZA_TRUSTED_PROXIES = ["2001:db8::/32"]
    assert client_ip(request_from("2001:db8::1", "2a00:1450::7")) == "2a00:1450::7"
    assert client_ip(request_from("::ffff:" + CITIZEN, ATTACKER)) == "::ffff:" + CITIZEN


def test_a_setting_that_is_neither_a_number_nor_addresses_stops_start_up():
    assert parse_trusted_proxies("") == 0
    assert parse_trusted_proxies("2") == 2
    assert [str(n) for n in parse_trusted_proxies("10.0.0.0/8,192.0.2.7")] == [
        "10.0.0.0/8",
        "192.0.2.7/32",
    ]
    for bad in ("proxy.example.org", "-1", "10.0.0.0/8, 300.1.1.1"):
        with pytest.raises(ImproperlyConfigured, match="TRAZA_TRUSTED_PROXIES"):
            parse_trusted_proxies(bad)


@pytest.fixture
def limited(settings):
    settings.TRAZA_RATE_LIMITS = True
    settings.TRAZA_API_RATE = "3/m"
    cache.clear()
    yield settings
    cache.clear()


def api_statuses(client, times: int, **meta) -> list[int]:
    return [client.get("/api/v1/themes/", **meta).status_code for _ in range(times)]


@pytest.mark.django_db
def test_without_the_setting_a_forged_header_does_not_escape_the_rate_limit(client, limited):
    statuses = [
        client.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
def test_behind_the_proxy_each_client_has_its_own_rate_limit(client, limited):
    limited.TRAZA_TRUSTED_PROXIES = "1"
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ATTACKER}
    citizen = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": CITIZEN}
    assert api_statuses(client, 4, **attacker) == [200, 200, 200, 429]
    assert api_statuses(client, 3, **citizen) == [200, 200, 200]
    # forging a leftmost address does not give the attacker a fresh limit
    forged = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"192.0.2.1, {ATTACKER}"}
    assert api_statuses(client, 1, **forged) == [429]


def sign_in(client, name: str, password: str, **meta):
    return client.post("/cuenta/ingresar/", {"username": name, "password": password}, **meta)


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "sgp", "sgp@example.org", "Buena-Clave-2026", is_staff=True
    )


@pytest.mark.django_db
def test_without_the_setting_a_forged_header_does_not_escape_the_lockout(client, staff):
    for n in range(5):
        sign_in(client, "sgp", "mala", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    locked = sign_in(client, "sgp", "Buena-Clave-2026", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert locked.status_code == 429


@pytest.mark.django_db
def test_behind_the_proxy_another_clients_failures_do_not_lock_out_staff(client, staff, settings):
    from axes.models import AccessAttempt

    settings.TRAZA_TRUSTED_PROXIES = "10.0.0.0/8"
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ATTACKER}
    statuses = [sign_in(client, "sgp", "mala", **attacker).status_code for _ in range(5)]
    assert statuses[:4] == [200] * 4 and statuses[4] == 429  # the fifth failure locks
    assert sign_in(client, "sgp", "Buena-Clave-2026", **attacker).status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ATTACKER]
    citizen = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": CITIZEN}
    signed_in = sign_in(client, "sgp", "Buena-Clave-2026", **citizen)
    assert signed_in.status_code == 302


def test_a_bad_trusted_proxies_variable_stops_the_site_naming_it(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "TRAZA_TRUSTED_PROXIES": "proxy.example.org",
        "TRAZA_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", "import traza.settings"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "TRAZA_TRUSTED_PROXIES" in result.stderr
    env["TRAZA_TRUSTED_PROXIES"] = "10.0.0.0/8,192.0.2.7"
    assert subprocess.run([sys.executable, "-c", "import traza.settings"], env=env).returncode == 0
