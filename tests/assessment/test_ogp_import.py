"""`traza import-ogp` on OGP's real commitments export (tests/data, copied from the project's
shared data: g0v/ogp-commitments open_parliament_0703.csv, OGP's open commitments data)."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from traza.assessment.models import Rating
from traza.assessment.ogp_import import import_ogp_csv
from traza.assessment.rules import derive
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.plans.models import ActionPlan, Commitment

DATA = Path(__file__).parent.parent / "data" / "ogp-commitments-open-parliament.csv"


@pytest.fixture
def rows():
    with DATA.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def imported(db):
    return import_ogp_csv(SYSTEM, DATA)


def test_the_whole_export_imports_and_again_changes_nothing(imported, rows):
    assert imported.rows == len(rows) == 558 and imported.imported == 558 and not imported.problems
    assert Commitment.objects.exclude(ogp_id="").count() == 558
    assert ActionPlan.objects.count() == len(
        {(r["Country/Locality"], r["Action Plan Number"]) for r in rows}
    )
    events = TraceEvent.objects.count()
    again = import_ogp_csv(SYSTEM, DATA)
    assert again.imported == 558 and again.changed == {}
    assert TraceEvent.objects.count() == events  # nothing changed, nothing traced


def test_missing_codes_are_never_ratings(imported, rows):
    for row in rows[:200]:
        commitment = Commitment.objects.get(ogp_id=row["Commitment Unique Identifier"])
        design = Rating.objects.filter(commitment=commitment, stage__in=["progress", "apr"]).first()
        if row["Potential Impact"] in ("ND", "NR") and design is not None:
            assert design.potential_impact == ""
        if row["Specificity"] in ("Medium", "High"):
            assert design.verifiability == "specific"
        if (
            all(
                row[c] in ("ND", "NR")
                for c in [
                    "OGP Value Access To Information",
                    "OGP Value Civic Participation",
                    "OGP Value Public Accountability",
                    "OGP Value Technology",
                ]
            )
            and design is not None
            and design.methodology != "B_2021"
        ):
            assert design.relevance_assessed is False
            assert derive(design).relevant is None


def test_derived_stars_reproduce_ogps_current_formula(imported, rows):
    checked = 0
    for row in rows:
        expected = row["Starred (Current Formula) End of Term"]
        if expected not in ("0", "1"):
            continue
        commitment = Commitment.objects.get(ogp_id=row["Commitment Unique Identifier"])
        design = Rating.objects.get(commitment=commitment, milestone=None, stage="progress")
        final = Rating.objects.filter(commitment=commitment, stage="end_of_term").first()
        starred = derive(design, final.completion if final else "").starred
        assert bool(starred) == (expected == "1"), row["Commitment Unique Identifier"]
        checked += 1
    assert checked == 170


def test_unreadable_rows_are_reported_and_the_rest_imported(db, tmp_path, rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0].keys()))
    writer.writeheader()
    good, bad_impact, bad_years = dict(rows[0]), dict(rows[1]), dict(rows[2])
    bad_impact["Potential Impact"] = "Huge"
    bad_years["Action Plan End Year"] = "1999"
    odd_date = dict(rows[3])
    odd_date["Start Date"] = "pronto"
    for row in (good, bad_impact, bad_years, odd_date):
        writer.writerow(row)
    path = tmp_path / "ogp.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = import_ogp_csv(SYSTEM, path)
    assert result.imported == 2
    assert [(row, column) for row, column, _reason in result.problems] == [
        (3, "Potential Impact"),
        (4, "Action Plan End Year"),
    ]
    assert "'Huge'" in result.problems[0][2]
    assert result.warnings[0][:2] == (5, "Start Date")
    assert not Commitment.objects.filter(ogp_id=bad_impact["Commitment Unique Identifier"]).exists()
    assert Commitment.objects.get(ogp_id=odd_date["Commitment Unique Identifier"]).starts_on is None


def test_the_command_reports_rows_and_fails_when_nothing_is_readable(db, tmp_path, capsys):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(Exception, match="No se pudo importar nada"):
        call_command("import_ogp", str(path))  # in the site's language, whatever is active
    assert "Commitment Unique Identifier" in capsys.readouterr().err
