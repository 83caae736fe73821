"""The public forum page, inputs from non-members, the network directory and the catalogue
of good practices."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.assessment.conftest import plan  # noqa: F401
from tests.assessment.test_standards import quarterly_forum, verdicts
from tests.cocreation.test_contributions import form_data
from traza.cocreation.models import Contribution
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.forum import services
from traza.forum.models import GoodPractice, Initiative


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_forum_page_shows_members_rules_sessions_and_decisions(client, plan):  # noqa: F811
    forum = quarterly_forum(plan)
    session = forum.sessions.order_by("held_on").first()
    services.save_decision(
        SYSTEM,
        None,
        {
            "session": session,
            "text": "Priorizar el compromiso 1",
            "commitment": plan.commitments.get(number=1),
        },
    )
    html = client.get(f"/foro/{forum.pk}/").content.decode()
    for text in (
        "Rosa Quispe",
        "Convocatoria pública abierta",
        "tiene poder de decisión",
        "El foro supervisa el plan.",
    ):
        assert text in html
    assert "Priorizar el compromiso 1" in html and "4 miembros presentes" in html
    assert "Foro Multiactor" in client.get("/foro/").content.decode()
    english = client.get(f"/en/forum/{forum.pk}/").content.decode()
    assert "Mandate and rules of participation" in english
    many = count_queries(client, f"/foro/{forum.pk}/")
    services.save_session(
        SYSTEM,
        None,
        {"forum": forum, "held_on": dt.date(2026, 9, 1), "modality": "remote", "agenda": "Extra"},
    )
    assert count_queries(client, f"/foro/{forum.pk}/") == many <= 12


def test_a_non_member_sends_an_input_that_gets_a_reasoned_response(client, plan, make_plan):  # noqa: F811
    forum = quarterly_forum(plan)
    assert verdicts(plan)["2017:3d"] == "not_met"
    url = f"/foro/{forum.pk}/"
    bad = client.post(url, form_data(plan=plan.pk, consent=""))
    assert bad.status_code == 400 and not Contribution.objects.exists()
    other = make_plan(n=1, m=1, number=2)  # another OGP member's plan: not offered, refused
    assert client.post(url, form_data(plan=other.pk)).status_code == 400
    response = client.post(
        url, form_data(plan=plan.pk, text="Incluyan a los gobiernos regionales.")
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.channel == "forum_input" and contribution.plan == plan
    assert verdicts(plan)["2017:3d"] == "met"
    services.save_forum(SYSTEM, forum, {"dissolved_on": dt.date(2026, 7, 1)})
    with pytest.raises(ValidationError):
        services.submit_forum_input(forum, plan, {"text": "tarde"})


def test_the_network_directory_filters_and_paginates(client, plan):  # noqa: F811
    theme = plan.commitments.first().theme
    forum = quarterly_forum(plan)
    member = forum.memberships.first()
    for n in range(30):
        services.save_initiative(
            SYSTEM,
            None,
            {
                "name": f"Iniciativa {n:02d}",
                "kind": "initiative" if n % 2 else "network",
                "description": "Trabaja en datos abiertos.",
                "regions": "Cusco, Puno" if n < 5 else "Lima",
            },
            themes=[theme] if n < 10 else [],
            commitments=[plan.commitments.first()] if n < 3 else [],
            forum_members=[member] if n == 0 else [],
        )
    html = client.get("/red/").content.decode()
    assert (
        "30 resultados" in html
        and "Página 1 de 2" in html
        and "Rosa Quispe" not in html.split("Iniciativa 00")[0]
    )
    assert "3 resultados" not in html
    cusco = client.get("/red/?region=Cusco").content.decode()
    assert "5 resultados" in cusco and "Ana Torres" in cusco  # the forum member linked to 00
    assert "10 resultados" in client.get(f"/red/?theme={theme.slug}").content.decode()
    assert "15 resultados" in client.get("/red/?kind=network").content.decode()
    assert client.get("/red/?kind=nonsense&page=abc&region=" + "x" * 500).status_code == 200
    assert client.get("/red/?region=" + "x" * 5000).status_code == 400  # over-long: said so
    assert count_queries(client, "/red/") <= 10
    event = TraceEvent.objects.filter(object_type="forum.initiative").first()
    assert event.action == "create"
    assert Initiative.objects.get(name="Iniciativa 00").forum_members.get() == member


def test_good_practices_need_criteria_and_evidence_and_filter_by_criterion(client, plan):  # noqa: F811
    commitment = plan.commitments.first()
    with pytest.raises(ValidationError):
        services.save_good_practice(
            SYSTEM,
            None,
            {
                "title": "X",
                "description": "x",
                "criteria": [],
                "evidence": "x",
                "commitment": commitment,
                "identified_on": dt.date(2025, 1, 1),
            },
        )
    with pytest.raises(ValidationError):
        services.save_good_practice(
            SYSTEM,
            None,
            {
                "title": "X",
                "description": "x",
                "criteria": ["magic"],
                "evidence": "x",
                "commitment": commitment,
                "identified_on": dt.date(2025, 1, 1),
            },
        )
    assert not GoodPractice.objects.exists()
    services.save_good_practice(
        SYSTEM,
        None,
        {
            "title": "Mesas regionales con actas públicas",
            "description": "Cada taller regional publicó su acta en una semana.",
            "criteria": ["territorial", "transparency"],
            "evidence": "Actas de los talleres de Cusco y Piura.",
            "commitment": commitment,
            "identified_on": dt.date(2025, 1, 1),
        },
    )
    html = client.get("/buenas-practicas/?criterion=territorial").content.decode()
    assert (
        "Mesas regionales con actas públicas" in html and "construida desde los territorios" in html
    )
    assert (
        "Mesas regionales"
        not in client.get("/buenas-practicas/?criterion=results").content.decode()
    )


def test_the_secretariat_records_the_forum_in_the_admin(client, plan, django_user_model):  # noqa: F811
    admin = django_user_model.objects.create_superuser("jefa", "jefa@example.org", "x-Strong-1")
    client.force_login(admin)
    for model in (
        "forum",
        "forumrules",
        "membership",
        "session",
        "decision",
        "initiative",
        "goodpractice",
    ):
        assert client.get(f"/admin/forum/{model}/add/").status_code == 200, model
    response = client.post(
        "/admin/forum/forum/add/",
        {
            "member": plan.member.pk,
            "name": "Foro",
            "established_on": "2024-01-01",
            "change_reason": "Creación",
        },
    )
    assert response.status_code == 302
    forum = plan.member.forums.get()
    for version in (1, 2):
        response = client.post(
            "/admin/forum/forumrules/add/",
            {
                "forum": forum.pk,
                "kind": "participation_rules",
                "text": f"Reglas v{version}",
                "published_on": "2024-02-01",
            },
        )
        assert response.status_code == 302
    assert list(forum.rules.values_list("version", flat=True)) == [1, 2]
    response = client.post(
        "/admin/forum/goodpractice/add/",
        {
            "title": "Práctica",
            "description": "d",
            "criteria": ["results"],
            "evidence": "e",
            "commitment": plan.commitments.first().pk,
            "identified_on": "2025-01-01",
        },
    )
    assert response.status_code == 302 and GoodPractice.objects.get().criteria == ["results"]
