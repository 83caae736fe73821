from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from traza.accounts.second_factor import is_verified_staff
from traza.cocreation import queries, services
from traza.cocreation.flow import plan_flow as build_flow
from traza.cocreation.forms import (
    ContributionForm,
    DiscussionForm,
    OfficialAnswerForm,
    RegistrationForm,
    SecondForm,
)
from traza.cocreation.ical import calendar_bytes
from traza.cocreation.matrix import matrix_download
from traza.cocreation.models import (
    Channel,
    DiscussionPost,
    Event,
    Evidence,
    FaqEntry,
    PostStatus,
    Registration,
    RegistrationStatus,
)
from traza.core.params import as_id
from traza.core.uploads import serve_checked_file
from traza.plans.models import ActionPlan, CommitmentStatus
from traza.plans.queries import open_opportunities

# A signed cookie (not the session: no database write) remembers, for an hour, which
# contribution the browser just sent, to show its receipt once.
RECEIPT_COOKIE = "traza_receipt"
RECEIPT_SECONDS = 3600


def plan_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    cal = queries.plan_calendar(pk)
    context = {
        "cal": cal,
        "attendance": queries.attendance_by_kind(cal),
        "people": queries.unique_attendees(cal.plan),
        "reported": queries.reported_participation(cal.plan),
        "opportunities": open_opportunities(cal.plan),
    }
    if request.GET.get("view") == "month":
        context["month"] = queries.month_grid(cal, request.GET.get("month"))
    return render(request, "cocreation/calendar.html", context)


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event, notice, rows = queries.event_page(pk)
    return render(
        request,
        "cocreation/event_detail.html",
        {
            "event": event,
            "notice": notice,
            "rows": rows,
            "registration_open": services.registration_open(event),
            "opportunities": open_opportunities(event.plan),
        },
    )


