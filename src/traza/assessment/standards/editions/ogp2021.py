"""OGP's minimum requirements of the 2021 participation and co-creation standards (approved on
24 November 2021, in force from 1 January 2022; OGP-RULES.md §2.2). Which of them are computed
is TRAZA_MINIMUM_REQUIREMENTS; the 2022 "acted contrary" rule reads the same set."""

from __future__ import annotations

import datetime as dt
import math

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from traza.assessment.standards.gather import ProcessData
from traza.assessment.standards.influence import contrary_2022
from traza.assessment.standards.registry import Edition, registry
from traza.assessment.standards.verdicts import (
    EvidenceLink,
    Finding,
    days,
    forum_evidence,
    graded,
    no_data,
    no_forum,
    plan_link,
    repository,
    responses,
    sectors,
    session_evidence,
    widest_gap,
)
from traza.assessment.standards.vocabulary import Status
from traza.cocreation.models import EventKind

TWO_WEEKS = 14  # 3.1: timeline published at least two weeks before co-creation starts
SIX_MONTHS_DAYS = 183  # 1.1: the forum meets at least every six months
MEETINGS_PER_YEAR = 2  # 5.1: at least two meetings a year during implementation

EDITION = registry.register_edition(
    Edition(
        key="2021",
        name=gettext_lazy("2021 minimum requirements"),
        heading=gettext_lazy("Minimum requirements (2021)"),
        caption=gettext_lazy("OGP's minimum requirements, in force since 2022"),
        effective_from=dt.date(2022, 1, 1),
        contrary=contrary_2022,
        codes_setting="TRAZA_MINIMUM_REQUIREMENTS",
    )
)


class Code(models.TextChoices):
    """The 2021 minimum requirements: code and title, once."""

    FORUM = (
        "1.1",
        gettext_lazy(
            "A space for dialogue of government and civil society, meeting at least every six months, with public rules"
        ),
    )
    WEBSITE = "2.1", gettext_lazy("A public OGP website")
    REPOSITORY = "2.2", gettext_lazy("A public document repository, kept up to date")
    TIMELINE = (
        "3.1",
        gettext_lazy(
            "Timeline and participation opportunities published at least two weeks before co-creation"
        ),
    )
    REASONED_RESPONSE = "4.1", gettext_lazy("Reasoned response to the contributions")
    MEETINGS = (
        "5.1",
        gettext_lazy("At least two meetings a year with civil society during implementation"),
    )


standard = registry.standard


@standard(
    EDITION,
    Code.FORUM,
    evidence=gettext_lazy(
        "The forum's members by sector, the longest stretch without a session and its "
        "published rules."
    ),
)
def space_for_dialogue(data: ProcessData) -> Finding:
    if not data.forums:
        return no_forum()
    government, others = sectors(data)
    gap, sessions = widest_gap(data)
    if not (sessions or government or others or data.rules):
        return no_data(
            _("No member, session or rules of the forum are recorded for this plan."),
            forum_evidence(data),
        )
    rules_hidden = _("its rules are not public")
    missing = []
    if not (government and others):
        missing.append(_("it lacks government or civil-society members"))
    if not sessions or gap > SIX_MONTHS_DAYS:
        missing.append(_("it went %(gap)d days without meeting") % {"gap": gap})
    if not data.rules:
        missing.append(rules_hidden)
    if not missing:
        text = _(
            "Both sectors are members, it met at most %(gap)d days apart and its rules are public."
        ) % {"gap": gap}
        return Finding(Status.MET, text, forum_evidence(data) + session_evidence(sessions))
    status = Status.IN_PROGRESS if missing == [rules_hidden] else Status.NOT_MET
    return Finding(status, "; ".join(missing).capitalize() + ".", forum_evidence(data))


@standard(
    EDITION,
    Code.WEBSITE,
    evidence=gettext_lazy("The plan's public page and what it holds."),
)
def public_website(data: ProcessData) -> Finding:
    public = bool(data.timeline or data.events) or data.plan.commitments.exists()
    evidence = [EvidenceLink(str(data.plan), data.plan.get_absolute_url())]
    if not public:
        return no_data(_("Nothing of this plan's process is recorded here yet."), evidence)
    return Finding(Status.MET, _("This plan's page is public and holds its process."), evidence)


@standard(
    EDITION,
    Code.REPOSITORY,
    evidence=gettext_lazy(
        "Public documents and evidence of co-creation and implementation, and when the "
        "repository was last updated."
    ),
)
def document_repository(data: ProcessData) -> Finding:
    return repository(data)


@standard(
    EDITION,
    Code.TIMELINE,
    evidence=gettext_lazy(
        "When the co-creation timeline was published and when co-creation started."
    ),
)
def timeline_in_advance(data: ProcessData) -> Finding:
    start = data.first_event_day or data.plan.co_creation_starts_on
    if data.timeline is None:
        return no_data(_("No published co-creation timeline is recorded."))
    evidence = [plan_link(data, "cocreation:calendar", _("Co-creation calendar"))]
    if start is None:
        return Finding(
            Status.IN_PROGRESS,
            _("The timeline is published; co-creation has no date yet."),
            evidence,
        )
    notice = days(data.timeline.published_on, start)
    text = _(
        "Timeline published on %(published)s, %(days)d days before co-creation started (%(start)s)."
    ) % {
        "published": data.timeline.published_on.isoformat(),
        "days": notice,
        "start": start.isoformat(),
    }
    return Finding(Status.MET if notice >= TWO_WEEKS else Status.NOT_MET, text, evidence)


@standard(
    EDITION,
    Code.REASONED_RESPONSE,
    evidence=gettext_lazy("The public contributions and their published reasoned responses."),
)
def reasoned_response(data: ProcessData) -> Finding:
    return responses(data)


@standard(
    EDITION,
    Code.MEETINGS,
    evidence=gettext_lazy(
        "Forum sessions and presentations to the public held during implementation."
    ),
)
def implementation_meetings(data: ProcessData) -> Finding:
    window = data.implementation_window
    if window is None:
        return Finding(Status.IN_PROGRESS, _("Implementation has not started."))
    start, end = window
    sessions = data.sessions_between(start, end)
    presentations = [
        e
        for e in data.held_events
        if e.kind == EventKind.PRESENTATION and start <= timezone.localdate(e.starts_at) <= end
    ]
    meetings = len(sessions) + len(presentations)
    if not meetings:
        return no_data(
            _("No forum session or presentation to the public is recorded during implementation.")
        )
    years = max(1, math.ceil(days(start, end) / 365))
    needed = MEETINGS_PER_YEAR * years
    text = (
        ngettext(
            "%(n)d meeting with civil society",
            "%(n)d meetings with civil society",
            meetings,
        )
        % {"n": meetings}
        + " "
        + ngettext(
            "in %(years)d year of implementation; %(needed)d needed.",
            "in %(years)d years of implementation; %(needed)d needed.",
            years,
        )
        % {"years": years, "needed": needed}
    )
    return Finding(graded(meetings >= needed, bool(meetings)), text, session_evidence(sessions))
