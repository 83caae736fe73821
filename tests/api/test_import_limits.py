"""What the JSON importer refuses, and how: every problem is a JSON 400/413 from the API and a
clear message with a non-zero exit from the command line, never a traceback or a 500 page;
free text is capped and NUL bytes are refused, with the JSON path (docs/data/import-format.md)."""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError

from traza.api.models import ApiToken
from traza.api.transfer import schema
from traza.assessment.models import PublishedFigure, Rating, RecommendationFollowUp
from traza.cocreation.models import (
    AttendanceTally,
    Contribution,
    Event,
    ReportedFigure,
    Response,
    Timeline,
)
from traza.core.models import TraceEvent
from traza.monitoring.models import Indicator, Measurement
from traza.plans.models import (
    ActionPlan,
    Commitment,
    Member,
    Milestone,
    Organization,
    Theme,
)

EXAMPLE_PATH = Path(__file__).resolve().parents[2] / "docs" / "data" / "example-import.json"
EXAMPLE = json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"))


def _example(**changes) -> dict:
    data = copy.deepcopy(EXAMPLE)
    for path, value in changes.items():
        target = data
        *parents, last = path.split("/")
        for part in parents:
            target = target[int(part) if part.isdigit() else part]
        target[int(last) if last.isdigit() else last] = value
    return data


def _nothing_written():
    return not ActionPlan.objects.exists() and not TraceEvent.objects.exists()


def _deep(levels: int) -> str:
    return '{"format": "traza", "version": 1, "source": ' + "[" * levels + "]" * levels + "}"


# --- the command line -----------------------------------------------------------------------


def _import(tmp_path, content: str | bytes) -> str:
    path = tmp_path / "file.json"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command("import", str(path))
    return str(error.value)


def test_a_byte_order_mark_is_accepted(db, tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE_PATH.read_bytes())
    call_command("import", str(path), verbosity=0)
    assert Commitment.objects.count() == 1


@pytest.mark.parametrize(
    "content, fragment",
    [
        (_deep(100_000), "32"),
        (_deep(40), "32"),
        ('{"format": "traza", "version": NaN}', "NaN"),
        ('{"format": "traza", "version": 1' + "0" * 5000 + "}", "$"),
        (b"\xff\xfe{}", "UTF-8"),
    ],
    ids=["deep", "deeper-than-the-format", "nan", "huge-number", "not-utf8"],
)
def test_unreadable_json_is_a_clear_message(db, tmp_path, content, fragment):
    message = _import(tmp_path, content)
    assert "file.json" in message and fragment in message and "Traceback" not in message
    assert len(message) < 2000
    assert _nothing_written()


