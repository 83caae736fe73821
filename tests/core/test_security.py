"""Security headers, no inline script, rate limits on public forms and the API."""

import re

from django.core.cache import cache

from tests.cocreation.test_contributions import form_data


def test_every_page_carries_a_strict_content_security_policy(client, sample_plan):
    for url in (
        "/",
        f"/planes/{sample_plan.pk}/",
        f"/planes/{sample_plan.pk}/flujo/",
        "/api/v1/docs",
        "/cuenta/ingresar/",
    ):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert "frame-ancestors 'none'" in policy
        html = response.content.decode()
        scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert all("application/json" in s for s in scripts), url  # data, never inline code
        assert " style=" not in html and "<style" not in html, url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"


def test_cookies_are_http_only_and_csrf_is_enforced(client, sample_plan):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    plan = sample_plan
    response = strict.post(f"/planes/{plan.pk}/aportar/", form_data())
    assert response.status_code == 403
    assert client.get("/cuenta/ingresar/").cookies["csrftoken"]["samesite"] == "Lax"


def test_public_forms_and_the_api_are_rate_limited(client, sample_plan, settings):
    settings.TRAZA_RATE_LIMITS = True
    settings.TRAZA_FORM_RATE = "3/m"
    settings.TRAZA_API_RATE = "5/m"
    cache.clear()
    url = f"/planes/{sample_plan.pk}/aportar/"
    statuses = [client.post(url, form_data(text=f"Aporte {n}")).status_code for n in range(4)]
    assert statuses[-1] == 429 and 429 not in statuses[:3]
    assert "Demasiadas solicitudes" in client.post(url, form_data()).content.decode()
    api = [client.get("/api/v1/themes/").status_code for _ in range(6)]
    assert api[-1] == 429 and api[:5] == [200] * 5
    assert "detail" in client.get("/api/v1/themes/").json()
    page = f"/planes/{sample_plan.pk}/"
    assert client.get(page).status_code == 200  # reading pages is not limited
    cache.clear()
    # a generated document is rendered from the data on request: limited as downloads are
    document = f"/planes/{sample_plan.pk}/documentos/action_plan.es.pdf"
    statuses = [client.get(document).status_code for _ in range(6)]
    assert statuses[-1] == 429 and 429 not in statuses[:5]
    cache.clear()
