"""The secretariat's workbench: thin views over :mod:`traza.workbench.queries` and the
services. Only verified staff holding ``cocreation.draft_response`` or
``cocreation.publish_response`` get in; the services check the permission again on each
contribution.

The decision is a form of several steps that works without JavaScript: what was chosen
travels in the POST, signed (the contributions with the published revision and draft
version seen when they were chosen), and the decision's fields travel as hidden fields that
are validated again at every step."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from traza.accounts.second_factor import is_verified_staff
from traza.cocreation.models import Contribution, Response, ResponseDraft
from traza.cocreation.services import may_publish_draft
from traza.cocreation.services.responses import (
    RESPONSE_MAIL_TEMPLATE,
    response_mail_context,
    response_mail_subject,
    tells_author,
)
from traza.plans.models import ActionPlan
from traza.workbench import queries, templating
from traza.workbench.forms import DecisionForm, TemplateForm
from traza.workbench.models import ResponseTemplate
from traza.workbench.services import (
    DecisionErrors,
    DecisionItem,
    DraftChoice,
    decide_many,
    discard_drafts,
    publish_drafts,
    run_triage,
    save_template,
)

DRAFT = "cocreation.draft_response"
PUBLISH = "cocreation.publish_response"
#: the most contributions one decision covers (each gets its own text to read and edit)
MAX_BATCH = 200
SELECTION_SALT = "traza.workbench.selection"
FILTER_SALT = "traza.workbench.filter"
DRAFT_SALT = "traza.workbench.draft"
#: how long a selection stays valid between the steps of a decision
SELECTION_MAX_AGE = 12 * 3600


def may_use_workbench(user: Any) -> bool:
    return is_verified_staff(user) and (user.has_perm(DRAFT) or user.has_perm(PUBLISH))


def workbench_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous: to the sign-in page; anyone else but verified staff who may draft or
    publish: 403. (Unverified staff never get here: the second-factor middleware sends them
    to confirm it first.)"""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_use_workbench(request.user):
            return render(request, "workbench/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _powers(user: Any) -> dict[str, bool]:
    four_eyes = bool(settings.TRAZA_RESPONSE_FOUR_EYES)
    return {
        "can_draft": user.has_perm(DRAFT),
        "can_publish": user.has_perm(PUBLISH),
        "four_eyes": four_eyes,
        # with the four-eyes rule, one's own decision is saved as drafts, never published
        "can_publish_directly": user.has_perm(PUBLISH) and not four_eyes,
    }


@workbench_view
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workbench/index.html",
        {"rows": queries.plan_index(), "wait_days": settings.TRAZA_RESPONSE_WAIT_DAYS},
    )


@workbench_view
def queue(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=pk)
    triage = queries.plan_triage(plan)
    filters = queries.QueueFilters.parse(request.GET)
    found = queries.queue(plan, filters, triage=triage)
    paginator = Paginator(queries.with_details(found), queries.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "workbench/queue.html",
        {
            "plan": plan,
            "page": page,
            "rows": queries.rows(page.object_list, triage=triage),
            "filters": filters,
            "query": filters.query(),
            "facets": queries.facets(plan, filters, triage=triage),
            "signed_filter": signing.dumps(filters.query(), salt=FILTER_SALT),
            "triage": triage,
            "wait_days": settings.TRAZA_RESPONSE_WAIT_DAYS,
            "max_batch": MAX_BATCH,
            **_powers(request.user),
        },
    )


