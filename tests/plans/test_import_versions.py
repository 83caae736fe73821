"""Issue 17.6: importing writes no history nobody wrote. A commitment imported with its
milestones gets one version, and that version names the file it came from and the day."""

import csv
import json
from pathlib import Path

from django.core.management import call_command
from django.db.models import Count

from tests.factories import CommitmentFactory, PlanFactory
from traza.api.transfer import export_data, import_file
from traza.core.services import SYSTEM
from traza.plans import services
from traza.plans.models import ActionPlan, Commitment, CommitmentVersion

DEMO_FILE = "peru-2017-2019.json"


def _peru() -> ActionPlan:
    return ActionPlan.objects.get(member__slug="peru", number=3)


def test_after_load_demo_every_peru_commitment_has_one_version_naming_its_source(demo):
    commitments = _peru().commitments.annotate(n=Count("versions"))
    assert commitments.exists()
    assert {c.number: c.n for c in commitments if c.n != 1} == {}
    versions = CommitmentVersion.objects.filter(commitment__plan=_peru())
    assert set(versions.values_list("step", "source")) == {("import", DEMO_FILE)}


def test_the_commitment_page_says_imported_from_the_file_on_the_day(demo, client):
    commitment = _peru().commitments.annotate(n=Count("milestones")).filter(n__gt=1).first()
    version = commitment.versions.get()
    html = client.get(commitment.get_absolute_url()).content.decode()
    section = html[html.index('id="versions"') : html.index('id="trace"')]
    assert f"Importado de {DEMO_FILE} el" in section  # "Imported from … on …"
    assert version.created_at.strftime("%Y") in section
    assert "· system" not in section
    assert section.count('class="version"') == 1


def test_loading_the_demo_twice_adds_no_version(demo):
    before = CommitmentVersion.objects.count()
    call_command("load_demo", real_only=True, verbosity=0)
    assert CommitmentVersion.objects.count() == before


def test_importing_a_plan_with_milestones_writes_one_version_per_commitment(db, tmp_path):
    plan = PlanFactory()
    for _ in range(3):
        CommitmentFactory(plan=plan, milestones=4)
    data = export_data([plan.pk])
    data["plans"][0]["number"] = plan.number + 10  # the same plan, arriving as a new one
    path = tmp_path / "another-plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    import_file(SYSTEM, path)

    imported = ActionPlan.objects.get(member=plan.member, number=plan.number + 10)
    commitments = imported.commitments.annotate(
        m=Count("milestones", distinct=True), v=Count("versions", distinct=True)
    )
    assert [(c.m, c.v) for c in commitments] == [(4, 1)] * 3
    versions = CommitmentVersion.objects.filter(commitment__plan=imported)
    assert set(versions.values_list("source", flat=True)) == {"another-plan.json"}
    assert all(len(v.snapshot["milestones"]) == 4 for v in versions)

    import_file(SYSTEM, path)  # again: nothing changed, nothing written
    assert CommitmentVersion.objects.filter(commitment__plan=imported).count() == 3


def test_a_factory_commitment_with_milestones_has_one_version(db):
    commitment = CommitmentFactory(milestones=3)
    assert commitment.milestones.count() == 3
    version = commitment.versions.get()
    assert [m["text"] for m in version.snapshot["milestones"]] == [
        "Milestone 1",
        "Milestone 2",
        "Milestone 3",
    ]
    assert version.source == ""


def test_a_version_a_person_wrote_names_the_person_not_a_source(db, client, editor):
    commitment = CommitmentFactory(milestones=1)
    services.save_commitment(editor, commitment, {"title": "New title"}, reason="Clearer")
    html = client.get(commitment.get_absolute_url()).content.decode()
    section = html[html.index('id="versions"') : html.index('id="trace"')]
    assert "Importado de" not in section
    assert editor.get_username() in section
    assert "Clearer" in section


def test_ogp_import_versions_name_the_csv(db, tmp_path):
    """``traza import-ogp`` writes one version per commitment, naming the CSV it read."""
    from traza.assessment.ogp_import import import_ogp_csv

    data = Path(__file__).parent.parent / "data" / "ogp-commitments-open-parliament.csv"
    with data.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[:6]  # the header and five commitments
    small = tmp_path / "ogp-sample.csv"
    with small.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)

    result = import_ogp_csv(SYSTEM, small)

    assert result.imported == 5
    versions = CommitmentVersion.objects.all()
    assert versions.count() == Commitment.objects.count() == 5
    assert set(versions.values_list("step", "source")) == {("import", "ogp-sample.csv")}
