"""IRM fidelity (issue 18, points 1-7): unknown is never a value, both methodologies are
summarised, shares are printed as the IRM prints them, coverage is visible, "did it open
government?" stands on its own, and the IRM's own published figures sit beside Traza's.

Real rows come from tests/assessment/fixtures/ (see its README: copied from OGP's public
commitments data); the other cases are built here."""

import csv
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from traza.assessment import services
from traza.assessment.models import PublishedFigure, Rating
from traza.assessment.ogp_import import import_ogp_csv
from traza.assessment.queries import (
    _flags,
    commitment_ratings,
    plan_summary,
    published_comparison,
    review_summary,
)
from traza.assessment.rules import derive
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.plans.models import ActionPlan, Commitment

FIXTURES = Path(__file__).parent / "fixtures"
ROWS = FIXTURES / "ogp-irm-fidelity-rows.csv"
WHOLE = Path(__file__).parent.parent / "data" / "ogp-commitments-open-parliament.csv"
UNKNOWN = {"ND", "NR", "NA", ""}


def rate(commitment, stage="design", methodology="A_2017", **values):
    return services.save_rating(
        SYSTEM,
        None,
        {
            "commitment": commitment,
            "methodology": methodology,
            "stage": stage,
            "source": "Informe del MRI (prueba)",
            **values,
        },
    )


DESIGN = {
    "verifiability": "specific",
    "access_to_information": True,
    "potential_impact": "transformative",
}


# 1. OGP's ND / NR are unknown, never a value


@pytest.fixture
def fidelity_rows(db):
    result = import_ogp_csv(SYSTEM, ROWS)
    assert result.imported == 9 and not result.problems
    return {r["Commitment Unique Identifier"]: r for r in csv.DictReader(ROWS.open())}


def _end_of_cycle(ogp_id):
    commitment = Commitment.objects.get(ogp_id=ogp_id)
    summary = plan_summary(commitment.plan)
    flags = [d for r, d in commitment_ratings(commitment) if d is not None]
    return summary, flags


def test_an_unknown_end_of_term_completion_leaves_starred_unknown(fidelity_rows):
    # HR0009 (Croatia 2012): specific, relevant, transformative, complete at mid-term, but
    # OGP's end-of-term completion and its star column say ND
    assert fidelity_rows["HR0009"]["Starred (Current Formula) End of Term"] == "ND"
    assert fidelity_rows["HR0009"]["Completion (End Of Term)"] == "ND"
    summary, _flags = _end_of_cycle("HR0009")
    assert summary.potentially_starred.n == 1
    assert summary.starred is None  # no end-of-term report: N/A, not "1 starred"
    # AL0002 (moderate, substantial at mid-term, end of term ND): not "not starred" either
    summary, _flags = _end_of_cycle("AL0002")
    assert summary.potentially_starred.n == 0 and summary.starred is None


def test_unknown_relevance_makes_the_stars_unknown_not_false(fidelity_rows, client):
    # PNG0006 (Papua New Guinea 2018): the four values are ND; end-of-term completion Limited
    row = fidelity_rows["PNG0006"]
    assert {row[c] for c in ("OGP Value Access To Information", "Potential Impact")} == {
        "ND",
        "Minor",
    }
    commitment = Commitment.objects.get(ogp_id="PNG0006")
    design, final = (
        Rating.objects.get(commitment=commitment, stage="progress"),
        Rating.objects.get(commitment=commitment, stage="end_of_term"),
    )
    flags = derive(design, final.completion)
    assert (flags.relevant, flags.potentially_starred, flags.starred) == (None, None, None)
    summary = plan_summary(commitment.plan)
    assert summary.relevant.rated == 0 and summary.relevant.percent is None
    assert summary.potentially_starred.rated == 0
    assert summary.starred is None  # OGP's star is ND: the report awarded none
    page = client.get(f"/en/plans/{commitment.plan_id}/assessment/").content.decode()
    assert "not assessed" in page and "no data" in page
    assert "not relevant to OGP values" not in page


