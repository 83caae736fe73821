"""The staff second factor everywhere, enrolment only by a link the account's owner receives,
its reset by an administrator, and the idle timeout of staff sessions."""

import datetime as dt
import hashlib
import io
import re
import time

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.mail import link_path
from traza.accounts.middleware import LAST_ACTIVITY_KEY, SECOND_FACTOR_EXEMPT
from traza.accounts.models import SecondFactorEnrolment
from traza.core.models import TraceEvent
from traza.notifications.models import OutboxMessage

PASSWORD = "Buena-Clave-2026"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
ENROL = "second_factor_enrol"


@pytest.fixture
def second_factor_on(settings):
    settings.TRAZA_REQUIRE_STAFF_2FA = True


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make_staff(django_user_model, name="sgp", email="sgp@example.org", **extra):
    return django_user_model.objects.create_user(name, email, PASSWORD, is_staff=True, **extra)


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Traza", confirmed=True)


def code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def verified_client(user, device=None) -> Client:
    """A session of ``user`` confirmed with ``device`` (as the second-factor page leaves it)."""
    client = Client()
    client.force_login(user)
    device = device or confirmed_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def password_client(user) -> Client:
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    return client


# -- one rule for every staff page -------------------------------------------------------------


def sample_paths():
    """(path, view name) for every URL pattern, with a sample value in each parameter."""

    def sample(route: str) -> str:
        route = re.sub(r"<(?:\w+:)?\w+>", "1", route)  # path converters
        route = re.sub(
            r"\(\?P<\w+>([^)]*)\)",
            lambda m: m.group(1).split("|")[0] if re.fullmatch(r"[\w|]+", m.group(1)) else "x",
            route,
        )
        return "/" + route.replace("^", "").replace("$", "")

    def walk(patterns, prefix, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                spaces = namespaces + ([pattern.namespace] if pattern.namespace else [])
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), spaces)
            else:
                name = ":".join([*namespaces, pattern.name]) if pattern.name else None
                yield sample(prefix + str(pattern.pattern)), name

    return list(walk(get_resolver().url_patterns, "", []))


def test_every_page_refuses_a_staff_session_without_a_verified_second_factor(
    second_factor_on, django_user_model
):
    staff = make_staff(django_user_model)
    confirmed_device(staff)  # enrolled, but this session did not enter a code
    client = Client()
    client.force_login(staff)
    otp = reverse("accounts:otp")
    paths = sample_paths()
    assert len(paths) > 100 and any(p.startswith("/admin/") for p, _ in paths)
    seen_exempt = set()
    for path, name in paths:
        if name in SECOND_FACTOR_EXEMPT:
            seen_exempt.add(name)
            continue
        response = client.get(path)
        assert response.status_code == 302, (path, response.status_code)
        assert response["Location"].startswith(f"{otp}?next="), path
    # only the pages that sign in, sign out and confirm the second factor are exempt
    assert (
        seen_exempt
        == SECOND_FACTOR_EXEMPT
        == {
            "accounts:login",
            "accounts:logout",
            "accounts:otp",
            "accounts:otp_enrol",
            "admin:logout",
        }
    )
    # the same session, once verified, reaches the admin
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=staff).persistent_id
    session.save()
    assert client.get("/admin/").status_code == 200
    assert client.get("/").status_code == 200


@pytest.fixture
def private_files(sample_plan, django_user_model):
    """A private co-creation evidence and the evidence of a report not yet reviewed."""
    from traza.cocreation import services as cocreation
    from traza.cocreation.models import Event
    from traza.monitoring import services as monitoring
    from traza.plans.models import Officer

    secretariat = make_staff(django_user_model, "editora", "editora@example.org")
    secretariat.user_permissions.set(
        Permission.objects.filter(content_type__app_label="cocreation")
    )
    secretariat = django_user_model.objects.get(pk=secretariat.pk)
    event = Event.objects.get(plan=sample_plan, key="mesa-salud")
    private = cocreation.add_evidence(
        secretariat,
        {"event": event, "kind": "photo", "title": "Fotos", "is_private": True},
        SimpleUploadedFile("acta.pdf", PDF),
    )
    commitment = sample_plan.commitments.order_by("number").first()
    officer = django_user_model.objects.create_user("oficial", "oficial@example.org", PASSWORD)
    officer.user_permissions.set(Permission.objects.filter(codename="add_progressreport"))
    officer = django_user_model.objects.get(pk=officer.pk)
    Officer.objects.create(user=officer, organization=commitment.lead_organization)
    report = monitoring.submit_progress(
        officer,
        commitment.milestones.order_by("number").first(),
        {
            "status": "in_progress",
            "percent": 40,
            "narrative": "Avance.",
            "fact_date": timezone.localdate(),
        },
        files=[("Acta", SimpleUploadedFile("acta.pdf", PDF))],
        links=[],
    )
    unreviewed = report.evidence.exclude(file="").get()
    return [
        (reverse("cocreation:evidence", args=[private.pk]), "cocreation", private.pk),
        (reverse("monitoring:evidence", args=[unreviewed.pk]), "monitoring", unreviewed.pk),
    ]


