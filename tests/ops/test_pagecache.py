"""The public page cache (traza.ops.pagecache): served again while the data stands still,
never stale after a write, never for a signed-in person or a page with a form.

Outside a wrapping transaction: the writes commit as they do on a running server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories
from traza.notifications.services import deliver_due

pytestmark = [pytest.mark.page_cache, pytest.mark.django_db(transaction=True)]


def cached(response) -> str:
    return response.get("X-Traza-Cache", "")


def test_a_public_page_is_served_again_until_a_write_changes_it(client):
    contribution = factories.ContributionFactory(text="Publicar el presupuesto participativo.")
    plan = contribution.plan
    pages = [
        plan.get_absolute_url(),
        contribution.get_absolute_url(),
        reverse("cocreation:contributions", args=[plan.pk]),
    ]
    first = {url: client.get(url) for url in pages}
    assert {url: cached(r) for url, r in first.items()} == dict.fromkeys(pages, "miss")
    again = {url: client.get(url) for url in pages}
    assert {url: cached(r) for url, r in again.items()} == dict.fromkeys(pages, "hit")
    assert all(again[url].content == first[url].content for url in pages)

    factories.ResponseFactory(contribution=contribution, text="Se incorpora al compromiso 1.")

    after = {url: client.get(url) for url in pages}
    assert {url: cached(r) for url, r in after.items()} == dict.fromkeys(pages, "miss")
    assert "Se incorpora al compromiso 1." in after[contribution.get_absolute_url()].text
    assert all(after[url].content != first[url].content for url in pages)


def test_the_journey_shows_when_the_author_was_told_as_soon_as_the_mail_leaves(client):
    response = factories.ResponseFactory()
    journey = response.contribution.get_absolute_url()
    before = client.get(journey)
    assert cached(client.get(journey)) == "hit"
    assert deliver_due().sent >= 1  # the outbox, not the trace, records that the author was told
    after = client.get(journey)
    assert cached(after) == "miss"
    assert after.content != before.content


def test_each_language_is_stored_apart(client):
    plan = factories.PlanFactory()
    with translation.override("en"):
        english_url = plan.get_absolute_url()
    assert english_url.startswith("/en/")
    spanish = client.get(plan.get_absolute_url())
    english = client.get(english_url)
    assert cached(spanish) == cached(english) == "miss"
    assert '<html lang="en">' in english.text and '<html lang="es">' in spanish.text
    assert cached(client.get(english_url)) == "hit"


def test_staff_pages_are_never_stored_in_either_language(client):
    for url in ("/admin/login/", "/en/admin/login/"):
        client.get(url)
        assert cached(client.get(url)) == ""


def test_nothing_is_stored_for_a_signed_in_person(client, django_user_model):
    plan = factories.PlanFactory()
    user = django_user_model.objects.create_user("ana", "ana@example.org", "x-Long-pass-9")
    client.force_login(user)
    assert cached(client.get(plan.get_absolute_url())) == ""
    assert cached(client.get(plan.get_absolute_url())) == ""


def test_a_page_with_a_form_is_never_stored(client):
    """Its CSRF token belongs to the visitor's cookie: another visitor could not post it."""
    start = timezone.now() + dt.timedelta(days=20)
    event = factories.EventFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    register = reverse("cocreation:register", args=[event.pk])
    first = client.get(register)
    assert "csrfmiddlewaretoken" in first.text
    assert cached(first) == "" and cached(client.get(register)) == ""


def test_the_health_check_is_never_stored(client):
    assert cached(client.get("/healthz")) == ""
    assert cached(client.get("/healthz")) == ""


def test_off_when_its_lifetime_is_zero(client, settings):
    settings.TRAZA_PAGE_CACHE_SECONDS = 0
    plan = factories.PlanFactory()
    client.get(plan.get_absolute_url())
    assert cached(client.get(plan.get_absolute_url())) == ""
