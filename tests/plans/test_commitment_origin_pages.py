"""A commitment's "Contributions behind this commitment": paginated, counted by outcome,
bounded work whatever the number of contributions (issue 15.2)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests import factories
from traza.activity.queries import ORIGIN_PAGE_SIZE, commitment_origin

pytestmark = pytest.mark.django_db


def _commitment_with(about: int, changed: int, pending: int = 0):
    commitment = factories.CommitmentFactory()
    plan = commitment.plan
    version = commitment.versions.get()
    for n in range(about):
        factories.ContributionFactory(plan=plan, commitment=commitment, text=f"Sobre {n}")
    for n in range(changed):
        factories.ResponseFactory(
            contribution=factories.ContributionFactory(plan=plan, text=f"Cambió {n}"),
            versions=[version],
        )
    for n in range(pending):
        factories.ResponseFactory(
            contribution=factories.ContributionFactory(
                plan=plan, commitment=commitment, text=f"En espera {n}"
            ),
            outcome="pending",
        )
    factories.ContributionFactory(plan=plan, text="De otro tema")  # not behind it
    return commitment


def test_the_contributions_behind_a_commitment_come_a_page_at_a_time_with_counts():
    commitment = _commitment_with(about=ORIGIN_PAGE_SIZE, changed=3, pending=2)
    first = commitment_origin(commitment)
    assert first.total == ORIGIN_PAGE_SIZE + 5
    assert len(first.page.object_list) == ORIGIN_PAGE_SIZE
    assert {key: n for key, _label, n in first.by_outcome} == {
        "unanswered": ORIGIN_PAGE_SIZE + 2,  # none answered, and two marked pending
        "adopted": 3,
    }
    second = commitment_origin(commitment, 2)
    assert len(second.page.object_list) == 5
    texts = [c.text for c in first] + [c.text for c in second]
    assert len(set(texts)) == ORIGIN_PAGE_SIZE + 5 and "De otro tema" not in texts
    assert commitment_origin(commitment, "nonsense").page.number == 1


def test_a_contribution_both_about_it_and_changing_it_is_listed_once():
    commitment = factories.CommitmentFactory()
    contribution = factories.ContributionFactory(plan=commitment.plan, commitment=commitment)
    factories.ResponseFactory(contribution=contribution, versions=[commitment.versions.get()])
    origin = commitment_origin(commitment)
    assert origin.total == 1 and [c.pk for c in origin] == [contribution.pk]


def test_the_page_costs_the_same_for_5_or_120_contributions(client):
    def queries_for(commitment) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(commitment.get_absolute_url()).status_code == 200
        return len(captured)

    small = _commitment_with(about=3, changed=2)
    large = _commitment_with(about=110, changed=10)
    assert queries_for(small) == queries_for(large)
    with translation.override("en"):
        url = large.get_absolute_url()
    page = client.get(url).content.decode()
    assert page.count('href="/en/contributions/') <= ORIGIN_PAGE_SIZE + 2
    assert "?page=2#origin-contributions" in page
    assert "120 contributions:" in page


def test_a_pending_answer_reads_as_not_answered_yet_on_the_commitment(client):
    commitment = _commitment_with(about=0, changed=0, pending=1)
    with translation.override("en"):
        url = commitment.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Not answered yet" in page and "Pending" not in page
