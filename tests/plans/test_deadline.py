"""The public plan page shows the deadline promised for reasoned responses beside the share
answered and the median days, and how many contributions are overdue; unknown is not zero."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import ContributionFactory
from traza.cocreation.queries import overdue_contributions

pytestmark = pytest.mark.django_db


def figures(client, plan) -> dict[str, str]:
    """The plan page's response figures as {term: value}, read from the English page."""
    import re

    html = client.get(f"/en/plans/{plan.pk}/").content.decode()
    section = html.split('id="responses-figures"', 1)[1].split("</section>", 1)[0]
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section, re.S)
    return {term: re.sub(r"\s+", " ", value).strip() for term, value in pairs}


def test_a_plan_without_contributions_says_no_data_not_zero(client, make_plan, settings):
    settings.TRAZA_RESPONSE_WAIT_DAYS = 30
    plan = make_plan(n=1, m=1)
    shown = figures(client, plan)
    assert shown["Answered"] == "no data"
    assert shown["Days to answer (median)"] == "no data"
    assert shown["Overdue (no response after the deadline)"] == "no data"
    assert shown["Deadline promised"] == "a response within 30 days"
    assert "0 %" not in " ".join(shown.values())


def test_the_plan_page_counts_overdue_with_the_one_definition(client, sample_plan, settings):
    settings.TRAZA_RESPONSE_WAIT_DAYS = 45
    recent = ContributionFactory(plan=sample_plan, received_at=timezone.now() - dt.timedelta(1))
    shown = figures(client, sample_plan)
    assert shown["Deadline promised"] == "a response within 45 days"
    assert shown["Answered"] == "1 (25 %)"  # one of four
    overdue = overdue_contributions(sample_plan).count()
    assert overdue == 2 and recent not in overdue_contributions(sample_plan)
    assert shown["Overdue (no response after the deadline)"] == str(overdue)
    assert shown["Days to answer (median)"] != "no data"


def test_the_plan_page_keeps_its_query_count(client, sample_plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        assert client.get(f"/en/plans/{sample_plan.pk}/").status_code == 200