def test_private_evidence_needs_staff_with_a_verified_second_factor(
    second_factor_on, private_files, django_user_model
):
    staff = make_staff(django_user_model)
    device = confirmed_device(staff)
    password_only = password_client(staff)
    verified = verified_client(staff, device)
    for path, _app, _pk in private_files:
        refused = password_only.get(path)
        assert refused.status_code == 302
        served = verified.get(path)
        assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
        assert Client().get(path).status_code == 404


def test_the_evidence_views_themselves_refuse_an_unverified_staff_user(
    second_factor_on, private_files, django_user_model
):
    """Even without the middleware (a misconfigured stack), the views check the second factor."""
    from traza.cocreation import views as cocreation_views
    from traza.monitoring import views as monitoring_views

    staff = make_staff(django_user_model)
    device = confirmed_device(staff)
    views = {"cocreation": cocreation_views, "monitoring": monitoring_views}
    for path, app, pk in private_files:
        request = RequestFactory().get(path)
        request.user = staff
        staff.otp_device = None
        staff.is_verified = lambda: staff.otp_device is not None
        with pytest.raises(Http404):
            views[app].evidence_file(request, pk)
        staff.otp_device = device
        assert views[app].evidence_file(request, pk).status_code == 200


# -- enrolment ------------------------------------------------------------------------------


def test_a_password_alone_never_reveals_a_totp_secret(second_factor_on, django_user_model):
    staff = make_staff(django_user_model)
    leftover = TOTPDevice.objects.create(user=staff, name="old", confirmed=False)
    client = password_client(staff)
    otp = reverse("accounts:otp")
    assert client.get("/admin/")["Location"].startswith(otp)
    page = client.get(otp)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" not in html and "otpauth" not in html
    assert leftover.key.upper() not in html.upper()
    assert TOTPDevice.objects.filter(user=staff).count() == 1  # nothing new was made
    assert client.post(otp, {"code": "123456"}).status_code == 400
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_enrolment_by_a_link_e_mailed_to_the_owner(second_factor_on, django_user_model):
    staff = make_staff(django_user_model)
    other = make_staff(django_user_model, "otra", "otra@example.org")
    client = password_client(staff)
    otp = reverse("accounts:otp")
    sent = client.post(otp, {"send_link": "1"})
    assert sent.status_code == 302
    mail = OutboxMessage.objects.get(purpose=ENROL)
    assert mail.to == "sgp@example.org"
    link = link_path(mail.body)
    token = link.rstrip("/").rsplit("/", 1)[1]
    enrolment = SecondFactorEnrolment.objects.get()
    assert enrolment.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in enrolment.token_hash and enrolment.expires_at > timezone.now()
    # pressing again at once sends nothing more
    client.post(otp, {"send_link": "1"})
    assert OutboxMessage.objects.filter(purpose=ENROL).count() == 1

    # the link alone is not enough (a mail scanner, a stranger), nor someone else's session
    anonymous = Client().get(link)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    stranger = password_client(other).get(link)
    assert stranger.status_code == 400 and "<svg" not in stranger.content.decode()
    assert not TOTPDevice.objects.exists()

    page = client.get(link)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert device.key.upper() not in mail.body.upper()  # the secret never travels by e-mail
    assert client.post(link, {"code": "000000"}).status_code == 400
    # (after a wrong code django-otp waits a second before it accepts another)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    done = client.post(link, {"code": code(device), "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert SecondFactorEnrolment.objects.get().used_at is not None
    assert TraceEvent.objects.filter(
        object_type="accounts.user", object_id=str(staff.pk), summary__icontains="segundo factor"
    ).exists()
    # single use
    assert client.get(link).status_code == 400
    # a later session asks for the code, never shows the key again
    client.post(reverse("accounts:logout"))
    client = password_client(staff)
    assert client.get("/admin/").status_code == 302
    again = client.get(otp).content.decode()
    assert "<svg" not in again and device.key.upper() not in again.upper()


def test_an_expired_link_is_refused(second_factor_on, django_user_model):
    from traza.accounts import services as second_factor

    staff = make_staff(django_user_model)
    link = second_factor.issue_enrolment(staff, staff)
    SecondFactorEnrolment.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client = password_client(staff)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 400 and "<svg" not in page.content.decode()


