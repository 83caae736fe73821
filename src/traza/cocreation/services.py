"""Writes of the co-creation calendar: permission, validation and trace in one transaction."""

from __future__ import annotations

import copy
import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from traza.cocreation.ical import calendar_bytes
from traza.cocreation.models import (
    CHANGING_OUTCOMES,
    AttendanceTally,
    Channel,
    Contribution,
    DiscussionPost,
    Event,
    EventKind,
    EventStatus,
    Evidence,
    FaqEntry,
    Outcome,
    PostStatus,
    Registration,
    RegistrationStatus,
    ReportedFigure,
    Response,
    ResponseRevision,
    Second,
    Timeline,
)
from traza.core.services import (
    Saved,
    account_of,
    field_values,
    record,
    require_perm,
    save_traced,
    saver,
    service,
    trace_language,
    with_related,
)
from traza.core.uploads import checked_file
from traza.notifications.services import enqueue_rendered
from traza.plans.models import (
    ActionPlan,
    Commitment,
    CommitmentStatus,
    CommitmentVersion,
    Officer,
    Organization,
    Stage,
    Theme,
)

save_timeline = saver(Timeline, scope="plan", module=__name__)
save_tally = saver(AttendanceTally, scope="event", module=__name__)
save_faq = saver(FaqEntry, module=__name__)
save_reported_figure = saver(ReportedFigure, scope="plan", module=__name__)


@service
def save_event(
    actor: Any,
    event: Event | None,
    values: dict[str, Any],
    *,
    themes: Iterable[Theme] | None = None,
    reason: str = "",
) -> Saved[Event]:
    saved = save_traced(actor, event or Event(), values, reason=reason)
    return with_related(actor, saved, {"themes": themes}, reason=reason)


# --- contributions and reasoned responses --------------------------------------------------

# Personal data never enters the trace; only these fields of a contribution do.
CONTRIBUTION_TRACED_FIELDS = [
    "channel",
    "event",
    "theme",
    "commitment",
    "self_assessment",
    "show_author",
]


def consultation_open(plan: ActionPlan, now: dt.datetime | None = None) -> bool:
    """The public form takes contributions while the plan is in co-creation, or while one of
    its virtual consultations runs."""
    now = now or timezone.now()
    if plan.stage == Stage.CO_CREATION:
        return True
    return (
        Event.objects.filter(
            plan=plan,
            kind=EventKind.VIRTUAL_CONSULTATION,
            starts_at__lte=now,
            ends_at__gte=now,
        )
        .exclude(status=EventStatus.CANCELLED)
        .exists()
    )


def _record_contribution(actor: Any, contribution: Contribution, reason: str) -> None:
    with trace_language():
        summary = _("Received contribution %(number)s through %(channel)s") % {
            "number": contribution.pk,
            "channel": contribution.get_channel_display(),
        }
    record(
        actor,
        "create",
        contribution,
        summary=summary,
        reason=reason,
        changes={
            k: [None, v] for k, v in field_values(contribution, CONTRIBUTION_TRACED_FIELDS).items()
        },
    )


@transaction.atomic
def submit_contribution(plan: ActionPlan, values: dict[str, Any]) -> Contribution:
    """A participant's contribution through the public form."""
    if not consultation_open(plan):
        raise ValidationError(_("This plan is not taking contributions now."))
    contribution = Contribution(
        plan=plan, channel=Channel.WEB_FORM, received_at=timezone.now(), **values
    )
    return record_public_contribution(contribution)


def record_public_contribution(contribution: Contribution) -> Contribution:
    """Validate, save and trace a contribution that arrived through a public form, with the
    consent its author gave."""
    from traza.cocreation.forms import PERSONAL_DATA_CONSENT

    with translation.override(settings.LANGUAGE_CODE):
        contribution.consent_text = str(PERSONAL_DATA_CONSENT)
    contribution.consented_at = timezone.now()
    contribution.full_clean()
    contribution.save()
    _record_contribution(None, contribution, "")
    return contribution