@workbench_view
def triage(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(ActionPlan, pk=pk)
    back = reverse("workbench:queue", args=[plan.pk])
    if request.method != "POST":
        return redirect(back)
    run_triage(request.user, plan)
    messages.success(request, _("The proposals were computed again."))
    return redirect(back)


@workbench_view
def contribution(request: HttpRequest, pk: int) -> HttpResponse:
    file = queries.contribution_file(pk)
    plan = file.contribution.plan
    form = DecisionForm(plan=plan, initial=_initial_from(file.draft or file.response))
    return render(
        request,
        "workbench/contribution.html",
        {
            "file": file,
            "c": file.contribution,
            "plan": plan,
            "form": form,
            "selection": _sign_selection(plan, [file.contribution]),
            "wait_days": settings.TRAZA_RESPONSE_WAIT_DAYS,
            "may_publish_draft": file.draft is not None
            and may_publish_draft(request.user, file.draft),
            **_powers(request.user),
        },
    )


def _initial_from(decision: Any) -> dict[str, Any]:
    """A draft or a published response as the starting point of a new decision."""
    if decision is None:
        return {}
    return {
        "outcome": decision.outcome,
        "reason_category": decision.reason_category,
        "forwarded_to": decision.forwarded_to,
        "deciding_body": decision.deciding_body,
        "deciding_sector": decision.deciding_sector_id,
        "decided_on": decision.decided_on,
        "versions": [v.pk for v in decision.changed_versions.all()],
        "body": decision.text.replace("{", "{{").replace("}", "}}"),
    }


# --- the decision, step by step ----------------------------------------------------------


def _seen(contribution: Contribution) -> tuple[int, int]:
    """The published revision and draft version of a contribution read with its response and
    draft (``select_related``): what a writer must expect (0: none)."""
    response = getattr(contribution, "response", None)
    draft = getattr(contribution, "draft", None)
    return (response.revision if response else 0, draft.version if draft else 0)


def _sign_selection(plan: ActionPlan, contributions: list[Contribution]) -> str:
    items = [[c.pk, *_seen(c)] for c in contributions]
    return signing.dumps({"plan": plan.pk, "items": items}, salt=SELECTION_SALT, compress=True)


class SelectionProblem(Exception):
    pass


def _read_selection(
    plan: ActionPlan, token: str
) -> tuple[list[Contribution], dict[int, tuple[int, int]]]:
    try:
        data = signing.loads(token, salt=SELECTION_SALT, max_age=SELECTION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise SelectionProblem(
            _("This decision was started too long ago: choose the contributions again.")
        ) from error
    except signing.BadSignature as error:
        raise SelectionProblem(
            _("The choice of contributions was altered or is damaged.")
        ) from error
    if data.get("plan") != plan.pk:
        raise SelectionProblem(_("The contributions chosen belong to another plan."))
    seen = {int(i): (int(rev), int(draft)) for i, rev, draft in data["items"]}
    found = {
        c.pk: c
        for c in Contribution.objects.public()
        .filter(plan=plan, pk__in=list(seen))
        .select_related("plan", "response", "draft")
    }
    missing = [i for i in seen if i not in found]
    if missing:
        raise SelectionProblem(
            _("Some contributions chosen are no longer public: choose the contributions again.")
        )
    return [found[i] for i in seen], seen


def _back_to_queue(plan: ActionPlan, signed_filter: str) -> str:
    """The queue as it was filtered when the contributions were chosen."""
    back = reverse("workbench:queue", args=[plan.pk])
    try:
        query = signing.loads(signed_filter, salt=FILTER_SALT)
    except signing.BadSignature:
        return back
    return f"{back}?{query}" if query else back


def _chosen(request: HttpRequest, plan: ActionPlan) -> list[Contribution] | str:
    """The contributions of step 1 (ticked, a filter or a triage group), or a message."""
    scope = request.POST.get("scope", "ids")
    triage = queries.plan_triage(plan)
    if scope == "filter":
        try:
            query = signing.loads(request.POST.get("filter", ""), salt=FILTER_SALT)
        except signing.BadSignature:
            return _("The filter was altered or is damaged.")
        from django.http import QueryDict

        filters = queries.QueueFilters.parse(QueryDict(query))
        ids = queries.matching_ids(plan, filters, triage=triage, limit=MAX_BATCH)
    elif scope == "group":
        group = queries._group(triage, request.POST.get("group", ""))
        if group is None:
            return _("That group of proposals no longer exists: compute the proposals again.")
        ids = list(group.contribution_ids)
    else:
        ids = sorted({int(v) for v in request.POST.getlist("ids") if v.isascii() and v.isdigit()})
    if not ids:
        return _("Choose at least one contribution.")
    if len(ids) > MAX_BATCH:
        return _(
            "That is more than %(max)s contributions: narrow the filter so that each person's "
            "text can be read before it is sent."
        ) % {"max": MAX_BATCH}
    return list(
        Contribution.objects.public()
        .filter(plan=plan, pk__in=ids)
        .select_related("response", "draft")
        .order_by("received_at", "pk")
    )


def _texts(
    form: DecisionForm, contributions: list[Contribution], data: Any | None
) -> dict[int, str]:
    """Each person's text: as edited (``data``), or the template filled in for them."""
    if data is not None:
        return {c.pk: data.get(f"text_{c.pk}", "") for c in contributions}
    template = form.cleaned_data.get("text_template", "")
    versions = list(form.cleaned_data.get("versions") or [])
    return {
        c.pk: templating.render(
            template, c, versions=versions, forwarded_to=form.cleaned_data.get("forwarded_to", "")
        )
        for c in contributions
    }


def _unsaved_response(
    form: DecisionForm, contribution: Contribution, text: str, revision: int
) -> Response:
    response = Response(contribution=contribution, text=text, **form.decision_values())
    response.revision = revision + 1
    return response


def _preview(form: DecisionForm, contributions: list[Contribution], texts: dict[int, str]):
    """For each contribution, exactly the e-mail its author will receive (in the site's
    language, as the outbox writes it) and the public journey block."""
    versions = list(form.cleaned_data.get("versions") or [])
    previews = []
    for c in contributions:
        response = _unsaved_response(form, c, texts[c.pk], _seen(c)[0])
        mail = None
        if tells_author(response):
            # as the outbox writes it: the context read here, rendered in the site's language
            context = response_mail_context(response)
            with translation.override(settings.LANGUAGE_CODE):
                mail = {
                    "subject": response_mail_subject(c),
                    "body": render_to_string(RESPONSE_MAIL_TEMPLATE, context),
                }
        previews.append(
            {
                "contribution": c,
                "response": response,
                "mail": mail,
                "versions": versions,
                "prefix": f"c{c.pk}-",
                "errors": [],
            }
        )
    return previews


@workbench_view
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=pk)
    back = reverse("workbench:queue", args=[plan.pk])
    if request.method != "POST":
        return redirect(back)
    step = request.POST.get("step", "choose")
    context: dict[str, Any] = {"plan": plan, **_powers(request.user)}
    if step == "choose":
        chosen = _chosen(request, plan)
        if isinstance(chosen, str):
            messages.error(request, chosen)
            return redirect(_back_to_queue(plan, request.POST.get("filter", "")))
        form = DecisionForm(plan=plan)
        context.update(form=form, contributions=chosen, selection=_sign_selection(plan, chosen))
        return render(request, "workbench/decide.html", context)
    try:
        contributions, seen = _read_selection(plan, request.POST.get("selection", ""))
    except SelectionProblem as problem:
        messages.error(request, str(problem))
        return redirect(back)
    form = DecisionForm(request.POST, plan=plan)
    context.update(form=form, contributions=contributions, selection=request.POST["selection"])
    if not form.is_valid() or not form.check_placeholders(contributions):
        return render(request, "workbench/decide.html", context, status=400)
    edited = None if step == "texts" else request.POST
    texts = _texts(form, contributions, edited)
    context["items"] = [(c, texts[c.pk]) for c in contributions]
    if step in ("texts", "edit"):
        return render(request, "workbench/decide_texts.html", context)
    context["previews"] = _preview(form, contributions, texts)
    if step == "preview":
        return render(request, "workbench/decide_preview.html", context)
    if step not in ("draft", "publish"):
        return redirect(back)
    publish = step == "publish"
    versions = list(form.cleaned_data.get("versions") or [])
    items = [
        DecisionItem(
            contribution=c,
            values={**form.decision_values(), "text": texts[c.pk]},
            versions=versions,
            expected_revision=seen[c.pk][0],
            expected_draft=seen[c.pk][1],
        )
        for c in contributions
    ]
    try:
        decide_many(request.user, items, publish=publish)
    except DecisionErrors as errors:
        for preview in context["previews"]:
            preview["errors"] = errors.per_contribution.get(preview["contribution"].pk, [])
        context["error_list"] = errors.messages
        return render(request, "workbench/decide_preview.html", context, status=409)
    n = len(items)
    if publish:
        text = ngettext(
            "Published %(n)s reasoned response; its author is told by e-mail.",
            "Published %(n)s reasoned responses; their authors are told by e-mail.",
            n,
        )
    else:
        text = ngettext(
            "Saved %(n)s draft response: it waits for publication.",
            "Saved %(n)s draft responses: they wait for publication.",
            n,
        )
    messages.success(request, text % {"n": n})
    return redirect(back)


# --- drafts ------------------------------------------------------------------------------


@workbench_view
def drafts(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=pk)
    here = reverse("workbench:drafts", args=[plan.pk])
    errors: dict[int, list[str]] = {}
    status = 200
    if request.method == "POST":
        choices = _chosen_drafts(plan, request.POST.getlist("drafts"))
        action = request.POST.get("action")
        if not choices:
            messages.error(request, _("Choose at least one draft."))
            return redirect(here)
        try:
            if action == "publish":
                published = publish_drafts(request.user, choices)
                messages.success(
                    request,
                    ngettext(
                        "Published %(n)s reasoned response.",
                        "Published %(n)s reasoned responses.",
                        len(published),
                    )
                    % {"n": len(published)},
                )
            elif action == "discard":
                n = discard_drafts(request.user, choices)
                messages.success(
                    request,
                    ngettext("Discarded %(n)s draft.", "Discarded %(n)s drafts.", n) % {"n": n},
                )
            return redirect(here)
        except DecisionErrors as problem:
            errors = problem.per_contribution
            for message in problem.messages:
                messages.error(request, message)
            status = 409
    paginator = Paginator(queries.plan_drafts(plan), queries.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {
            "draft": draft,
            "token": signing.dumps([draft.pk, draft.version], salt=DRAFT_SALT),
            "mine": draft.drafted_by_id == request.user.pk,
            "may_publish": may_publish_draft(request.user, draft),
            "errors": errors.get(draft.contribution_id, []),
        }
        for draft in page.object_list
    ]
    return render(
        request,
        "workbench/drafts.html",
        {"plan": plan, "page": page, "rows": rows, **_powers(request.user)},
        status=status,
    )


def _chosen_drafts(plan: ActionPlan, tokens: list[str]) -> list[DraftChoice]:
    wanted: dict[int, int] = {}
    for token in tokens[:MAX_BATCH]:
        try:
            pk, version = signing.loads(token, salt=DRAFT_SALT)
        except (signing.BadSignature, ValueError, TypeError):
            continue
        wanted[int(pk)] = int(version)
    found = ResponseDraft.objects.filter(
        contribution__plan=plan, pk__in=list(wanted)
    ).select_related("contribution", "drafted_by")
    return [DraftChoice(draft, wanted[draft.pk]) for draft in found]


# --- templates ---------------------------------------------------------------------------


@workbench_view
def templates(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    template = get_object_or_404(ResponseTemplate, pk=pk) if pk else None
    may_edit = request.user.has_perm(
        "workbench.change_responsetemplate" if template else "workbench.add_responsetemplate"
    )
    form = TemplateForm(request.POST or None, instance=template)
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            # the form wrote its values on its instance: the service compares with the stored row
            stored = ResponseTemplate.objects.get(pk=template.pk) if template else None
            save_template(request.user, stored, form.cleaned_data)
            messages.success(request, _("The response template was saved."))
            return redirect("workbench:templates")
        status = 400
    return render(
        request,
        "workbench/templates.html",
        {
            "templates": ResponseTemplate.objects.order_by("name"),
            "form": form,
            "editing": template,
            "may_edit": may_edit,
            "placeholders": templating.PLACEHOLDERS,
        },
        status=status,
    )
