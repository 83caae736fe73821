import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from traza.plans import services


def _commitment_links(html: str) -> list[str]:
    return re.findall(r'<li class="commitment">', html)


def test_home_lists_the_member_and_its_plans(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Perú" in html
    assert "Plan de Acción Nacional de Gobierno Abierto 2017-2019" in html
    assert 'lang="es"' in html


def test_plan_page_lists_the_18_commitments_grouped_by_theme(client, demo):
    response = client.get(demo.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert len(_commitment_links(html)) == 18
    page = response.context["page"]
    assert {g.name: len(g.commitments) for g in page.groups} == {
        "Ambiente": 3,
        "Educación": 4,
        "Infraestructura": 2,
        "Salud": 3,
        "Saneamiento": 2,
        "Seguridad ciudadana": 3,
        "Transversal": 1,
    }
    values = {value.value: count for value, count in page.value_counts}
    assert values == {
        "access_to_information": 11,
        "civic_participation": 7,
        "public_accountability": 0,
        "technology_innovation": 5,
    }
    assert 'aria-current="step"' in html


def test_commitment_page_shows_template_milestones_versions_and_trace(client, demo, editor):
    commitment = demo.commitments.get(number=2)
    services.save_commitment(
        editor,
        commitment,
        {"title": "Acceso ciudadano a información ambiental"},
        reason="Shorter title",
    )
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert "Ministerio del Ambiente (MINAM)" in html
    assert "Organismo de Evaluación y Fiscalización Ambiental (OEFA)" in html
    assert html.count("<tr>") >= 1 + 6  # header + six milestones
    assert "<del>" in html and "<ins>" in html  # readable diff of the title change
    assert "Shorter title" in html
    assert 'class="timeline"' in html


def test_unknown_plan_is_a_clear_404(client, db):
    response = client.get("/planes/999/")
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_english_pages_show_english_interface(client, sample_plan):
    response = client.get(f"/en/plans/{sample_plan.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "Commitments by theme" in html
    assert "Compromisos por tema" not in html
    spanish = client.get(f"/planes/{sample_plan.pk}/").content.decode()
    assert "Compromisos por tema" in spanish
    assert "Commitments by theme" not in spanish


def test_language_switch_links_to_the_same_page(client, sample_plan):
    html = client.get(f"/planes/{sample_plan.pk}/").content.decode()
    assert f'href="/en/plans/{sample_plan.pk}/"' in html


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("page", ["plan", "commitment"])
def test_pages_run_a_fixed_number_of_queries(client, make_plan, page):
    small, large = make_plan(n=2, m=1, number=1), make_plan(n=12, m=5, number=2)

    def url(plan):
        if page == "plan":
            return plan.get_absolute_url()
        return plan.commitments.order_by("number").last().get_absolute_url()

    # fixed whatever the size; the commitment page composes text, milestones, versions, trace,
    # origin, IRM ratings and progress
    assert _queries(client, url(small)) == _queries(client, url(large)) <= 10


def test_home_runs_a_fixed_number_of_queries_whatever_the_members(client, make_plan):
    make_plan(n=1, m=1, number=1)
    one = _queries(client, "/")
    for number in (2, 3, 4):
        make_plan(n=3, m=1, number=number)
    # members and plans (2), and the call to take part: events, plans in co-creation and
    # self-assessment comment periods (3), whatever their number
    assert _queries(client, "/") == one <= 5


def test_a_text_change_without_a_reason_is_flagged_on_the_plan_page(client, make_plan, editor):
    plan = make_plan(n=6, m=0)
    commitment = plan.commitments.get(number=5)
    services.save_commitment(editor, commitment, {"title": "Materiales EIB"}, step="national_table")
    services.save_commitment(
        editor, plan.commitments.get(number=6), {"title": "Gestión EIB"}, reason="Pedido del sector"
    )
    page = client.get(plan.get_absolute_url())
    flagged = {
        c.number: c.unexplained_changes for g in page.context["page"].groups for c in g.commitments
    }
    assert flagged[5] == 1 and flagged[6] == 0 and flagged[1] == 0
    assert "1 cambio sin explicar en su texto" in page.content.decode()
