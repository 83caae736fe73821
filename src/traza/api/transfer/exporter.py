"""Export: everything (or some plans and what they refer to) in the import format,
deterministic, so export → import into an empty database → export gives the same bytes. Only
what is public: never what moderation hid, never an author's organisation without consent."""

from __future__ import annotations

import json
from typing import Any

from traza.api.transfer.schema import (
    COMMITMENT_EXPORT_FIELDS,
    CONTRIBUTION_FIELDS,
    EVENT_FIELDS,
    FIGURE_FIELDS,
    FOLLOWUP_FIELDS,
    FORMAT,
    INDICATOR_FIELDS,
    MEASUREMENT_FIELDS,
    MILESTONE_EXPORT_FIELDS,
    PLAN_FIELDS,
    PUBLISHED_FIELDS,
    RATING_FIELDS,
    RELEVANCE_FIELDS,
    RESPONSE_FIELDS,
    VERSION,
)
from traza.assessment.models import PublishedFigure, Rating, RecommendationFollowUp
from traza.cocreation.models import Contribution, Event, ReportedFigure, Timeline
from traza.core.jsonvalues import EXPORT
from traza.monitoring.models import Review
from traza.plans.models import ActionPlan, Commitment, Member, Milestone, Organization, Theme

_value = EXPORT  # a whole number without a fraction: the file reads as it was written


def export_data(plan_ids: list[int] | None = None) -> dict[str, Any]:
    """Everything (or the given plans and what they refer to) in the import format."""
    plans = ActionPlan.objects.select_related("member").order_by("member__slug", "number")
    if plan_ids:
        plans = plans.filter(pk__in=plan_ids)
    plans = list(plans)
    commitments = (
        Commitment.objects.filter(plan__in=plans)
        .select_related("lead_organization", "theme", "origin_event")
        .prefetch_related(
            "supporting_organizations",
            "milestones__indicators__measurements__report",
            "indicators__measurements__report",
        )
        .order_by("plan_id", "number")
    )
    events_by_plan: dict[int, list[Event]] = {}
    for event in (
        Event.objects.filter(plan__in=plans)
        .select_related("organiser")
        .prefetch_related("themes", "tallies")
        .order_by("plan_id", "starts_at", "key")
    ):
        events_by_plan.setdefault(event.plan_id, []).append(event)
    timelines = {t.plan_id: t for t in Timeline.objects.filter(plan__in=plans)}
    contributions_by_plan: dict[int, list[Contribution]] = {}
    for contribution in (
        Contribution.objects.public()  # a file to publish: never what moderation hid
        .filter(plan__in=plans)
        .select_related("event", "theme", "commitment", "response__deciding_sector")
        .order_by("plan_id", "received_at", "id")
    ):
        contributions_by_plan.setdefault(contribution.plan_id, []).append(contribution)
    ratings_by_plan: dict[int, list[Rating]] = {}
    for rating in (
        Rating.objects.filter(commitment__plan__in=plans)
        .select_related("commitment", "milestone")
        .order_by(
            "commitment__plan_id", "commitment__number", "milestone__number", "stage", "methodology"
        )
    ):
        ratings_by_plan.setdefault(rating.commitment.plan_id, []).append(rating)
    followups_by_plan: dict[int, list[RecommendationFollowUp]] = {}
    for followup in RecommendationFollowUp.objects.filter(plan__in=plans).order_by(
        "plan_id", "number"
    ):
        followups_by_plan.setdefault(followup.plan_id, []).append(followup)
    published_by_plan: dict[int, list[PublishedFigure]] = {}
    for published in PublishedFigure.objects.filter(plan__in=plans).order_by(
        "plan_id", "table", "key"
    ):
        published_by_plan.setdefault(published.plan_id, []).append(published)
    figures_by_plan: dict[int, list[ReportedFigure]] = {}
    for figure in ReportedFigure.objects.filter(plan__in=plans).order_by("plan_id", "key"):
        figures_by_plan.setdefault(figure.plan_id, []).append(figure)
    by_plan: dict[int, list[Commitment]] = {}
    for commitment in commitments:
        by_plan.setdefault(commitment.plan_id, []).append(commitment)

    if plan_ids:
        member_ids = {p.member_id for p in plans}
        org_keys = set()
        theme_keys = set()
        for items in by_plan.values():
            for c in items:
                if c.lead_organization_id:
                    org_keys.add(c.lead_organization.slug)
                org_keys |= {o.slug for o in c.supporting_organizations.all()}
                if c.theme_id:
                    theme_keys.add(c.theme.slug)
        for items in events_by_plan.values():
            for e in items:
                if e.organiser_id:
                    org_keys.add(e.organiser.slug)
                theme_keys |= {t.slug for t in e.themes.all()}
        members = Member.objects.filter(pk__in=member_ids)
        organizations = Organization.objects.filter(slug__in=org_keys)
        themes = Theme.objects.filter(slug__in=theme_keys)
    else:
        members, organizations, themes = (
            Member.objects.all(),
            Organization.objects.all(),
            Theme.objects.all(),
        )

    return {
        "format": FORMAT,
        "version": VERSION,
        "members": [
            {"key": m.slug, "name": m.name, "kind": m.kind, "member_since": m.member_since}
            for m in members.order_by("slug")
        ],
        "organizations": [
            {
                "key": o.slug,
                "name": o.name,
                "acronym": o.acronym,
                "sector": o.sector,
                "civil_society_type": o.civil_society_type,
            }
            for o in organizations.order_by("slug")
        ],
        "themes": [{"key": t.slug, "name": t.name} for t in themes.order_by("slug")],
        "plans": [
            {
                "member": plan.member.slug,
                **{f: _value(getattr(plan, f)) for f in PLAN_FIELDS},
                "commitments": [_export_commitment(c) for c in by_plan.get(plan.pk, [])],
                "timeline": _export_timeline(timelines.get(plan.pk)),
                "events": [_export_event(e) for e in events_by_plan.get(plan.pk, [])],
                "contributions": [
                    _export_contribution(c) for c in contributions_by_plan.get(plan.pk, [])
                ],
                "reported_figures": [
                    {f: _value(getattr(figure, f)) for f in FIGURE_FIELDS}
                    for figure in figures_by_plan.get(plan.pk, [])
                ],
                "ratings": [_export_rating(r) for r in ratings_by_plan.get(plan.pk, [])],
                "recommendation_followups": [
                    {f: _value(getattr(followup, f)) for f in FOLLOWUP_FIELDS}
                    for followup in followups_by_plan.get(plan.pk, [])
                ],
                "irm_published_figures": [
                    {f: _value(getattr(published, f)) for f in PUBLISHED_FIELDS}
                    for published in published_by_plan.get(plan.pk, [])
                ],
            }
            for plan in plans
        ],
    }


