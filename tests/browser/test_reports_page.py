"""The plan's generated documents page on a 360 px phone without JavaScript, for the public
and for the secretariat (with its buttons): no serious axe violation, no horizontal overflow;
the secretariat's button stores a version (a write through a live server, outside any
wrapping transaction)."""

import pytest

from tests import factories
from tests.browser.walk import PHONE, Report, check_page, without_cache
from traza.reports.models import GeneratedVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_documents_page_on_a_phone(live_server, browser, client):
    plan = factories.sample_plan()
    secretary = factories.account("secretaria", "secretariat")
    report = Report()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    without_cache(page)
    try:
        path = f"/planes/{plan.pk}/documentos/"
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200
        check_page(page, "documents (public)", report)
        client.force_login(secretary)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        page.goto(f"{live_server.url}{path}")
        check_page(page, "documents (secretariat)", report)
        buttons = page.locator(f"form[action='/planes/{plan.pk}/documentos/generar/'] button")
        assert buttons.count() == 16  # 4 documents × 2 formats × 2 languages
        with page.expect_navigation():
            buttons.first.click()
        assert page.url.endswith(path), page.locator("body").inner_text()[:600]
        assert GeneratedVersion.objects.filter(plan=plan).count() == 1
        check_page(page, "documents (after generating)", report)
    finally:
        context.close()
    assert not report.failures, report.message("generated documents")
