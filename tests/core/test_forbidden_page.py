"""A refusal is a page of the site in the visitor's language, not Django's bare English one."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_refused_page_explains_in_the_visitors_language(client, django_user_model):
    plan = factories.PlanFactory()
    user = django_user_model.objects.create_user("ana", "ana@example.org", "x-Long-pass-9")
    client.force_login(user)
    url = reverse("reports:generate", args=[plan.pk])  # only the secretariat generates
    spanish = client.post(url, {"report": "action_plan", "format": "pdf", "language": "es"})
    assert spanish.status_code == 403
    assert '<html lang="es">' in spanish.text and "No permitido" in spanish.text
    with translation.override("en"):
        english_url = reverse("reports:generate", args=[plan.pk])
    english = client.post(english_url, {"report": "action_plan", "format": "pdf"})
    assert english.status_code == 403 and "Not allowed" in english.text