LONG = 50_000
CASES = {
    "plan notes": ("plans/0/notes", "x" * (LONG + 1), "$.plans[0].notes", str(LONG)),
    "commitment summary": (
        "plans/0/commitments/0/summary",
        "x" * (LONG + 1),
        "$.plans[0].commitments[0].summary",
        str(LONG),
    ),
    "milestone text": (
        "plans/0/commitments/0/milestones/0/text",
        "x" * 10_001,
        "$.plans[0].commitments[0].milestones[0].text",
        "10000",
    ),
    "title over the model's length": (
        "plans/0/commitments/0/title",
        "x" * 401,
        "$.plans[0].commitments[0].title",
        "400",
    ),
    "nul in a title": (
        "plans/0/commitments/0/title",
        "Datos\x00abiertos",
        "$.plans[0].commitments[0].title",
        "NUL",
    ),
    "nul in a key": ("members/0/key", "pe\x00ru", "$.members[0].key", "NUL"),
    "year zero": ("plans/0/commitments/0/starts_on", "0001-01-01", "starts_on", "1900"),
    "huge plan number": ("plans/0/number", 10**12, "$.plans[0].number", "32767"),
    "huge measurement": (
        "plans/0/commitments/0/milestones/0/indicators/0/measurements/0/value",
        1e300,
        "measurements[0].value",
        "999999999999",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_over_long_or_nul_values_are_refused_with_their_path(db, tmp_path, name):
    where, value, path, fragment = CASES[name]
    message = _import(tmp_path, json.dumps(_example(**{where: value})))
    line = next((line for line in message.splitlines() if path in line), None)
    assert line is not None, message
    assert fragment in line and len(line) < 400, line
    assert _nothing_written()


def test_a_huge_text_leaves_no_trace_and_no_page(db, tmp_path):
    message = _import(tmp_path, json.dumps(_example(**{"plans/0/notes": "x" * 5_000_000})))
    assert "$.plans[0].notes" in message and len(message) < 2000
    assert _nothing_written()


def test_lower_case_date_times_import(db, tmp_path):
    data = _example()
    data["plans"][0]["events"] = [
        {
            "key": "mesa",
            "kind": "thematic_table",
            "title": "Mesa",
            "starts_at": "2024-03-01t10:00:00z",
            "ends_at": "2024-03-01t12:00:00-05:00",
        }
    ]
    path = tmp_path / "lower.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("import", str(path), verbosity=0)
    assert Event.objects.get().ends_at.hour == 17


def test_the_console_command_prints_a_message_not_a_traceback(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text(_deep(100_000), encoding="utf-8")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "TRAZA_VAR_DIR": str(tmp_path),
    }
    env.pop("TRAZA_TEST_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "traza", "migrate", "-v0"], env=env, check=True)
    result = subprocess.run(
        [sys.executable, "-m", "traza", "import", str(deep)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and str(deep) in result.stderr


# --- every text field is capped, as its model is ------------------------------------------

MODELS = {
    "member": Member,
    "organization": Organization,
    "theme": Theme,
    "plan": ActionPlan,
    "timeline": Timeline,
    "commitment": Commitment,
    "milestone": Milestone,
    "event": Event,
    "attendance": AttendanceTally,
    "contribution": Contribution,
    "response": Response,
    "reported_figure": ReportedFigure,
    "rating": Rating,
    "recommendation_followup": RecommendationFollowUp,
    "irm_published_figure": PublishedFigure,
    "indicator": Indicator,
    "measurement": Measurement,
}


def _objects() -> dict[str, dict]:
    s = schema()
    defs = s["$defs"]
    return {
        "member": s["properties"]["members"]["items"],
        "organization": s["properties"]["organizations"]["items"],
        "theme": s["properties"]["themes"]["items"],
        "timeline": defs["plan"]["properties"]["timeline"]["oneOf"][1],
        "attendance": defs["event"]["properties"]["attendance"]["items"],
        **{name: defs[name] for name in defs},
    }


def test_every_string_in_the_schema_has_a_cap_within_its_column():
    checked = 0
    for name, definition in _objects().items():
        model = MODELS[name]
        for field, rule in definition["properties"].items():
            types = rule.get("type") if isinstance(rule.get("type"), list) else [rule.get("type")]
            if "string" not in types and "enum" not in rule and "oneOf" not in rule:
                continue
            if "enum" in rule:
                continue  # the values are listed
            if "oneOf" in rule:
                strings = [r for r in rule["oneOf"] if r.get("type") == "string"]
                if not strings:
                    continue  # an object or null
                rule = strings[0]
            assert rule.get("maxLength"), f"{name}.{field} has no maxLength"
            try:
                column = model._meta.get_field(field)
            except Exception:  # a reference (key of another object) or a derived field
                continue
            if getattr(column, "max_length", None):
                assert rule["maxLength"] <= column.max_length, f"{name}.{field}"
            checked += 1
    assert checked > 60


# --- the API --------------------------------------------------------------------------------


@pytest.fixture
def key(django_user_model):
    staff = django_user_model.objects.create_user("integracion", "i@example.org", "x-Strong-1")
    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["plans", "monitoring", "cocreation", "assessment"]
        )
    )
    return ApiToken.issue(staff, "prueba")[1]


def _post(client, body: bytes | str, key: str):
    return client.post(
        "/api/v1/import", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )


@pytest.mark.parametrize(
    "body, status",
    [
        (_deep(100_000), 400),
        ('{"format": "traza", "version": NaN}', 400),
        (b"\xff\xfe{}", 400),
        (json.dumps(_example(**{"plans/0/notes": "x" * 3_000_000})), 413),
        (json.dumps(_example(**{"plans/0/notes": "nul\x00"})), 400),
        (json.dumps(_example(**{"plans/0/notes": "x" * (LONG + 1)})), 400),
        ("", 400),
        ("[]", 400),
    ],
    ids=["deep", "nan", "not-utf8", "too-big", "nul", "too-long", "empty", "array"],
)
def test_the_api_answers_every_problem_in_json(client, key, body, status):
    response = _post(client, body, key)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert len(response.content) < 5000
    assert not ActionPlan.objects.exists()


def test_the_api_names_the_path_of_an_over_long_value(client, key):
    response = _post(client, json.dumps(_example(**{"plans/0/notes": "x" * (LONG + 1)})), key)
    assert response.json()["problems"][0][0] == "$.plans[0].notes"


@pytest.mark.django_db(transaction=True)
def test_the_api_accepts_a_byte_order_mark(client, key):
    response = _post(client, b"\xef\xbb\xbf" + EXAMPLE_PATH.read_bytes(), key)
    assert response.status_code == 200, response.content
    assert response.json()["changed"]["commitment"] == 1
    assert Commitment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_api_refuses_a_big_body_in_json_and_writes_nothing(client, key):
    response = _post(client, json.dumps(_example(**{"plans/0/notes": "x" * 3_000_000})), key)
    assert response.status_code == 413 and "detail" in response.json()
    assert not ActionPlan.objects.exists()


def test_a_refusal_by_the_database_is_a_message_not_a_traceback(db, tmp_path, monkeypatch):
    from importlib import import_module

    from django.db import DataError

    command = import_module("traza.api.management.commands.import")

    def refuse(actor, path):
        raise DataError("value too long for type character varying(300)")

    monkeypatch.setattr(command, "import_file", refuse)
    with pytest.raises(CommandError, match="character varying"):
        call_command("import", str(EXAMPLE_PATH))
