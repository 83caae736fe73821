"""The pages staff use, over the demo (Peru's real plan and the fictional living plan), in
Chromium: no serious or critical axe-core violation (WCAG 2.1 A/AA).

- the workbench, on a 360 px phone without JavaScript (as test_workbench.py drives it): the
  queue, a contribution's answer form (empty and refused, then the texts, the preview), the
  drafts, the response templates, the matrix import (upload, columns, dry run), and the page
  a staff account without the workbench's powers sees; each must also fit the phone;
- the officer's progress form (monitoring:report), on the phone;
- the admin's add and change pages of the main models (plan, commitment, milestone,
  event, contribution, response, progress report, document) on a desktop with JavaScript, and
  each add form sent empty (its errors);
- the staff second factor: the code page (with and without a device, and a wrong code) and
  the one-time set-up link's page.

Every staff page template (`STAFF_TEMPLATES`: the ones the public walk leaves to this file)
must be rendered here unless `NOT_RENDERED` says why. One test: the demo is loaded once."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.browser.axe import answer_stray_style_sheets
from tests.browser.test_public_pages import EXCLUDED_TEMPLATES, page_templates
from tests.browser.walk import PHONE, Report, check_page
from tests.workbench.test_matrix import FIXTURE
from traza.accounts import services as accounts
from traza.cocreation.models import Contribution, Event, Response
from traza.core.services import SYSTEM
from traza.monitoring.models import ProgressReport, Review
from traza.ops.living_demo import find_plan
from traza.plans.models import Milestone
from traza.repository.models import Document
from traza.workbench import services as workbench
from traza.workbench.models import ResponseTemplate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}

#: The page templates the public walk leaves to this test (EXCLUDED_TEMPLATES naming staff).
STAFF_TEMPLATES = {
    name
    for name, reason in EXCLUDED_TEMPLATES.items()
    if "staff" in reason or "test_staff_pages" in reason
} & page_templates()
#: Staff page templates this test does not render, and why.
NOT_RENDERED: dict[str, str] = {}


#: Admin models without an add form, and where the thing is added instead.
NO_ADD = {"monitoring/progressreport": "officers report through monitoring:report (visited)"}


def signed_in(browser, live_server, user, *, verified: bool, viewport: dict, javascript: bool):
    """A browser context signed in as `user`; with `verified`, the session has confirmed the
    user's (confirmed) second factor, as after entering a code."""
    client = Client()
    client.force_login(user)
    session = client.session
    if verified:
        session["otp_device_id"] = user.totpdevice_set.get(confirmed=True).persistent_id
    session.save()
    context = browser.new_context(java_script_enabled=javascript, viewport=viewport)
    answer_stray_style_sheets(context)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )
    return context, context.new_page()


def submit(page, selector: str, *, validate: bool = True):
    """Send the form of the button `selector` (without the browser's own checks unless
    `validate`), wait for the page it leads to and return its response."""
    if not validate:
        page.evaluate(
            "(s) => { document.querySelector(s).form.noValidate = true; }",
            selector,
        )
    with page.expect_navigation() as navigation:
        page.locator(selector).first.click()
    return navigation.value


def admin_paths(living) -> list[tuple[str, str]]:
    """(label, path) of the admin's add and change pages of the main models, each change
    page on an object of the living plan. (The lists are not walked here; the
    contributions' and responses' are in tests/browser/test_admin_a11y.py.)"""
    objects = {
        "plans/actionplan": living,
        "plans/commitment": living.commitments.order_by("number").first(),
        "plans/milestone": Milestone.objects.filter(commitment__plan=living).first(),
        "cocreation/event": Event.objects.filter(plan=living).first(),
        "cocreation/contribution": Contribution.objects.filter(plan=living).first(),
        "cocreation/response": Response.objects.filter(contribution__plan=living).first(),
        # a report waiting for review: the form that accepts or returns it
        "monitoring/progressreport": ProgressReport.objects.filter(
            milestone__commitment__plan=living, review=Review.SUBMITTED
        ).first(),
        "repository/document": Document.objects.order_by("pk").first(),
    }
    paths = [("admin index", "/admin/")]
    for model, obj in objects.items():
        assert obj is not None, f"the demo has no {model} to change"
        if model not in NO_ADD:
            paths.append((f"{model} add", f"/admin/{model}/add/"))
        paths.append((f"{model} change", f"/admin/{model}/{obj.pk}/change/"))
    return paths


