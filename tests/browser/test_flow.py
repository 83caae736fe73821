"""The flow of contributions in Chromium, JavaScript off (issue 17.5): on a 390 px phone the
narrow drawing is shown, its labels are 12 px or more as rendered, nothing overflows the
page, axe-core finds no serious or critical violation, and a band opens the list of exactly
the contributions it counts; on a desktop the wide drawing is shown instead."""

import re

import pytest
from django.core.management import call_command
from django.db.models import Count

from tests.browser.axe import SERIOUS, axe_violations, format_violations
from traza.plans.models import ActionPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

#: Each label of the flow that is drawn: its size as rendered (the font size scaled by the
#: drawing's transform to the screen) and its box on the page.
LABELS = """() => [...document.querySelectorAll("figure.flow svg text")]
  .filter((t) => t.getClientRects().length && t.getBoundingClientRect().width > 0)
  .map((t) => {
    const box = t.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
    return {text: t.textContent, size, left: box.left, right: box.right};
  })"""


@pytest.fixture
def living_plan(transactional_db):
    call_command("load_demo", verbosity=0)
    plan = ActionPlan.objects.annotate(n=Count("contributions")).order_by("-n").first()
    assert plan.n >= 40  # the fictional living plan, with contributions of every outcome
    return plan


def open_page(browser, viewport, url):
    context = browser.new_context(java_script_enabled=False, viewport=viewport)
    page = context.new_page()
    page.goto(url)
    return context, page


def check_legible(page, width: int) -> list[dict]:
    labels = page.evaluate(LABELS)
    assert labels, "no label of the flow is drawn"
    small = [label for label in labels if label["size"] < 12]
    assert not small, small[:5]
    outside = [label for label in labels if label["left"] < 0 or label["right"] > width + 0.5]
    assert not outside, outside[:5]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    return labels


@pytest.mark.parametrize("path", ["cocreation:flow", "plans:plan"])
def test_the_flow_reads_on_a_390_px_phone(live_server, browser, living_plan, path):
    from django.urls import reverse

    url = f"{live_server.url}{reverse(path, args=[living_plan.pk])}"
    context, page = open_page(browser, PHONE, url)
    try:
        assert not page.locator("svg.flow-wide").is_visible()  # not a thumbnail of it
        assert page.locator("svg.flow-narrow-sources").is_visible()
        labels = check_legible(page, PHONE["width"])
        assert len(labels) >= 10
        violations = axe_violations(page, impacts=SERIOUS)
        assert not violations, format_violations(violations)
        # a band opens the list of exactly the contributions it counts
        band = page.locator("svg.flow-narrow-sources g.bands a").first
        name = band.get_attribute("aria-label")
        count = int(re.search(r": (\d+) ", name).group(1))
        page.goto(f"{live_server.url}{band.get_attribute('href')}")
        heading = page.locator("h2#results").inner_text()
        assert int(re.match(r"\d+", heading).group(0)) == count, (name, heading)
        assert page.locator("ul.commitments li.commitment").count() == min(count, 50)
        assert page.get_by_role("link", name=re.compile("Quitar los filtros|Clear the filters"))
        # the list fits the phone too, and its wide table scrolls in a focusable region
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        violations = axe_violations(page, impacts=SERIOUS)
        assert not violations, format_violations(violations)
    finally:
        context.close()


def test_the_wide_flow_on_a_desktop(live_server, browser, living_plan):
    from django.urls import reverse

    url = f"{live_server.url}{reverse('cocreation:flow', args=[living_plan.pk])}"
    context, page = open_page(browser, DESKTOP, url)
    try:
        assert page.locator("svg.flow-wide").is_visible()
        assert not page.locator("svg.flow-narrow-sources").is_visible()
        check_legible(page, DESKTOP["width"])
        violations = axe_violations(page, impacts=SERIOUS)
        assert not violations, format_violations(violations)
    finally:
        context.close()
