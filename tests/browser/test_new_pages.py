"""Pages added by the hardening work, seen in Chromium on a 360 px phone without JavaScript:
the 400 page for refused input and the page of a contribution hidden by moderation."""

import pytest

from tests.cocreation.conftest import draft, moderator  # noqa: F401 (fixtures)
from tests.cocreation.test_hidden_messages import MARKER, answered  # noqa: F401 (fixture)
from traza.cocreation import services
from traza.cocreation.models import PostStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def phone(browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    yield context.new_page()
    context.close()


def test_the_400_page_for_refused_input_reads_on_a_phone(live_server, phone):
    response = phone.goto(f"{live_server.url}/buscar/?q=a%00b")
    assert response.status == 400
    assert phone.locator("html").get_attribute("lang") == "es"
    assert "carácter no permitido" in phone.locator("main, body").first.inner_text()
    assert fits_a_phone(phone)
    english = phone.goto(f"{live_server.url}/en/buscar/?q=" + "x" * 1200)
    assert english.status in (400, 404)  # the English path is translated; either way no 500


def test_a_hidden_contribution_page_reads_on_a_phone_and_shows_no_text(
    live_server,
    phone,
    answered,  # noqa: F811 (the fixture imported above)
    moderator,  # noqa: F811
):
    services.moderate_post(
        moderator, answered, PostStatus.HIDDEN, reason="Datos de terceros", category="personal_data"
    )
    response = phone.goto(f"{live_server.url}{answered.contribution.get_absolute_url()}")
    assert response.status == 410
    text = phone.locator("body").inner_text()
    assert MARKER not in text and "moderación" in text
    assert phone.get_by_role("heading", level=1).count() == 1
    assert fits_a_phone(phone)
