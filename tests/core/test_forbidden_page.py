"""A refusal is a page of the site in the visitor's language, not Django's bare English one."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_refused_page_explains_in_the_visitors_language(client, django_user_model):
    user = django_user_model.objects.create_user("ana", "ana@example.org", "x-Long-pass-9")
    client.force_login(user)
    spanish = client.get(reverse("workbench:index"))
    assert spanish.status_code == 403
    assert '<html lang="es">' in spanish.text and "No permitido" in spanish.text
    english = client.get("/en" + reverse("workbench:index"))
    assert english.status_code == 403 and "Not allowed" in english.text
