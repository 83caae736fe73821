"""The call to take part: one read of what is open now, the same block on every page, and a
contribute page that says when the next chance is when nothing is open."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from tests.factories import virtual_consultation
from traza.cocreation import queries, services
from traza.cocreation.models import Event
from traza.core.services import SYSTEM
from traza.plans.queries import open_opportunities


def _pages(commitment) -> list[str]:
    plan = commitment.plan
    event = Event.objects.filter(plan=plan).first()
    return [
        reverse("plans:home"),
        plan.get_absolute_url(),
        reverse("cocreation:calendar", args=[plan.pk]),
        event.get_absolute_url(),
        commitment.get_absolute_url(),
    ]


def test_a_running_consultation_is_one_click_away_on_every_page(client, draft):
    plan = draft.plan
    consultation = Event.objects.get(plan=plan, kind="virtual_consultation")
    contribute = reverse("cocreation:contribute", args=[plan.pk])
    ends = date_format(timezone.localtime(consultation.ends_at), "DATE_FORMAT")
    for url in _pages(draft):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert [o.kind for o in response.context["opportunities"]] == ["contribute"], url
        assert f'<li class="cta-contribute"><a class="button" href="{contribute}' in html, url
        assert ends in html, url  # the deadline, in words

    # the consultation closes: the call disappears everywhere
    services.save_event(SYSTEM, consultation, {"ends_at": timezone.now() - dt.timedelta(minutes=1)})
    for url in _pages(draft):
        html = client.get(url).content.decode()
        assert 'class="cta-contribute"' not in html, url
        assert client.get(url).context["opportunities"] == [], url


def test_the_english_call_says_until_when(client, draft):
    with translation.override("en"):
        html = client.get(reverse("cocreation:calendar", args=[draft.plan.pk])).content.decode()
    assert "Send your contribution until" in html


def test_an_approved_commitment_shows_no_call(client, draft):
    from traza.plans import services as plan_services

    plan_services.set_commitment_status(SYSTEM, draft, "approved", reason="Aprobado")
    assert client.get(draft.get_absolute_url()).context["opportunities"] == []


def test_registration_and_comment_periods_are_opportunities(make_plan):
    from traza.monitoring.models import SelfAssessment

    plan = make_plan(n=1, m=0)
    start = timezone.now() + dt.timedelta(days=10)
    workshop = services.save_event(
        SYSTEM,
        None,
        {
            "plan": plan,
            "key": "taller",
            "kind": "thematic_table",
            "title": "Mesa temática",
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2),
            "status": "scheduled",
        },
    )
    today = timezone.localdate()
    report = SelfAssessment.objects.create(  # a fixture row; its service needs a finished plan
        plan=plan,
        kind="mid_term",
        generated_at=timezone.now(),
        content={},
        comments_open_on=today - dt.timedelta(days=1),
        comments_close_on=today + dt.timedelta(days=13),
    )
    found = {o.kind: o for o in open_opportunities(plan)}
    assert found["register"].url == reverse("cocreation:register", args=[workshop.pk])
    assert found["register"].ends == workshop.starts_at
    assert found["comment"].url == report.get_absolute_url()
    assert found["comment"].ends == report.comments_close_on
    assert "contribute" not in found  # implementation, and no consultation runs


def test_the_read_is_bounded(make_plan, draft, django_assert_max_num_queries):
    for number in (2, 3):
        make_plan(n=1, m=0, number=number, stage="co_creation")
    with django_assert_max_num_queries(3):
        everything = open_opportunities()
    assert {o.plan_id for o in everything if o.kind == "contribute"} == {
        draft.plan_id,
        *[p.pk for p in draft.plan.__class__.objects.filter(stage="co_creation")],
    }
    with django_assert_max_num_queries(2):
        open_opportunities(draft.plan)


def test_a_closed_contribute_page_answers_and_names_the_next_chance(client, make_plan):
    plan = make_plan(n=1, m=0)
    url = reverse("cocreation:contribute", args=[plan.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["next_event"] is None
    html = response.content.decode()
    assert 'class="next-opportunity"' in html
    assert reverse("cocreation:calendar", args=[plan.pk]) in html

    consultation = virtual_consultation(plan, starts_in=dt.timedelta(days=20))
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["next_event"] == consultation
    assert consultation.get_absolute_url() in response.content.decode()
    assert queries.next_opportunity(plan) == consultation


@pytest.mark.django_db(transaction=True)
def test_a_post_to_a_closed_form_is_still_refused(client, make_plan):
    plan = make_plan(n=1, m=0)
    response = client.post(reverse("cocreation:contribute", args=[plan.pk]), {"text": "x"})
    assert response.status_code == 403


def test_the_spanish_call_reads_naturally(client, draft):
    html = client.get(reverse("plans:home")).content.decode()
    assert "Envíe su aporte hasta el " in html and "Participe ahora" in html


def test_a_draft_commitments_call_leads_to_a_contribution_about_it(client, draft):
    html = client.get(draft.get_absolute_url()).content.decode()
    link = reverse("cocreation:contribute", args=[draft.plan_id]) + f"?commitment={draft.pk}"
    assert f'href="{link}"' in html
    form = client.get(link).context["form"]
    assert form.initial["commitment"] == draft.pk
    assert client.get(link.split("?")[0] + "?commitment=junk").status_code == 200