@transaction.atomic
def record_contribution(actor: Any, values: dict[str, Any], reason: str = "") -> Contribution:
    """Staff entry of what arrived at an event, by e-mail, letter or from a forum member."""
    require_perm(actor, "cocreation.add_contribution")
    contribution = Contribution(**values)
    contribution.full_clean()
    contribution.save()
    _record_contribution(actor, contribution, reason)
    return contribution


def response_snapshot(response: Response) -> dict[str, Any]:
    values = field_values(
        response,
        ["outcome", "reason_category", "text", "deciding_body", "deciding_sector", "decided_on"],
    )
    values["changed_versions"] = sorted(response.changed_versions.values_list("pk", flat=True))
    return values


def _republished_unchanged(
    stored: Response, values: dict[str, Any], versions: list[CommitmentVersion]
) -> bool:
    """Whether publishing ``values`` and ``versions`` again would leave the response as it
    is (its published text, decision and changed versions), read without writing."""
    candidate = copy.copy(stored)
    for name, value in values.items():
        setattr(candidate, name, value)
    candidate.full_clean()  # the values as they would be stored (and refused as before)
    fields = [name for name in response_snapshot(stored) if name != "changed_versions"]
    if field_values(candidate, fields) != field_values(stored, fields):
        return False
    return {v.pk for v in versions} == set(stored.changed_versions.values_list("pk", flat=True))


def _notify_author(response: Response) -> None:
    contribution = response.contribution
    if not contribution.author_email or response.outcome == Outcome.PENDING:
        return
    enqueue_rendered(
        contribution.author_email,
        lambda: (
            _("Reasoned response to your contribution %(number)s") % {"number": contribution.pk}
        ),
        "cocreation/email/response.txt",
        {
            "response": response,
            "contribution": contribution,
            "url": f"{settings.TRAZA_BASE_URL}{contribution.get_absolute_url()}",
        },
        purpose="response_published",
        about=response,
    )


@transaction.atomic
def publish_response(
    actor: Any,
    contribution: Contribution,
    values: dict[str, Any],
    *,
    versions: Iterable[CommitmentVersion] = (),
    reason: str = "",
) -> Response:
    """Publish (or revise) the reasoned response to a contribution and tell its author."""
    versions = list(versions)
    stored = Response.objects.filter(contribution=contribution).first()
    outcome = values.get("outcome", stored.outcome if stored else None)
    if versions and outcome not in CHANGING_OUTCOMES:
        raise ValidationError(
            {
                "changed_versions": _(
                    "Only an adopted, partly adopted or merged contribution changes a commitment."
                )
            }
        )
    if any(v.commitment.plan_id != contribution.plan_id for v in versions):
        raise ValidationError({"changed_versions": _("The versions must belong to this plan.")})
    if stored is not None:
        require_perm(actor, "cocreation.change_response", stored)  # as a revision would
    if stored is not None and _republished_unchanged(stored, values, versions):
        return stored  # nothing changed: no new revision, no new e-mail, nothing written
    values = {**values, "published_at": timezone.now()}
    if stored is None:
        values["contribution"] = contribution
    else:
        values["revision"] = stored.revision + 1
    response = save_traced(
        actor,
        stored or Response(),
        values,
        reason=reason,
        scope=contribution,
        related={"changed_versions": versions},
    ).object
    snapshot = response_snapshot(response)
    ResponseRevision.objects.create(
        response=response,
        number=response.revision,
        snapshot=snapshot,
        created_at=response.published_at,
        reason=reason,
    )
    _notify_author(response)
    return response


# --- registrations ---------------------------------------------------------------------------


