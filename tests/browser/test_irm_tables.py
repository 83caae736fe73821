"""The IRM's tables of both methodologies, partial coverage and the IRM's published figures,
on a 360 px phone without JavaScript: no serious axe violation, no horizontal overflow (the
demo walk in test_public_pages.py sees only Peru's 2014-2020 tables)."""

import pytest

from tests import factories
from tests.browser.walk import PHONE, Report, check_page, without_cache
from traza.assessment import services
from traza.core.services import SYSTEM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _plan():
    plan = factories.plan_with_commitments(n=6, m=1)
    commitments = list(plan.commitments.order_by("number"))

    def rate(commitment, **values):
        services.save_rating(SYSTEM, None, {"commitment": commitment, "source": "MRI", **values})

    # 2014-2020: two of six rated (partial coverage), one with DIOG and no completion
    for commitment in commitments[:2]:
        rate(
            commitment,
            methodology="A_2017",
            stage="design",
            verifiability="specific",
            civic_participation=True,
            potential_impact="transformative",
        )
    rate(commitments[0], methodology="A_2017", stage="implementation", diog="major")
    # 2021: an action plan review and a results report for every commitment
    for index, commitment in enumerate(commitments):
        rate(
            commitment,
            methodology="B_2021",
            stage="apr",
            verifiable="verifiable",
            open_government_lens=True,
            potential_for_results=["substantial", "modest", "unclear"][index % 3],
            promising=index % 2 == 0,
        )
        rate(
            commitment,
            methodology="B_2021",
            stage="results",
            completion="substantial",
            early_results="moderate",
        )
    services.save_published_figure(
        SYSTEM,
        None,
        {"plan": plan, "table": "apr", "key": "promising", "value": 2, "source": "APR, p. 3"},
    )
    return plan


def test_the_tables_of_both_methodologies_on_a_phone(live_server, browser):
    plan = _plan()
    report = Report()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    without_cache(page)
    try:
        for path in (f"/planes/{plan.pk}/evaluacion/", f"/en/plans/{plan.pk}/assessment/"):
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200
            check_page(page, path, report)
        text = page.locator("main").inner_text()
        assert "2 of 6 rated" in text and "Results report (IRM, 2021 methodology)" in text
        assert "0 of 1 cells agree" in text
        page.goto(f"{live_server.url}/en/plans/{plan.pk}/")
        check_page(page, "plan page", report)
    finally:
        context.close()
    assert not report.failures, report.message("IRM tables")
