"""Progress reported by the institution that carries out the commitment, reviewed before it is
public; delays and the suggested completion."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from traza.core.models import TraceEvent
from traza.monitoring import services
from traza.monitoring.models import ProgressReport
from traza.monitoring.queries import commitment_progress, suggested_completion
from traza.notifications.models import OutboxMessage
from traza.plans.models import Officer, Organization


def account(django_user_model, name, *codenames):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "x-Strong-pass-1")
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def setting(make_plan, django_user_model):
    plan = make_plan(n=2, m=2)
    commitment = plan.commitments.get(number=1)
    officer = account(django_user_model, "oficial", "add_progressreport")
    Officer.objects.create(user=officer, organization=commitment.lead_organization)
    reviewer = account(django_user_model, "secretaria", "review_progressreport")
    return commitment, officer, reviewer


def values(**overrides):
    data = {
        "status": "in_progress",
        "percent": 40,
        "narrative": "Se publicó el primer conjunto de datos.",
        "fact_date": timezone.localdate() - dt.timedelta(days=3),
    }
    data.update(overrides)
    return data


def test_an_accepted_report_becomes_public_with_its_evidence(client, setting):
    commitment, officer, reviewer = setting
    milestone = commitment.milestones.get(number=1)
    pdf = SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    report = services.submit_progress(
        officer,
        milestone,
        values(),
        files=[("Acta", pdf)],
        links=[("Portal", "https://datos.example.gob.pe")],
    )
    assert report.evidence.count() == 2 and len(report.evidence.filter(url="").get().sha256) == 64
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "Se publicó el primer conjunto" not in page  # not reviewed yet
    evidence = report.evidence.exclude(file="").get()
    assert client.get(f"/evidencias-de-avance/{evidence.pk}/").status_code == 404
    dashboard = f"/planes/{commitment.plan_id}/tablero/"
    limited_one = '<th scope="row">Limitado</th><td class="num">1</td>'
    assert limited_one not in client.get(dashboard).content.decode()

    services.review_progress(reviewer, report, True)
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "Se publicó el primer conjunto" in page and "Portal" in page
    download = client.get(f"/evidencias-de-avance/{evidence.pk}/")
    assert download.status_code == 200 and download["Digest"] == f"sha-256={evidence.sha256}"
    assert limited_one in client.get(dashboard).content.decode()  # the dashboard moved
    mail = OutboxMessage.objects.get(purpose="progress_reviewed")
    assert mail.to == "oficial@example.org"
    assert TraceEvent.objects.filter(object_type="monitoring.progressreport").count() == 2


def test_another_organisations_commitment_is_refused(setting, django_user_model):
    commitment, _officer, _reviewer = setting
    stranger = account(django_user_model, "otro", "add_progressreport")
    other = Organization.objects.exclude(pk=commitment.lead_organization_id).first()
    Officer.objects.create(user=stranger, organization=other)
    with pytest.raises(PermissionDenied):
        services.submit_progress(stranger, commitment.milestones.first(), values())
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"percent": 101},
        {"fact_date": timezone.localdate() + dt.timedelta(days=1)},
        {"status": "complete", "percent": 80},
        {"status": "not_started", "percent": 10},
    ],
)
def test_bad_reports_are_refused_and_nothing_is_written(setting, bad):
    commitment, officer, _reviewer = setting
    with pytest.raises(ValidationError):
        services.submit_progress(officer, commitment.milestones.first(), values(**bad))
    assert (
        ProgressReport.objects.count() == 0
        and not TraceEvent.objects.filter(object_type="monitoring.progressreport").exists()
    )


def test_a_forbidden_evidence_file_writes_nothing(setting):
    commitment, officer, _reviewer = setting
    exe = SimpleUploadedFile("informe.pdf", b"MZ\x90\x00binary")
    with pytest.raises(ValidationError):
        services.submit_progress(
            officer, commitment.milestones.first(), values(), files=[("x", exe)]
        )
    assert ProgressReport.objects.count() == 0


def test_returning_needs_a_comment_and_a_report_is_reviewed_once(setting):
    commitment, officer, reviewer = setting
    report = services.submit_progress(officer, commitment.milestones.first(), values())
    with pytest.raises(ValidationError):
        services.review_progress(reviewer, report, False, " ")
    with pytest.raises(PermissionDenied):
        services.review_progress(officer, report, True)
    services.review_progress(reviewer, report, False, "Falta el acta firmada.")
    with pytest.raises(ValidationError):
        services.review_progress(reviewer, report, True)
    report.refresh_from_db()
    assert report.review == "returned" and "acta firmada" in OutboxMessage.objects.get().body


def test_delays_and_the_suggested_completion_follow_the_documented_rule(setting):
    commitment, officer, reviewer = setting
    first, second = commitment.milestones.order_by("number")
    assert suggested_completion(commitment_progress(commitment)) == "not_started"
    report = services.submit_progress(officer, first, values(percent=80))
    services.review_progress(reviewer, report, True)
    assert suggested_completion(commitment_progress(commitment)) == "limited"  # mean 40 %
    report = services.submit_progress(officer, second, values(percent=30))
    services.review_progress(reviewer, report, True)
    assert suggested_completion(commitment_progress(commitment)) == "substantial"  # mean 55 %
    for milestone in (first, second):
        report = services.submit_progress(
            officer, milestone, values(status="complete", percent=100)
        )
        services.review_progress(reviewer, report, True)
    items = commitment_progress(commitment)
    assert suggested_completion(items) == "complete" and not any(i.delayed for i in items)


def test_a_milestone_past_its_end_and_not_complete_is_flagged_delayed(client, setting):
    commitment, _officer, _reviewer = setting
    from traza.core.services import SYSTEM
    from traza.plans import services as plan_services

    milestone = commitment.milestones.first()
    plan_services.save_milestone(
        SYSTEM,
        milestone,
        {"starts_on": dt.date(2020, 1, 1), "ends_on": dt.date(2020, 6, 30)},
        reason="fechas",
    )
    assert commitment_progress(commitment)[0].delayed
    assert "retrasado" in client.get(commitment.get_absolute_url()).content.decode()


def report_url(commitment) -> str:
    return f"/compromisos/{commitment.pk}/avance/"


def test_an_officer_reports_through_the_page_and_the_secretariat_returns_it_in_the_admin(
    client, setting
):
    commitment, officer, reviewer = setting
    milestone = commitment.milestones.get(number=2)
    assert client.get(report_url(commitment)).status_code == 302  # login first
    client.force_login(officer)
    data = {
        "milestone": milestone.pk,
        "status": "in_progress",
        "percent": "60",
        "narrative": "Talleres en tres regiones.",
        "fact_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "evidence_link": "https://datos.example.gob.pe/talleres",
        "evidence_title": "Listas de asistencia",
    }
    response = client.post(report_url(commitment), data)
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.organization == commitment.lead_organization and report.evidence.count() == 1

    bad = client.post(report_url(commitment), {**data, "percent": "140"})
    assert bad.status_code == 400 and ProgressReport.objects.count() == 1

    reviewer.is_staff = True
    reviewer.save()
    client.force_login(reviewer)
    change = f"/admin/monitoring/progressreport/{report.pk}/change/"
    response = client.post(change, {"review": "returned", "review_comment": ""})
    assert response.status_code == 200 and "Indique qué corregir" in response.content.decode()
    response = client.post(change, {"review": "returned", "review_comment": "Adjunte las actas."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.review == "returned" and report.review_comment == "Adjunte las actas."


def test_the_page_refuses_an_officer_of_another_institution(client, setting, django_user_model):
    commitment, _officer, _reviewer = setting
    stranger = account(django_user_model, "ajeno", "add_progressreport")
    client.force_login(stranger)
    response = client.post(
        report_url(commitment),
        {
            "milestone": commitment.milestones.first().pk,
            "status": "in_progress",
            "percent": "10",
            "narrative": "x",
            "fact_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 403 and "Solo los responsables" in response.content.decode()
    assert ProgressReport.objects.count() == 0


def test_officers_are_reminded_once_before_a_milestone_is_due(setting):
    from django.core.management import call_command

    from traza.core.services import SYSTEM
    from traza.monitoring.services import send_due_reminders
    from traza.plans import services as plan_services

    commitment, officer, reviewer = setting
    today = timezone.localdate()
    first, second = commitment.milestones.order_by("number")
    plan_services.save_milestone(
        SYSTEM, first, {"ends_on": today + dt.timedelta(days=5)}, reason="fecha"
    )
    plan_services.save_milestone(
        SYSTEM, second, {"ends_on": today + dt.timedelta(days=60)}, reason="fecha"
    )
    assert send_due_reminders(today) == 1  # only the milestone due within 14 days
    mail = OutboxMessage.objects.get()
    assert mail.to == "oficial@example.org" and "Reporte su avance" in mail.body
    assert send_due_reminders(today) == 0  # never twice for the same due date
    call_command("remind", verbosity=0)
    assert OutboxMessage.objects.count() == 1
    # a milestone reported complete is not reminded
    report = services.submit_progress(officer, first, values(status="complete", percent=100))
    services.review_progress(reviewer, report, True)
    plan_services.save_milestone(
        SYSTEM, first, {"ends_on": today + dt.timedelta(days=6)}, reason="nueva fecha"
    )
    assert send_due_reminders(today) == 0


def test_linking_and_removing_an_officer_is_traced_and_needs_permission(setting, django_user_model):
    commitment, officer, reviewer = setting
    manager = account(django_user_model, "gestor", "add_officer", "delete_officer")
    other = Organization.objects.exclude(pk=commitment.lead_organization_id).first()
    with pytest.raises(PermissionDenied):
        services.save_officer(reviewer, None, {"user": officer, "organization": other})
    link = services.save_officer(manager, None, {"user": officer, "organization": other})
    with pytest.raises(PermissionDenied):
        services.remove_officer(reviewer, link)
    services.remove_officer(manager, link, "Rotación de personal")
    assert not Officer.objects.filter(organization=other).exists()
    events = TraceEvent.objects.filter(object_type="plans.officer").order_by("id")
    assert [e.action for e in events] == ["create", "delete"] and events[
        1
    ].reason == "Rotación de personal"


def test_the_trace_of_a_report_keeps_its_evidence_checksums(setting):
    commitment, officer, _reviewer = setting
    pdf = SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    report = services.submit_progress(
        officer, commitment.milestones.first(), values(), files=[("Acta", pdf)]
    )
    event = TraceEvent.objects.filter(object_type="monitoring.progressreport").get()
    assert event.changes["evidence"][1][0]["sha256"] == report.evidence.get().sha256