def registration_open(event: Event, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if event.status == EventStatus.CANCELLED:
        return False
    opens = event.registration_opens_at
    closes = event.registration_closes_at or event.starts_at
    return (opens is None or opens <= now) and now <= closes


def _registration_mail(registration: Registration, purpose: str) -> None:
    event = registration.event

    def subject() -> str:
        if registration.status == RegistrationStatus.CONFIRMED:
            return _("Registration confirmed: %(event)s") % {"event": event.title}
        return _("You are on the waiting list: %(event)s") % {"event": event.title}

    enqueue_rendered(
        registration.email,
        subject,
        "cocreation/email/registration.txt",
        {
            "registration": registration,
            "event": event,
            "event_url": f"{settings.TRAZA_BASE_URL}{event.get_absolute_url()}",
            "cancel_url": f"{settings.TRAZA_BASE_URL}"
            + reverse("cocreation:cancel-registration", args=[registration.cancel_token]),
        },
        purpose=purpose,
        about=registration,
        attachments=[
            (
                "evento.ics",
                calendar_bytes([event], event.title, settings.TRAZA_BASE_URL),
                "text/calendar",
            )
        ],
    )


def _record_registration(registration: Registration, summary: str) -> None:
    record(
        None,
        "create" if registration.status != RegistrationStatus.CANCELLED else "status",
        registration,
        summary=summary,
        changes={"status": [None, registration.status]},  # never the person's data
        scope=registration.event,
    )


@transaction.atomic
def register(event: Event, values: dict[str, Any]) -> Registration:
    """Register a person; over capacity they go to the waiting list. Sends the confirmation."""
    event = Event.objects.select_for_update().get(pk=event.pk)  # serialise the capacity count
    if not registration_open(event):
        raise ValidationError(_("Registration for this event is closed."))
    taken = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    full = event.capacity is not None and taken >= event.capacity
    registration = Registration(
        event=event,
        status=RegistrationStatus.WAITLISTED if full else RegistrationStatus.CONFIRMED,
        cancel_token=secrets.token_urlsafe(32),
        consented_at=timezone.now(),
        **values,
    )
    registration.full_clean()
    registration.save()
    with trace_language():
        summary = _("New registration for “%(event)s” (%(status)s)") % {
            "event": event.title,
            "status": registration.get_status_display(),
        }
    _record_registration(registration, summary)
    _registration_mail(registration, "registration")
    return registration


@transaction.atomic
def cancel_registration(token: str) -> Registration:
    """Cancel through the link in the e-mail; the first person waiting takes the place."""
    registration = (
        Registration.objects.select_for_update().select_related("event").get(cancel_token=token)
    )
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    with trace_language():
        summary = _("Registration cancelled for “%(event)s”") % {"event": registration.event.title}
    _record_registration(registration, summary)
    if was_confirmed:
        waiting = (
            registration.event.registrations.filter(status=RegistrationStatus.WAITLISTED)
            .order_by("created_at", "id")
            .first()
        )
        if waiting is not None:
            waiting.status = RegistrationStatus.CONFIRMED
            waiting.save(update_fields=["status"])
            with trace_language():
                summary = _(
                    "A place opened for “%(event)s”: first on the waiting list confirmed"
                ) % {"event": registration.event.title}
            _record_registration(waiting, summary)
            _registration_mail(waiting, "registration")
    return registration


@transaction.atomic
def record_attendance(actor: Any, registration: Registration, attended: bool) -> Registration:
    """Staff mark who came, from the registrations."""
    require_perm(actor, "cocreation.change_registration", registration)
    if registration.attended == attended:
        return registration
    registration.attended = attended
    registration.save(update_fields=["attended"])
    with trace_language():
        summary = _("Attendance recorded for “%(event)s”") % {"event": registration.event.title}
    record(
        actor,
        "update",
        registration,
        summary=summary,
        changes={"attended": [not attended, attended]},
        scope=registration.event,
    )
    return registration


# --- evidence --------------------------------------------------------------------------------


@transaction.atomic
def add_evidence(actor: Any, values: dict[str, Any], upload=None, reason: str = "") -> Evidence:
    """Attach a checked file (or a link) to an event or a contribution."""
    require_perm(actor, "cocreation.add_evidence")
    evidence = Evidence(**values)
    if upload is not None:
        for name, value in checked_file(upload).items():
            setattr(evidence, name, value)
        evidence.file = upload
    evidence.full_clean()
    evidence.save()
    with trace_language():
        summary = _("Added evidence “%(title)s”") % {"title": evidence.title}
    record(
        actor,
        "create",
        evidence,
        summary=summary,
        reason=reason,
        changes={
            "kind": [None, evidence.kind],
            "sha256": [None, evidence.sha256],
            "size": [None, evidence.size],
            "url": [None, evidence.url],
            "is_private": [None, evidence.is_private],
        },
        scope=evidence.event or evidence.contribution,
    )
    return evidence


@transaction.atomic
def second_contribution(contribution: Contribution, values: dict[str, Any]) -> Second:
    """A participant supports a contribution while the consultation is open."""
    if not consultation_open(contribution.plan):
        raise ValidationError(_("This plan is not taking contributions now."))
    second = Second(contribution=contribution, **values)
    second.full_clean()
    second.save()
    with trace_language():
        summary = _("Contribution %(number)s was seconded") % {"number": contribution.pk}
    record(None, "create", second, summary=summary, changes={}, scope=contribution)
    return second


# --- public discussion of draft commitments --------------------------------------------------


def running_consultation(plan: ActionPlan, now: dt.datetime | None = None) -> Event | None:
    """The virtual consultation of the plan running now, if any."""
    now = now or timezone.now()
    return (
        Event.objects.filter(
            plan=plan,
            kind=EventKind.VIRTUAL_CONSULTATION,
            starts_at__lte=now,
            ends_at__gte=now,
        )
        .exclude(status=EventStatus.CANCELLED)
        .order_by("starts_at")
        .first()
    )


def discussion_open(commitment: Commitment, now: dt.datetime | None = None) -> bool:
    """Draft commitments are discussed in public while a virtual consultation runs."""
    return (
        commitment.status == CommitmentStatus.PROPOSAL
        and running_consultation(commitment.plan, now) is not None
    )


def _premoderated() -> bool:
    return getattr(settings, "TRAZA_DISCUSSION_PREMODERATION", True)


def _record_post(actor: Any, post: DiscussionPost, action: str, summary: str, reason="") -> None:
    record(
        actor,
        action,
        post,
        summary=summary,
        reason=reason,
        # never the author's personal data
        changes={"status": [None, post.status], "official": [None, post.official]},
        scope=post.commitment,
    )


def _as_contribution(post: DiscussionPost) -> None:
    """A participant's opening message becomes a contribution of the virtual forum, so it
    is answered with a reasoned response like any other."""
    if post.official or post.parent_id or post.contribution_id:
        return
    commitment = post.commitment
    event = running_consultation(commitment.plan, post.created_at) or (
        Event.objects.filter(plan=commitment.plan, kind=EventKind.VIRTUAL_CONSULTATION)
        .order_by("-starts_at")
        .first()
    )
    contribution = Contribution(
        plan=commitment.plan,
        channel=Channel.VIRTUAL_FORUM,
        event=event,
        author_name=post.author_name,
        author_email=post.author_email,
        author_organization=post.author_organization,
        show_author=post.show_author,
        theme=commitment.theme,
        commitment=commitment,
        text=post.text,
        received_at=post.created_at,
    )
    contribution.full_clean()
    contribution.save()
    _record_contribution(None, contribution, "")
    post.contribution = contribution
    post.save(update_fields=["contribution"])


@transaction.atomic
def post_message(
    commitment: Commitment, values: dict[str, Any], parent: DiscussionPost | None = None
) -> DiscussionPost:
    """A participant's message in the discussion of a draft commitment."""
    if not discussion_open(commitment):
        raise ValidationError(_("This draft is not open to discussion now."))
    if parent is not None and parent.status != PostStatus.PUBLISHED:
        raise ValidationError(_("You can only reply to a published message."))
    post = DiscussionPost(
        commitment=commitment,
        parent=parent,
        status=PostStatus.PENDING if _premoderated() else PostStatus.PUBLISHED,
        created_at=timezone.now(),
        **values,
    )
    post.full_clean()
    post.save()
    with trace_language():
        summary = _("Message %(number)s posted in the discussion of “%(commitment)s”") % {
            "number": post.pk,
            "commitment": commitment,
        }
    _record_post(None, post, "create", summary)
    if post.status == PostStatus.PUBLISHED:
        _as_contribution(post)
    return post


@transaction.atomic
def post_official_answer(
    actor: Any,
    commitment: Commitment,
    text: str,
    organization: Organization,
    parent: DiscussionPost | None = None,
) -> DiscussionPost:
    """An answer on behalf of an institution, published at once and marked as official."""
    require_perm(actor, "cocreation.answer_officially", commitment)
    if not Officer.speaks_for(actor, organization):
        raise PermissionDenied(
            _("Only officers of %(organization)s answer on its behalf.")
            % {"organization": organization.name}
        )
    if parent is not None and parent.status != PostStatus.PUBLISHED:
        raise ValidationError(_("You can only reply to a published message."))
    post = DiscussionPost(
        commitment=commitment,
        parent=parent,
        text=text,
        official=True,
        official_organization=organization,
        author_account=account_of(actor),
        status=PostStatus.PUBLISHED,
        created_at=timezone.now(),
    )
    post.full_clean()
    post.save()
    with trace_language():
        summary = _(
            "Official answer from %(organization)s in the discussion of “%(commitment)s”"
        ) % {
            "organization": organization.name,
            "commitment": commitment,
        }
    _record_post(actor, post, "create", summary)
    return post


@transaction.atomic
def moderate_post(
    actor: Any, post: DiscussionPost, status: str, reason: str = "", category: str = ""
) -> DiscussionPost:
    """Publish a waiting message, or hide one with a public reason and its category; the
    author is told. A hidden message's contribution (and the response to it) leaves every
    public page, list, download, feed and the search; publishing it again brings it back.
    The trace records who hid it, when and the category: never the message's words, nor the
    moderator's (they may quote it)."""
    require_perm(actor, "cocreation.moderate_discussion", post)
    post = DiscussionPost.objects.select_for_update().get(pk=post.pk)
    if status not in (PostStatus.PUBLISHED, PostStatus.HIDDEN) or post.status == status:
        raise ValidationError(
            _("This message is already %(status)s.") % {"status": post.get_status_display()}
        )
    if post.official:
        raise ValidationError(_("Official answers are not moderated."))
    hiding = status == PostStatus.HIDDEN
    post.status = status
    post.moderation_reason = reason.strip()
    post.moderation_category = category if hiding else ""
    post.moderated_at = timezone.now()
    post.full_clean()
    post.save()  # the search follows (traza.repository.signals)
    with trace_language():
        summary = _("Message %(number)s %(status)s") % {
            "number": post.pk,
            "status": post.get_status_display(),
        }
        category_label = str(post.get_moderation_category_display()) if hiding else ""
    if hiding:
        record(
            actor,
            "status",
            post,
            summary=summary,
            reason=category_label,
            changes={
                "status": [None, post.status],
                "official": [None, post.official],
                "moderation_category": [None, post.moderation_category],
            },
            scope=post.commitment,
        )
    else:
        _record_post(actor, post, "status", summary, reason)
    if status == PostStatus.PUBLISHED:
        _as_contribution(post)
    elif post.author_email:
        enqueue_rendered(
            post.author_email,
            lambda: (
                _("Your message in the discussion of “%(commitment)s” was hidden")
                % {"commitment": post.commitment.title[:120]}
            ),
            "cocreation/email/post_hidden.txt",
            {"post": post, "url": f"{settings.TRAZA_BASE_URL}{post.get_absolute_url()}"},
            purpose="post_hidden",
            about=post,
        )
    return post
