"""The government's self-assessment, generated from the data, open to public comment for at
least two weeks, each comment answered with a reasoned response."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.cocreation.test_contributions import form_data
from tests.monitoring.test_indicators_and_dashboards import accept
from tests.monitoring.test_progress import account
from traza.cocreation import services as cocreation_services
from traza.cocreation.models import Contribution
from traza.core.models import TraceEvent
from traza.monitoring import services
from traza.monitoring.models import SelfAssessment
from traza.notifications.models import OutboxMessage
from traza.plans.models import Officer


@pytest.fixture
def setting(make_plan, django_user_model, editor):
    plan = make_plan(n=2, m=2)
    commitment = plan.commitments.get(number=1)
    officer = account(django_user_model, "oficial", "add_progressreport")
    Officer.objects.create(user=officer, organization=commitment.lead_organization)
    secretariat = account(
        django_user_model,
        "secretaria",
        "review_progressreport",
        "add_selfassessment",
        "change_selfassessment",
    )
    accept(
        officer, secretariat, commitment.milestones.get(number=1), status="complete", percent=100
    )
    return plan, officer, secretariat


def url(report) -> str:
    return f"/autoevaluaciones/{report.pk}/"


def test_the_report_is_written_from_the_data_and_frozen(client, setting):
    plan, officer, secretariat = setting
    report = services.generate_self_assessment(secretariat, plan, "mid_term")
    assert report.comment_days == 14 and report.open_for_comments()
    assert report.content["fulfilment"] == {
        "milestones": 4,
        "complete": 1,
        "delayed": 0,
        "percent": 25,
    }
    html = client.get(url(report)).content.decode()
    assert "Autoevaluación de medio término" in html and "25 %" in html
    assert "14 días" in html and "Completo" in html
    # later progress does not change the text people are commenting on
    commitment = plan.commitments.get(number=1)
    accept(
        officer, secretariat, commitment.milestones.get(number=2), status="complete", percent=100
    )
    assert SelfAssessment.objects.get().content["fulfilment"]["complete"] == 1
    regenerated = services.generate_self_assessment(secretariat, plan, "mid_term")
    assert regenerated.pk == report.pk and regenerated.content["fulfilment"]["complete"] == 2
    assert TraceEvent.objects.filter(object_type="monitoring.selfassessment").count() == 2
    assert "/autoevaluaciones/" in client.get(f"/planes/{plan.pk}/tablero/").content.decode()


def test_a_short_comment_period_or_a_stranger_is_refused(setting):
    plan, officer, secretariat = setting
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="14"):
        services.generate_self_assessment(
            secretariat, plan, "final", opens_on=today, closes_on=today + dt.timedelta(days=12)
        )
    with pytest.raises(PermissionDenied):
        services.generate_self_assessment(officer, plan, "final")
    assert not SelfAssessment.objects.exists()


def test_a_public_comment_gets_a_reasoned_response_by_e_mail(client, setting, editor):
    plan, _officer, secretariat = setting
    report = services.generate_self_assessment(secretariat, plan, "final")
    bad = client.post(url(report), form_data(text="", consent=""))
    assert bad.status_code == 400 and not Contribution.objects.exists()
    response = client.post(url(report), form_data(text="Falta el hito 2 del compromiso 1."))
    assert response.status_code == 302
    comment = Contribution.objects.get()
    assert comment.self_assessment == report and comment.plan == plan
    cocreation_services.publish_response(
        editor,
        comment,
        {
            "outcome": "adopted",
            "reason_category": "",
            "text": "Se añadió el estado del hito 2 en la versión final.",
            "deciding_body": "secretariat",
            "decided_on": timezone.localdate(),
        },
    )
    html = client.get(url(report)).content.decode()
    assert "Falta el hito 2" in html and "Se añadió el estado del hito 2" in html
    assert "ana@example.org" not in html and "Ana Quispe" not in html
    mail = OutboxMessage.objects.get(to="ana@example.org")
    assert "Se añadió el estado del hito 2" in mail.body


def test_comments_are_refused_outside_the_period(client, setting):
    plan, _officer, secretariat = setting
    opens = timezone.localdate() - dt.timedelta(days=30)
    report = services.generate_self_assessment(
        secretariat, plan, "final", opens_on=opens, closes_on=opens + dt.timedelta(days=13)
    )
    response = client.post(url(report), form_data())
    assert response.status_code == 403 and not Contribution.objects.exists()
    assert "está cerrado" in response.content.decode()
    with pytest.raises(ValidationError):
        services.submit_self_assessment_comment(report, {"text": "tarde"})


def test_the_secretariat_works_in_the_admin(client, setting, django_user_model):
    plan, _officer, _secretariat = setting
    admin = django_user_model.objects.create_superuser("jefa", "jefa@example.org", "x-Strong-1")
    client.force_login(admin)
    for model in ("indicator", "measurement", "completionoverride", "selfassessment"):
        assert client.get(f"/admin/monitoring/{model}/add/").status_code == 200
    today = timezone.localdate()
    response = client.post(
        "/admin/monitoring/selfassessment/add/",
        {
            "plan": plan.pk,
            "kind": "mid_term",
            "introduction": "Informe de medio término.",
            "comments_open_on": today.isoformat(),
            "comments_close_on": (today + dt.timedelta(days=20)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert SelfAssessment.objects.get().content["fulfilment"]["percent"] == 25
    commitment = plan.commitments.get(number=2)
    form = {"commitment": commitment.pk, "level": "limited", "decided_on": today.isoformat()}
    response = client.post("/admin/monitoring/completionoverride/add/", {**form, "reason": ""})
    assert (
        response.status_code == 200
        and not commitment.__class__.objects.filter(completion_override__isnull=False).exists()
    )
    response = client.post(
        "/admin/monitoring/completionoverride/add/", {**form, "reason": "Se reprogramó."}
    )
    assert response.status_code == 302
    assert (
        client.get(
            f"/admin/monitoring/selfassessment/{SelfAssessment.objects.get().pk}/change/"
        ).status_code
        == 200
    )
