"""The admin screens that remain for the secretariat, audited with axe-core (WCAG 2.0/2.1 A
and AA) in Chromium, signed in as staff whose session carries the second factor."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.axe import answer_stray_style_sheets, assert_no_axe_violations, run_axe
from traza.cocreation.models import Contribution, Response
from traza.notifications.models import OutboxMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_user(sample_plan):
    user = get_user_model().objects.create_superuser(
        "secretaria", "secretaria@example.org", "x-Strong-pass-1"
    )
    TOTPDevice.objects.create(user=user, name="teléfono", confirmed=True)
    AccessAttempt.objects.create(
        username="intruso",
        ip_address="192.0.2.1",
        user_agent="curl",
        http_accept="*/*",
        path_info="/admin/login/",
        get_data="",
        post_data="",
        failures_since_start=3,
    )
    AccessLog.objects.create(
        username="secretaria",
        ip_address="192.0.2.2",
        user_agent="Firefox",
        http_accept="*/*",
        path_info="/admin/login/",
        attempt_time=timezone.now(),
    )
    return user


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def staff_page(request, browser, live_server, admin_user, settings):
    """A Chromium page signed in as staff with a verified second factor, with JavaScript and
    without (the admin's widgets differ)."""
    settings.TRAZA_REQUIRE_STAFF_2FA = True
    client = Client()
    client.force_login(admin_user)
    session = client.session
    device = admin_user.totpdevice_set.get()
    session["otp_device_id"] = device.persistent_id
    session.save()
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=request.param
    )
    answer_stray_style_sheets(context)
    context.add_cookies(
        [{"name": "sessionid", "value": session.session_key, "url": live_server.url}]
    )
    page = context.new_page()
    yield page
    context.close()


def test_axe_reports_an_unlabelled_field(browser):
    """The helper itself fails on a known violation (so a green audit means something)."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_content(
        '<html lang="es"><head><title>t</title></head>'
        '<body><main><h1>t</h1><input type="text"></main></body></html>'
    )
    with pytest.raises(AssertionError, match=r"\[critical\] label"):
        assert_no_axe_violations(page)
    assert run_axe(page, context="h1")["violations"] == []
    context.close()


def admin_paths(plan) -> list[str]:
    contribution = Contribution.objects.filter(plan=plan, response__isnull=False).first()
    response = Response.objects.first()
    message = OutboxMessage.objects.first()
    paths = [
        "/admin/",
        "/admin/cocreation/contribution/",
        f"/admin/cocreation/contribution/{contribution.pk}/change/",
        "/admin/cocreation/contribution/add/",
        "/admin/cocreation/contribution/answer/?ids="
        + ",".join(str(c.pk) for c in Contribution.objects.filter(response__isnull=True)),
        "/admin/cocreation/response/",
        "/admin/cocreation/response/add/",
        f"/admin/cocreation/response/add/?contribution={contribution.pk}",
        f"/admin/cocreation/response/{response.pk}/change/",
        "/admin/notifications/outboxmessage/",
        "/admin/axes/accessattempt/",
        "/admin/axes/accesslog/",
        "/admin/otp_totp/totpdevice/",
        f"/admin/otp_totp/totpdevice/{TOTPDevice.objects.get().pk}/change/",
        f"/admin/axes/accessattempt/{AccessAttempt.objects.get().pk}/change/",
        f"/admin/accounts/user/{get_user_model().objects.get(username='secretaria').pk}/change/",
    ]
    if message is not None:
        paths.append(f"/admin/notifications/outboxmessage/{message.pk}/change/")
    return paths


def test_the_remaining_admin_screens_have_no_axe_violations(staff_page, live_server, sample_plan):
    failures = []
    for path in admin_paths(sample_plan):
        response = staff_page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "/login/" not in staff_page.url, path
        try:
            assert_no_axe_violations(staff_page)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n\n".join(failures)
