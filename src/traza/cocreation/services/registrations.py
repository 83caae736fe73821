"""Registrations for events, the waiting list and attendance."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.cocreation.ical import calendar_bytes
from traza.cocreation.models import (
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from traza.core.services import (
    record,
    require_perm,
    trace_language,
)
from traza.notifications.services import enqueue_rendered


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
