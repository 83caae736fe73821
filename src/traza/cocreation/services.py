"""Writes of the co-creation calendar: permission, validation and trace in one transaction."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from traza.cocreation.ical import calendar_bytes
from traza.cocreation.models import (
    CHANGING_OUTCOMES,
    AttendanceTally,
    Channel,
    Contribution,
    Event,
    EventKind,
    EventStatus,
    Evidence,
    FaqEntry,
    Outcome,
    Registration,
    RegistrationStatus,
    Response,
    ResponseRevision,
    Second,
    Timeline,
)
from traza.core.services import (
    field_values,
    record,
    require_perm,
    save_traced,
    set_related,
    trace_language,
)
from traza.core.uploads import check_upload
from traza.notifications.services import enqueue
from traza.plans.models import ActionPlan, CommitmentVersion, Stage, Theme


@transaction.atomic
def save_timeline(
    actor: Any, timeline: Timeline | None, values: dict[str, Any], reason: str = ""
) -> Timeline:
    timeline = timeline or Timeline()
    plan = values.get("plan") or timeline.plan
    return save_traced(actor, timeline, values, reason=reason, scope=plan)[0]


@transaction.atomic
def save_event(
    actor: Any,
    event: Event | None,
    values: dict[str, Any],
    *,
    themes: Iterable[Theme] | None = None,
    reason: str = "",
) -> Event:
    event, _changes = save_traced(actor, event or Event(), values, reason=reason)
    if themes is not None:
        set_related(actor, event, "themes", themes, reason=reason)
    return event


@transaction.atomic
def save_tally(
    actor: Any, tally: AttendanceTally | None, values: dict[str, Any], reason: str = ""
) -> AttendanceTally:
    tally = tally or AttendanceTally()
    event = values.get("event") or tally.event
    return save_traced(actor, tally, values, reason=reason, scope=event)[0]


# --- contributions and reasoned responses --------------------------------------------------

# Personal data never enters the trace; only these fields of a contribution do.
CONTRIBUTION_TRACED_FIELDS = ["channel", "event", "theme", "commitment", "show_author"]


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


def _notify_author(response: Response) -> None:
    contribution = response.contribution
    if not contribution.author_email or response.outcome == Outcome.PENDING:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Reasoned response to your contribution %(number)s") % {
            "number": contribution.pk
        }
        body = render_to_string(
            "cocreation/email/response.txt",
            {
                "response": response,
                "contribution": contribution,
                "url": f"{settings.TRAZA_BASE_URL}{contribution.get_absolute_url()}",
            },
        )
    enqueue(
        contribution.author_email,
        subject,
        body,
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
    before = response_snapshot(stored) if stored else None
    values = {**values, "published_at": timezone.now()}
    if stored is None:
        values["contribution"] = contribution
    else:
        values["revision"] = stored.revision + 1
    response, _changes = save_traced(
        actor, stored or Response(), values, reason=reason, scope=contribution
    )
    response.changed_versions.set(versions)
    snapshot = response_snapshot(response)
    if before == snapshot:
        transaction.set_rollback(True)  # nothing changed: no new revision, no new e-mail
        return stored
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
    with translation.override(settings.LANGUAGE_CODE):
        if registration.status == RegistrationStatus.CONFIRMED:
            subject = _("Registration confirmed: %(event)s") % {"event": event.title}
        else:
            subject = _("You are on the waiting list: %(event)s") % {"event": event.title}
        body = render_to_string(
            "cocreation/email/registration.txt",
            {
                "registration": registration,
                "event": event,
                "event_url": f"{settings.TRAZA_BASE_URL}{event.get_absolute_url()}",
                "cancel_url": f"{settings.TRAZA_BASE_URL}"
                + reverse("cocreation:cancel-registration", args=[registration.cancel_token]),
            },
        )
    ics = calendar_bytes([event], event.title, settings.TRAZA_BASE_URL)
    enqueue(
        registration.email,
        subject,
        body,
        purpose=purpose,
        about=registration,
        attachments=[("evento.ics", ics, "text/calendar")],
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
        evidence.sha256, evidence.size, evidence.content_type = check_upload(upload)
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
def save_faq(
    actor: Any, entry: FaqEntry | None, values: dict[str, Any], reason: str = ""
) -> FaqEntry:
    return save_traced(actor, entry or FaqEntry(), values, reason=reason)[0]


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