def test_no_nd_or_nr_star_row_of_ogps_whole_export_gets_a_star(db):
    """On every row where OGP's "Starred (Current Formula) End of Term" is ND or NR, Traza's
    end-of-cycle star is unknown (it derived true on 25 such rows and false on 142 before):
    because an input is unknown, or because the report awarded no stars (the transitional
    results reports, whose rows have every input but no star). Where OGP says 0 or 1, Traza
    still agrees on every row."""
    import_ogp_csv(SYSTEM, WHOLE)
    unknown = agreeing = 0
    for row in csv.DictReader(WHOLE.open(encoding="utf-8")):
        commitment = Commitment.objects.get(ogp_id=row["Commitment Unique Identifier"])
        design = Rating.objects.filter(
            commitment=commitment, stage="progress", methodology__startswith="A"
        ).first()
        final = Rating.objects.filter(commitment=commitment, stage="end_of_term").first()
        flags = _flags(design, final) if design else None
        starred = flags.starred if flags else None
        expected = row["Starred (Current Formula) End of Term"]
        if expected in ("ND", "NR"):
            assert starred is None, row["Commitment Unique Identifier"]
            unknown += 1
        else:
            assert starred is (expected == "1"), row["Commitment Unique Identifier"]
            agreeing += 1
    assert (unknown, agreeing) == (388, 170)
    # and a plan whose end-of-term report awarded no star prints N/A, not "0"
    al = Commitment.objects.get(ogp_id="AL0063")  # Albania 2018-2020: every input known
    assert plan_summary(al.plan).starred is None
    assert plan_summary(al.plan).completed is not None


def test_an_implementation_rating_does_not_say_not_relevant(client, make_plan):
    plan = make_plan(n=1, m=0)
    commitment = plan.commitments.get()
    rate(commitment, **DESIGN)
    rate(commitment, stage="implementation", completion="complete", diog="major")
    api = client.get(f"/api/v1/commitments/{commitment.pk}").json()
    final = next(r for r in api["ratings"] if r["stage"] == "implementation")
    assert final["derived"]["relevant"] is None  # not rated at that stage
    assert final["derived"]["starred"] is True  # the design's indicators, its completion
    design = next(r for r in api["ratings"] if r["stage"] == "design")
    assert design["derived"]["relevant"] is True
    rows = client.get(f"/api/v1/ratings/?plan={plan.pk}").json()["items"]
    by_stage = {r["stage"]: r for r in rows}
    assert by_stage["implementation"]["relevant"] is None
    assert by_stage["design"]["relevant"] is True
    page = client.get(f"/en/commitments/{commitment.pk}/").content.decode()
    assert "not relevant to OGP values" not in page


# 2. Methodology detection


def test_an_unclear_only_row_is_the_2021_methodology(fidelity_rows, client):
    row = fidelity_rows["HR0044"]
    assert row["Potential for Results"] == "Unclear" and row["Year Of Submission"] == "2022"
    commitment = Commitment.objects.get(ogp_id="HR0044")
    ratings = list(Rating.objects.filter(commitment=commitment))
    assert [(r.methodology, r.stage, r.potential_for_results) for r in ratings] == [
        ("B_2021", "apr", "unclear")
    ]
    plan = commitment.plan
    # no 2014-2020 at a glance the IRM never published ("relevant 0 (0 %)")
    assert plan_summary(plan).assessed is False
    review = review_summary(plan)
    assert review.reviewed and review.potential_for_results["unclear"].n == 1
    # AL0072 (Albania 2020): Unclear, and a results report's completion
    al = Commitment.objects.get(ogp_id="AL0072")
    assert {(r.methodology, r.stage) for r in al.ratings.all()} == {
        ("B_2021", "apr"),
        ("B_2021", "results"),
    }
    assert plan_summary(al.plan).assessed is False
    api = client.get(f"/api/v1/plans/{plan.pk}/summary").json()
    assert api["assessed"] is False and api["relevant"] is None
    assert api["review"]["potential_for_results"]["unclear"]["n"] == 1
    # "Unclear" end-of-term completion (PY0052's kind) is still no completion
    assert not Rating.objects.filter(completion="unclear").exists()


# 3. The 2021+ methodology is summarised too