def _export_timeline(timeline: Timeline | None) -> dict[str, Any] | None:
    if timeline is None:
        return None
    return {
        "published_on": timeline.published_on.isoformat(),
        "where_published": timeline.where_published,
        "source": timeline.source,
    }


def _export_event(event: Event) -> dict[str, Any]:
    return {
        **{f: _value(getattr(event, f)) for f in EVENT_FIELDS},
        "organiser": event.organiser.slug if event.organiser_id else None,
        "themes": sorted(t.slug for t in event.themes.all()),
        "attendance": [
            {
                "source": t.source,
                "state": t.state,
                "civil_society": t.civil_society,
                "others": t.others,
                "note": t.note,
            }
            for t in sorted(event.tallies.all(), key=lambda t: t.source)
        ],
    }


def _export_rating(r: Rating) -> dict[str, Any]:
    return {
        "commitment": r.commitment.number,
        "milestone": r.milestone.number if r.milestone_id else None,
        **{f: _value(getattr(r, f)) for f in RATING_FIELDS},
        "relevance": [name for name in RELEVANCE_FIELDS if getattr(r, name)],
    }


def _export_contribution(c: Contribution) -> dict[str, Any]:
    """No personal data: the organisation only when its author agreed to publish it."""
    return {
        **{f: _value(getattr(c, f)) for f in CONTRIBUTION_FIELDS},
        "key": c.key or f"c-{c.pk}",
        "event": c.event.key if c.event_id else None,
        "theme": c.theme.slug if c.theme_id else None,
        "commitment": c.commitment.number if c.commitment_id else None,
        "author_organization": c.author_organization if c.show_author else "",
        "response": _export_response(c),
    }


def _export_response(c: Contribution) -> dict[str, Any] | None:
    """The published reasoned response (a forwarded one with the entity that received it)."""
    response = getattr(c, "response", None)
    if response is None or response.published_at is None:
        return None
    return {
        **{f: _value(getattr(response, f)) for f in RESPONSE_FIELDS},
        "deciding_sector": response.deciding_sector.slug if response.deciding_sector_id else None,
    }


def _export_commitment(c: Commitment) -> dict[str, Any]:
    return {
        **{f: _value(getattr(c, f)) for f in COMMITMENT_EXPORT_FIELDS},
        "origin_event": c.origin_event.key if c.origin_event_id else None,
        "lead_organization": c.lead_organization.slug if c.lead_organization_id else None,
        "supporting_organizations": sorted(o.slug for o in c.supporting_organizations.all()),
        "theme": c.theme.slug if c.theme_id else None,
        "ogp_values": [v.value for v in c.values],
        "milestones": [
            {
                **{f: _value(getattr(m, f)) for f in MILESTONE_EXPORT_FIELDS},
                "indicators": _export_indicators(m),
            }
            for m in sorted(c.milestones.all(), key=lambda m: m.number)
        ],
        "indicators": _export_indicators(c),
    }


def _export_indicators(owner: Commitment | Milestone) -> list[dict[str, Any]]:
    """Indicators with their public measurements (those of a report still under review or
    returned stay out)."""
    return [
        {
            **{f: _value(getattr(i, f)) for f in INDICATOR_FIELDS},
            "measurements": [
                {f: _value(getattr(m, f)) for f in MEASUREMENT_FIELDS}
                for m in sorted(i.measurements.all(), key=lambda m: (m.measured_on, m.pk))
                if m.report_id is None or m.report.review == Review.ACCEPTED
            ],
        }
        for i in sorted(owner.indicators.all(), key=lambda i: i.key)
    ]


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
