"""The open datasets of co-creation: events with aggregate attendance, attendance tallies,
public contributions and published reasoned responses (registered in
``CocreationConfig.ready()``; see ``traza.core.datasets``). No person's registration or
attendance is listed, only counts; an author's name only with consent."""

from __future__ import annotations

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext_noop

from traza.cocreation.models import (
    AttendanceTally,
    Contribution,
    Event,
    Registration,
    RegistrationStatus,
    Response,
)
from traza.core.datasets import Column as C
from traza.core.datasets import Dataset


def _events() -> QuerySet:
    attended = (
        Registration.objects.filter(event=OuterRef("pk"), attended=True)
        .values("event")
        .annotate(n=Count("id"))
        .values("n")
    )
    registered = (
        Registration.objects.filter(event=OuterRef("pk"), status=RegistrationStatus.CONFIRMED)
        .values("event")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Event.objects.annotate(
        plan_ref=F("plan_id"),
        registered=Coalesce(Subquery(registered, output_field=IntegerField()), 0),
        attended_registered=Coalesce(Subquery(attended, output_field=IntegerField()), 0),
    )


def _tallies() -> QuerySet:
    return AttendanceTally.objects.annotate(event_ref=F("event_id"), plan_ref=F("event__plan_id"))


def _contributions() -> QuerySet:
    return Contribution.objects.public().annotate(  # never what moderation hid
        plan_ref=F("plan_id"),
        event_ref=F("event_id"),
        commitment_ref=F("commitment_id"),
        theme_name=Coalesce(F("theme__name"), Value("")),
        author=Case(
            When(
                show_author=True,
                then=Concat(
                    "author_name", Value(" · "), "author_organization", output_field=CharField()
                ),
            ),
            default=Value(""),
            output_field=CharField(),
        ),
        answered=Case(
            When(response__published_at__isnull=False, then=Value(True)),
            default=Value(False),
        ),
    )


def _trim_author(row: dict) -> dict:
    row["author"] = row["author"].strip(" ·")
    return row


def _responses() -> QuerySet:
    return Response.objects.public().annotate(
        contribution_ref=F("contribution_id"), plan_ref=F("contribution__plan_id")
    )


DATASETS = (
    Dataset(
        "events",
        "Events",
        gettext_noop("Co-creation events with aggregate attendance (no person is listed)."),
        [
            C("id", "integer", "identifier"),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("kind", "string", "kind of event"),
            C("title", "string", "title"),
            C("region", "string", "region"),
            C("place", "string", "place"),
            C("starts_at", "datetime", "start"),
            C("ends_at", "datetime", "end"),
            C("status", "string", "scheduled, held or cancelled"),
            C("announced_at", "datetime", "announced"),
            C("capacity", "integer", "places"),
            C("registered", "integer", "confirmed registrations (count)"),
            C("attended_registered", "integer", "registered persons who attended (count)"),
        ],
        _events,
        filters={"plan": ("plan_id", int), "kind": ("kind", str)},
        position=100,
    ),
    Dataset(
        "attendance",
        "Attendance tallies",
        gettext_noop("Attendance by sector as each source counted it."),
        [
            C("id", "integer", "identifier"),
            C("event_ref", "integer", "event (events.id)"),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("state", "integer", "State"),
            C("civil_society", "integer", "civil society"),
            C("others", "integer", "others"),
            C("source", "string", "who counted"),
        ],
        _tallies,
        filters={"plan": ("event__plan_id", int)},
        position=110,
    ),
    Dataset(
        "contributions",
        "Contributions",
        gettext_noop(
            "Contributions from every channel; the author only with consent. A discussion message "
            "hidden by moderation is not listed."
        ),
        [
            C("id", "integer", "identifier"),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("channel", "string", "channel"),
            C("event_ref", "integer", "event (events.id)"),
            C("commitment_ref", "integer", "commitment it concerns (commitments.id)"),
            C("theme_name", "string", "theme"),
            C("text", "string", "contribution"),
            C("received_at", "datetime", "received"),
            C("author", "string", "name and organisation, only when the author agreed"),
            C("answered", "boolean", "a reasoned response is published"),
        ],
        _contributions,
        filters={"plan": ("plan_id", int), "channel": ("channel", str)},
        post=_trim_author,
        position=120,
    ),
    Dataset(
        "responses",
        "Reasoned responses",
        gettext_noop("Published reasoned responses to the listed contributions."),
        [
            C("id", "integer", "identifier"),
            C("contribution_ref", "integer", "contribution (contributions.id)"),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("outcome", "string", "outcome"),
            C("reason_category", "string", "reason"),
            C("forwarded_to", "string", "entity it was forwarded to (outcome forwarded)"),
            C("text", "string", "reasoned response"),
            C("deciding_body", "string", "who decided"),
            C("decided_on", "date", "decided on"),
            C("published_at", "datetime", "published"),
            C("revision", "integer", "revision"),
        ],
        _responses,
        filters={"plan": ("contribution__plan_id", int), "outcome": ("outcome", str)},
        position=130,
    ),
)
