"""The standards engine replays situations from the seeds: the verdicts move the right way
when the data changes, with their evidence, and the assessor's overrides stay beside them."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.utils import timezone, translation

from tests.assessment.conftest import CO_CREATION, at
from traza.assessment import services as assessment_services
from traza.assessment.standards import process_health
from traza.cocreation import services as cocreation_services
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.forum import services as forum_services
from traza.forum.models import Session
from traza.plans import services as plan_services
from traza.plans.models import Organization


def verdicts(plan) -> dict[str, str]:
    health = process_health(plan)
    return {f"{s}:{v.code}": v.final for s, v in health.all_verdicts}


def publish_timeline(plan, days_before: int):
    timeline = plan.timeline if hasattr(plan, "timeline") else None
    cocreation_services.save_timeline(
        SYSTEM,
        timeline,
        {"plan": plan, "published_on": CO_CREATION - dt.timedelta(days=days_before)},
    )
    plan.refresh_from_db()


def test_a_timeline_three_days_ahead_fails_3_1_and_fourteen_days_passes(plan):
    cocreation_services.save_event(
        SYSTEM,
        None,
        {
            "plan": plan,
            "key": "mesa-1",
            "kind": "thematic_table",
            "title": "Mesa temática de salud",
            "starts_at": at(CO_CREATION),
            "ends_at": at(CO_CREATION, 13),
        },
    )
    assert verdicts(plan)["2021:3.1"] == "no_data"  # nothing recorded: not a failure
    publish_timeline(plan, 3)
    health = process_health(plan)
    rule = next(v for v in health.verdicts("2021") if v.code == "3.1")
    assert rule.final == "not_met" and "3 días" in rule.explanation
    assert rule.evidence[0].url.endswith("/calendario/")
    publish_timeline(plan, 14)
    assert verdicts(plan)["2021:3.1"] == "met"


def test_reasoned_responses_pass_4_1_and_4e_and_lift_influence_to_involve(plan, editor):
    publish_timeline(plan, 14)
    contributions = [
        cocreation_services.record_contribution(
            editor,
            {
                "plan": plan,
                "channel": "email",
                "text": f"Propuesta {n}",
                "received_at": at(CO_CREATION + dt.timedelta(days=n)),
                "author_email": f"persona{n}@example.org",
            },
        )
        for n in range(3)
    ]
    before = verdicts(plan)
    assert before["2021:4.1"] == before["2017:4e"] == "not_met"
    assert process_health(plan).development.final == "consult"
    for contribution in contributions[:2]:
        cocreation_services.publish_response(
            editor,
            contribution,
            {
                "outcome": "adopted",
                "text": "Se incorporó en el compromiso 1.",
                "deciding_body": "secretariat",
                "decided_on": dt.date(2024, 4, 1),
            },
        )
    assert verdicts(plan)["2021:4.1"] == "in_progress"
    assert process_health(plan).development.final == "consult"
    cocreation_services.publish_response(
        editor,
        contributions[2],
        {
            "outcome": "not_adopted",
            "reason_category": "outside_competence",
            "text": "Corresponde a otra entidad.",
            "deciding_body": "secretariat",
            "decided_on": dt.date(2024, 4, 1),
        },
    )
    after = verdicts(plan)
    assert after["2021:4.1"] == after["2017:4e"] == "met"
    health = process_health(plan)
    assert health.development.final == "involve"
    assert "se publicaron respuestas fundamentadas" in health.development.reasons


def quarterly_forum(plan):
    member = plan.member
    forum = forum_services.save_forum(
        SYSTEM,
        None,
        {"member": member, "name": "Foro Multiactor", "established_on": dt.date(2023, 1, 10)},
    )
    public = Organization.objects.get(slug="o1")
    ngo = Organization.objects.get(slug="h1")
    seats = [
        ("Ana Torres", public, "government", "executive", True, "appointment"),
        ("Luis Rojas", public, "government", "executive", True, "appointment"),
        ("Rosa Quispe", ngo, "non_government", "civil_society", False, "open_call"),
        ("Jorge Huamán", ngo, "non_government", "academia", False, "election"),
    ]
    members = [
        forum_services.save_membership(
            SYSTEM,
            None,
            {
                "forum": forum,
                "person": person,
                "organization": org,
                "sector": sector,
                "subsector": subsector,
                "decision_power": power,
                "starts_on": dt.date(2023, 2, 1),
                "selection": selection,
                "selection_call_url": "https://example.gob.pe/convocatoria"
                if selection == "open_call"
                else "",
            },
        )
        for person, org, sector, subsector, power, selection in seats
    ]
    forum_services.publish_rules(
        SYSTEM,
        forum,
        {
            "kind": "mandate",
            "text": "El foro supervisa el plan.",
            "developed_jointly": True,
            "published_on": dt.date(2023, 3, 1),
        },
    )
    day = dt.date(2024, 3, 15)
    while day <= dt.date(2026, 6, 30):
        forum_services.save_session(
            SYSTEM,
            None,
            {
                "forum": forum,
                "held_on": day,
                "modality": "hybrid",
                "agenda": "Seguimiento de compromisos",
                "minutes": "Acta de la sesión.",
                "minutes_published_on": day + dt.timedelta(days=7),
            },
            attendees=members,
        )
        month = day.month + 3
        day = day.replace(year=day.year + (month - 1) // 12, month=(month - 1) % 12 + 1)
    return forum


def test_a_forum_meeting_every_quarter_passes_1b_and_1_1_and_a_long_gap_fails_1_1(plan):
    assert verdicts(plan)["2017:1a"] == "no_data"  # no forum recorded: not a failure
    forum = quarterly_forum(plan)
    result = verdicts(plan)
    assert result["2017:1a"] == result["2017:1b"] == result["2021:1.1"] == "met"
    assert result["2017:2a"] == result["2017:2b"] == result["2017:2c"] == result["2017:2d"] == "met"
    assert result["2017:3e"] == result["2017:3f"] == result["2017:1c"] == "met"
    assert result["2021:5.1"] == "met"  # eight sessions in two years of implementation
    # the forum stops meeting for a year: the gap exceeds six months
    Session.objects.filter(forum=forum, held_on__year=2025).delete()
    result = verdicts(plan)
    assert result["2021:1.1"] == "not_met" and result["2017:1b"] == "in_progress"
    rule = next(v for v in process_health(plan).verdicts("2021") if v.code == "1.1")
    assert "días sin reunirse" in rule.explanation


def test_a_co_set_agenda_and_a_binding_decision_climb_to_collaborate_and_empower(plan, editor):
    publish_timeline(plan, 14)
    contribution = cocreation_services.record_contribution(
        editor,
        {"plan": plan, "channel": "email", "text": "Propuesta", "received_at": at(CO_CREATION)},
    )
    cocreation_services.publish_response(
        editor,
        contribution,
        {
            "outcome": "adopted",
            "text": "Incorporada.",
            "deciding_body": "secretariat",
            "decided_on": CO_CREATION,
        },
    )
    forum = quarterly_forum(plan)
    session = Session.objects.get(forum=forum, held_on=dt.date(2024, 3, 15))
    forum_services.save_session(SYSTEM, session, {"agenda_co_set": True})
    decision = forum_services.save_decision(
        SYSTEM, None, {"session": session, "text": "Priorizar salud", "plan": plan}
    )
    assert process_health(plan).development.final == "collaborate"
    forum_services.save_decision(SYSTEM, decision, {"binding": True})
    assert process_health(plan).development.final == "empower"


def test_an_assessor_override_is_justified_traced_and_shown_beside_the_computed_value(
    client, plan, django_user_model
):
    assessor = django_user_model.objects.create_user("evaluadora", "e@example.org", "x-Strong-1")
    outsider = django_user_model.objects.create_user("curioso", "c@example.org", "x-Strong-1")
    assessor.user_permissions.set(Permission.objects.filter(codename="add_processoverride"))
    assessor = django_user_model.objects.get(pk=assessor.pk)
    with pytest.raises(ValidationError):
        assessment_services.override_process(assessor, plan, "2021:3.1", "met", "   ")
    with pytest.raises(ValidationError):
        assessment_services.override_process(assessor, plan, "2021:9.9", "met", "Porque sí")
    with pytest.raises(ValidationError):
        assessment_services.override_process(assessor, plan, "2021:3.1", "perfect", "Porque sí")
    with pytest.raises(PermissionDenied):
        assessment_services.override_process(outsider, plan, "2021:3.1", "met", "Porque sí")
    assessment_services.override_process(
        assessor, plan, "2021:3.1", "met", "El cronograma se publicó en el diario oficial."
    )
    data = client.get(f"/api/v1/plans/{plan.pk}/standards").json()
    rule = next(s for s in data["standards"] if s["code"] == "3.1")
    assert rule["status"] == "met" and rule["computed_status"] == "no_data"  # no timeline
    assert rule["override"]["justification"] == "El cronograma se publicó en el diario oficial."
    html = client.get(f"/en/plans/{plan.pk}/process/").content.decode()
    assert '<th scope="col">Computed by Traza</th>' in html  # beside, in words, not codes
    assert 'light-no_data">No data</span>' in html and 'light-met">Met</span>' in html
    assert "agrees with the assessor's on 0 of 1 standard." in html
    assert "El cronograma se publicó en el diario oficial." in html
    event = TraceEvent.objects.filter(object_type="assessment.processoverride").get()
    assert event.reason == "El cronograma se publicó en el diario oficial."


def test_bad_forum_records_are_refused(plan):
    forum = forum_services.save_forum(
        SYSTEM, None, {"member": plan.member, "name": "Foro", "established_on": dt.date(2024, 1, 1)}
    )
    with pytest.raises(ValidationError, match="anterior a la creación del foro"):
        forum_services.save_session(
            SYSTEM,
            None,
            {"forum": forum, "held_on": dt.date(2023, 12, 1), "modality": "remote", "agenda": "x"},
        )
    with pytest.raises(ValidationError):
        forum_services.save_membership(
            SYSTEM,
            None,
            {
                "forum": forum,
                "person": "X",
                "organization": Organization.objects.get(slug="o1"),
                "sector": "government",
                "subsector": "executive",
                "starts_on": dt.date(2024, 6, 1),
                "ends_on": dt.date(2024, 5, 1),
                "selection": "appointment",
            },
        )
    with pytest.raises(ValidationError):  # a civil-society subsector for a government seat
        forum_services.save_membership(
            SYSTEM,
            None,
            {
                "forum": forum,
                "person": "Y",
                "organization": Organization.objects.get(slug="o1"),
                "sector": "government",
                "subsector": "academia",
                "starts_on": dt.date(2024, 6, 1),
                "selection": "appointment",
            },
        )
    assert not forum.sessions.exists() and not forum.memberships.exists()


@pytest.mark.parametrize(
    "setting",
    [
        {"TRAZA_FORUM_IDLE_DAYS": 0},
        {"TRAZA_PARITY_TOLERANCE": 50},
        {"TRAZA_RESPONSE_WAIT_DAYS": -3},
        {"TRAZA_STARRED_PROCESS_CODES": ["1a", "9z"]},
    ],
)
def test_a_threshold_outside_a_sane_range_stops_the_site_with_a_clear_message(setting):
    with override_settings(**setting), pytest.raises(SystemCheckError) as error:
        call_command("check")
    assert next(iter(setting)) in str(error.value)


def test_the_peru_demo_shows_the_2017_process_as_the_seeds_describe_it(client, demo):
    html = client.get(f"/en/plans/{demo.pk}/process/").content.decode()
    assert "No multi-stakeholder forum of this member is recorded" in html  # no data, not red
    assert "3 days before co-creation started (2017-09-11)" in html
    assert "0 of 20 contributions have a published reasoned response" in html
    assert "Consult" in html and "no*" in html
    data = client.get(f"/api/v1/plans/{demo.pk}/standards").json()
    assert len(data["standards"]) == 17 + 6 and data["in_force"] == "2017"
    by_code = {s["code"]: s for s in data["standards"]}
    assert by_code["1a"]["computed_status"] == "no_data"
    assert by_code["1a"]["status"] == "in_progress"  # the IRM's Annex I, beside
    assert by_code["4e"]["status"] == by_code["4e"]["computed_status"] == "not_met"
    assert by_code["3.1"]["status"] == "not_met"  # the timeline published 3 days ahead
    assert by_code["3.1"]["evidence"][0]["url"].startswith("http://testserver/planes/")
    assert by_code["1a"]["evidence"][0]["url"] == "http://testserver/foro/"  # where it would be
    assert data["influence_development"]["level"] == "consult"
    assert data["acted_contrary"] is False and data["contrary_grace_period"] is True
    assert client.get("/api/v1/plans/999999/standards").status_code == 404


def test_warnings_reach_the_secretariat_once_a_day(plan, editor, django_user_model):
    from traza.assessment.services import send_process_warnings
    from traza.notifications.models import OutboxMessage

    plan_services.set_plan_stage(SYSTEM, plan, "implementation")
    secretariat = django_user_model.objects.create_user("sgp", "sgp@example.org", "x-Strong-1")
    secretariat.user_permissions.set(Permission.objects.filter(codename="receive_process_warnings"))
    soon = timezone.now() + dt.timedelta(days=5)
    cocreation_services.save_event(
        SYSTEM,
        None,
        {
            "plan": plan,
            "key": "taller",
            "kind": "presentation",
            "title": "Presentación de avances",
            "starts_at": soon,
            "ends_at": soon + dt.timedelta(hours=2),
            "announced_at": timezone.now() - dt.timedelta(days=1),
        },
    )
    cocreation_services.record_contribution(
        editor,
        {
            "plan": plan,
            "channel": "email",
            "text": "¿Y mi respuesta?",
            "received_at": timezone.now() - dt.timedelta(days=45),
        },
    )
    forum_services.save_forum(
        SYSTEM,
        None,
        {"member": plan.member, "name": "Foro dormido", "established_on": dt.date(2024, 1, 1)},
    )
    with translation.override("en"):
        texts = [w.text for w in process_health(plan).warnings]
    assert any("Presentación de avances" in t and "announced 6 days ahead" in t for t in texts)
    assert any("Foro dormido has not met" in t for t in texts)
    assert "1 contribution has waited more than 30 days for its reasoned response." in texts
    assert send_process_warnings() == 1
    assert send_process_warnings() == 0  # not twice the same day
    mail = OutboxMessage.objects.get(to="sgp@example.org")
    assert "Foro dormido" in mail.body and f"/planes/{plan.pk}/proceso/" in mail.body


def test_the_process_page_runs_a_fixed_number_of_queries(client, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/planes/{plan.pk}/proceso/").status_code == 200
        return len(queries)

    forum = quarterly_forum(plan)
    many = count()
    Session.objects.filter(forum=forum, held_on__year__gte=2025).delete()
    assert count() == many <= 30  # ten sessions or three: the same queries


@pytest.mark.django_db(transaction=True)
def test_public_co_creation_evidence_links_from_the_process_page(client, plan):
    """Evidence of an event (minutes, photos) is cited by standard 4.1/4e: as a link to its
    checked download or to the link given (this page used to fail on any such evidence)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    event = cocreation_services.save_event(
        SYSTEM,
        None,
        {
            "plan": plan,
            "key": "mesa-salud",
            "title": "Mesa temática de salud",
            "kind": "thematic_table",
            "starts_at": at(CO_CREATION),
            "ends_at": at(CO_CREATION, 12),
        },
    )
    minutes = cocreation_services.add_evidence(
        SYSTEM,
        {"event": event, "kind": "minutes", "title": "Acta de la mesa"},
        upload=SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    link = cocreation_services.add_evidence(
        SYSTEM,
        {"event": event, "kind": "video", "title": "Video", "url": "https://example.org/v"},
    )
    response = client.get(f"/planes/{plan.pk}/proceso/")
    assert response.status_code == 200
    html = response.content.decode()
    assert minutes.get_absolute_url().endswith(f"/{minutes.pk}/")
    assert client.get(minutes.get_absolute_url()).status_code == 200
    assert link.get_absolute_url() == "https://example.org/v"
    assert client.get(f"/api/v1/plans/{plan.pk}/standards").status_code == 200
    assert "Acta de la mesa" in html or "Video" in html
