"""Every public entity as a dataset: the same definition drives the JSON API lists, the CSV,
JSON and XLSX downloads, the Frictionless data package and the data dictionary
(docs/data/dictionary.md). Only public data is here: no e-mail address, no author's name
without consent, no person's registration or attendance (only counts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat

CHUNK = 2000


@dataclass
class Column:
    name: str
    type: str  # Frictionless field types: integer, number, string, boolean, date, datetime
    description: str
    computed: bool = False  # filled by the dataset's ``post``, not read from the database


@dataclass
class Dataset:
    name: str
    title: str
    description: str
    columns: list[Column]
    query: Callable[[], QuerySet]
    filters: dict[str, tuple[str, type]] = field(default_factory=dict)
    order: tuple[str, ...] = ("id",)
    post: Callable[[dict], dict] | None = None
    rows_builder: Callable[[dict], Iterator[dict]] | None = None  # datasets computed in Python

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def queryset(self, filters: dict[str, Any] | None = None) -> QuerySet:
        queryset = self.query()
        for key, value in (filters or {}).items():
            path, _kind = self.filters[key]
            queryset = queryset.filter(**{path: value})
        return queryset.order_by(*self.order).values(
            *[c.name for c in self.columns if not c.computed]
        )

    def rows(self, filters: dict[str, Any] | None = None) -> Iterator[dict]:
        """Every row, streamed from the database in chunks (constant memory)."""
        if self.rows_builder is not None:
            yield from self.rows_builder(filters or {})
            return
        for row in self.queryset(filters).iterator(chunk_size=CHUNK):
            yield self.post(row) if self.post else row

    def count(self, filters: dict[str, Any] | None = None) -> int:
        if self.rows_builder is not None:
            return sum(1 for _ in self.rows_builder(filters or {}))
        return self.queryset(filters).count()

    def page(self, filters: dict[str, Any], offset: int, limit: int) -> list[dict]:
        if self.rows_builder is not None:
            return list(self.rows_builder(filters))[offset : offset + limit]
        rows = self.queryset(filters)[offset : offset + limit]
        return [self.post(r) if self.post else r for r in rows]


PLAN = ("plan", int)
C = Column


def _plans():
    from traza.plans.models import ActionPlan

    return ActionPlan.objects.annotate(member_key=F("member__slug"))


def _commitments():
    from traza.plans.models import Commitment

    return Commitment.objects.annotate(
        plan_ref=F("plan_id"),
        theme_name=Coalesce(F("theme__name"), Value("")),
        lead_institution=Coalesce(F("lead_organization__name"), Value("")),
    )


def _milestones():
    from traza.plans.models import Milestone

    return Milestone.objects.annotate(
        commitment_ref=F("commitment_id"), plan_ref=F("commitment__plan_id")
    )


def _progress():
    from traza.monitoring.models import ProgressReport, Review

    return ProgressReport.objects.filter(review=Review.ACCEPTED).annotate(
        milestone_ref=F("milestone_id"),
        commitment_ref=F("milestone__commitment_id"),
        plan_ref=F("milestone__commitment__plan_id"),
        organization_name=F("organization__name"),
    )


def _indicators():
    from traza.monitoring.models import Indicator

    return Indicator.objects.annotate(
        commitment_ref=Coalesce(F("commitment_id"), F("milestone__commitment_id")),
        milestone_ref=F("milestone_id"),
        plan_ref=Coalesce(F("commitment__plan_id"), F("milestone__commitment__plan_id")),
    )


def _measurements():
    from traza.monitoring.models import Measurement, Review

    return Measurement.objects.filter(
        Q(report__isnull=True) | Q(report__review=Review.ACCEPTED)
    ).annotate(indicator_ref=F("indicator_id"))


def _events():
    from traza.cocreation.models import Event, Registration

    attended = (
        Registration.objects.filter(event=OuterRef("pk"), attended=True)
        .values("event")
        .annotate(n=Count("id"))
        .values("n")
    )
    registered = (
        Registration.objects.filter(event=OuterRef("pk"), status="confirmed")
        .values("event")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Event.objects.annotate(
        plan_ref=F("plan_id"),
        registered=Coalesce(Subquery(registered, output_field=IntegerField()), 0),
        attended_registered=Coalesce(Subquery(attended, output_field=IntegerField()), 0),
    )


def _tallies():
    from traza.cocreation.models import AttendanceTally

    return AttendanceTally.objects.annotate(event_ref=F("event_id"), plan_ref=F("event__plan_id"))


def _contributions():
    from traza.cocreation.models import Contribution

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


def _responses():
    from traza.cocreation.models import Response

    return Response.objects.public().annotate(
        contribution_ref=F("contribution_id"), plan_ref=F("contribution__plan_id")
    )


def _ratings():
    from traza.assessment.models import Rating

    return Rating.objects.annotate(
        commitment_ref=F("commitment_id"),
        milestone_ref=F("milestone_id"),
        plan_ref=F("commitment__plan_id"),
    )


def _derive(row: dict) -> dict:
    from types import SimpleNamespace

    from traza.assessment.rules import derive

    derived = derive(SimpleNamespace(**row)) if row["methodology"] != "B_2021" else None
    row["relevant"] = derived.relevant if derived else None
    row["potentially_starred"] = derived.potentially_starred if derived else None
    row["starred"] = derived.starred if derived else None
    return row


def _standards_rows(filters: dict) -> Iterator[dict]:
    from traza.assessment.standards import process_health
    from traza.plans.models import ActionPlan

    plans = ActionPlan.objects.select_related("member").order_by("id")
    if "plan" in filters:
        plans = plans.filter(pk=filters["plan"])
    for plan in plans:
        for set_name, verdict in process_health(plan).all_verdicts:
            yield {
                "plan_id": plan.pk,
                "set": set_name,
                "code": verdict.code,
                "title": str(verdict.title),
                "status": verdict.final,
                "computed_status": verdict.computed,
                "explanation": str(verdict.explanation),
                "override_justification": verdict.override.justification
                if verdict.override
                else "",
            }


def _sessions():
    from traza.forum.models import Session

    return Session.objects.annotate(
        forum_ref=F("forum_id"),
        forum_name=F("forum__name"),
        members_present=Count("attendees", distinct=True),
    )


def _session_row(row: dict) -> dict:
    """Minutes are public from their publication date."""
    published = row["minutes_published_on"]
    if not published or published > dt.date.today():
        row["minutes"], row["minutes_url"], row["minutes_published_on"] = "", "", None
    return row


def _forum_members():
    from traza.forum.models import Membership

    return Membership.objects.annotate(
        forum_ref=F("forum_id"), organization_name=F("organization__name")
    )


def _documents():
    from traza.repository.models import DocumentVersion

    return DocumentVersion.objects.annotate(
        document_ref=F("document_id"),
        title=F("document__title"),
        kind=F("document__kind"),
        language=F("document__language"),
        document_date=F("document__document_date"),
        plan_ref=F("document__plan_id"),
        version=F("number"),
    )


def _simple(model_path: str) -> Callable[[], QuerySet]:
    def query() -> QuerySet:
        from django.apps import apps

        return apps.get_model(model_path).objects.all()

    return query


DATASETS: dict[str, Dataset] = {}


def _register(dataset: Dataset) -> None:
    DATASETS[dataset.name] = dataset


_register(
    Dataset(
        "members",
        "OGP members",
        "Countries and local governments that take part in OGP.",
        [
            C("id", "integer", "identifier"),
            C("slug", "string", "key"),
            C("name", "string", "name"),
            C("kind", "string", "national or local"),
            C("member_since", "integer", "year it joined OGP"),
        ],
        _simple("plans.Member"),
    )
)
_register(
    Dataset(
        "organizations",
        "Organisations",
        "Public institutions and civil-society organisations named in the plans.",
        [
            C("id", "integer", "identifier"),
            C("slug", "string", "key"),
            C("name", "string", "name"),
            C("acronym", "string", "acronym"),
            C("sector", "string", "public, civil_society or other"),
            C("civil_society_type", "string", "type of civil-society organisation"),
        ],
        _simple("plans.Organization"),
        filters={"sector": ("sector", str)},
    )
)
_register(
    Dataset(
        "themes",
        "Themes",
        "Themes of the commitments.",
        [
            C("id", "integer", "identifier"),
            C("slug", "string", "key"),
            C("name", "string", "name"),
        ],
        _simple("plans.Theme"),
    )
)
_register(
    Dataset(
        "plans",
        "Action plans",
        "OGP action plans with their dates and stage.",
        [
            C("id", "integer", "identifier"),
            C("member_key", "string", "OGP member (key)"),
            C("number", "integer", "number of the plan for its member"),
            C("title", "string", "title"),
            C("period_start", "integer", "first year"),
            C("period_end", "integer", "last year"),
            C("stage", "string", "preparatory, co_creation, approval, implementation or closed"),
            C("co_creation_starts_on", "date", "co-creation starts"),
            C("co_creation_ends_on", "date", "co-creation ends"),
            C("implementation_starts_on", "date", "implementation starts"),
            C("implementation_ends_on", "date", "implementation ends"),
            C("approval_instrument", "string", "instrument that approved the plan"),
            C("approved_on", "date", "approval date"),
            C(
                "reported_commitment_count",
                "integer",
                "number of commitments the sources report, for plans kept as history",
            ),
        ],
        _plans,
    )
)
_register(
    Dataset(
        "commitments",
        "Commitments",
        "Commitments and proposals, with their status and OGP values.",
        [
            C("id", "integer", "identifier"),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("number", "integer", "number in the plan"),
            C("title", "string", "title"),
            C("status", "string", "proposal, discarded, approved, withdrawn or closed"),
            C("summary", "string", "summary"),
            C("problem", "string", "public problem"),
            C("change_sought", "string", "change sought"),
            C("origin", "string", "origin"),
            C("theme_name", "string", "theme"),
            C("lead_institution", "string", "lead institution"),
            C("access_to_information", "boolean", "declares access to information"),
            C("civic_participation", "boolean", "declares civic participation"),
            C("public_accountability", "boolean", "declares public accountability"),
            C("technology_innovation", "boolean", "declares technology and innovation"),
            C("starts_on", "date", "start"),
            C("ends_on", "date", "end"),
            C("decision_reason", "string", "why a proposal was discarded"),
            C("ogp_id", "string", "identifier in OGP's data"),
        ],
        lambda: _commitments(),
        filters={
            "plan": ("plan_id", int),
            "status": ("status", str),
            "theme": ("theme__slug", str),
        },
    )
)
_register(
    Dataset(
        "milestones",
        "Milestones",
        "Milestones of the commitments.",
        [
            C("id", "integer", "identifier"),
            C("commitment_ref", "integer", "commitment (commitments.id)"),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("number", "integer", "number in the commitment"),
            C("text", "string", "milestone"),
            C("starts_on", "date", "start"),
            C("ends_on", "date", "end"),
            C("deliverable", "string", "deliverable"),
            C("verification_means", "string", "means of verification"),
        ],
        _milestones,
        filters={"plan": ("commitment__plan_id", int), "commitment": ("commitment_id", int)},
    )
)
_register(
    Dataset(
        "progress",
        "Progress reports",
        "Progress on milestones accepted by the secretariat.",
        [
            C("id", "integer", "identifier"),
            C("milestone_ref", "integer", "milestone (milestones.id)"),
            C("commitment_ref", "integer", "commitment (commitments.id)"),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("status", "string", "not_started, in_progress or complete"),
            C("percent", "integer", "progress (%)"),
            C("narrative", "string", "what was done"),
            C("fact_date", "date", "date of the fact"),
            C("organization_name", "string", "reporting institution"),
            C("reviewed_at", "datetime", "accepted at"),
        ],
        _progress,
        filters={
            "plan": ("milestone__commitment__plan_id", int),
            "commitment": ("milestone__commitment_id", int),
        },
    )
)
_register(
    Dataset(
        "indicators",
        "Indicators",
        "Indicators of commitments and milestones.",
        [
            C("id", "integer", "identifier"),
            C("commitment_ref", "integer", "commitment (commitments.id)"),
            C(
                "milestone_ref",
                "integer",
                "milestone (milestones.id), empty for a commitment's indicator",
            ),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("name", "string", "indicator"),
            C("level", "string", "activity, output, outcome or impact"),
            C("unit", "string", "unit"),
            C("baseline", "string", "baseline as written"),
            C("baseline_value", "number", "baseline"),
            C("baseline_date", "date", "baseline date"),
            C("target", "string", "target as written"),
            C("target_value", "number", "target"),
            C("target_date", "date", "target date"),
        ],
        _indicators,
    )
)
_register(
    Dataset(
        "measurements",
        "Measurements",
        "Public measurements of the indicators.",
        [
            C("id", "integer", "identifier"),
            C("indicator_ref", "integer", "indicator (indicators.id)"),
            C("measured_on", "date", "date"),
            C("value", "number", "value"),
            C("note", "string", "note"),
            C("source", "string", "source"),
        ],
        _measurements,
        filters={"indicator": ("indicator_id", int)},
    )
)
_register(
    Dataset(
        "events",
        "Events",
        "Co-creation events with aggregate attendance (no person is listed).",
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
    )
)
_register(
    Dataset(
        "attendance",
        "Attendance tallies",
        "Attendance by sector as each source counted it.",
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
    )
)
_register(
    Dataset(
        "contributions",
        "Contributions",
        "Contributions from every channel; the author only with consent. A discussion message "
        "hidden by moderation is not listed.",
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
    )
)
_register(
    Dataset(
        "responses",
        "Reasoned responses",
        "Published reasoned responses to the listed contributions.",
        [
            C("id", "integer", "identifier"),
            C("contribution_ref", "integer", "contribution (contributions.id)"),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("outcome", "string", "outcome"),
            C("reason_category", "string", "reason"),
            C("text", "string", "reasoned response"),
            C("deciding_body", "string", "who decided"),
            C("decided_on", "date", "decided on"),
            C("published_at", "datetime", "published"),
            C("revision", "integer", "revision"),
        ],
        _responses,
        filters={"plan": ("contribution__plan_id", int), "outcome": ("outcome", str)},
    )
)
_register(
    Dataset(
        "ratings",
        "IRM ratings",
        "The IRM's ratings, with the flags derived from them.",
        [
            C("id", "integer", "identifier"),
            C("commitment_ref", "integer", "commitment (commitments.id)"),
            C("milestone_ref", "integer", "milestone (milestones.id)"),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("methodology", "string", "A_2014, A_2017 or B_2021"),
            C("stage", "string", "report"),
            C("verifiability", "string", "verifiability (2014-2020)"),
            C("access_to_information", "boolean", "relevant to access to information"),
            C("civic_participation", "boolean", "relevant to civic participation"),
            C("public_accountability", "boolean", "relevant to public accountability"),
            C("technology_innovation", "boolean", "relevant to technology and innovation"),
            C("relevance_assessed", "boolean", "relevance was assessed"),
            C("potential_impact", "string", "potential impact"),
            C("completion", "string", "completion"),
            C("diog", "string", "did it open government?"),
            C("verifiable", "string", "verifiable (2021+)"),
            C("open_government_lens", "boolean", "open-government lens (2021+)"),
            C("potential_for_results", "string", "potential for results (2021+)"),
            C("promising", "boolean", "promising (2021+)"),
            C("early_results", "string", "early results (2021+)"),
            C("assessed_on", "date", "assessed on"),
            C("source", "string", "source"),
            C("relevant", "boolean", "derived: relevant", True),
            C("potentially_starred", "boolean", "derived: potentially starred", True),
            C("starred", "boolean", "derived: starred", True),
        ],
        _ratings,
        filters={"plan": ("commitment__plan_id", int)},
        post=_derive,
    )
)
_register(
    Dataset(
        "standards",
        "OGP standards",
        "Each plan's standards as computed from the data, with any assessor's override.",
        [
            C("plan_id", "integer", "action plan (plans.id)"),
            C("set", "string", "2017 or 2021"),
            C("code", "string", "standard"),
            C("title", "string", "standard's title"),
            C("status", "string", "met, in_progress or not_met"),
            C("computed_status", "string", "computed status"),
            C("explanation", "string", "why"),
            C("override_justification", "string", "assessor's justification"),
        ],
        lambda: None,
        filters={"plan": ("plan", int)},
        rows_builder=_standards_rows,
    )
)
_register(
    Dataset(
        "forum_sessions",
        "Forum sessions",
        "Sessions of the multi-stakeholder forums; minutes once published.",
        [
            C("id", "integer", "identifier"),
            C("forum_ref", "integer", "forum"),
            C("forum_name", "string", "forum"),
            C("held_on", "date", "date"),
            C("modality", "string", "in_person, remote or hybrid"),
            C("agenda", "string", "agenda"),
            C("agenda_co_set", "boolean", "agenda set with civil society"),
            C("open_to_non_members", "boolean", "open to non-members"),
            C("members_present", "integer", "members present (count)"),
            C("other_attendance", "integer", "other participants (count)"),
            C("minutes", "string", "minutes"),
            C("minutes_url", "string", "minutes (link)"),
            C("minutes_published_on", "date", "minutes published on"),
        ],
        _sessions,
        post=_session_row,
    )
)
_register(
    Dataset(
        "forum_members",
        "Forum members",
        "Seats of the multi-stakeholder forums (forum members are public figures of the process).",
        [
            C("id", "integer", "identifier"),
            C("forum_ref", "integer", "forum"),
            C("person", "string", "person"),
            C("organization_name", "string", "organisation"),
            C("sector", "string", "government or non_government"),
            C("subsector", "string", "subsector"),
            C("role", "string", "co_chair, member or alternate"),
            C("decision_power", "boolean", "decision-making power"),
            C("starts_on", "date", "term starts"),
            C("ends_on", "date", "term ends"),
            C("selection", "string", "how the member was selected"),
            C("selection_call_url", "string", "call for members"),
        ],
        _forum_members,
    )
)
_register(
    Dataset(
        "documents",
        "Documents",
        "Versions of the repository's documents with their checksums.",
        [
            C("id", "integer", "identifier of the version"),
            C("document_ref", "integer", "document"),
            C("title", "string", "title"),
            C("kind", "string", "kind of document"),
            C("language", "string", "language"),
            C("document_date", "date", "date of the document"),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("version", "integer", "version"),
            C("sha256", "string", "SHA-256 of the file"),
            C("size", "integer", "size in bytes"),
            C("content_type", "string", "content type"),
            C("uploaded_at", "datetime", "added"),
        ],
        _documents,
        filters={"plan": ("document__plan_id", int), "kind": ("document__kind", str)},
    )
)
