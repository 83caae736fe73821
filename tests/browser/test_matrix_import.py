"""The matrix import driven in Chromium on a 360 px phone with JavaScript off: upload a
secretariat's matrix, keep the columns as guessed, read the dry run, import. Each page fits
the phone and (when the axe helper is there) has no WCAG 2.1 AA violation."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.browser.axe import assert_no_axe_violations
from tests.workbench.test_matrix import FIXTURE, staff_account
from traza.cocreation.models import Contribution
from traza.workbench.models import MatrixImport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_matrix_imported_on_a_phone_without_javascript(
    live_server,
    browser,
    django_user_model,
    sample_plan,
):
    secretary = staff_account(django_user_model, "secretaria", "secretariat")
    client = Client()
    client.force_login(secretary)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("workbench:matrix-import", args=[sample_plan.pk]))
        assert fits_a_phone(page)
        assert_no_axe_violations(page)
        page.set_input_files("input[type=file]", FIXTURE)
        page.locator("form.form button[type=submit]").click()
        matrix = MatrixImport.objects.get()
        assert page.url.endswith(reverse("workbench:matrix-import-detail", args=[matrix.pk]))
        assert page.locator("select").count() == 15 + 2  # the columns, the two defaults
        assert fits_a_phone(page)
        assert_no_axe_violations(page)
        page.locator("form.form button[type=submit]").click()
        assert page.locator("#report").count() == 1
        assert fits_a_phone(page)
        assert_no_axe_violations(page)
        page.locator(
            f"form[action='{reverse('workbench:matrix-import-run', args=[matrix.pk])}'] button"
        ).click()
        matrix.refresh_from_db()
        assert matrix.status == "imported"
        assert Contribution.objects.filter(plan=sample_plan).exclude(key="").count() == 6
        assert page.locator(".messages").count() == 1
        assert fits_a_phone(page)
    finally:
        context.close()
