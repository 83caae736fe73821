"""Indicators with dated measurements, completion overrides, fulfilment dashboards drawn on
the server, the public timeline of a commitment."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.monitoring.test_progress import account, values
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.monitoring import services
from traza.monitoring.models import CompletionOverride, Indicator, Measurement
from traza.plans.models import Officer


@pytest.fixture
def setting(make_plan, django_user_model):
    plan = make_plan(n=2, m=2)
    commitment = plan.commitments.get(number=1)
    officer = account(django_user_model, "oficial", "add_progressreport")
    Officer.objects.create(user=officer, organization=commitment.lead_organization)
    reviewer = account(
        django_user_model,
        "secretaria",
        "review_progressreport",
        "add_indicator",
        "change_indicator",
        "add_completionoverride",
        "change_completionoverride",
    )
    return commitment, officer, reviewer


def indicator_values(**overrides):
    data = {
        "key": "datasets",
        "name": "Conjuntos de datos publicados en el portal",
        "level": "output",
        "unit": "conjuntos",
        "baseline": "12 conjuntos (2024)",
        "baseline_value": Decimal("12"),
        "baseline_date": dt.date(2024, 1, 31),
        "target": "40 conjuntos",
        "target_value": Decimal("40"),
        "target_date": dt.date(2026, 12, 31),
    }
    data.update(overrides)
    return data


def accept(officer, reviewer, milestone, **overrides):
    report = services.submit_progress(officer, milestone, values(**overrides))
    return services.review_progress(reviewer, report, True)


def test_a_measurement_sent_with_a_report_is_public_once_the_report_is_accepted(client, setting):
    commitment, officer, reviewer = setting
    milestone = commitment.milestones.get(number=1)
    indicator = services.save_indicator(
        reviewer, None, indicator_values(milestone=milestone), reason="Línea de base del plan"
    )
    client.force_login(officer)
    form = {
        "milestone": milestone.pk,
        "status": "in_progress",
        "percent": "50",
        "narrative": "Se publicaron nuevos conjuntos de datos.",
        "fact_date": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "indicator": indicator.pk,
        "measured_value": "27.5",
        "measured_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
    }
    missing = client.post(
        reverse("monitoring:report", args=[commitment.pk]), {**form, "measured_value": ""}
    )
    assert missing.status_code == 400 and not Measurement.objects.exists()
    assert client.post(reverse("monitoring:report", args=[commitment.pk]), form).status_code == 302
    measurement = Measurement.objects.get()
    assert measurement.value == Decimal("27.5") and measurement.report is not None
    client.logout()
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "Conjuntos de datos publicados" in page and "27,5" not in page  # under review
    services.review_progress(reviewer, measurement.report, True)
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "27,5" in page and "producto" in page and "12 conjuntos (2024)" in page
    english = client.get(
        "/en" + commitment.get_absolute_url().replace("/compromisos/", "/commitments/")
    )
    assert "27.5" in english.content.decode()
    event = TraceEvent.objects.filter(object_type="monitoring.progressreport").first()
    assert event.changes["measurements"][1][0][2] == "27.5000"


def test_bad_indicators_and_measurements_are_refused_and_nothing_is_written(setting, make_plan):
    commitment, officer, reviewer = setting
    milestone = commitment.milestones.get(number=1)
    with pytest.raises(ValidationError):
        services.save_indicator(
            reviewer, None, indicator_values(milestone=milestone, level="vibes")
        )
    with pytest.raises(ValidationError):  # an indicator belongs to one owner
        services.save_indicator(
            reviewer, None, indicator_values(milestone=milestone, commitment=commitment)
        )
    with pytest.raises(ValidationError):
        services.save_indicator(
            reviewer,
            None,
            indicator_values(milestone=milestone, target_date=dt.date(2020, 1, 1)),
        )
    with pytest.raises(PermissionDenied):
        services.save_indicator(officer, None, indicator_values(milestone=milestone))
    assert not Indicator.objects.exists()

    indicator = services.save_indicator(reviewer, None, indicator_values(commitment=commitment))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.submit_progress(
            officer, milestone, values(), measurements=[(indicator, Decimal(3), tomorrow)]
        )
    other = commitment.plan.commitments.get(number=2)
    foreign = services.save_indicator(reviewer, None, indicator_values(commitment=other))
    with pytest.raises(ValidationError):
        services.submit_progress(
            officer, milestone, values(), measurements=[(foreign, Decimal(3), dt.date(2025, 1, 1))]
        )
    assert not Measurement.objects.exists() and not milestone.progress_reports.exists()


def test_the_completion_override_needs_a_reason_and_shows_beside_the_suggestion(client, setting):
    commitment, officer, reviewer = setting
    with pytest.raises(ValidationError):
        services.override_completion(reviewer, commitment, "complete", "  ")
    with pytest.raises(PermissionDenied):
        services.override_completion(officer, commitment, "complete", "Lo digo yo")
    assert not CompletionOverride.objects.exists()
    services.override_completion(
        reviewer, commitment, "substantial", "El hito 2 se fusionó con el compromiso 2."
    )
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "Sustancial" in page and "se fusionó" in page and "No iniciado" not in page
    assert "calculado a partir de los hitos: no iniciado" in page
    event = TraceEvent.objects.filter(object_type="monitoring.completionoverride").get()
    assert event.reason == "El hito 2 se fusionó con el compromiso 2."
    board = client.get(reverse("monitoring:plan_dashboard", args=[commitment.plan_id]))
    assert "fijado por la secretaría" in board.content.decode()


def test_dashboards_count_the_share_of_milestones_complete(client, setting):
    commitment, officer, reviewer = setting
    plan = commitment.plan
    accept(officer, reviewer, commitment.milestones.get(number=1), status="complete", percent=100)
    accept(officer, reviewer, commitment.milestones.get(number=2), percent=40)
    # 1 of the plan's 4 milestones is complete
    page = client.get(f"/planes/{plan.pk}/tablero/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "25 %" in html
    assert "1 de 4 hitos" in html and "Aún no se ha aceptado" not in html
    assert 'width="70"' in html  # the bar: 25 % of 280
    institution = commitment.lead_organization
    html = client.get(reverse("monitoring:institution", args=[institution.slug])).content.decode()
    assert institution.name in html and "25 %" in html and plan.title in html
    html = client.get(reverse("monitoring:theme", args=[commitment.theme.slug])).content.decode()
    assert "25 %" in html
    assert client.get("/instituciones/no-existe/").status_code == 404


def test_the_dashboard_runs_a_fixed_number_of_queries(client, make_plan):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = make_plan(n=1, m=1, number=1)
    large = make_plan(n=6, m=4, number=2)
    assert count(f"/planes/{small.pk}/tablero/") == count(f"/planes/{large.pk}/tablero/") <= 8


def test_a_delayed_milestone_shows_on_the_dashboard(client, setting):
    from traza.plans import services as plan_services

    commitment, _officer, _reviewer = setting
    milestone = commitment.milestones.get(number=1)
    plan_services.save_milestone(
        SYSTEM, milestone, {"starts_on": dt.date(2024, 1, 1), "ends_on": dt.date(2024, 6, 30)}
    )
    html = client.get(reverse("monitoring:plan_dashboard", args=[commitment.plan_id])).content
    assert "Hitos retrasados" in html.decode() and milestone.text[:20] in html.decode()


def test_the_delayed_list_is_the_markup_the_template_loop_wrote(setting):
    """The dashboard writes its delayed milestones in Python (a plan of 200 commitments has
    hundreds): the same bytes the template loop wrote, text escaped and cut at 16 words,
    numbers and dates in each language."""
    from django.template import Context, Template
    from django.utils import translation

    from traza.monitoring.queries import plan_dashboard
    from traza.monitoring.templatetags.monitoring import delayed_items
    from traza.plans import services as plan_services

    commitment, _officer, _reviewer = setting
    words = " ".join(f"palabra{n}" for n in range(20))
    ends = ["2024-06-30", "2024-07-01"]
    for milestone, end in zip(commitment.milestones.order_by("number"), ends, strict=True):
        plan_services.save_milestone(
            SYSTEM,
            milestone,
            {"text": f"<b>Datos</b> & “abiertos” {words}", "ends_on": dt.date.fromisoformat(end)},
        )
    loop = Template(
        "{% for d in delayed %}{% with m=d.state.milestone %}"
        '<li><a href="{{ m.commitment.get_absolute_url }}">{{ m.commitment.number }}.'
        "{{ m.number }}</a> {{ m.text|truncatewords:16 }} · {{ due }} "
        '{{ m.ends_on|date:"DATE_FORMAT" }} · {{ d.state.percent }} %</li>'
        "{% endwith %}{% endfor %}"
    )
    for language in ("es", "en"):
        with translation.override(language):
            delayed = plan_dashboard(commitment.plan).delayed
            assert len(delayed) == 2
            written = delayed_items(delayed, "vence <hoy>")
            assert written == loop.render(Context({"delayed": delayed, "due": "vence <hoy>"}))
            assert "&lt;b&gt;Datos" in written and "palabra12 …" in written


def test_the_timeline_tells_the_commitments_story_in_order(client, setting):
    commitment, officer, reviewer = setting
    milestone = commitment.milestones.get(number=1)
    accept(officer, reviewer, milestone, fact_date=dt.date(2025, 3, 10), narrative="Primer taller")
    services.override_completion(
        reviewer, commitment, "limited", "Faltan actas.", dt.date(2025, 9, 1)
    )
    html = client.get(f"/compromisos/{commitment.pk}/cronologia/").content.decode()
    # dated by the facts, not by when they were typed in: the first version was recorded today
    assert html.index("Primer taller") < html.index("Faltan actas.") < html.index("Versión 1")
    assert "2025-03-10" in html


@pytest.mark.django_db(transaction=True)
def test_indicators_and_public_measurements_travel_in_the_import_format(setting):
    from django.core.management import call_command

    from traza.api.transfer import dumps, export_data, import_data, validate

    commitment, officer, reviewer = setting
    milestone = commitment.milestones.get(number=1)
    indicator = services.save_indicator(reviewer, None, indicator_values(milestone=milestone))
    services.save_measurement(
        SYSTEM,
        None,
        {"indicator": indicator, "measured_on": dt.date(2025, 6, 30), "value": Decimal("18.25")},
    )
    services.submit_progress(  # still under review: stays out of the export
        officer, milestone, values(), measurements=[(indicator, Decimal(99), dt.date(2025, 7, 1))]
    )
    first = export_data()
    exported = first["plans"][0]["commitments"][0]["milestones"][0]["indicators"]
    assert exported[0]["baseline_value"] == 12 and exported[0]["level"] == "output"
    assert exported[0]["measurements"] == [
        {"measured_on": "2025-06-30", "value": 18.25, "note": "", "source": ""}
    ]
    validate(json.loads(dumps(first)), "test")  # the schema knows indicators
    call_command("flush", interactive=False, verbosity=0)
    import_data(SYSTEM, first, "test")
    assert dumps(export_data()) == dumps(first)
    again = import_data(SYSTEM, first, "test")
    assert again.get("indicator", 0) == 0 and again.get("measurement", 0) == 0


def test_the_demo_dashboard_shows_the_fulfilment_the_government_reported(client, demo):
    html = client.get(f"/planes/{demo.pk}/tablero/").content.decode()
    assert "67 %" in html and "SGP-PCM" in html and "Aún no se ha aceptado" in html
    assert (
        "Fulfilment reported by" in client.get(f"/en/plans/{demo.pk}/dashboard/").content.decode()
    )


def test_the_commitment_api_carries_completion_and_indicators(client, setting):
    commitment, officer, reviewer = setting
    indicator = services.save_indicator(reviewer, None, indicator_values(commitment=commitment))
    services.save_measurement(
        SYSTEM,
        None,
        {"indicator": indicator, "measured_on": dt.date(2025, 6, 30), "value": Decimal("18.25")},
    )
    accept(officer, reviewer, commitment.milestones.get(number=1), status="complete", percent=100)
    services.override_completion(reviewer, commitment, "complete", "El hito 2 se canceló.")
    data = client.get(f"/api/v1/commitments/{commitment.pk}").json()
    assert data["completion"] == {
        "level": "complete",
        "suggested": "substantial",  # mean progress 50 %
        "override_reason": "El hito 2 se canceló.",
        "milestones": 2,
        "milestones_complete": 1,
    }
    assert data["indicators"][0]["measurements"] == [{"measured_on": "2025-06-30", "value": 18.25}]
    assert data["indicators"][0]["milestone"] is None
