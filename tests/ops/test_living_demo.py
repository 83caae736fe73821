"""The living demo (``traza load-demo``): a fictional plan, labelled fictional everywhere,
alive on any day it is loaded, written through the services, and loaded once per module
(some 5 s with Peru's real plan) inside a transaction rolled back at the end.

Time is frozen with a settable clock that replaces ``django.utils.timezone.now`` (which
``localdate`` reads too), so "today" is a fixed day and the refresh test can move it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tests.core.trace_helpers import seal, sealed_and_verified
from traza.activity.queries import commitment_origin
from traza.api.transfer import export_data
from traza.assessment import standards
from traza.assessment.standards.vocabulary import Status
from traza.cocreation.models import (
    Channel,
    Contribution,
    Event,
    Evidence,
    Outcome,
    ReasonCategory,
    Response,
    ResponseDraft,
)
from traza.cocreation.queries import awaiting_response, overdue_contributions
from traza.cocreation.services import consultation_open, registration_open, running_consultation
from traza.core.datasets import registry
from traza.core.models import TraceEvent, TraceSeal
from traza.forum.models import Decision, GoodPractice, Initiative, Membership, Session
from traza.monitoring.models import Measurement, ProgressReport, Review, SelfAssessment
from traza.ops.living_demo import REFRESH_REASON, find_plan, load_living_demo
from traza.plans.models import ActionPlan, Commitment, CommitmentVersion
from traza.repository.models import Document

FROZEN = dt.datetime(2031, 3, 12, 15, 30, tzinfo=dt.UTC)  # a Wednesday afternoon in Lima


class Clock:
    """A fixed ``now`` that a test may move."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture(scope="module")
def clock():
    frozen = Clock(FROZEN)
    with mock.patch("django.utils.timezone.now", frozen):
        yield frozen


