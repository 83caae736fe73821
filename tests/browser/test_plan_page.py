import pytest
from django.core.management import call_command

from traza.plans.models import ActionPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_page_lists_the_18_commitments_in_chromium(live_server, browser):
    call_command("load_demo", verbosity=0)
    plan = ActionPlan.objects.get(number=3)
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/planes/{plan.pk}/")
        assert page.locator("h1").inner_text() == plan.title
        assert page.locator("li.commitment").count() == 18
        assert page.locator("html").get_attribute("lang") == "es"
        # the language switch is a plain link: it works without JavaScript
        page.get_by_role("link", name="English").click()
        page.wait_for_url(f"**/en/plans/{plan.pk}/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("heading", name="Commitments by theme").is_visible()
    finally:
        page.close()


def test_pages_work_without_javascript(live_server, browser):
    call_command("load_demo", verbosity=0)
    plan = ActionPlan.objects.get(number=3)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        page.get_by_role("link", name=plan.title, exact=False).first.click()
        assert page.locator("li.commitment").count() == 18
        page.locator("li.commitment a").first.click()
        assert page.get_by_role("heading", name="Hitos").is_visible()
    finally:
        context.close()
