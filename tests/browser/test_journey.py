"""A contribution's whole journey over the living demo, in Chromium on a 360 px phone without
JavaScript: a citizen finds the call to take part on the home page, contributes, gets the
receipt (on the page and by e-mail, with the link to the journey), the journey says
"Received"; the secretariat answers in the workbench, the mail worker sends, the author's
e-mail arrives, and the journey shows the answer and that the author was told."""

import io

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.browser.walk import PHONE, Report, check_page
from traza.cocreation.models import Contribution
from traza.core import forms as core_forms
from traza.notifications.models import OutboxMessage
from traza.ops.living_demo import find_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "rosa.quispe@example.org"
TEXT = "Que las actas de cada mesa temática se publiquen en la semana siguiente, con sus acuerdos."
ANSWER = "Gracias, Rosa: lo derivamos a la Gerencia Municipal, que le responderá en 15 días."


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def submit(page, selector: str):
    """Click a submit button and wait for the page it leads to (no script: a real POST)."""
    with page.expect_navigation() as navigation:
        page.locator(selector).first.click()
    return navigation.value


def journey(page) -> list[str]:
    return [item.inner_text() for item in page.locator("ol.journey li").all()]


def test_a_contribution_from_the_home_page_to_its_answer(
    live_server, browser, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    settings.TRAZA_BASE_URL = live_server.url
    settings.TRAZA_RESPONSE_FOUR_EYES = False  # one account decides and publishes
    monkeypatch.setattr(core_forms, "MIN_SECONDS", 0)  # the spam check's minimum time
    call_command("load_demo", verbosity=0)
    plan = find_plan()
    with translation.override("es"):
        received, told, not_yet = (
            translation.gettext(s) for s in ("Received", "Author told", "not yet")
        )
    report = Report()  # axe-core (serious, critical) on each step's page

    # the citizen, on a phone
    citizen = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = citizen.new_page()
        page.goto(f"{live_server.url}{reverse('plans:home')}")
        call = page.locator(".cta-contribute a").first
        assert call.is_visible()
        href = call.get_attribute("href")
        assert href.startswith(reverse("cocreation:contribute", args=[plan.pk])), href
        with page.expect_navigation():
            call.click()
        assert page.url.split("?")[0].endswith(reverse("cocreation:contribute", args=[plan.pk]))
        assert fits(page)
        page.fill("#id_text", TEXT)
        page.fill("#id_author_name", "Rosa Quispe")
        page.fill("#id_author_email", EMAIL)
        page.check("#id_consent")
        submit(page, "form.form button[type=submit]")

        contribution = Contribution.objects.get(author_email=EMAIL)
        path = contribution.get_absolute_url()
        address = f"{live_server.url}{path}"
        assert page.url == address
        assert page.locator(".receipt .reference").inner_text() == str(contribution.pk)
        link = page.locator(".receipt a")
        assert link.get_attribute("href") == path
        assert link.inner_text() == address
        assert fits(page)
        check_page(page, "receipt", report)
        (receipt,) = OutboxMessage.objects.filter(to=EMAIL)
        assert receipt.purpose == "contribution_receipt"
        assert address in receipt.body and str(contribution.pk) in receipt.subject
        steps = journey(page)
        assert len(steps) == 2 and steps[0].startswith(received), steps

        page.reload()  # the receipt is shown once; the journey stays
        assert page.locator(".receipt").count() == 0
        assert journey(page)[0].startswith(received)
    finally:
        citizen.close()

    # the secretariat answers in the workbench
    staff = factories.account("secretaria", "secretariat")
    client = Client()
    client.force_login(staff)
    secretariat = browser.new_context(java_script_enabled=False, viewport=PHONE)
    secretariat.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    try:
        page = secretariat.new_page()
        queue = reverse("workbench:queue", args=[plan.pk])
        page.goto(f"{live_server.url}{queue}?status=unanswered")  # the queue's "unanswered"
        with page.expect_navigation():
            page.locator(
                f"a[href='{reverse('workbench:contribution', args=[contribution.pk])}']"
            ).first.click()
        page.select_option("#id_outcome", "forwarded")
        page.fill("#id_forwarded_to", "Gerencia Municipal")
        page.fill("#id_body", ANSWER)
        submit(page, "form.wb-form button[type=submit]")
        submit(page, "button[name=step][value=preview]")
        assert ANSWER in page.locator("main").inner_text()
        submit(page, "button[name=step][value=publish]")
        assert page.locator(".messages").count() == 1
        assert fits(page)
    finally:
        secretariat.close()
    contribution.refresh_from_db()
    assert contribution.response.published_at is not None

    # before the worker runs, the journey says the author has not been told yet
    reader = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = reader.new_page()
        page.goto(address)
        assert ANSWER in page.locator(".response-text").inner_text()
        assert any(step.startswith(told) and not_yet in step for step in journey(page))

        # the outbox worker sends the receipt and the answer
        mail.outbox.clear()
        call_command("worker", "--once", stdout=io.StringIO())
        to_rosa = [m for m in mail.outbox if m.to == [EMAIL]]
        assert len(to_rosa) == 2, [m.subject for m in to_rosa]
        answer_mail = next(m for m in to_rosa if ANSWER in m.body)
        assert address in answer_mail.body
        assert OutboxMessage.objects.get(to=EMAIL, purpose="response_published").sent_at

        page.reload()
        steps = journey(page)
        assert steps[0].startswith(received)
        assert any(step.startswith(told) and not_yet not in step for step in steps), steps
        assert "Gerencia Municipal" in page.locator("main").inner_text()
        assert fits(page)
        check_page(page, "journey, answered", report)
    finally:
        reader.close()
    assert not report.failures, report.message("the journey's pages")