@pytest.fixture(scope="module")
def living(clock, django_db_setup, django_db_blocker, tmp_path_factory):
    """Peru's real plan and the fictional one, loaded once for the module."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield find_plan()
        transaction.set_rollback(True)


@pytest.fixture
def plan(living, db):
    return ActionPlan.objects.get(pk=living.pk)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            TraceEvent,
            ActionPlan,
            Commitment,
            CommitmentVersion,
            Event,
            Evidence,
            Contribution,
            Response,
            ProgressReport,
            Measurement,
            Session,
            Document,
            SelfAssessment,
        )
    )


def test_the_plan_is_labelled_fictional_and_peru_is_not(plan):
    assert plan.is_fictional
    assert "datos ficticios de demostración" in plan.title
    peru = ActionPlan.objects.get(member__slug="peru", number=3)
    assert not peru.is_fictional
    assert sealed_and_verified() is None


def test_loading_again_writes_nothing(plan, capsys):
    before = counts()
    call_command("load_demo")
    out = capsys.readouterr().out
    # Peru's history, the IRM's verdicts on its process, then the fictional plan
    assert out.count("nothing added") == 3, out
    assert counts() == before
    assert load_living_demo().events == 0


def test_every_outcome_reason_and_channel_is_there(plan):
    responses = Response.objects.filter(contribution__plan=plan)
    assert set(responses.values_list("outcome", flat=True)) == set(Outcome.values)
    reasons = responses.filter(outcome=Outcome.NOT_ADOPTED).values_list(
        "reason_category", flat=True
    )
    assert set(reasons) == set(ReasonCategory.values)
    assert all(r.forwarded_to for r in responses.filter(outcome=Outcome.FORWARDED))
    contributions = Contribution.objects.filter(plan=plan)
    assert 55 <= contributions.count() <= 70
    assert set(contributions.values_list("channel", flat=True)) == set(Channel.values)
    # the workbench has work: one overdue, a few waiting within the deadline, a draft
    assert overdue_contributions(plan).count() == 1
    assert awaiting_response(plan).count() >= 4
    assert ResponseDraft.objects.filter(contribution__plan=plan).count() == 1


def test_commitments_changed_by_contributions_show_their_origin(plan):
    for number in range(1, 6):
        commitment = plan.commitments.get(number=number)
        versions = list(commitment.versions.order_by("number"))
        assert [v.step for v in versions] == ["thematic_table", "national_table", "approval"]
        changed = versions[1]
        assert changed.reason and changed.snapshot["title"] != versions[0].snapshot["title"]
        origin = commitment_origin(commitment)
        assert any(
            changed in c.response.changed_versions.all() for c in origin if hasattr(c, "response")
        ), number
    discarded = plan.commitments.get(number=8)
    assert discarded.status == "discarded" and discarded.decision_reason


def test_alive_on_the_frozen_today(plan, clock):
    now = clock()
    today = timezone.localdate()
    assert consultation_open(plan) and running_consultation(plan).key == "consulta-actualizacion"
    upcoming = [
        e for e in Event.objects.filter(plan=plan, starts_at__gt=now) if registration_open(e)
    ]
    assert upcoming, "an event ahead takes registrations"
    past = Event.objects.filter(plan=plan, status="held")
    assert past.filter(tallies__isnull=False).count() >= 6
    assert Evidence.objects.filter(event__plan=plan, kind="minutes").exists()
    assert Evidence.objects.filter(event__plan=plan, kind="photo").exists()
    report = SelfAssessment.objects.get(plan=plan)
    assert report.open_for_comments(today) and report.comments.exists()
    reviews = Counter(
        ProgressReport.objects.filter(milestone__commitment__plan=plan).values_list(
            "review", flat=True
        )
    )
    assert reviews[Review.ACCEPTED] >= 5 and reviews[Review.RETURNED] == 1
    assert reviews[Review.SUBMITTED] == 1
    assert Measurement.objects.filter(indicator__commitment__plan=plan).count() >= 10
    members = Membership.objects.filter(forum__member=plan.member)
    assert {m.sector for m in members} == {"government", "non_government"}
    assert Decision.objects.filter(plan=plan, binding=True).exists()
    assert Session.objects.filter(forum__member=plan.member, held_on__gt=today).exists()
    assert Document.objects.filter(plan=plan).count() >= 4
    assert GoodPractice.objects.filter(commitment__plan=plan).exists()
    assert Initiative.objects.filter(commitments__plan=plan).exists()


def test_every_process_standard_has_a_verdict_with_evidence(plan, client):
    health = standards.process_health(plan)
    verdicts = list(health.all_verdicts)
    assert {edition for edition, _v in verdicts} == {"2017", "2021"}
    for _edition, verdict in verdicts:
        assert verdict.status in Status.values and verdict.explanation, verdict.code
        assert verdict.evidence, verdict.code
    statuses = Counter(v.status for _e, v in verdicts)
    assert statuses[Status.MET] >= 15 and statuses[Status.IN_PROGRESS] >= 2  # a real picture
    response = client.get(f"/en/plans/{plan.pk}/process/")
    assert response.status_code == 200
    assert b"data-fictional" in response.content


def _pages(plan: ActionPlan) -> list[str]:
    contribution = Contribution.objects.filter(plan=plan, response__isnull=False).first()
    event = Event.objects.get(plan=plan, key="mesa-transparencia")
    commitment = plan.commitments.get(number=2)
    forum = Membership.objects.filter(forum__member=plan.member).first().forum
    return [
        plan.get_absolute_url(),
        contribution.get_absolute_url(),
        event.get_absolute_url(),
        commitment.get_absolute_url(),
        f"/en/plans/{plan.pk}/calendar/",
        f"/en/plans/{plan.pk}/dashboard/",
        f"/en/plans/{plan.pk}/process/",
        forum.get_absolute_url(),
        SelfAssessment.objects.get(plan=plan).get_absolute_url(),
    ]


def test_the_notice_is_on_every_page_of_the_fictional_plan(plan, client):
    for url in _pages(plan):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.count(b'data-fictional="true"') == 1, url
    english = client.get(f"/en/plans/{plan.pk}/")
    assert b"Fictional demonstration data" in english.content


def test_peru_shows_no_notice(plan, client):
    peru = ActionPlan.objects.get(member__slug="peru", number=3)
    pages = [
        peru.get_absolute_url(),
        f"/en/plans/{peru.pk}/process/",
        Event.objects.filter(plan=peru).first().get_absolute_url(),
        Contribution.objects.filter(plan=peru).first().get_absolute_url(),
        peru.commitments.first().get_absolute_url(),
        "/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"data-fictional" not in response.content, url


def test_the_api_and_open_data_mark_the_fictional_plan(plan, client):
    rows = client.get("/api/v1/plans/").json()["items"]
    marks = {row["id"]: row["is_fictional"] for row in rows}
    assert marks[plan.pk] is True
    assert sum(marks.values()) == 1
    dataset = {row["id"]: row["is_fictional"] for row in registry["plans"].rows()}
    assert dataset == marks
    assert export_data([plan.pk])["plans"][0]["is_fictional"] is True


def test_refresh_moves_the_living_dates_and_keeps_history(plan, clock):
    history = list(
        Contribution.objects.filter(plan=plan, key__startswith="ejemplo-").values_list(
            "key", "received_at"
        )
    )
    seal()
    written = list(
        TraceSeal.objects.order_by("position").values_list("position", "event_id", "hash")
    )
    clock.at = FROZEN + dt.timedelta(days=75)
    try:
        assert load_living_demo().events == 0  # another day, no refresh: nothing moves
        assert not consultation_open(plan)
        result = load_living_demo(refresh=True)
        assert result.events > 0 and result.living == timezone.localdate()
        assert consultation_open(plan)
        ahead = Event.objects.filter(plan=plan, starts_at__gt=clock.at)
        assert any(registration_open(e) for e in ahead)
        assert SelfAssessment.objects.get(plan=plan).open_for_comments()
        # the previous round was answered; the new one waits; still one overdue
        assert overdue_contributions(plan).count() == 1
        assert awaiting_response(plan).count() >= 4
        moved = TraceEvent.objects.filter(object_type="cocreation.event", reason=REFRESH_REASON)
        assert moved.count() == 3
        # history was not rewritten: earlier events and contributions are as they were
        seal()
        assert (
            list(
                TraceSeal.objects.filter(position__lte=written[-1][0])
                .order_by("position")
                .values_list("position", "event_id", "hash")
            )
            == written
        )
        assert (
            list(
                Contribution.objects.filter(plan=plan, key__startswith="ejemplo-").values_list(
                    "key", "received_at"
                )
            )
            == history
        )
        assert sealed_and_verified() is None
        assert load_living_demo(refresh=True).events == 0  # refreshing twice the same day
    finally:
        clock.at = FROZEN