def test_without_an_address_the_page_asks_for_an_administrator(second_factor_on, django_user_model):
    staff = make_staff(django_user_model, email="")
    client = password_client(staff)
    client.post(reverse("accounts:otp"), {"send_link": "1"})
    assert not OutboxMessage.objects.filter(purpose=ENROL).exists()
    assert not SecondFactorEnrolment.objects.exists()


def test_an_administrator_resets_a_second_factor_traced(second_factor_on, django_user_model):
    admin = django_user_model.objects.create_superuser("jefa", "jefa@example.org", PASSWORD)
    admin_client = verified_client(admin)
    staff = make_staff(django_user_model)
    staff_client = verified_client(staff)
    assert staff_client.get("/admin/").status_code == 200
    participant = django_user_model.objects.create_user("ana", "ana@example.org", PASSWORD)

    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [staff.pk, participant.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    mail = OutboxMessage.objects.get(purpose=ENROL)
    assert mail.to == "sgp@example.org"
    event = TraceEvent.objects.get(object_type="accounts.user", object_id=str(staff.pk))
    assert event.actor_id == admin.pk and "segundo factor" in event.summary.lower()
    assert "sgp@example.org" not in str(event.changes) + event.summary  # no personal data
    # the old device no longer verifies the staff member's open session
    assert staff_client.get("/admin/").status_code == 302
    # the participant (not staff) was left alone
    assert not TraceEvent.objects.filter(
        object_id=str(participant.pk), summary__icontains="segundo"
    ).exists()
    # the new link enrols a new device
    staff_client = password_client(staff)
    link = link_path(mail.body)
    assert staff_client.get(link).status_code == 200
    device = TOTPDevice.objects.get(user=staff)
    assert staff_client.post(link, {"code": code(device)}).status_code == 302
    assert staff_client.get("/admin/").status_code == 200


def test_resetting_needs_the_permission_to_change_accounts(second_factor_on, django_user_model):
    from django.core.exceptions import PermissionDenied

    from traza.accounts import services as second_factor

    clerk = make_staff(django_user_model, "clerk", "clerk@example.org")
    staff = make_staff(django_user_model)
    confirmed_device(staff)
    with pytest.raises(PermissionDenied):
        second_factor.reset_second_factor(clerk, staff)
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_the_command_issues_a_link(second_factor_on, django_user_model):
    staff = make_staff(django_user_model)
    confirmed_device(staff)
    call_command("second_factor_link", "sgp", stdout=io.StringIO())
    assert OutboxMessage.objects.filter(purpose=ENROL, to="sgp@example.org").count() == 1
    assert TOTPDevice.objects.filter(user=staff).exists()  # without --reset the device stays
    out = io.StringIO()
    call_command("second_factor_link", "sgp", "--reset", "--print", stdout=out)
    assert "http" in out.getvalue() and not TOTPDevice.objects.filter(user=staff).exists()
    assert OutboxMessage.objects.filter(purpose=ENROL).count() == 1  # printed, not e-mailed
    assert SecondFactorEnrolment.objects.filter(used_at__isnull=True).count() == 1  # superseded
    with pytest.raises(CommandError):
        call_command("second_factor_link", "nadie")
    django_user_model.objects.create_user("ana", "ana@example.org", PASSWORD)
    with pytest.raises(CommandError):
        call_command("second_factor_link", "ana")


# -- idle staff sessions ---------------------------------------------------------------------


def idle(client, minutes):
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - minutes * 60
    session.save()


def test_the_idle_timeout_is_thirty_minutes_by_default():
    from django.conf import settings

    assert settings.TRAZA_STAFF_IDLE_MINUTES == 30


def test_an_idle_staff_session_is_signed_out_with_a_message(client, django_user_model):
    staff = make_staff(django_user_model)
    client.force_login(staff)
    assert client.get("/en/").status_code == 200
    idle(client, 31)
    response = client.get("/en/documents/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/account/sign-in/?next=")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "signed out after 30 minutes without activity" in page.content.decode()


def test_an_active_staff_session_stays(client, django_user_model, settings):
    staff = make_staff(django_user_model)
    client.force_login(staff)
    idle(client, 29)
    assert client.get("/").status_code == 200
    assert time.time() - client.session[LAST_ACTIVITY_KEY] < 60  # the clock starts again
    settings.TRAZA_STAFF_IDLE_MINUTES = 5
    idle(client, 6)
    assert client.get("/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_participants_are_not_timed_out(client, django_user_model):
    person = django_user_model.objects.create_user("ana", "ana@example.org", PASSWORD)
    client.force_login(person)
    idle(client, 120)
    assert client.get("/").status_code == 200
    assert "_auth_user_id" in client.session
