"""Every public page, in Spanish and in English, in Chromium on a 360 × 740 phone with
JavaScript off, over the demo (Peru's real plan and the fictional living plan): no serious or
critical axe-core violation (WCAG 2.1 A/AA), no horizontal overflow at 360 px, and no page
heavier than 150 KB (HTML + CSS + images, decoded).

The pages come from the URL patterns: every route is either visited (`visits`) or excluded
with its reason (`EXCLUDED_ROUTES`, `EXCLUDED_NAMESPACES`), so a new route fails here until it
is placed. Every page template (a template that extends ``base.html``) must be rendered
during the walk unless `EXCLUDED_TEMPLATES` says where else it is checked, so a new page
template cannot escape the check either.

One test per language: the demo is loaded once for each (some 10 s), then every page is
visited and every failure is collected into one message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test.signals import template_rendered
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from tests import factories
from tests.browser.walk import PHONE, Report, check_page, without_cache
from traza.cocreation import services as cocreation
from traza.cocreation.models import (
    Contribution,
    DiscussionPost,
    Event,
    Outcome,
    PostStatus,
)
from traza.forum.models import Forum
from traza.monitoring.models import SelfAssessment
from traza.ops.living_demo import find_plan
from traza.plans.models import ActionPlan, CommitmentStatus, Organization
from traza.repository.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SRC = Path(__file__).resolve().parents[2] / "src" / "traza"

# Routes that are not public HTML pages, by namespace: staff-only, or data.
EXCLUDED_NAMESPACES = {
    "admin": "staff only (tests/browser/test_staff_pages.py)",
    "workbench": "staff only (tests/browser/test_staff_pages.py)",
    "trace": "the trace's keys, checkpoints and proofs: JSON, PEM, Atom, Python",
    "api-v1": "the JSON API (its docs page is Swagger UI, a script)",
}
# Routes that are not public HTML pages, one by one.
EXCLUDED_ROUTES = {
    "healthz": "JSON health probe",
    "datapackage": "JSON download",
    "download": "CSV/XLSX/JSON download",
    "accounts:logout": "POST only",
    "accounts:otp": "the staff second factor: staff only (a signed-in staff session)",
    "accounts:otp_enrol": "staff only, one-time link",
    "cocreation:calendar-ics": "iCalendar download",
    "cocreation:event-ics": "iCalendar download",
    "cocreation:responses-csv": "CSV download",
    "cocreation:responses-xlsx": "XLSX download",
    "cocreation:evidence": "file download",
    "monitoring:evidence": "file download",
    "repository:file": "file download",
    "monitoring:report": "an officer's form, signed in (tests/browser/test_staff_pages.py)",
    "activity:plan_trace": "JSON/CSV download",
    "activity:plan_feed": "Atom feed",
    "reports:generate": "POST only, staff (generates a document)",
    "reports:download": "DOCX/PDF download",
}
# Page templates the walk does not render, and where they are checked instead.
EXCLUDED_TEMPLATES = {
    # the secretariat's own pages (tests/browser/test_staff_pages.py, test_workbench.py)
    **{
        f"workbench/{path.name}": "staff only"
        for path in (SRC / "workbench" / "templates" / "workbench").glob("*.html")
    },
    "accounts/otp.html": "the staff second factor (staff only)",
    "accounts/otp_enrol.html": "the staff second factor's one-time link (staff only)",
    "monitoring/report.html": "an officer's form (tests/browser/test_staff_pages.py)",
    "accounts/locked.html": "shown after repeated failed sign-ins (django-axes)",
    "429.html": "shown when the rate limits refuse a request",
    "403.html": "shown when a page is refused (tests/core/test_forbidden_page.py)",
    "accounts/signup_sent.html": "shown after a valid sign-up (a POST)",
    "accounts/my_data_sent.html": "shown after a valid request for one's data (a POST)",
    "repository/follow_sent.html": "shown after a valid follow request (a POST)",
}
# The routes the walk visits (`visits` must visit each at least once).
VISITED_ROUTES = {
    "plans:home", "plans:plan", "plans:commitment", "accounts:signup", "accounts:verify",
    "accounts:login", "accounts:password_reset", "accounts:password_reset_done",
    "accounts:password_reset_confirm", "accounts:privacy", "accounts:my_data",
    "cocreation:calendar", "cocreation:event", "cocreation:contribute",
    "cocreation:contributions", "cocreation:flow", "cocreation:contribution",
    "cocreation:register", "cocreation:faq", "cocreation:discussion",
    "cocreation:cancel-registration", "monitoring:plan_dashboard", "monitoring:institution",
    "monitoring:theme", "monitoring:self_assessment", "assessment:plan", "assessment:process",
    "forum:list", "forum:forum", "forum:network", "forum:good_practices",
    "repository:documents", "repository:document", "repository:search",
    "repository:follow", "repository:follow_confirm", "repository:unfollow",
    "activity:timeline", "open_data", "reports:plan_documents",
}  # fmt: skip
EXTENDS_BASE = re.compile(r"""{%\s*extends\s+["']base\.html["']\s*%}""")


@dataclass(frozen=True)
class Visit:
    """One page: a route and its arguments (or a raw path per language), the status it
    answers with, and whether to submit its form empty (to see the errors)."""

    label: str
    route: str = ""
    args: tuple = ()
    query: str = ""
    status: int = 200
    paths: tuple[str, str] = ("", "")  # (Spanish, English), for pages without a route
    submit_empty: str = ""  # a form's CSS selector

    def url(self, language: str) -> str:
        if not self.route:
            return self.paths[0 if language == "es" else 1]
        with translation.override(language):
            return reverse(self.route, args=self.args) + (f"?{self.query}" if self.query else "")


def route_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    """Every route, namespaced (``cocreation:contribution``); a route without a name is
    named by its pattern (``<unnamed feed/>``), so that it must be placed too."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            names |= route_names(entry, f"{namespace}{inner}:" if inner else namespace)
        elif isinstance(entry, URLPattern):
            names.add(f"{namespace}{entry.name or f'<unnamed {entry.pattern}>'}")
    return names


def page_templates() -> set[str]:
    """Every template that extends base.html (the site's pages), by template name."""
    found = set()
    for path in SRC.glob("**/templates/**/*.html"):
        if EXTENDS_BASE.search(path.read_text("utf-8")):
            parts = path.relative_to(SRC).parts
            found.add("/".join(parts[parts.index("templates") + 1 :]))
    return found


def _first(queryset):
    found = queryset.first()
    assert found is not None, f"the demo has no {queryset.model.__name__} for {queryset.query}"
    return found


def visits() -> list[Visit]:
    """The public pages over the demo, with the states worth seeing (call after loading)."""
    living = find_plan()
    peru = ActionPlan.objects.get(member__slug="peru", number=3)
    out: list[Visit] = [
        Visit("home", "plans:home"),
        Visit("not found", paths=("/no-existe/", "/en/does-not-exist/"), status=404),
        Visit("refused input", "repository:search", query="q=a%00b", status=400),
        Visit("FAQ", "cocreation:faq"),
        Visit("forum list", "forum:list"),
        Visit("forum", "forum:forum", (_first(Forum.objects.order_by("pk")).pk,)),
        Visit("network", "forum:network"),
        Visit("good practices", "forum:good_practices"),
        Visit("documents", "repository:documents"),
        Visit("search", "repository:search"),
        Visit("search, found", "repository:search", query="q=agua"),
        Visit("search, nothing found", "repository:search", query="q=zzqxjvw"),
        Visit("open data", "open_data"),
        Visit("privacy", "accounts:privacy"),
        Visit("sign up", "accounts:signup"),
        Visit("sign in", "accounts:login"),
        Visit("password reset", "accounts:password_reset"),
        Visit("password reset sent", "accounts:password_reset_done"),
        Visit("password reset, bad link", "accounts:password_reset_confirm", ("x", "y")),
        Visit("verify, bad link", "accounts:verify", ("x",), status=400),
        Visit("my data, bad link", "accounts:my_data", ("x",), status=400),
        Visit("follow, bad link", "repository:follow_confirm", ("x",), status=404),
        Visit("unfollow, bad link", "repository:unfollow", ("x",), status=404),
        Visit("follow a plan", "repository:follow", ("plan", living.pk)),
    ]
    for document in Document.objects.order_by("pk")[:2]:
        out.append(Visit(f"document {document.pk}", "repository:document", (document.pk,)))
    self_assessment = _first(SelfAssessment.objects.filter(plan=living))
    out.append(Visit("self-assessment", "monitoring:self_assessment", (self_assessment.pk,)))

    for name, plan in (("living", living), ("Peru", peru)):
        pk = (plan.pk,)
        out += [
            Visit(f"{name} plan", "plans:plan", pk),
            Visit(f"{name} calendar", "cocreation:calendar", pk),
            Visit(f"{name} contributions", "cocreation:contributions", pk),
            Visit(f"{name} flow", "cocreation:flow", pk),
            Visit(f"{name} contribute", "cocreation:contribute", pk),
            Visit(f"{name} dashboard", "monitoring:plan_dashboard", pk),
            Visit(f"{name} assessment", "assessment:plan", pk),
            Visit(f"{name} process", "assessment:process", pk),
            Visit(f"{name} documents", "reports:plan_documents", pk),
        ]
        commitment = _first(plan.commitments.order_by("number"))
        out += [
            Visit(f"{name} commitment", "plans:commitment", (commitment.pk,)),
            Visit(f"{name} timeline", "activity:timeline", (commitment.pk,)),
            Visit(f"{name} theme", "monitoring:theme", (commitment.theme.slug,)),
            Visit(
                f"{name} institution",
                "monitoring:institution",
                (commitment.lead_organization.slug,),
            ),
            Visit(
                f"{name} event",
                "cocreation:event",
                (_first(Event.objects.filter(plan=plan).order_by("starts_at")).pk,),
            ),
            Visit(
                f"{name} contribution",
                "cocreation:contribution",
                (_first(Contribution.objects.filter(plan=plan).order_by("pk")).pk,),
            ),
        ]

    # the living plan's states
    pk = (living.pk,)
    out += [
        Visit("calendar by month", "cocreation:calendar", pk, query="view=month"),
        Visit("contributions adopted", "cocreation:contributions", pk, query="outcome=adopted"),
        Visit("contributions at events", "cocreation:contributions", pk, query="channel=event"),
        Visit("contributions, page 2", "cocreation:contributions", pk, query="page=2"),
        Visit("contribute, empty form", "cocreation:contribute", pk, status=400,
              submit_empty="form.form"),
    ]  # fmt: skip
    for status in (CommitmentStatus.PROPOSAL, CommitmentStatus.DISCARDED):
        commitment = _first(living.commitments.filter(status=status).order_by("number"))
        out.append(Visit(f"{status} commitment", "plans:commitment", (commitment.pk,)))
    draft = _first(living.commitments.filter(status=CommitmentStatus.PROPOSAL).order_by("number"))
    out.append(Visit("discussion of a draft", "cocreation:discussion", (draft.pk,)))
    open_event = next(
        (e for e in Event.objects.filter(plan=living) if cocreation.registration_open(e)), None
    )
    assert open_event is not None, "the living demo has an event open for registration"
    out += [
        Visit("event open for registration", "cocreation:event", (open_event.pk,)),
        Visit("register", "cocreation:register", (open_event.pk,)),
        Visit(
            "cancel a registration", "cocreation:cancel-registration", (register_one(open_event),)
        ),
    ]
    answered = Contribution.objects.filter(plan=living, response__isnull=False)
    for outcome in Outcome.values:
        contribution = answered.filter(response__outcome=outcome).order_by("pk").first()
        if contribution is not None:
            out.append(Visit(f"{outcome} contribution", "cocreation:contribution",
                             (contribution.pk,)))  # fmt: skip
    waiting = _first(Contribution.objects.filter(plan=living, response__isnull=True))
    out.append(Visit("unanswered contribution", "cocreation:contribution", (waiting.pk,)))
    out.append(Visit("hidden contribution", "cocreation:contribution", (hide_one(living),),
                     status=410))  # fmt: skip
    return out


def register_one(event: Event) -> str:
    """Register a person for an open event (the demo has nobody registered); return the token
    of the cancellation link the confirmation e-mail carries."""
    return cocreation.register(
        event,
        {
            "name": "Rosa Quispe",
            "email": "rosa@example.invalid",
            "sector": Organization.Sector.CIVIL_SOCIETY,
            "consent_text": "Acepto.",
        },
    ).cancel_token


def hide_one(plan: ActionPlan) -> int:
    """Hide a published message of the living plan's discussion (as a moderator would); its
    contribution's page answers 410 Gone."""
    post = _first(
        DiscussionPost.objects.filter(
            commitment__plan=plan, status=PostStatus.PUBLISHED, official=False
        ).exclude(contribution=None)
    )
    moderator = factories.account("moderadora", "secretariat")
    cocreation.moderate_post(
        moderator, post, PostStatus.HIDDEN, reason="Datos de terceros", category="personal_data"
    )
    return post.contribution_id


def test_every_route_is_visited_or_excluded_with_a_reason():
    """A new route must be placed: walked (and `visits` must then visit it), or excluded
    with its reason."""
    unplaced = {
        name
        for name in route_names()
        if name.split(":")[0] not in EXCLUDED_NAMESPACES
        and name not in EXCLUDED_ROUTES
        and name not in VISITED_ROUTES
    }
    assert not unplaced, f"routes neither walked nor excluded: {sorted(unplaced)}"
    assert not VISITED_ROUTES & set(EXCLUDED_ROUTES)
    stale = (VISITED_ROUTES | set(EXCLUDED_ROUTES)) - route_names()
    assert not stale, f"placed routes that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_public_page_on_a_phone_without_javascript(
    language, live_server, browser, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    settings.TRAZA_BASE_URL = live_server.url
    call_command("load_demo", verbosity=0)
    pages = visits()
    not_visited = VISITED_ROUTES - {visit.route for visit in pages}
    assert not not_visited, f"routes the walk should visit and does not: {sorted(not_visited)}"
    rendered: set[str] = set()

    def seen(sender, template, context, **kwargs):
        if template.name:
            rendered.add(template.name)

    template_rendered.connect(seen)
    report = Report()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    without_cache(page)
    try:
        for visit in pages:
            url = visit.url(language)
            label = f"{visit.label} ({url})"
            response = page.goto(f"{live_server.url}{url}")
            if visit.submit_empty:
                page.evaluate(f"document.querySelector({visit.submit_empty!r}).noValidate = true")
                with page.expect_navigation() as navigation:
                    page.locator(f"{visit.submit_empty} [type=submit]").first.click()
                response = navigation.value
            if response is None or response.status != visit.status:
                got = response.status if response else "no response"
                report.failures.append(f"{label}: status {got}, expected {visit.status}")
            if page.locator("html").get_attribute("lang") != language:
                report.failures.append(f"{label}: <html lang> is not {language!r}")
            check_page(page, label, report)
    finally:
        template_rendered.disconnect(seen)
        context.close()

    missing = page_templates() - set(EXCLUDED_TEMPLATES) - rendered
    if missing:
        report.failures.append(
            "page templates the walk never rendered (visit a page that uses them, or add them "
            f"to EXCLUDED_TEMPLATES with where they are checked): {sorted(missing)}"
        )
    heaviest, weight = report.heaviest()
    print(f"\n{language}: {report.pages} pages; heaviest {heaviest}: {weight / 1024:.1f} KB")
    assert not report.failures, report.message(f"public pages in {language!r}")
