"""A field (or list) left out of an imported object keeps its stored value; a field given
as null or "" clears it (docs/data/import-format.md). Through the command and the API."""

import copy
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from traza.api.models import ApiToken
from traza.api.transfer import dumps, export_data, import_data, load_file
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.monitoring.models import Indicator
from traza.plans.models import ActionPlan, Commitment, CommitmentVersion, Milestone


def _plan3() -> ActionPlan:
    return ActionPlan.objects.get(member__slug="peru", number=3)


def _partial(plan: ActionPlan, commitment: dict) -> dict:
    return {
        "format": "traza",
        "version": 1,
        "plans": [
            {
                "member": "peru",
                "number": 3,
                "title": plan.title,
                "period_start": 2017,
                "period_end": 2019,
                "commitments": [commitment],
            }
        ],
    }


def _issue_repro(plan: ActionPlan) -> dict:
    first = plan.commitments.get(number=1)
    return _partial(plan, {"number": 1, "title": first.title, "ogp_id": "PE0066"})


def _write(tmp_path, data) -> str:
    path = tmp_path / "partial.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _expected_after_repro(before: dict) -> dict:
    expected = copy.deepcopy(before)
    expected["plans"][0]["commitments"][0]["ogp_id"] = "PE0066"
    return expected


def _add_indicator(plan: ActionPlan) -> None:
    """Give commitment 1 and its first milestone an indicator with a measurement, so the
    nested lists are not empty."""
    data = export_data([plan.pk])
    commitment = data["plans"][0]["commitments"][0]
    indicator = {
        "key": "foros",
        "name": "Foros multiactor instalados",
        "level": "output",
        "unit": "foros",
        "baseline": "ninguno",
        "baseline_value": 0,
        "target": "dos sectores",
        "target_value": 2,
        "measurements": [{"measured_on": "2019-06-30", "value": 1, "note": "Ambiente"}],
    }
    commitment["indicators"] = [indicator]
    commitment["milestones"][0]["indicators"] = [dict(indicator, key="marco")]
    path_data = {"format": "traza", "version": 1, "plans": data["plans"]}
    import_data(SYSTEM, path_data, "indicators.json")


def _counts():
    return (
        TraceEvent.objects.count(),
        CommitmentVersion.objects.count(),
        Milestone.objects.count(),
        Indicator.objects.count(),
    )


def test_a_partial_file_keeps_every_field_it_leaves_out(demo, tmp_path):
    _add_indicator(demo)
    before = export_data([demo.pk])
    first = before["plans"][0]["commitments"][0]
    assert first["summary"] and first["notes"] and first["lead_organization"]
    assert first["status"] == "closed" and first["ogp_values"] and first["indicators"]
    assert before["plans"][0]["stage"] == "closed" and before["plans"][0]["approval_instrument"]
    call_command("import", _write(tmp_path, _issue_repro(demo)), verbosity=0)
    assert export_data([demo.pk]) == _expected_after_repro(before)


def test_a_partial_file_changes_only_what_it_names(demo, tmp_path):
    """Absent lists (milestones, indicators, supporting organisations, OGP values) keep
    what is stored; a milestone named with only its text keeps its other fields."""
    _add_indicator(demo)
    before = export_data([demo.pk])
    second = before["plans"][0]["commitments"][1]
    milestone = second["milestones"][0]
    data = _partial(
        demo,
        {
            "number": 2,
            "title": second["title"],
            "milestones": [{"number": milestone["number"], "text": "Texto nuevo del hito"}],
        },
    )
    call_command("import", _write(tmp_path, data), verbosity=0)
    expected = copy.deepcopy(before)
    expected["plans"][0]["commitments"][1]["milestones"][0]["text"] = "Texto nuevo del hito"
    assert export_data([demo.pk]) == expected


