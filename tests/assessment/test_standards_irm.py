"""IRM fidelity of the process verdicts (issue 18, points 8-12): a missing record is "no data",
never "not met"; the Peru demo carries the IRM's Annex I beside what Traza computes, with the
agreement count and why each verdict differs; standard 4b reads the calendar's notice; the 2022
"acted contrary" rule honours the assessor's verdicts; plurals, closed plans and no setting
names on the public page."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from tests.assessment.conftest import CO_CREATION, at
from traza.assessment import services as assessment_services
from traza.assessment.models import ProcessOverride
from traza.assessment.standards import Status, process_health
from traza.assessment.standards.registry import registry
from traza.cocreation import services as cocreation_services
from traza.cocreation.queries import plan_calendar
from traza.core.services import SYSTEM
from traza.ops.irm_verdicts import load_irm_verdicts, read_verdicts
from traza.plans import services as plan_services

ROOT = Path(__file__).resolve().parents[2]
BEFORE_IMPLEMENTATION = dt.date(2024, 5, 1)
FORUM_CODES = ["1a", "1b", "1c", "1d", "2a", "2b", "2c", "2d", "3d", "3e", "3f"]
COLOURS = {"green": "met", "yellow": "in_progress", "red": "not_met"}


@pytest.fixture
def assessor(django_user_model):
    user = django_user_model.objects.create_user("evaluadora", "e@example.org", "x-Strong-1")
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["add_processoverride", "change_processoverride"])
    )
    return django_user_model.objects.get(pk=user.pk)


def statuses(plan, today=None) -> dict[str, str]:
    return {f"{e}:{v.code}": v.status for e, v in process_health(plan, today).all_verdicts}


def event(plan, key: str, starts: dt.date, announced: dt.date | None = None, kind="thematic_table"):
    return cocreation_services.save_event(
        SYSTEM,
        None,
        {
            "plan": plan,
            "key": key,
            "kind": kind,
            "title": f"Evento {key}",
            "starts_at": at(starts),
            "ends_at": at(starts, 13),
            "announced_at": at(announced) if announced else None,
        },
    )


def timeline(plan, published: dt.date):
    cocreation_services.save_timeline(SYSTEM, None, {"plan": plan, "published_on": published})


def english(client, plan) -> str:
    response = client.get(f"/en/plans/{plan.pk}/process/")
    assert response.status_code == 200
    return response.content.decode()


# -- 8. No record is not a failure


def test_a_standard_with_no_records_is_no_data_not_failed(client, plan):
    result = statuses(plan)
    for code in [*FORUM_CODES, "4b", "4c", "4d", "4e", "5a"]:
        assert result[f"2017:{code}"] == Status.NO_DATA, code
    for code in ["1.1", "2.2", "3.1", "4.1", "5.1"]:
        assert result[f"2021:{code}"] == Status.NO_DATA, code
    assert Status.NOT_MET not in result.values()  # nothing recorded reads as a failure
    health = process_health(plan, BEFORE_IMPLEMENTATION)
    assert not health.contrary.contrary  # unknown minimum requirements are not "not met"
    html = english(client, plan)
    assert 'class="light light-no_data">No data</span>' in html
    assert "light-not_met" not in html
    assert "a missing record is not a failure" in html


def test_the_data_showing_a_failure_still_reads_not_met(plan, editor):
    timeline(plan, CO_CREATION - dt.timedelta(days=3))  # published 3 days ahead
    event(plan, "mesa", CO_CREATION)
    cocreation_services.record_contribution(
        editor,
        {"plan": plan, "channel": "email", "text": "Propuesta", "received_at": at(CO_CREATION)},
    )
    result = statuses(plan)
    assert result["2021:3.1"] == Status.NOT_MET  # the calendar was published 3 days ahead
    assert result["2017:4b"] == Status.NOT_MET  # its only event: 3 days' notice
    assert result["2017:4e"] == result["2021:4.1"] == Status.NOT_MET  # recorded, unanswered
    assert result["2017:4c"] == Status.NOT_MET  # events recorded, none raising awareness


# -- 10. One definition of notice


def test_4b_takes_the_timelines_date_for_an_event_without_its_own(plan):
    timeline(plan, CO_CREATION - dt.timedelta(days=20))
    event(plan, "sin-fecha", CO_CREATION)  # no announcement of its own: the timeline's date
    event(plan, "tarde", CO_CREATION + dt.timedelta(days=10), CO_CREATION + dt.timedelta(days=7))
    calendar = plan_calendar(plan.pk)
    assert [item.notice.days for item in calendar.events] == [20, 3]
    with translation.override("en"):
        rule = next(v for v in process_health(plan).verdicts("2017") if v.code == "4b")
    assert rule.status == Status.IN_PROGRESS
    assert rule.explanation == "1 of 2 events announced at least 14 days ahead."
    assert calendar.short_notice_count == 1


def test_4b_and_the_calendar_agree_on_the_peru_demo(demo):
    calendar = plan_calendar(demo.pk)
    with translation.override("en"):
        rule = next(v for v in process_health(demo).verdicts("2017") if v.code == "4b")
    n, short = len(calendar.events), calendar.short_notice_count
    assert (n, short) == (12, 6)  # the calendar: "12 · 6 with short notice"
    early, total = map(int, re.match(r"(\d+) of (\d+) events", rule.explanation).groups())
    assert (early, total) == (n - short, n)
    assert rule.status == Status.IN_PROGRESS


# -- 11. Acted contrary honours the assessor in the 2022 rule


def test_acted_contrary_in_2021_honours_the_assessors_verdicts(plan, assessor):
    timeline(plan, CO_CREATION - dt.timedelta(days=3))
    event(plan, "mesa", CO_CREATION)
    contrary = process_health(plan, BEFORE_IMPLEMENTATION).contrary
    assert contrary.rule_version == "2022" and contrary.contrary
    assert any("3.1" in reason for reason in contrary.reasons)
    assessment_services.override_process(
        assessor, plan, "2021:3.1", "met", "El cronograma salió en el diario oficial antes."
    )
    contrary = process_health(plan, BEFORE_IMPLEMENTATION).contrary
    assert not contrary.contrary and contrary.reasons == [] and not contrary.final
    # and the other way: a requirement computed as met that the assessor found not met
    timeline_row = plan.timeline
    cocreation_services.save_timeline(
        SYSTEM, timeline_row, {"published_on": CO_CREATION - dt.timedelta(days=30)}
    )
    ProcessOverride.objects.filter(plan=plan).delete()
    assert not process_health(plan, BEFORE_IMPLEMENTATION).contrary.contrary
    assessment_services.override_process(
        assessor, plan, "2021:2.1", "not_met", "La página no era accesible al público."
    )
    contrary = process_health(plan, BEFORE_IMPLEMENTATION).contrary
    assert contrary.contrary and any("2.1" in reason for reason in contrary.reasons)


# -- 9. The IRM's Annex I beside the computed verdicts


def test_the_demo_carries_annex_i_as_printed_with_its_source(demo):
    source = json.loads((ROOT / "tools/data/peru-2017-2019.source.json").read_text("utf-8"))
    printed = {row["code"]: COLOURS[row["status"]] for row in source["standards_annex"]}
    stored = {
        o.subject.removeprefix("2017:"): o
        for o in ProcessOverride.objects.filter(plan=demo, subject__startswith="2017:")
    }
    assert len(printed) == 17 and {code: o.value for code, o in stored.items()} == printed
    assert all("Anexo I" in o.justification and "MRI" in o.justification for o in stored.values())
    assert "Tabla 1 dice que no hay" in stored["1a"].justification  # the report's own puzzle
    influence = ProcessOverride.objects.get(plan=demo, subject="influence:development")
    assert influence.value == source["at_a_glance"]["level_of_public_influence"]["value"]
    assert read_verdicts()["decided_on"] == "2019-04-24"
    assert load_irm_verdicts() == 0  # loading again writes nothing


def test_the_peru_process_page_shows_computed_beside_the_irm_with_the_agreement(client, demo):
    health = process_health(demo)
    section = next(s for s in health.sections if s.edition.key == "2017")
    assert len(section.assessed) == 17
    agreeing = [v.code for v in section.verdicts if v.agrees]
    assert agreeing == ["4e"]  # red in Annex I, and 0 of 20 contributions answered here
    assert section.no_data == 13  # eleven forum standards, 4d and 5a: nothing recorded
    html = english(client, demo)
    assert "agree with the assessor's on 1 of 17 standards." in html
    assert "For 13 standards Traza holds no record to judge by (no data)." in html
    table = html[html.index('id="set-2017"') :]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", table, re.S)
    assert len(rows) == 17
    for verdict, row in zip(section.verdicts, rows, strict=True):
        assert f'<span class="code">{verdict.code}</span>' in row
        assert row.count('class="light light-') == 2, verdict.code  # computed and the IRM's
        assert "Justification:" in row and "Anexo I" in row, verdict.code
        assert ("Why they differ:" in row) == (verdict.code != "4e"), verdict.code
    forum = rows[0]
    assert "light-no_data" in forum and "Traza holds no record to judge this by" in forum
    notice = rows[len(FORUM_CODES) + 1]  # 4b: fewer events with notice than the IRM saw
    assert (
        '<span class="code">4b</span>' in notice and "show less than the assessor found" in notice
    )
    awareness = rows[len(FORUM_CODES) + 2]  # 4c: one presentation recorded, the IRM saw yellow
    assert "show more than the assessor credited" in awareness


def test_an_assessor_cannot_set_no_data(plan, assessor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        assessment_services.override_process(assessor, plan, "2017:1a", "no_data", "No sé.")


# -- 12. Plurals, closed plans, no setting names


def test_counts_take_their_plural_forms(client, plan):
    event(plan, "induccion", CO_CREATION, CO_CREATION - dt.timedelta(days=20), kind="induction")
    with translation.override("en"):
        rule = next(v for v in process_health(plan).verdicts("2017") if v.code == "4c")
    assert rule.explanation == "1 induction workshop or presentation to the public."
    event(plan, "presentacion", dt.date(2024, 8, 1), dt.date(2024, 7, 1), kind="presentation")
    html = english(client, plan)
    assert "2 induction workshops or presentations to the public." in html
    assert "1 meeting with civil society in 2 years of implementation; 4 needed." in html
    assert "1 meetings" not in html and "year(s)" not in html


def test_a_closed_plan_never_reads_in_progress(client, plan, editor):
    for n in range(2):
        cocreation_services.record_contribution(
            editor,
            {"plan": plan, "channel": "email", "text": f"P{n}", "received_at": at(CO_CREATION)},
        )
    answered = plan.contributions.first()
    cocreation_services.publish_response(
        editor,
        answered,
        {
            "outcome": "adopted",
            "text": "Incorporada.",
            "deciding_body": "secretariat",
            "decided_on": CO_CREATION,
        },
    )
    html = english(client, plan)
    assert "In progress" in html  # a running plan: 1 of 2 answered
    assert "Requirements at risk" in html  # the other has waited since 2024
    plan_services.set_plan_stage(SYSTEM, plan, "closed")
    html = english(client, plan)
    assert "In progress" not in html and "in progress" not in html
    assert "Requirements at risk" not in html  # the process is over: nothing is at risk now
    assert 'class="light light-in_progress">Partly met</span>' in html
    spanish = client.get(f"/planes/{plan.pk}/proceso/").content.decode()
    assert "En curso" not in spanish and "en curso" not in spanish


def test_no_setting_name_reaches_the_public(client, demo):
    for page in (f"/planes/{demo.pk}/proceso/", f"/en/plans/{demo.pk}/process/"):
        html = client.get(page).content.decode()
        assert "TRAZA_" not in html, page
    english_html = client.get(f"/en/plans/{demo.pk}/process/").content.decode()
    assert "Which standards make a starred process is not set up on this site" in english_html
    with translation.override("en"):
        for standard in registry:  # what the "no data" explanation quotes
            assert "TRAZA_" not in str(standard.evidence) + str(standard.title), standard.code
