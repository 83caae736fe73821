"""Small things a newcomer saw (issue 17, point 8), checked in Chromium: the keyboard focus
ring is visible (>= 3:1 against the page), the month calendar heads all seven weekdays, and
an English page marks its Spanish content."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.core.test_focus_contrast import contrast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def hex_colour(css: str) -> str:
    red, green, blue = (int(n) for n in re.findall(r"\d+", css)[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def english(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    yield context.new_page()
    context.close()


def test_the_keyboard_focus_ring_stands_out_from_the_page(live_server, page, sample_plan):
    page.goto(f"{live_server.url}{english('plans:plan', sample_plan.pk)}")
    for _ in range(30):  # tab past the header to a link in the page's content
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('main')"):
            break
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.outlineColor]; })()"
    )
    assert style[0] == "solid" and float(style[1].rstrip("px")) >= 2
    assert contrast(hex_colour(style[2]), "#ffffff") >= 3


def test_the_month_calendar_heads_every_weekday(live_server, page, sample_plan):
    page.goto(
        f"{live_server.url}{english('cocreation:calendar', sample_plan.pk)}"
        "?view=month&month=2017-09"
    )
    heads = page.locator("table.month thead th abbr")
    assert heads.all_inner_texts() == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert heads.first.get_attribute("title") == "Monday"


def test_an_english_page_says_its_spanish_content_is_spanish(live_server, page, sample_plan):
    page.goto(f"{live_server.url}{english('plans:plan', sample_plan.pk)}")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == sample_plan.title