def _ics(request: HttpRequest, events, name: str, filename: str) -> HttpResponse:
    body = calendar_bytes(events, name, request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


def plan_ics(request: HttpRequest, pk: int) -> HttpResponse:
    cal = queries.plan_calendar(pk)
    events = [item.event for item in cal.events]
    return _ics(request, events, cal.plan.title, f"traza-plan-{pk}")


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    return _ics(request, [event], event.title, slugify(event.title)[:60] or f"event-{pk}")


def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contribution, response, versions, told_at = queries.contribution_page(pk)
    if contribution.is_hidden:
        # 410 Gone: it was public and was withdrawn; only when and why are shown
        return render(
            request,
            "cocreation/contribution_hidden.html",
            {"contribution": contribution, "post": contribution.hidden_post},
            status=410,
        )
    can_second = services.consultation_open(contribution.plan)
    receipt = request.method == "GET" and request.get_signed_cookie(
        RECEIPT_COOKIE, default=None, salt=RECEIPT_COOKIE, max_age=RECEIPT_SECONDS
    ) == str(contribution.pk)
    form = SecondForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if can_second and form.is_valid():
            try:
                services.second_contribution(contribution, form.second_values())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you: your support was counted."))
                return redirect(contribution.get_absolute_url())
        status = 400 if can_second else 403
    page = render(
        request,
        "cocreation/contribution_detail.html",
        {
            "contribution": contribution,
            "response": response,
            "versions": versions,
            "told_at": told_at,
            "receipt": receipt,
            "journey_url": request.build_absolute_uri(contribution.get_absolute_url()),
            "seconds": contribution.seconds.count(),
            "can_second": can_second,
            "form": form,
        },
        status=status,
    )
    if receipt:
        page.delete_cookie(RECEIPT_COOKIE, samesite="Lax")  # shown once
    return page


def contribute(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(ActionPlan, pk=pk)
    is_open = services.consultation_open(plan)
    # a draft commitment's call to take part links here about it (?commitment=<pk>)
    initial = {"commitment": as_id(request.GET.get("commitment"))}
    form = ContributionForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and is_open and form.is_valid():
        try:
            contribution = services.submit_contribution(plan, form.contribution_values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # the journey page shows the receipt once, to the browser that sent it
            answer = redirect(contribution.get_absolute_url())
            answer.set_signed_cookie(
                RECEIPT_COOKIE,
                str(contribution.pk),
                salt=RECEIPT_COOKIE,
                max_age=RECEIPT_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return answer
    # closed, the page still answers (200) and says when the next chance is; only a post is refused
    status = 200
    if request.method == "POST":
        status = 400 if is_open else 403
    return render(
        request,
        "cocreation/contribute.html",
        {
            "plan": plan,
            "form": form,
            "is_open": is_open,
            "next_event": None if is_open else queries.next_opportunity(plan),
        },
        status=status,
    )


def contribution_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=pk)
    filters = queries.parse_contribution_filters(plan, request.GET)
    paginator = Paginator(queries.plan_contributions(plan, filters), 50)
    counted = queries.count_contributions(plan, filters)
    if counted is not None:
        paginator.count = counted  # the maintained counts: no count of the plan's rows
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "cocreation/contribution_list.html",
        {
            "plan": plan,
            "page": page,
            "stats": queries.contribution_stats(plan),
            "channels": Channel.choices,
            "outcomes": [(value, queries.outcome_label(value)) for value in queries.LIST_OUTCOMES],
            "filters": filters,
            "query": urlencode(filters.params()),
            "is_open": services.consultation_open(plan),
        },
    )


def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("plan"), pk=pk)
    is_open = services.registration_open(event)
    form = RegistrationForm(request.POST or None)
    status = 200 if is_open else 403
    if request.method == "POST" and is_open:
        if form.is_valid():
            try:
                registration = services.register(event, form.registration_values())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if registration.status == RegistrationStatus.CONFIRMED:
                    text = _(
                        "You are registered. We sent the details and a calendar file to your e-mail."
                    )
                else:
                    text = _(
                        "The event is full: you are on the waiting list. We will write if a place opens."
                    )
                messages.success(request, text)
                return redirect(event.get_absolute_url())
        status = 400
    return render(
        request,
        "cocreation/register.html",
        {"event": event, "form": form, "is_open": is_open},
        status=status,
    )


def cancel_registration(request: HttpRequest, token: str) -> HttpResponse:
    registration = get_object_or_404(
        Registration.objects.select_related("event"), cancel_token=token
    )
    if request.method == "POST":
        services.cancel_registration(token)
        messages.success(
            request, _("Your registration is cancelled. Thank you for freeing the place.")
        )
        return redirect(registration.event.get_absolute_url())
    return render(request, "cocreation/cancel_registration.html", {"registration": registration})


def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Public evidence is downloadable; private evidence only by staff whose session
    confirmed its second factor."""
    evidence = get_object_or_404(Evidence, pk=pk)
    # private, or attached to a contribution whose message moderation hid
    withheld = not Evidence.objects.public().filter(pk=pk).exists()
    if not evidence.file or (withheld and not is_verified_staff(request.user)):
        raise Http404
    return serve_checked_file(evidence)


def faq(request: HttpRequest) -> HttpResponse:
    entries = FaqEntry.objects.filter(published=True)
    return render(request, "cocreation/faq.html", {"entries": entries})


def plan_flow(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(ActionPlan.objects.select_related("member"), pk=pk)
    flow = build_flow(plan)
    return render(
        request,
        "cocreation/flow.html",
        {
            "plan": plan,
            "flow": flow,
            "funnel": queries.proposal_funnel(plan),
            "has_discarded": plan.commitments.filter(status=CommitmentStatus.DISCARDED).exists(),
        },
    )


def responses_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The reasoned-response report: the plan's matrix of public contributions and their
    published responses (:mod:`traza.cocreation.matrix`, the workbench's export too)."""
    plan = get_object_or_404(ActionPlan, pk=pk)
    return matrix_download(plan, "csv")


def responses_xlsx(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The same report as a workbook."""
    plan = get_object_or_404(ActionPlan, pk=pk)
    return matrix_download(plan, "xlsx")


def _reply_target(page: queries.DiscussionPage, parent_id: int | None) -> DiscussionPost | None:
    """The thread a reply joins (replies stay one level deep), or None for a new thread."""
    if not parent_id:
        return None
    parent = DiscussionPost.objects.filter(pk=parent_id, commitment=page.commitment).first()
    if parent is None or parent.status != PostStatus.PUBLISHED:
        raise ValidationError(_("You can only reply to a published message."))
    return parent.parent or parent


def discussion(request: HttpRequest, pk: int) -> HttpResponse:
    """The moderated public discussion of a draft commitment; official answers are marked."""
    page = queries.discussion_page(pk)
    commitment = page.commitment
    is_open = services.discussion_open(commitment)
    can_answer = request.user.has_perm("cocreation.answer_officially")
    official = request.method == "POST" and "official" in request.POST
    form = DiscussionForm(request.POST if request.method == "POST" and not official else None)
    answer_form = OfficialAnswerForm(request.POST if official else None) if can_answer else None
    status = 200
    if request.method == "POST":
        chosen = answer_form if official else form
        if (official and not can_answer) or (not official and not is_open):
            status = 403
        elif chosen.is_valid():
            try:
                parent = _reply_target(page, as_id(request.POST.get("parent")))
                if official:
                    post = services.post_official_answer(
                        request.user,
                        commitment,
                        chosen.cleaned_data["text"],
                        chosen.cleaned_data["organization"],
                        parent,
                    )
                else:
                    post = services.post_message(commitment, form.post_values(), parent)
            except ValidationError as error:
                chosen.add_error(None, error)
                status = 400
            else:
                if post.status == PostStatus.PENDING:
                    messages.success(
                        request,
                        _(
                            "Thank you. Your message will appear once a moderator has read it; "
                            "we will write to you if it is not published."
                        ),
                    )
                else:
                    messages.success(request, _("Your message was published."))
                return redirect(
                    post.get_absolute_url() if post.status == PostStatus.PUBLISHED else request.path
                )
        else:
            status = 400
    return render(
        request,
        "cocreation/discussion.html",
        {
            "page": page,
            "commitment": commitment,
            "is_open": is_open,
            "form": form,
            "answer_form": answer_form,
            "reply_to": as_id(request.GET.get("reply")),
        },
        status=status,
    )
