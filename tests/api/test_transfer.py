import copy
import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.core.trace_helpers import sealed_and_verified
from traza.api.transfer import dumps, export_data
from traza.core.models import TraceEvent
from traza.plans.models import ActionPlan, Commitment, Milestone, Organization

DEMO = json.loads(
    resources.files("traza").joinpath("demo/peru-2017-2019.json").read_text(encoding="utf-8")
)


def snapshot_counts():
    return (
        ActionPlan.objects.count(),
        Commitment.objects.count(),
        Milestone.objects.count(),
        Organization.objects.count(),
        TraceEvent.objects.count(),
    )


def test_demo_holds_peru_plan_three_and_the_history(demo):
    assert demo.title == "Plan de Acción Nacional de Gobierno Abierto 2017-2019"
    assert demo.approval_instrument == "Resolución Ministerial N° 378-2017-PCM"
    assert demo.commitments.count() == 18
    assert Milestone.objects.filter(commitment__plan=demo).count() == sum(
        len(c["milestones"]) for c in DEMO["plans"][2]["commitments"]
    )
    history = ActionPlan.objects.exclude(pk=demo.pk).order_by("number")
    assert [(p.number, p.reported_commitment_count) for p in history] == [(1, 47), (2, 17), (4, 21)]
    eight = demo.commitments.get(number=8)
    assert eight.lead_organization.acronym == "MINEDU"
    assert eight.values == []  # the IRM found it not relevant to OGP values
    assert sealed_and_verified() is None


def test_loading_the_demo_twice_adds_nothing(demo, capsys):
    before = snapshot_counts()
    call_command("load_demo", real_only=True)
    assert "nothing added" in capsys.readouterr().out
    assert snapshot_counts() == before


@pytest.mark.django_db(transaction=True)  # flush must run outside the test's transaction
def test_export_import_export_is_byte_identical(demo, tmp_path):
    first = tmp_path / "first.json"
    call_command("export", output=str(first))
    call_command("flush", interactive=False, verbosity=0)
    assert ActionPlan.objects.count() == 0
    call_command("import", str(first))
    second = tmp_path / "second.json"
    call_command("export", output=str(second))
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text())["plans"][2]["commitments"][0]["number"] == 1


def test_export_of_one_plan_carries_only_what_it_refers_to(make_plan):
    make_plan(n=2, m=1, number=1)
    plan = make_plan(n=2, m=1, number=3)
    data = export_data([plan.pk])
    assert [p["number"] for p in data["plans"]] == [3]
    used = {c["lead_organization"] for c in data["plans"][0]["commitments"]}
    assert used <= {o["key"] for o in data["organizations"]}
    assert "o1" not in {o["key"] for o in data["organizations"]}  # plan 1's institution
    with pytest.raises(CommandError, match="No plan with id 9999"):
        call_command("export", plan=[9999])


def _write(tmp_path: Path, data) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(data if isinstance(data, str) else dumps(data), encoding="utf-8")
    return path


def _broken(mutate) -> dict:
    data = copy.deepcopy(DEMO)
    mutate(data)
    return data


BAD_FILES = {
    "not json": ("{ plans: ", "$", "1"),
    "wrong format": (_broken(lambda d: d.update(format="other")), "$.format", "traza"),
    "unknown stage": (
        _broken(lambda d: d["plans"][2].update(stage="finished")),
        "$.plans[2].stage",
        "finished",
    ),
    "bad date": (
        _broken(lambda d: d["plans"][2]["commitments"][3].update(ends_on="2019-02-30")),
        "$.plans[2].commitments[3].ends_on",
        "2019-02-30",
    ),
    "end before start": (
        _broken(lambda d: d["plans"][2]["commitments"][3].update(ends_on="2010-01-01")),
        "$.plans[2].commitments[3].ends_on",
        "2017-11-01",
    ),
    "duplicate commitment": (
        _broken(lambda d: d["plans"][2]["commitments"][5].update(number=1)),
        "$.plans[2].commitments[5].number",
        "1",
    ),
    "unknown organisation": (
        _broken(lambda d: d["plans"][2]["commitments"][0].update(lead_organization="nobody")),
        "$.plans[2].commitments[0].lead_organization",
        "nobody",
    ),
    "duplicate milestone": (
        _broken(lambda d: d["plans"][2]["commitments"][1]["milestones"][1].update(number=1)),
        "$.plans[2].commitments[1].milestones[1].number",
        "1",
    ),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_names_file_path_and_problem_and_writes_nothing(db, tmp_path, name):
    data, path, fragment = BAD_FILES[name]
    file = _write(tmp_path, data)
    with pytest.raises(CommandError) as error:
        call_command("import", str(file))
    message = str(error.value)
    assert str(file) in message
    line = next(
        (line for line in message.splitlines() if line.strip().startswith(path + ":")), None
    )
    assert line is not None, message
    assert fragment in line
    assert snapshot_counts() == (0, 0, 0, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_a_late_problem_rolls_back_everything(tmp_path):
    # valid for the schema, but the acronym breaks the model's length only at write time
    data = _broken(lambda d: d["plans"][2]["commitments"][17].update(title="x" * 400))
    data["plans"][2]["commitments"][17]["milestones"][0]["indicators"] = [
        {"key": "k", "name": "n" * 500, "level": "output", "baseline": "b" * 300}
    ]
    call_command("import", str(_write(tmp_path, data)))
    assert Commitment.objects.count() == 18  # the valid extremes import
    call_command("flush", interactive=False, verbosity=0)
    data["organizations"][0]["acronym"] = "A" * 40
    data["organizations"][0]["name"] = data["organizations"][1]["name"]  # duplicate name
    with pytest.raises(CommandError) as error:
        call_command("import", str(_write(tmp_path, data)))
    assert "$.organizations[1]" in str(error.value) or "$.organizations[0]" in str(error.value)
    assert snapshot_counts() == (0, 0, 0, 0, 0)


def test_missing_file_is_reported(db, tmp_path):
    with pytest.raises(CommandError, match=r"does not exist|no existe"):
        call_command("import", str(tmp_path / "absent.json"))


def test_the_traza_console_command_exits_non_zero_on_a_bad_file(tmp_path):
    bad = _write(tmp_path, "[1, 2")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "TRAZA_VAR_DIR": str(tmp_path),
    }
    env.pop("TRAZA_TEST_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "traza", "migrate", "-v0"], env=env, check=True)
    result = subprocess.run(
        [sys.executable, "-m", "traza", "import", str(bad)], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert str(bad) in result.stderr
    assert "$:" in result.stderr


def test_the_documented_example_imports(db):
    example = Path(__file__).resolve().parents[2] / "docs" / "data" / "example-import.json"
    call_command("import", str(example), verbosity=0)
    from traza.monitoring.models import Measurement

    assert Measurement.objects.get().indicator.name == "Estaciones que publican a diario"
