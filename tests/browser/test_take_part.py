"""The call to take part and the receipt, in Chromium on a 360 px phone without JavaScript."""

import pytest
from django.urls import reverse

from tests.browser.test_new_pages import PHONE, fits_a_phone
from tests.cocreation.conftest import draft  # noqa: F401 (fixture)
from traza.cocreation.models import Contribution
from traza.core import forms as core_forms
from traza.notifications.models import OutboxMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    yield context.new_page()
    context.close()


def test_from_the_home_page_to_the_receipt_on_a_phone(
    live_server,
    phone,
    draft,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr(core_forms, "MIN_SECONDS", 0)
    phone.goto(f"{live_server.url}{reverse('plans:home')}")
    cta = phone.locator(".cta-contribute a")
    assert cta.is_visible()
    box = phone.locator(".cta").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    cta.click()
    assert phone.url.endswith(reverse("cocreation:contribute", args=[draft.plan_id]))
    phone.fill("#id_text", "Que los borradores se publiquen con una semana de anticipación.")
    phone.fill("#id_author_name", "Rosa")
    phone.fill("#id_author_email", "rosa@example.org")
    phone.check("#id_consent")
    phone.locator("form.form button[type=submit]").click()
    contribution = Contribution.objects.get()
    assert phone.url.endswith(contribution.get_absolute_url())
    assert phone.locator(".receipt .reference").inner_text() == str(contribution.pk)
    assert fits_a_phone(phone)
    assert OutboxMessage.objects.get().purpose == "contribution_receipt"
