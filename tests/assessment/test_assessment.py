"""IRM ratings, the flags derived from them and the IRM's own tables (seed 000)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from traza.assessment import services
from traza.assessment.models import Rating
from traza.assessment.queries import plan_summary
from traza.assessment.rules import percent
from traza.core.services import SYSTEM


def test_the_peru_demo_reads_as_the_irm_table_1(client, demo):
    summary = plan_summary(demo)
    assert summary.commitments == 18
    assert (summary.relevant.n, summary.relevant.percent) == (16, 89)
    assert (summary.transformative.n, summary.transformative.percent) == (1, 6)
    assert summary.potentially_starred.n == 0 and summary.potentially_starred.percent == 0
    assert summary.starred is None  # a design report: N/A
    api = client.get(f"/api/v1/plans/{demo.pk}/summary").json()
    assert api["number_of_commitments"] == 18
    assert api["relevant"] == {"n": 16, "percent": 89, "rated": 18, "of": 18}
    assert api["transformative"] == {"n": 1, "percent": 6, "rated": 18, "of": 18}
    assert api["potentially_starred"]["n"] == 0 and api["starred"] is None
    page = client.get(demo.get_absolute_url()).content.decode()
    assert "16 (89 %)" in page and "1 (6 %)" in page


def test_relevance_and_stars_are_derived_not_typed(client, demo):
    eight = demo.commitments.get(number=8)
    data = client.get(f"/api/v1/commitments/{eight.pk}").json()
    design = data["ratings"][0]
    assert design["potential_impact"] == "transformative" and design["relevance"] == []
    assert design["derived"] == {
        "relevant": False,
        "potentially_starred": False,
        "starred": None,
        "rule_version": "2017",
    }
    # technology alone is not relevance
    rating = Rating.objects.get(commitment=eight, milestone=None)
    services.save_rating(SYSTEM, rating, {"technology_innovation": True}, "prueba")
    assert (
        client.get(f"/api/v1/commitments/{eight.pk}").json()["ratings"][0]["derived"]["relevant"]
        is False
    )
    # with civic participation it becomes relevant, specific and transformative: potentially starred
    services.save_rating(SYSTEM, rating, {"civic_participation": True}, "prueba")
    assert plan_summary(demo).potentially_starred.n == 1
    assert plan_summary(demo).relevant.n == 17


def test_completion_at_the_end_of_the_cycle_fills_starred_completed_and_diog(client, demo):
    eight = demo.commitments.get(number=8)
    design = Rating.objects.get(commitment=eight, milestone=None)
    services.save_rating(SYSTEM, design, {"civic_participation": True}, "")
    services.save_rating(
        SYSTEM,
        None,
        {
            "commitment": eight,
            "methodology": "A_2017",
            "stage": "implementation",
            "completion": "complete",
            "diog": "major",
            "source": "Informe de implementación",
        },
    )
    summary = plan_summary(demo)
    figures = (summary.starred, summary.completed, summary.diog_major, summary.diog_outstanding)
    assert [f.n for f in figures] == [1, 1, 1, 0]
    # only commitment 8 has an implementation rating: 1 of 18 rated, no share of the plan
    assert all(f.rated == 1 and f.of == 18 and f.percent is None for f in figures)
    page = client.get(f"/planes/{demo.pk}/evaluacion/").content.decode()
    assert "★" in page and "Completo" in page.replace("completo", "Completo")


@override_settings(TRAZA_STAR_RULE="2014")
def test_the_2014_star_rule_is_a_setting(demo):
    # under the looser rule, moderate impact is enough: commitments specific, relevant, moderate
    summary = plan_summary(demo)
    assert summary.rule_version == "2014"
    expected = Rating.objects.filter(
        commitment__plan=demo,
        milestone=None,
        verifiability="specific",
        potential_impact__in=["moderate", "transformative"],
    ).exclude(access_to_information=False, civic_participation=False, public_accountability=False)
    assert summary.potentially_starred.n == expected.count() > 0


def test_the_assessment_page_prints_the_tables_of_the_report(
    client, demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get(f"/planes/{demo.pk}/evaluacion/")
    page = response.content.decode()
    assert "No es relevante a los valores de OGP".lower() in page.lower()
    assert page.count("Evaluado al final del ciclo") >= 18
    assert "Mejorar la implementación de la ley de transparencia" in page  # Table 5.2
    assert "Tabla 5.2" in page


def test_values_outside_their_scale_or_methodology_are_refused(commitment, outsider):
    one = commitment
    services.save_rating(
        SYSTEM,
        None,
        {"commitment": one, "methodology": "A_2017", "stage": "design", "source": "Informe"},
    )
    before = Rating.objects.count()
    bad = [
        {"verifiability": "medium"},
        {"potential_impact": "huge"},
        {"stage": "apr"},  # a generation-B report for a generation-A rating
        {"potential_for_results": "modest"},  # a generation-B indicator
    ]
    for values in bad:
        with pytest.raises(ValidationError):
            services.save_rating(
                SYSTEM,
                None,
                {
                    "commitment": one,
                    "methodology": "A_2017",
                    "stage": "progress",
                    "source": "x",
                    **values,
                },
            )
    with pytest.raises(ValidationError):
        services.save_rating(
            SYSTEM,
            None,
            {
                "commitment": one,
                "methodology": "B_2021",
                "stage": "apr",
                "verifiable": "not_verifiable",
                "potential_for_results": "modest",
                "source": "x",
            },
        )
    with pytest.raises(PermissionDenied):
        services.save_rating(outsider, Rating.objects.first(), {"potential_impact": "minor"})
    assert Rating.objects.count() == before


def test_percentages_are_whole_numbers_rounded_half_up():
    assert percent(16, 18) == 89 and percent(1, 18) == 6
    assert percent(1, 8) == 13  # 12.5 → 13, not banker's 12
    assert percent(0, 0) == 0


def test_an_unknown_plan_or_commitment_is_a_json_404(client, db):
    assert client.get("/api/v1/plans/999/summary").status_code == 404
    assert client.get("/api/v1/commitments/999").json() == {"detail": "Commitment not found"}


def test_the_commitment_page_shows_its_irm_rating_and_derived_flags(client, demo):
    eight = demo.commitments.get(number=8)
    page = client.get(eight.get_absolute_url()).content.decode()
    assert "Evaluación del MRI" in page
    assert "Transformador" in page and "No es relevante a los valores de OGP" in page
    assert "no es potencialmente estelar" in page and "regla de estrellas de 2017" in page
    english = client.get(f"/en/commitments/{eight.pk}/").content.decode()
    assert "IRM assessment" in english and "Transformative" in english