def test_the_pages_staff_use_have_no_serious_axe_violation(
    live_server, browser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.TRAZA_BASE_URL = live_server.url
    settings.TRAZA_REQUIRE_STAFF_2FA = True
    call_command("load_demo", verbosity=0)
    living = find_plan()
    secretary = factories.account("secretaria", "secretariat")
    TOTPDevice.objects.create(user=secretary, name="teléfono", confirmed=True)
    newcomer = factories.account("nuevo", "secretariat")  # no second factor yet
    assessor = factories.account("evaluadora", "assessor")  # staff, not the workbench's
    TOTPDevice.objects.create(user=assessor, name="teléfono", confirmed=True)
    workbench.save_template(
        SYSTEM,
        None,
        {
            "name": "Derivado a otra entidad",
            "outcome": "forwarded",
            "body": "Hola {nombre}: su pedido lo atiende {entidad}, que le responderá.",
        },
    )
    unanswered = Contribution.objects.filter(plan=living, response__isnull=True).order_by("pk")
    waiting = unanswered.first()
    assert waiting is not None
    commitment = living.commitments.order_by("number").first()

    rendered: set[str] = set()

    def seen(sender, template, context, **kwargs):
        if template.name:
            rendered.add(template.name)

    template_rendered.connect(seen)
    report = Report()
    url = live_server.url

    def visit(page, label, path, *, status=200, **checks):
        response = page.goto(f"{url}{path}")
        check(page, label, response, status=status, **checks)
        return response

    def check(page, label, response, *, status=200, **checks):
        if response is None or response.status != status:
            got = response.status if response else "no response"
            report.failures.append(f"{label} ({page.url}): status {got}, expected {status}")
        if "/login/" in page.url:
            report.failures.append(f"{label}: sent to the sign-in page ({page.url})")
        check_page(page, f"{label} ({page.url.removeprefix(url)})", report, **checks)

    phone = {"width": PHONE["width"], "max_bytes": None}
    desktop = {"width": None, "max_bytes": None}
    try:
        # the workbench and the officer's form, on a phone without JavaScript
        context, page = signed_in(
            browser, live_server, secretary, verified=True, viewport=PHONE, javascript=False
        )
        try:
            visit(page, "workbench", reverse("workbench:index"), **phone)
            visit(page, "queue", reverse("workbench:queue", args=[living.pk]), **phone)
            visit(page, "queue, unanswered", reverse("workbench:queue", args=[living.pk])
                  + "?status=unanswered", **phone)  # fmt: skip
            visit(page, "templates", reverse("workbench:templates"), **phone)
            template_pk = ResponseTemplate.objects.order_by("pk").first().pk
            visit(page, "a template", reverse("workbench:template", args=[template_pk]), **phone)
            answer = reverse("workbench:contribution", args=[waiting.pk])
            visit(page, "answer form", answer, **phone)
            response = submit(page, "form.wb-form button[type=submit]", validate=False)
            check(page, "answer form sent empty", response, status=400, **phone)
            page.goto(f"{url}{answer}")
            page.select_option("#id_outcome", "forwarded")
            page.fill("#id_forwarded_to", "Municipalidad Distrital de Ejemplo")
            page.fill("#id_body", "Hola {nombre}: lo derivamos a {entidad}, que le responderá.")
            response = submit(page, "form.wb-form button[type=submit]")
            check(page, "answer texts", response, **phone)
            response = submit(page, "button[name=step][value=preview]")
            check(page, "answer preview", response, **phone)
            submit(page, "button[name=step][value=draft]")
            visit(page, "drafts", reverse("workbench:drafts", args=[living.pk]), **phone)
            visit(page, "matrix upload", reverse("workbench:matrix-import", args=[living.pk]),
                  **phone)  # fmt: skip
            page.set_input_files("input[type=file]", FIXTURE)
            response = submit(page, "form.form button[type=submit]")
            check(page, "matrix columns", response, **phone)
            response = submit(page, "form.form button[type=submit]")
            check(page, "matrix dry run", response, **phone)
            visit(page, "progress form", reverse("monitoring:report", args=[commitment.pk]),
                  **phone)  # fmt: skip
            response = submit(page, "form.form button[type=submit]", validate=False)
            check(page, "progress form sent empty", response, status=400, **phone)
        finally:
            context.close()

        # the admin's forms, on a desktop with JavaScript (as staff use them)
        context, page = signed_in(
            browser, live_server, secretary, verified=True, viewport=DESKTOP, javascript=True
        )
        try:
            for label, path in admin_paths(living):
                response = visit(page, f"admin: {label}", path, **desktop)
                if path.endswith("/add/") and response is not None and response.ok:
                    response = submit(page, "input[name=_save]", validate=False)
                    check(page, f"admin: {label} sent empty", response, **desktop)
        finally:
            context.close()

        # a staff account without the workbench's powers
        context, page = signed_in(
            browser, live_server, assessor, verified=True, viewport=PHONE, javascript=False
        )
        try:
            visit(page, "workbench refused", reverse("workbench:index"), status=403, **phone)
        finally:
            context.close()

        # the second factor: a device not confirmed in this session, then none at all
        context, page = signed_in(
            browser, live_server, secretary, verified=False, viewport=PHONE, javascript=False
        )
        try:
            visit(page, "second factor", reverse("workbench:index"), **phone)
            assert page.url.startswith(f"{url}{reverse('accounts:otp')}"), page.url
            page.fill("#id_code", "000000")
            response = submit(page, "main form button[type=submit]")
            check(page, "second factor, wrong code", response, status=400, **phone)
        finally:
            context.close()
        context, page = signed_in(
            browser, live_server, newcomer, verified=False, viewport=PHONE, javascript=False
        )
        try:
            visit(page, "second factor, none yet", "/admin/", **phone)
            link = accounts.issue_enrolment(newcomer, SYSTEM, send=False)
            visit(page, "second factor set-up", link.removeprefix(url), **phone)
        finally:
            context.close()
    finally:
        template_rendered.disconnect(seen)

    assert "workbench/queue.html" in STAFF_TEMPLATES  # the public walk still names them
    missing = STAFF_TEMPLATES - set(NOT_RENDERED) - rendered
    if missing:
        report.failures.append(
            "staff page templates never rendered (visit a page that uses them, or say why in "
            f"NOT_RENDERED): {sorted(missing)}"
        )
    print(f"\nstaff: {report.pages} pages")
    assert not report.failures, report.message("staff pages")
