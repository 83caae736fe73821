"""OGP's participation and co-creation standards of 2017 (seed 000, Annex I; OGP-RULES.md §2.1),
in force until the 2021 minimum requirements came into force. Codes as the IRM prints them
(there is no 3a-3c)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from traza.assessment.standards.gather import ProcessData
from traza.assessment.standards.influence import contrary_2017
from traza.assessment.standards.registry import Edition, registry
from traza.assessment.standards.verdicts import (
    EvidenceLink,
    Finding,
    days,
    forum_evidence,
    graded,
    met_if,
    no_forum,
    plan_link,
    repository,
    responses,
    sectors,
    session_evidence,
    share,
    widest_gap,
    yes_no,
)
from traza.assessment.standards.vocabulary import Status
from traza.cocreation.models import EventKind
from traza.forum.models import FAIR_SELECTIONS, Modality

QUARTER_DAYS = 92  # 1b: the forum meets at least once a quarter

EDITION = registry.register_edition(
    Edition(
        key="2017",
        name=gettext_lazy("2017 standards"),
        heading=gettext_lazy("Participation and co-creation standards (2017)"),
        caption=gettext_lazy("The 2017 standards, as the IRM's Annex I prints them"),
        effective_from=None,  # the first edition: it governs every plan until the next one
        contrary=contrary_2017,
        starred_set=True,
    )
)


class Code(models.TextChoices):
    """The 2017 standards: code and title, once."""

    FORUM = "1a", gettext_lazy("Forum established")
    FORUM_MEETS = "1b", gettext_lazy("The forum meets at least every quarter")
    MANDATE_JOINT = "1c", gettext_lazy("Mandate and governance developed jointly")
    MANDATE_PUBLIC = "1d", gettext_lazy("Mandate and governance public")
    MULTI_STAKEHOLDER = "2a", gettext_lazy("Government and non-government members")
    PARITY = "2b", gettext_lazy("Balanced membership (parity)")
    FAIR_SELECTION = "2c", gettext_lazy("Non-government members selected fairly and transparently")
    HIGH_LEVEL = "2d", gettext_lazy("High-level government members with decision-making power")
    OPENNESS = "3d", gettext_lazy("Open to inputs from non-members")
    REMOTE = "3e", gettext_lazy("Remote participation possible")
    MINUTES = "3f", gettext_lazy("Minutes and decisions published")
    WEBSITE = "4a", gettext_lazy("Process transparency: the whole process on the OGP website")
    ADVANCE_NOTICE = "4b", gettext_lazy("Information published in advance")
    AWARENESS = "4c", gettext_lazy("Awareness-raising")
    CHANNELS = "4d", gettext_lazy("Communication channels that answer questions")
    REASONED_RESPONSE = "4e", gettext_lazy("Reasoned response published")
    REPOSITORY = "5a", gettext_lazy("Repository of every document of the process")


standard = registry.standard


@standard(
    EDITION,
    Code.FORUM,
    evidence=gettext_lazy("The member's forums during the plan and when they were established."),
)
def forum_established(data: ProcessData) -> Finding:
    if not data.forums:
        return no_forum()
    forum = data.forums[0]
    if forum.established_on <= data.start:
        status, text = Status.MET, _("%(name)s existed when the process started (%(date)s).")
    else:
        status = Status.IN_PROGRESS
        text = _("%(name)s was established during the plan (%(date)s).")
    return Finding(
        status,
        text % {"name": forum.name, "date": forum.established_on.isoformat()},
        forum_evidence(data),
    )


@standard(
    EDITION,
    Code.FORUM_MEETS,
    evidence=gettext_lazy("The forum's sessions and the longest stretch without one."),
)
def forum_meets_quarterly(data: ProcessData) -> Finding:
    if not data.forums:
        return no_forum()
    gap, sessions = widest_gap(data)
    text = _("%(n)d sessions; the longest stretch without one was %(gap)d days.") % {
        "n": len(sessions),
        "gap": gap,
    }
    return Finding(
        graded(bool(sessions) and gap <= QUARTER_DAYS, bool(sessions)),
        text,
        session_evidence(sessions),
    )


def _forum_rules(data: ProcessData, jointly: bool) -> Finding:
    if not data.forums:
        return no_forum()
    evidence = [
        EvidenceLink(f"{r.get_kind_display()} v{r.version}", r.url or r.forum.get_absolute_url())
        for r in data.rules
    ]
    if not data.rules:
        return Finding(Status.NOT_MET, _("No mandate or rules of participation are published."))
    if not jointly:
        return Finding(
            Status.MET, _("The mandate or rules are public on the forum page."), evidence
        )
    if any(r.developed_jointly for r in data.rules):
        return Finding(
            Status.MET, _("The published mandate was developed jointly by the members."), evidence
        )
    return Finding(
        Status.IN_PROGRESS, _("The mandate is public but was not developed jointly."), evidence
    )


@standard(
    EDITION,
    Code.MANDATE_JOINT,
    evidence=gettext_lazy("The forum's published mandate and rules, and who developed them."),
)
def mandate_developed_jointly(data: ProcessData) -> Finding:
    return _forum_rules(data, jointly=True)


@standard(
    EDITION, Code.MANDATE_PUBLIC, evidence=gettext_lazy("The forum's published mandate and rules.")
)
def mandate_public(data: ProcessData) -> Finding:
    return _forum_rules(data, jointly=False)


@standard(
    EDITION,
    Code.MULTI_STAKEHOLDER,
    evidence=gettext_lazy("The forum's serving members by sector (alternates left out)."),
)
def multi_stakeholder(data: ProcessData) -> Finding:
    if not data.forums:
        return no_forum()
    government, others = sectors(data)
    text = _("%(gov)d government and %(other)d non-government members.") % {
        "gov": len(government),
        "other": len(others),
    }
    return Finding(
        graded(bool(government and others), bool(government or others)),
        text,
        forum_evidence(data),
    )


@standard(
    EDITION,
    Code.PARITY,
    evidence=gettext_lazy("The forum's serving members by sector, against TRAZA_PARITY_TOLERANCE."),
)
def parity(data: ProcessData) -> Finding:
    if not data.forums:
        return no_forum()
    government, others = sectors(data)
    tolerance = settings.TRAZA_PARITY_TOLERANCE
    text = _(
        "%(gov)d government and %(other)d non-government members (parity within %(tolerance)d)."
    ) % {
        "gov": len(government),
        "other": len(others),
        "tolerance": tolerance,
    }
    if government and others:
        balanced = abs(len(government) - len(others)) <= tolerance
        status = Status.MET if balanced else Status.IN_PROGRESS
    else:
        status = Status.NOT_MET
    return Finding(status, text, forum_evidence(data))


@standard(
    EDITION,
    Code.FAIR_SELECTION,
    evidence=gettext_lazy("How each non-government member was selected, with the call."),
)
def fair_selection(data: ProcessData) -> Finding:
    if not data.forums:
        return no_forum()
    _gov, others = sectors(data)
    fair = [m for m in others if m.selection in FAIR_SELECTIONS]
    text = _("%(fair)d of %(n)d non-government members chosen by an open call or an election.") % {
        "fair": len(fair),
        "n": len(others),
    }
    evidence = [EvidenceLink(m.person, m.selection_call_url) for m in fair if m.selection_call_url]
    return share(len(fair), len(others), text, evidence)


@standard(
    EDITION,
    Code.HIGH_LEVEL,
    evidence=gettext_lazy("The government members with decision-making power."),
)
def high_level_members(data: ProcessData) -> Finding:
    if not data.forums:
        return no_forum()
    government, _others = sectors(data)
    powerful = [m for m in government if m.decision_power]
    text = _("%(n)d government members with decision-making power.") % {"n": len(powerful)}
    return Finding(graded(bool(powerful), bool(government)), text, forum_evidence(data))


@standard(
    EDITION,
    Code.OPENNESS,
    evidence=gettext_lazy("Inputs sent to the forum and sessions open to non-members."),
)
def open_to_non_members(data: ProcessData) -> Finding:
    if not data.forums:
        return no_forum()
    open_sessions = [
        s for s in data.sessions_between(data.start, data.end) if s.open_to_non_members
    ]
    text = _("%(inputs)d inputs from non-members; %(open)d sessions open to them.") % {
        "inputs": data.forum_inputs,
        "open": len(open_sessions),
    }
    met = bool(data.forum_inputs or open_sessions)
    return Finding(met_if(met), text, forum_evidence(data))


@standard(EDITION, Code.REMOTE, evidence=gettext_lazy("The modality of the forum's sessions."))
def remote_participation(data: ProcessData) -> Finding:
    if not data.forums:
        return no_forum()
    sessions = data.sessions_between(data.start, data.end)
    remote = [s for s in sessions if s.modality in (Modality.REMOTE, Modality.HYBRID)]
    text = _("%(remote)d of %(n)d sessions could be joined remotely.") % {
        "remote": len(remote),
        "n": len(sessions),
    }
    return Finding(met_if(bool(remote)), text, session_evidence(remote))


@standard(EDITION, Code.MINUTES, evidence=gettext_lazy("The sessions whose minutes are public."))
def minutes_published(data: ProcessData) -> Finding:
    if not data.forums:
        return no_forum()
    sessions = data.sessions_between(data.start, data.end)
    published = [s for s in sessions if s.minutes_public]
    text = _("Minutes published for %(published)d of %(n)d sessions.") % {
        "published": len(published),
        "n": len(sessions),
    }
    return share(len(published), len(sessions), text, session_evidence(published))


@standard(
    EDITION,
    Code.WEBSITE,
    evidence=gettext_lazy("The plan's timeline, events and commitments published here."),
)
def process_on_website(data: ProcessData) -> Finding:
    parts = [bool(data.timeline), bool(data.events), data.plan.commitments.exists()]
    text = _(
        "Published here: the timeline %(timeline)s, %(events)d events, the commitments %(commitments)s."
    ) % {
        "timeline": yes_no(parts[0]),
        "events": len(data.events),
        "commitments": yes_no(parts[2]),
    }
    return Finding(
        graded(all(parts), any(parts)),
        text,
        [EvidenceLink(str(data.plan), data.plan.get_absolute_url())],
    )


@standard(
    EDITION,
    Code.ADVANCE_NOTICE,
    evidence=gettext_lazy("When each event was announced, against TRAZA_NOTICE_DAYS."),
)
def published_in_advance(data: ProcessData) -> Finding:
    notice = settings.TRAZA_NOTICE_DAYS
    events = [e for e in data.held_events if e.announced_at]
    early = [
        e
        for e in events
        if days(timezone.localdate(e.announced_at), timezone.localdate(e.starts_at)) >= notice
    ]
    text = _("%(early)d of %(n)d events announced at least %(days)d days ahead.") % {
        "early": len(early),
        "n": len(data.events),
        "days": notice,
    }
    calendar = plan_link(data, "cocreation:calendar", _("Co-creation calendar"))
    return share(len(early), len(data.events), text, [calendar])


@standard(
    EDITION,
    Code.AWARENESS,
    evidence=gettext_lazy("Induction workshops and presentations to the public."),
)
def awareness_raising(data: ProcessData) -> Finding:
    kinds = {EventKind.INDUCTION, EventKind.PRESENTATION}
    events = [e for e in data.held_events if e.kind in kinds]
    text = _("%(n)d induction workshops or presentations to the public.") % {"n": len(events)}
    return Finding(
        met_if(bool(events)),
        text,
        [EvidenceLink(e.title, e.get_absolute_url()) for e in events[:3]],
    )


@standard(
    EDITION,
    Code.CHANNELS,
    evidence=gettext_lazy("Published questions and answers, and official answers in discussions."),
)
def channels_answer(data: ProcessData) -> Finding:
    text = _(
        "%(faq)d questions answered in the FAQ; %(official)d official answers in discussions."
    ) % {
        "faq": data.faq_entries,
        "official": data.official_answers,
    }
    return Finding(
        graded(
            bool(data.faq_entries and data.official_answers),
            bool(data.faq_entries or data.official_answers),
        ),
        text,
        [EvidenceLink(_("Questions"), reverse("cocreation:faq"))],
    )


@standard(
    EDITION,
    Code.REASONED_RESPONSE,
    evidence=gettext_lazy("The public contributions and their published reasoned responses."),
)
def reasoned_response(data: ProcessData) -> Finding:
    return responses(data)


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
