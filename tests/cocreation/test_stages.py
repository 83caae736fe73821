"""Proposals through the stages, the funnel, and the 2017 process as the demo records it."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from traza.api import transfer
from traza.cocreation import queries, services
from traza.cocreation.models import Contribution, Registration
from traza.core.services import SYSTEM
from traza.plans import services as plan_services
from traza.plans.models import Commitment


def event(plan, key, kind, day):
    start = timezone.make_aware(dt.datetime(2017, 9, day, 9))
    return services.save_event(
        SYSTEM,
        None,
        {
            "plan": plan,
            "key": key,
            "kind": kind,
            "title": key,
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=4),
            "status": "held",
        },
    )


def proposal(plan, number, origin, title):
    return plan_services.save_commitment(
        SYSTEM,
        None,
        {
            "plan": plan,
            "number": number,
            "title": title,
            "status": "proposal",
            "origin_event": origin,
        },
        step="proposal",
        reason="Nace en la mesa",
    )


@pytest.fixture
def staged(make_plan):
    """Three proposals: two from a thematic table, one from a regional workshop."""
    plan = make_plan(n=0)
    table = event(plan, "mesa-salud", "thematic_table", 11)
    workshop = event(plan, "taller-arequipa", "regional_workshop", 21)
    kept = proposal(plan, 1, table, "Historia clínica electrónica abierta")
    dropped = proposal(plan, 2, table, "Hospital nuevo en cada distrito")
    regional = proposal(plan, 3, workshop, "Presupuesto participativo regional")
    for item in (kept, regional):
        plan_services.save_commitment(
            SYSTEM,
            item,
            {"summary": "Texto acordado en la mesa nacional"},
            step="national_table",
            reason="Ajuste acordado en la mesa nacional",
        )
    plan_services.set_commitment_status(
        SYSTEM, kept, "approved", step="approval", reason="Aprobado"
    )
    return plan, kept, dropped, regional


def test_discarding_needs_a_reasoned_decision_and_the_proposal_stays_public(client, staged):
    plan, _kept, dropped, _regional = staged
    with pytest.raises(ValidationError) as error:
        plan_services.set_commitment_status(SYSTEM, dropped, "discarded", step="national_table")
    assert "decision_reason" in error.value.message_dict
    dropped.refresh_from_db()
    assert dropped.status == "proposal"

    plan_services.set_commitment_status(
        SYSTEM,
        dropped,
        "discarded",
        step="national_table",
        reason="Fuera de la competencia de la PCM y sin presupuesto; lo decidió la mesa nacional.",
    )
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Propuestas descartadas" in page
    assert "Hospital nuevo en cada distrito" in page and "sin presupuesto" in page
    assert "Propuesto en" in page and "mesa-salud" in page
    assert "Presupuesto participativo regional" in page  # still under discussion
    detail = client.get(dropped.get_absolute_url()).content.decode()
    assert "Propuesta descartada." in detail and "sin presupuesto" in detail
    assert "Versión 2 · mesa nacional" in detail or "mesa nacional" in detail


def test_the_funnel_counts_the_recorded_proposals_stage_by_stage(client, staged):
    plan, *_ = staged
    funnel = queries.proposal_funnel(plan)
    assert [stage.recorded for stage in funnel] == [2, 1, 2, 1]
    page = client.get(f"/planes/{plan.pk}/flujo/").content.decode()
    assert "Las propuestas a lo largo de las etapas" in page


def test_an_origin_event_from_another_plan_is_refused(make_plan, staged):
    _plan, kept, *_ = staged
    other = make_plan(n=0, number=2)
    foreign = event(other, "mesa-otra", "thematic_table", 12)
    with pytest.raises(ValidationError):
        plan_services.save_commitment(SYSTEM, kept, {"origin_event": foreign})
    kept.refresh_from_db()
    assert kept.origin_event.key == "mesa-salud"


def test_the_demo_holds_the_2017_contributions_by_channel_and_theme(client, demo):
    stats = queries.contribution_stats(demo)
    assert stats.total == 20 and stats.answered == 0  # the seeds record no reasoned response
    table = {theme: counts for theme, counts, _total in stats.by_channel_theme}
    assert stats.channels == ["foro virtual", "correo electrónico"]
    assert table == {
        "Ambiente": [1, 2],
        "Educación": [2, 1],
        "Infraestructura": [2, 2],
        "Salud": [2, 1],
        "Saneamiento": [0, 1],
        "Seguridad ciudadana": [3, 3],
    }
    assert (
        Contribution.objects.filter(plan=demo, event__key="consulta-virtual-propuestas").count()
        == 20
    )
    page = client.get(f"/planes/{demo.pk}/aportes/").content.decode()
    assert "Seguridad ciudadana" in page


def test_the_demo_funnel_reads_18_plus_11_then_26_then_18_with_sources(client, demo):
    funnel = queries.proposal_funnel(demo)
    reported = [[f.total for f in stage.reported] for stage in funnel]
    assert reported[0] == [18]
    assert sorted(reported[1]) == [11, 11]  # government and IRM agree, both kept
    assert reported[2] == [26]
    assert sorted(reported[3]) == [17, 18]  # seed 002 says 17 in one place: both kept
    assert funnel[3].recorded == 18
    thematic = funnel[0].reported[0]
    assert dict(thematic.breakdown)["Infraestructura"] == 5
    page = client.get(f"/planes/{demo.pk}/flujo/").content.decode()
    assert "propuestas de las mesas temáticas" in page.lower()
    assert "Sistematización del proceso de cocreación 2017" in page


def test_the_demo_prints_cuadro_1_and_2_with_one_decimal(client, demo):
    page = client.get(f"/planes/{demo.pk}/calendario/").content.decode()
    assert "Participación según los informes" in page
    for share in ("70,5", "29,5", "82,3", "6,5", "4,0", "7,3"):
        assert share in page
    assert "312" in page and "952" in page


def test_unique_persons_are_counted_once_across_events(client, make_plan):
    plan = make_plan(n=0)
    first = event(plan, "mesa-1", "thematic_table", 11)
    second = event(plan, "mesa-2", "thematic_table", 12)
    people = [
        ("Ana@Example.org", "civil_society", "ngo", [first, second]),
        ("luis@example.org", "public", "", [first]),
        ("rosa@example.org", "civil_society", "academia", [second]),
        ("nadie@example.org", "civil_society", "ngo", []),  # registered, absent
    ]
    for email, sector, cs_type, attended in people:
        for ev in (first, second):
            Registration.objects.create(
                event=ev,
                name="P",
                email=email.lower() if ev == second else email,
                sector=sector,
                civil_society_type=cs_type,
                consent_text="ok",
                consented_at=timezone.now(),
                status="confirmed",
                cancel_token=f"{email}-{ev.key}",
                attended=ev in attended,
            )
    count = queries.unique_attendees(plan)
    assert count.total == 3 and count.attendances == 4
    assert {label: n for label, n, _share in count.by_sector} == {
        "sociedad civil": 2,
        "sector público": 1,
    }
    assert {label: share for label, _n, share in count.by_civil_society_type} == {
        "ONG": 50.0,
        "academia": 50.0,
    }
    page = client.get(f"/planes/{plan.pk}/calendario/").content.decode()
    assert "3 personas asistieron" in page
    assert "Registros de asistencia" in page  # the per-event rows counted from registrations


def test_imported_contributions_keep_their_key_and_are_never_changed(demo):
    data = transfer.export_data([demo.pk])
    assert transfer.import_data(SYSTEM, data, "again.json") == {}
    changed = json.loads(json.dumps(data))
    changed["plans"][0]["contributions"][0]["text"] = "Otro texto"
    with pytest.raises(transfer.ImportProblem) as problem:
        transfer.import_data(SYSTEM, changed, "changed.json")
    assert "contributions[0]" in problem.value.render()
    unknown = json.loads(json.dumps(data))
    unknown["plans"][0]["contributions"][0]["event"] = "no-existe"
    unknown["plans"][0]["commitments"][0]["origin_event"] = "tampoco"
    with pytest.raises(transfer.ImportProblem) as problem:
        transfer.import_data(SYSTEM, unknown, "unknown.json")
    assert "contributions[0].event" in problem.value.render()
    assert "commitments[0].origin_event" in problem.value.render()
    discarded = json.loads(json.dumps(data))
    discarded["plans"][0]["commitments"][0]["status"] = "discarded"
    discarded["plans"][0]["commitments"][0]["decision_reason"] = ""
    with pytest.raises(transfer.ImportProblem):
        transfer.import_data(SYSTEM, discarded, "discarded.json")
    assert Commitment.objects.filter(status="discarded").count() == 0
