"""Answering from the admin: the contribution's page leads to the workbench, and the
reasoned-response form shows what is being answered (not just "Contribution 21")."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from traza.cocreation.models import Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_superuser("sec", "sec@example.org", "x-Pass-99z")
    client.force_login(user)
    return user


def test_the_contribution_page_links_to_the_workbench_and_to_the_response_form(
    client, staff, sample_plan
):
    waiting = sample_plan.contributions.filter(response__isnull=True).first()
    html = client.get(f"/en/admin/cocreation/contribution/{waiting.pk}/change/").content.decode()
    assert reverse("workbench:contribution", args=[waiting.pk]) in html
    assert f"/en/admin/cocreation/response/add/?contribution={waiting.pk}" in html
    answered = sample_plan.contributions.filter(response__isnull=False).first()
    html = client.get(f"/en/admin/cocreation/contribution/{answered.pk}/change/").content.decode()
    assert f"/en/admin/cocreation/response/{answered.response.pk}/change/" in html
    assert "/response/add/?contribution=" not in html


def test_the_response_form_shows_the_contribution_answered(client, staff, sample_plan):
    waiting = sample_plan.contributions.filter(channel="letter").get()
    page = client.get(f"/en/admin/cocreation/response/add/?contribution={waiting.pk}")
    html = page.content.decode()
    assert "Mapas abiertos de calidad del aire." in html  # the full text, above the fields
    assert "letter" in html  # its channel
    field = page.context["adminform"].form.fields["contribution"]
    labels = [label for _value, label in field.choices]
    assert any("Mapas abiertos" in str(label) for label in labels)  # choices name their text
    # only unanswered contributions are offered; versions only of the contribution's plan
    assert field.queryset.filter(response__isnull=False).count() == 0
    versions = page.context["adminform"].form.fields["changed_versions"].queryset
    assert {v.commitment.plan_id for v in versions} == {sample_plan.pk}


def test_the_response_change_form_shows_its_contribution_read_only(client, staff, sample_plan):
    response = Response.objects.get(contribution__plan=sample_plan)
    page = client.get(f"/en/admin/cocreation/response/{response.pk}/change/")
    assert response.contribution.text in page.content.decode()
    assert "contribution" not in page.context["adminform"].form.fields


@pytest.mark.django_db(transaction=True)
def test_a_response_added_in_the_admin_is_published_through_the_service(client, staff, sample_plan):
    waiting = sample_plan.contributions.filter(channel="letter").get()
    answer = client.post(
        "/en/admin/cocreation/response/add/",
        {
            "contribution": waiting.pk,
            "outcome": "forwarded",
            "forwarded_to": "Ministerio del Ambiente",
            "text": "Lo remitimos al ministerio competente.",
            "deciding_body": "secretariat",
            "decided_on": "2025-03-01",
        },
    )
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    response = Response.objects.get(contribution=waiting)
    assert response.forwarded_to == "Ministerio del Ambiente" and response.published_at
    refused = client.post(
        "/en/admin/cocreation/response/add/",
        {
            "contribution": sample_plan.contributions.filter(response__isnull=True).first().pk,
            "outcome": "forwarded",
            "text": "Remitido.",
            "deciding_body": "secretariat",
            "decided_on": "2025-03-01",
        },
    )
    assert refused.status_code == 200
    assert "Name the entity the contribution was forwarded to." in refused.content.decode()