def test_the_2021_action_plan_review_and_results_report_tables(client, make_plan):
    plan = make_plan(n=4, m=0)
    one, two, three, four = plan.commitments.order_by("number")
    review = {"methodology": "B_2021", "stage": "apr"}
    rate(one, **review, verifiable="verifiable", open_government_lens=True,
         potential_for_results="substantial", promising=True)  # fmt: skip
    rate(two, **review, verifiable="verifiable", open_government_lens=True,
         potential_for_results="modest", promising=False)  # fmt: skip
    rate(three, **review, verifiable="verifiable", open_government_lens=False,
         potential_for_results="unclear", promising=False)  # fmt: skip
    rate(four, **review, verifiable="not_verifiable")
    results = {"methodology": "B_2021", "stage": "results"}
    rate(one, **results, completion="complete", early_results="significant")
    rate(two, **results, completion="substantial", early_results="marginal")
    rate(three, **results, completion="limited", early_results="no_notable_results")
    rate(four, **results, completion="not_started", early_results="no_notable_results")
    summary = review_summary(plan)
    assert (summary.verifiable.n, summary.verifiable.percent) == (3, 75)
    assert (summary.open_government_lens.n, summary.open_government_lens.percent) == (2, 50)
    assert (summary.promising.n, summary.promising.percent) == (1, 25)
    assert summary.potential_for_results["substantial"].n == 1
    assert summary.completion["complete"].percent == 25
    assert summary.early_results["no_notable_results"].n == 2
    api = client.get(f"/api/v1/plans/{plan.pk}/summary").json()
    assert api["review"]["promising"] == {"n": 1, "percent": 25, "rated": 4, "of": 4}
    assert api["review"]["completion"]["substantial"]["n"] == 1
    assert api["review"]["early_results"]["significant"]["percent"] == 25
    page = client.get(f"/en/plans/{plan.pk}/assessment/").content.decode()
    assert "Action plan review (IRM, 2021 methodology)" in page
    assert "Results report (IRM, 2021 methodology)" in page
    assert "1 (25 %)" in page and "3 (75 %)" in page
    assert "Not assessed further (not verifiable)" in page
    plan_page = client.get(f"/en/plans/{plan.pk}/").content.decode()
    assert "Promising commitments" in plan_page


def test_a_plan_with_both_methodologies_shows_both_tables(client, make_plan):
    plan = make_plan(n=2, m=0)
    one, two = plan.commitments.order_by("number")
    rate(one, **DESIGN)
    rate(two, methodology="B_2021", stage="apr", verifiable="verifiable")
    page = client.get(f"/en/plans/{plan.pk}/assessment/").content.decode()
    assert "At a glance (IRM) · 2014-2020 methodology" in page
    assert "Action plan review (IRM, 2021 methodology)" in page
    assert page.count("1 of 2 rated") >= 2


# 4. Percentages as the IRM prints them


def test_every_at_a_glance_row_has_its_share_rounded_half_up(client, make_plan):
    plan = make_plan(n=8, m=0)
    for commitment in plan.commitments.order_by("number"):
        starred = commitment.number == 1
        rate(
            commitment,
            verifiability="specific",
            civic_participation=True,
            potential_impact="transformative" if starred else "moderate",
        )
        rate(
            commitment,
            stage="implementation",
            completion="complete" if starred else "limited",
            diog="outstanding" if starred else ("major" if commitment.number <= 4 else "marginal"),
        )
    summary = plan_summary(plan)
    shares = {name: (f.n, f.percent) for name, f in summary.figures.items()}
    assert shares == {
        "relevant": (8, 100),
        "transformative": (1, 13),  # 12.5 → 13, half up
        "potentially_starred": (1, 13),
        "starred": (1, 13),
        "completed": (1, 13),
        "diog_major": (3, 38),  # 37.5 → 38
        "diog_outstanding": (1, 13),
    }
    api = client.get(f"/api/v1/plans/{plan.pk}/summary").json()
    assert api["starred"]["percent"] == 13 and api["diog_major"]["percent"] == 38
    assert api["complete"] is True
    page = client.get(f"/en/plans/{plan.pk}/assessment/").content.decode()
    assert page.count("1 (13 %)") == 5 and "3 (38 %)" in page


# 5. Coverage is visible