def test_null_or_empty_clears_a_field(demo, tmp_path):
    _add_indicator(demo)
    first = demo.commitments.get(number=1)
    data = _partial(
        demo,
        {
            "number": 1,
            "title": first.title,
            "summary": "",
            "notes": None,
            "lead_organization": None,
            "theme": None,
            "ogp_values": [],
            "starts_on": None,
            "indicators": [
                {
                    "key": "foros",
                    "name": "Foros multiactor instalados",
                    "level": "output",
                    "unit": None,
                    "target_value": None,
                }
            ],
        },
    )
    data["plans"][0]["approval_instrument"] = ""
    data["plans"][0]["notes"] = None
    call_command("import", _write(tmp_path, data), verbosity=0)
    first.refresh_from_db()
    assert (first.summary, first.notes, first.lead_organization, first.theme) == (
        "",
        "",
        None,
        None,
    )
    assert first.values == [] and first.starts_on is None
    assert first.origin and first.status == "closed" and first.ends_on is not None  # kept
    indicator = Indicator.objects.get(commitment=first, key="foros")
    assert indicator.unit == "" and indicator.target_value is None
    assert indicator.baseline == "ninguno" and indicator.measurements.count() == 1  # kept
    plan = _plan3()
    assert plan.approval_instrument == "" and plan.notes == ""
    assert plan.stage == "closed" and plan.approved_on is not None  # kept


def test_reimporting_an_unchanged_export_changes_nothing(demo, tmp_path):
    _add_indicator(demo)
    path = tmp_path / "all.json"
    call_command("export", output=str(path))
    before = _counts()
    assert import_data(SYSTEM, load_file(path), str(path)) == {}
    assert _counts() == before
    call_command("import", _write(tmp_path, _issue_repro(demo)), verbosity=0)
    after_repro = _counts()
    call_command("import", _write(tmp_path, _issue_repro(demo)), verbosity=0)
    assert _counts() == after_repro  # the partial file again: nothing


# --- the same through POST /api/v1/import --------------------------------------------------


def _token(django_user_model) -> str:
    staff = django_user_model.objects.create_user("integracion", "i@example.org", "x-Strong-1")
    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["plans", "monitoring", "cocreation", "assessment"]
        )
    )
    return ApiToken.issue(staff, "prueba")[1]


def _post(client, body, key):
    return client.post(
        "/api/v1/import",
        body if isinstance(body, (str, bytes)) else json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


@pytest.mark.django_db(transaction=True)
def test_the_api_keeps_what_a_partial_document_leaves_out(client, django_user_model):
    call_command("load_demo", real_only=True, verbosity=0)
    plan = _plan3()
    key = _token(django_user_model)
    before = export_data([plan.pk])
    response = _post(client, _issue_repro(plan), key)
    assert response.status_code == 200, response.content
    assert response.json()["changed"] == {"commitment": 1}
    assert export_data([plan.pk]) == _expected_after_repro(before)
    counts = _counts()
    again = _post(client, dumps(export_data([plan.pk])), key)
    assert again.status_code == 200 and again.json()["changed"] == {}
    assert _counts() == counts


@pytest.mark.django_db(transaction=True)
def test_the_api_clears_a_field_given_as_null(client, django_user_model):
    call_command("load_demo", real_only=True, verbosity=0)
    plan = _plan3()
    key = _token(django_user_model)
    first = plan.commitments.get(number=1)
    response = _post(
        client,
        _partial(plan, {"number": 1, "title": first.title, "notes": None, "theme": None}),
        key,
    )
    assert response.status_code == 200, response.content
    first = Commitment.objects.get(pk=first.pk)
    assert first.notes == "" and first.theme is None and first.summary and first.lead_organization


def test_events_ratings_and_figures_keep_what_they_leave_out(demo, tmp_path):
    before = export_data([demo.pk])
    plan = before["plans"][0]
    event = next(e for e in plan["events"] if e["themes"] and e["attendance"])
    rating = next(r for r in plan["ratings"] if r["relevance"] and r["potential_impact"])
    figure = next(f for f in plan["reported_figures"] if f["breakdown"])
    data = _partial(demo, {"number": 1, "title": plan["commitments"][0]["title"]})
    data["plans"][0].update(
        events=[{k: event[k] for k in ("key", "kind", "title", "starts_at", "ends_at")}],
        ratings=[{k: rating[k] for k in ("commitment", "methodology", "stage", "source")}],
        reported_figures=[{k: figure[k] for k in ("key", "measure", "total", "source")}],
        timeline=None,
    )
    call_command("import", _write(tmp_path, data), verbosity=0)
    assert export_data([demo.pk]) == before
