"""A commitment's "Contributions behind this commitment": paginated, counted by outcome,
bounded work whatever the number of contributions (issue 15.2)."""

from __future__ import annotations

import datetime as dt

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


def test_the_pages_are_those_of_the_union_ordered_in_sql(make_plan, monkeypatch):
    """The page is merged from the two arms, each read in order up to the page's end; it must
    list what the single query it replaced listed (``id IN (about UNION changed) ORDER BY
    received_at, id``), page by page: arms interleaved in time, ties on ``received_at``
    broken by id across the arms, a contribution in both arms (or changing two versions)
    once, hidden ones in neither, and each row's outcome and seconds."""
    from traza.activity import queries
    from traza.activity.queries import origin_contributions
    from traza.cocreation import services as cocreation
    from traza.cocreation.models import DiscussionPost, PostStatus
    from traza.cocreation.queries import outcome_key
    from traza.core.services import SYSTEM
    from traza.plans import services as plans

    plan = make_plan(n=2, m=1)
    x, other = plan.commitments.order_by("pk")
    for commitment in (x, other):  # both open to discussion, for the hidden messages
        plans.set_commitment_status(SYSTEM, commitment, "proposal", reason="Borrador")
    factories.virtual_consultation(plan)
    plans.save_commitment(SYSTEM, x, {"title": "Compromiso revisado"})
    first, second = x.versions.order_by("number")[:2]
    t0 = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)

    def about(minutes: int, **values):
        return factories.ContributionFactory(
            plan=plan, commitment=x, received_at=t0 + dt.timedelta(minutes=minutes), **values
        )

    def changing(minutes: int, versions, commitment=None):
        contribution = factories.ContributionFactory(
            plan=plan, commitment=commitment, received_at=t0 + dt.timedelta(minutes=minutes)
        )
        factories.ResponseFactory(contribution=contribution, versions=versions)
        return contribution

    for n in reversed(range(7)):  # newest first: ids do not follow the time
        about(2 * n)  # 0, 2, 4… minutes
        changing(2 * n + 1, [first])  # 1, 3, 5…: the other arm, interleaved
    for _n in range(3):  # ties: the same moment in both arms, ids alternating between them
        about(30)
        changing(30, [second])
    changing(40, [first, second])  # two versions of it: listed once
    both = about(41)
    factories.ResponseFactory(contribution=both, versions=[first])  # in both arms: once
    changing(42, [first], commitment=other)  # about another commitment, but changed this one
    answered = about(43)
    factories.ResponseFactory(
        contribution=answered, outcome="not_adopted", reason_category="no_budget"
    )
    cocreation.second_contribution(answered, {"name": "Rosa", "email": "rosa@example.org"})
    # hidden by moderation: one about it, one that changed it (about the other commitment)
    for commitment in (x, other):
        cocreation.post_message(commitment, {"text": "Mensaje", "author_name": "Luis"})
    for post in DiscussionPost.objects.all():
        cocreation.moderate_post(SYSTEM, post, PostStatus.PUBLISHED)
    hidden = list(DiscussionPost.objects.order_by("pk"))
    factories.ResponseFactory(contribution=hidden[1].contribution, versions=[first])
    for post in hidden:
        cocreation.moderate_post(SYSTEM, post, PostStatus.HIDDEN, "Datos personales.", "other")
    about(50)  # after the hidden ones

    before = list(
        origin_contributions(x)
        .annotate(seen_as=outcome_key())
        .order_by("received_at", "id")
        .values_list("pk", "seen_as")
    )
    assert len(before) == 7 * 2 + 3 * 2 + 4 + 1
    assert {c.pk for c in origin_contributions(x)}.isdisjoint(p.contribution_id for p in hidden)
    for size in (1, 4, 5, len(before), len(before) + 3):
        monkeypatch.setattr(queries, "ORIGIN_PAGE_SIZE", size)
        listed: list[tuple[int, str]] = []
        number = 1
        while True:
            origin = commitment_origin(x, number)
            assert origin.total == len(before)
            assert origin.page.number == number
            rows = list(origin)
            assert [(c.pk, c.outcome_key) for c in rows] == before[(number - 1) * size :][:size]
            assert all(c.second_count == (c.pk == answered.pk) for c in rows)
            listed += [(c.pk, c.outcome_key) for c in rows]
            if not origin.page.has_next():
                break
            number += 1
        assert listed == before
        last = commitment_origin(x, number + 5)  # past the end: the last page, as before
        assert last.page.number == number