def test_a_plan_with_5_of_20_commitments_rated_says_so(client, make_plan):
    plan = make_plan(n=20, m=0)
    for commitment in plan.commitments.order_by("number")[:5]:
        rate(commitment, verifiability="specific", civic_participation=True,
             potential_impact="moderate")  # fmt: skip
    summary = plan_summary(plan)
    assert (summary.relevant.n, summary.relevant.rated, summary.relevant.of) == (5, 5, 20)
    assert summary.relevant.percent is None  # 5 of 20 is not "25 %" of the plan
    assert summary.partial
    page = client.get(f"/en/plans/{plan.pk}/assessment/").content.decode()
    assert page.count("5 of 20 rated") == 3  # relevant, transformative, potentially starred
    assert "(25 %)" not in page and "not the plan's result" in page
    api = client.get(f"/api/v1/plans/{plan.pk}/summary").json()
    assert api["relevant"] == {"n": 5, "percent": None, "rated": 5, "of": 20}
    assert api["complete"] is False


# 6. "Did it open government?" stands on its own


def test_a_known_diog_without_completion_is_shown_and_counted(client, make_plan):
    plan = make_plan(n=2, m=0)
    one, two = plan.commitments.order_by("number")
    rate(one, **DESIGN)
    rate(two, **DESIGN)
    rate(one, stage="implementation", diog="major")  # completion not recorded
    rate(two, stage="implementation", diog="outstanding", completion="substantial")
    summary = plan_summary(plan)
    assert (summary.diog_major.n, summary.diog_major.rated, summary.diog_major.percent) == (
        1,
        2,
        50,
    )
    assert summary.diog_outstanding.n == 1
    assert (summary.completed.n, summary.completed.rated) == (0, 1)  # one completion known
    assert (summary.starred.n, summary.starred.rated) == (1, 1)  # one's star is unknown
    page = client.get(f"/en/plans/{plan.pk}/assessment/").content.decode()
    assert "<td>no data</td><td>major</td>" in page  # completion unknown, DIOG known
    assert '<td colspan="2">Assessed at the end of the cycle</td>' not in page
    # only DIOG, no completion at all, still fills the rows
    plan2 = make_plan(n=1, m=0, number=2)
    only = plan2.commitments.get()
    rate(only, **DESIGN)
    rate(only, stage="end_of_term", diog="marginal")
    summary = plan_summary(plan2)
    assert summary.diog_major is not None and summary.diog_major.rated == 1
    assert summary.completed.rated == 0


# 7. The IRM's own published figures


def test_the_peru_demo_shows_the_irms_table_beside_the_computed_one(client, demo):
    tables = published_comparison(demo)
    assert [t.table for t in tables] == ["design"]
    cells = {c.key: c for c in tables[0].cells}
    assert (cells["relevant"].published.value, cells["relevant"].published.percent) == (16, 89)
    assert all(c.agrees for c in cells.values()) and tables[0].agreeing == 8
    page = client.get(f"/planes/{demo.pk}/evaluacion/").content.decode()
    assert "16 (89%)" in page and "16 (89 %)" in page  # as printed, and as computed
    assert "Informe de diseño del MRI, Perú 2017-2019" in page
    api = client.get(f"/api/v1/plans/{demo.pk}/summary").json()
    assert api["published"][0]["agreeing"] == 8 and api["published"][0]["cells"] == 8


@translation.override("en")  # the reasons, read in English
def test_every_differing_cell_is_flagged_with_its_reason(client, make_plan):
    plan = make_plan(n=4, m=0)
    for commitment in plan.commitments.order_by("number")[:3]:
        rate(commitment, **DESIGN)
    source = "IRM design report, Table 1"

    def publish(key, value, percent=None, **extra):
        services.save_published_figure(
            SYSTEM,
            None,
            {"plan": plan, "table": "design", "key": key, "value": value,
             "percent": percent, "source": source, **extra},
        )  # fmt: skip

    publish("commitments", 4)
    publish("relevant", 4, 100)  # one commitment not rated here
    # the report applied the 2014 rule: moderate impact was enough, so 4, where Traza's 2017 rule
    # gives 3
    publish("potentially_starred", 4, star_rule="2014")
    publish("starred", None)  # N/A, as a design report prints it
    cells = {c.key: c for c in published_comparison(plan)[0].cells}
    assert cells["commitments"].agrees and cells["starred"].agrees
    assert not cells["relevant"].agrees
    assert "only 3 of 4 commitments are rated" in cells["relevant"].reason
    # rate the fourth: now every commitment is rated, and the star rule is the difference
    four = plan.commitments.get(number=4)
    rate(four, verifiability="specific", access_to_information=True, potential_impact="moderate")
    cells = {c.key: c for c in published_comparison(plan)[0].cells}
    assert cells["relevant"].agrees
    assert not cells["potentially_starred"].agrees
    assert "different rule edition" in cells["potentially_starred"].reason
    page = client.get(f"/en/plans/{plan.pk}/assessment/").content.decode()
    assert "3 of 4 cells agree" in page and "different rule edition" in page


