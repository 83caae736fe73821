import pytest
from django.core.management import call_command

from tests.factories import virtual_consultation
from traza.plans.models import ActionPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_page_lists_the_18_commitments_in_chromium(live_server, browser):
    call_command("load_demo", real_only=True, verbosity=0)
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
    call_command("load_demo", real_only=True, verbosity=0)
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


def test_a_participant_joins_the_discussion_of_a_draft_without_javascript(
    live_server, browser, monkeypatch
):
    """Through Chromium with JavaScript off: open a draft, write, see the moderation notice."""

    from traza.cocreation.models import DiscussionPost
    from traza.core import forms
    from traza.core.services import SYSTEM
    from traza.plans import services as plan_services

    monkeypatch.setattr(forms, "MIN_SECONDS", 0)
    call_command("load_demo", real_only=True, verbosity=0)
    plan = ActionPlan.objects.get(number=3)
    draft = plan.commitments.order_by("number").first()
    plan_services.set_commitment_status(SYSTEM, draft, "proposal", reason="Borrador para consulta")
    virtual_consultation(plan, days=11, key="consulta-2026", title="Consulta virtual 2026")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/compromisos/{draft.pk}/")  # Spanish, whatever is active
        page.get_by_role("link", name="Debate público de este borrador").click()
        page.get_by_label("Su mensaje").fill("Propongo metas por región.")
        page.get_by_label("Su nombre").fill("Rosa")
        page.get_by_label("Su correo").fill("rosa@example.org")
        page.get_by_label("Acepto que mis datos personales").check()
        page.get_by_role("button", name="Enviar mensaje").click()
        assert page.get_by_text("Su mensaje aparecerá cuando").is_visible()
        assert DiscussionPost.objects.get().text == "Propongo metas por región."
    finally:
        context.close()


def test_the_dashboard_draws_its_charts_on_the_server(live_server, browser):
    """JavaScript off: the charts are SVG images with a name, each followed by its table."""
    call_command("load_demo", real_only=True, verbosity=0)
    plan = ActionPlan.objects.get(number=3)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/planes/{plan.pk}/")
        page.get_by_role("link", name="Tablero de implementación").click()
        chart = page.get_by_role("img", name="Cumplimiento por institución responsable")
        assert chart.is_visible() and chart.bounding_box()["width"] > 300
        assert page.get_by_text("67 %", exact=False).first.is_visible()  # reported by the SGP
        page.get_by_role("link", name="Ministerio de Educación", exact=False).first.click()
        assert (
            page.get_by_role("heading", level=1).inner_text().startswith("Ministerio de Educación")
        )
    finally:
        context.close()
