"""NUL bytes, other control characters and over-long values in paths, query strings and
form posts are a 400 (or a form error), never a 500 — on PostgreSQL too, which refuses NUL
in text and values longer than their column."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from traza.api.opendata import DATASETS

FORM_ENCODED = "application/x-www-form-urlencoded"
NUL = "a%00b"
LONG = "a" * 10_000
# Every query parameter a public page or the API reads (the API's filters come from the
# datasets' own definitions below).
PAGE_PARAMETERS = [
    "q", "page", "kind", "type", "plan", "theme", "language", "region", "criterion",
    "channel", "outcome", "view", "month", "reply", "next", "format", "limit", "offset",
]  # fmt: skip
CONTROL_IN_ADDRESS = "The address contains a character that is not allowed (a control character)."
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _public_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every URL pattern outside the admin (whose pages need a staff session), as a route
    with <converter:name> parts left in."""
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                routes.append("admin/login/")
                continue
            routes += _public_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return sorted(set(routes))


def _fill(route: str, ids: dict[str, int], value: str | None = None) -> str:
    """The route with real ids for its numbers and ``value`` (or a plausible token) for its
    text parts."""

    def part(match: re.Match) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if converter == "int" or name.endswith("_id"):
            return str(ids.get(name, ids["pk"]))
        if value is not None:
            return value
        return {"fmt": "csv", "name": "themes", "slug": "peru"}.get(name, "token")

    return "/" + CONVERTER.sub(part, route)


@pytest.fixture
def routes(sample_plan):
    plan = sample_plan
    ids = {"pk": plan.pk, "plan_id": plan.pk, "commitment_id": plan.commitments.first().pk}
    return [(route, ids) for route in _public_patterns()]


def _hostile_urls(routes) -> list[str]:
    urls = []
    for route, ids in routes:
        base = _fill(route, ids)
        if CONVERTER.search(route):
            for value in (NUL, LONG):
                urls.append(_fill(route, ids, value))
        for name in PAGE_PARAMETERS:
            for value in (NUL, LONG):
                urls.append(f"{base}?{name}={value}")
    for dataset in DATASETS.values():
        for name in dataset.filters:
            for value in (NUL, LONG):
                urls.append(f"/api/v1/{dataset.name.replace('_', '-')}/?{name}={value}")
                urls.append(f"/data/{dataset.name}.csv?{name}={value}")
    return urls


@pytest.mark.django_db
def test_no_public_get_answers_500_to_nul_or_an_over_long_value(client, routes):
    client.raise_request_exception = False
    failures = []
    for url in _hostile_urls(routes):
        status = client.get(url).status_code
        if status >= 500:
            failures.append((status, url[:120]))
    assert not failures, "\n".join(f"{s} {u}" for s, u in failures)


@pytest.mark.django_db
def test_nul_control_characters_and_over_long_values_are_a_translated_400(client, sample_plan):
    from django.utils import translation

    spanish = client.get("/buscar/?q=a%00b")
    assert spanish.status_code == 400 and '<html lang="es">' in spanish.content.decode()
    with translation.override("es"):
        assert translation.gettext(CONTROL_IN_ADDRESS) in spanish.content.decode()
    english = client.get("/en/search/?q=a%00b")
    assert english.status_code == 400 and '<html lang="en">' in english.content.decode()
    assert CONTROL_IN_ADDRESS in english.content.decode()
    for url in (
        "/buscar/?q=a%01b",
        "/buscar/?q=a%1fb",
        "/buscar/?q=a%0ab",  # a line break has no place in an address either
        f"/buscar/?q={LONG}",
        f"/documentos/?kind=x&a%00={1}",
        "/seguir/confirmar/a%00b/",
        f"/seguir/baja/{LONG}/",
        f"/inscripciones/cancelar/{LONG}/",
    ):
        assert client.get(url).status_code == 400, url
    api = client.get("/api/v1/themes/?slug=a%00b")
    assert api.status_code == 400 and api["Content-Type"] == "application/json"
    assert api.json()["detail"]
    # ordinary searches, accents and all, still work
    assert client.get("/buscar/?q=acceso+a+la+informaci%C3%B3n%20p%C3%BAblica").status_code != 400
    assert client.get("/buscar/?q=" + "a" * 200).status_code == 200