def test_a_published_figure_outside_its_table_is_refused(make_plan):
    plan = make_plan(n=1, m=0)
    for values in (
        {"table": "design", "key": "promising"},  # a row of the action plan review
        {"table": "design", "key": "relevant", "percent": 101},
        {"table": "design", "key": "relevant", "value": None, "percent": 5},
        {"table": "nowhere", "key": "relevant"},
    ):
        with pytest.raises(ValidationError):
            services.save_published_figure(
                SYSTEM, None, {"plan": plan, "value": 1, "source": "x", **values}
            )
    assert not PublishedFigure.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_assessor_records_a_published_figure_in_the_admin(client, django_user_model):
    from tests import factories
    from traza.accounts.roles import ensure_roles

    ensure_roles()
    plan = factories.plan_with_commitments(n=1, m=0)
    assessor = django_user_model.objects.create_user("irm", "irm@example.org", "x-Strong-pass-1")
    assessor.is_staff = True
    assessor.save()
    from django.contrib.auth.models import Group

    assessor.groups.add(Group.objects.get(name="assessor"))
    client.force_login(assessor)
    response = client.post(
        "/admin/assessment/publishedfigure/add/",
        {
            "plan": plan.pk,
            "table": "design",
            "key": "relevant",
            "value": "1",
            "percent": "100",
            "printed": "1 (100%)",
            "star_rule": "",
            "source": "IRM design report, Table 1",
            "note": "",
            "change_reason": "Tabla 1 del informe",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    figure = PublishedFigure.objects.get()
    assert (figure.value, figure.percent) == (1, 100)
    event = TraceEvent.objects.order_by("-id").first()
    assert event.actor == assessor and event.reason == "Tabla 1 del informe"
    assert ActionPlan.objects.filter(pk=plan.pk).exists()


@translation.override("en")  # the reasons, read in English
def test_published_implementation_and_results_tables_are_compared_too(make_plan):
    plan = make_plan(n=2, m=0)
    one, two = plan.commitments.order_by("number")
    rate(one, **DESIGN)
    rate(two, **DESIGN)
    rate(one, stage="implementation", completion="complete", diog="major")
    rate(two, stage="implementation", completion="limited", diog="marginal")
    rate(one, methodology="B_2021", stage="results", completion="complete")
    source = {"source": "IRM implementation report, Table 1", "plan": plan}
    for table, key, value, percent in (
        ("implementation", "completed", 1, 50),
        ("implementation", "diog_major", 1, 50),
        ("implementation", "starred", 2, 100),  # the report's count; Traza's ratings say 1
        ("design", "completed", None, None),  # the design report printed N/A
        ("results", "completion_complete", 1, 50),
    ):
        services.save_published_figure(
            SYSTEM,
            None,
            {"table": table, "key": key, "value": value, "percent": percent, **source},
        )
    tables = {t.table: t for t in published_comparison(plan)}
    assert list(tables) == ["design", "implementation", "results"]
    implementation = {c.key: c for c in tables["implementation"].cells}
    assert implementation["completed"].agrees and implementation["diog_major"].agrees
    assert not implementation["starred"].agrees
    assert "another count" in implementation["starred"].reason
    design = tables["design"].cells[0]
    assert not design.agrees and "printed N/A" in design.reason
    # one of the two commitments has a results rating: the results table says so
    results = tables["results"].cells[0]
    assert not results.agrees and "only 1 of 2 commitments are rated" in results.reason