@pytest.fixture
def open_plan(make_plan):
    from traza.core.services import SYSTEM
    from traza.plans import services as plan_services

    return plan_services.set_plan_stage(SYSTEM, make_plan(n=1, m=1), "co_creation")


@pytest.mark.django_db
def test_control_characters_in_a_posted_form_are_refused_and_nothing_is_saved(client, open_plan):
    from tests.cocreation.test_contributions import form_data
    from traza.cocreation.models import Contribution

    url = f"/planes/{open_plan.pk}/aportar/"
    text = "Publicar\x00 los contratos"
    encoded = client.post(
        url, urlencode(form_data(text=text)), content_type=FORM_ENCODED
    )  # what a browser sends
    assert encoded.status_code == 400, text
    assert client.post(url, form_data(author_name=f"Ana{text}")).status_code == 400  # multipart
    assert client.post(url, form_data(), QUERY_STRING="x=%00").status_code == 400
    assert not Contribution.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_other_control_characters_in_a_form_are_cleaned_and_the_text_kept(client, open_plan):
    """Text pasted from a word processor carries vertical tabs (line breaks) and stray
    control characters: the contribution is kept, cleaned, never refused."""
    from tests.cocreation.test_contributions import form_data
    from traza.cocreation.models import Contribution

    url = f"/planes/{open_plan.pk}/aportar/"
    pasted = "Publicar\x07 los contratos\x0bde obras\x0cy compras"
    response = client.post(url, urlencode(form_data(text=pasted)), content_type=FORM_ENCODED)
    assert response.status_code == 302
    assert Contribution.objects.get().text == "Publicar los contratos\nde obras\ny compras"
    client.post(url, form_data(author_name="Ana\x1b Pérez", text="Otra idea"))  # multipart
    assert Contribution.objects.get(text="Otra idea").author_name == "Ana Pérez"


@pytest.mark.django_db
def test_tabs_and_line_breaks_are_ordinary_text_in_a_form(client, open_plan):
    from tests.cocreation.test_contributions import form_data
    from traza.cocreation.models import Contribution

    url = f"/planes/{open_plan.pk}/aportar/"
    # tabs and line breaks are ordinary text in a form
    text = "Publicar los contratos:\r\n\t- de obras\r\n\t- de compras"
    saved = client.post(url, urlencode(form_data(text=text)), content_type=FORM_ENCODED)
    assert saved.status_code == 302
    assert Contribution.objects.get().text.replace("\r\n", "\n") == text.replace("\r\n", "\n")


@pytest.mark.django_db
def test_an_over_long_sign_in_name_is_a_form_error_not_a_500(client, django_user_model):
    client.raise_request_exception = False
    django_user_model.objects.create_user("ana", "ana@example.org", "Buena-Clave-2026")
    for name in ("a" * 300, "ana@" + "e" * 300 + ".org"):
        response = client.post("/cuenta/ingresar/", {"username": name, "password": "x"})
        assert response.status_code == 200, name
        assert "254" in response.content.decode()  # says how long a name may be
        admin = client.post("/admin/login/", {"username": name, "password": "x"})
        assert admin.status_code == 200, name
    signed_in = client.post(
        "/cuenta/ingresar/", {"username": "ana@example.org", "password": "Buena-Clave-2026"}
    )
    assert signed_in.status_code == 302


@pytest.mark.django_db
def test_the_api_reads_its_own_bodies(client, django_user_model, settings, capsys):
    """The API takes JSON, not forms: a body sent with a form's content type (curl --data)
    is left to the import endpoint, which answers its own 413 above the limit."""
    from django.core.management import call_command

    django_user_model.objects.create_user("integracion", "i@example.org", "x-Strong-1")
    call_command("create_token", "integracion", "Sistema")
    key = capsys.readouterr().out.strip()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/api/v1/import",
        '{"plans": [], "padding": "' + "x" * 2000 + '"}',
        content_type=FORM_ENCODED,
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 413 and response.json()["detail"]
