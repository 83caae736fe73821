"""OGP's participation and co-creation standards of 2017 (seed 000, Annex I; OGP-RULES.md §2.1),
in force until the 2021 minimum requirements came into force. Codes as the IRM prints them
(there is no 3a-3c)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from traza.assessment.standards.gather import ProcessData
from traza.assessment.standards.influence import contrary_2017
from traza.assessment.standards.registry import Edition, registry
from traza.assessment.standards.verdicts import (
    EvidenceLink,
    Finding,
    forum_evidence,
    graded,
    met_if,
    no_data,
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
from traza.cocreation.queries import event_notice
from traza.forum.models import FAIR_SELECTIONS, Modality
from traza.plans.models import Stage

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
    if not sessions:
        return _no_sessions(data)
    text = ngettext(
        "%(n)d session; the longest stretch without one was %(gap)d days.",
        "%(n)d sessions; the longest stretch without one was %(gap)d days.",
        len(sessions),
    ) % {"n": len(sessions), "gap": gap}
    return Finding(graded(gap <= QUARTER_DAYS, True), text, session_evidence(sessions))


def _forum_rules(data: ProcessData, jointly: bool) -> Finding:
    if not data.forums:
        return no_forum()
    evidence = [
        EvidenceLink(f"{r.get_kind_display()} v{r.version}", r.url or r.forum.get_absolute_url())
        for r in data.rules
    ]
    if not data.rules:
        return no_data(
            _("No published mandate or rules of participation of the forum are recorded."),
            forum_evidence(data),
        )
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
    if not (government or others):
        return _no_members(data)
    return Finding(
        graded(bool(government and others), True),
        _members(government, others),
        forum_evidence(data),
    )


def _no_members(data: ProcessData) -> Finding:
    return no_data(_("No member of the forum is recorded."), forum_evidence(data))


def _members(government: list, others: list) -> str:
    return ngettext(
        "%(gov)d government member and %(other)d non-government.",
        "%(gov)d government members and %(other)d non-government.",
        len(government),
    ) % {"gov": len(government), "other": len(others)}


@standard(
    EDITION,
    Code.PARITY,
    evidence=gettext_lazy(
        "The forum's serving members by sector, and the difference allowed between them."
    ),
)
def parity(data: ProcessData) -> Finding:
    if not data.forums:
        return no_forum()
    government, others = sectors(data)
    if not (government or others):
        return _no_members(data)
    tolerance = settings.TRAZA_PARITY_TOLERANCE
    text = (
        _members(government, others)
        + " "
        + ngettext(
            "Parity allows a difference of %(tolerance)d member.",
            "Parity allows a difference of %(tolerance)d members.",
            tolerance,
        )
        % {"tolerance": tolerance}
    )
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
    government, others = sectors(data)
    if not (government or others):
        return _no_members(data)
    fair = [m for m in others if m.selection in FAIR_SELECTIONS]
    text = ngettext(
        "%(fair)d of %(n)d non-government member chosen by an open call or an election.",
        "%(fair)d of %(n)d non-government members chosen by an open call or an election.",
        len(others),
    ) % {"fair": len(fair), "n": len(others)}
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
    government, others = sectors(data)
    if not (government or others):
        return _no_members(data)
    powerful = [m for m in government if m.decision_power]
    text = ngettext(
        "%(n)d government member with decision-making power.",
        "%(n)d government members with decision-making power.",
        len(powerful),
    ) % {"n": len(powerful)}
    return Finding(graded(bool(powerful), bool(government)), text, forum_evidence(data))


@standard(
    EDITION,
    Code.OPENNESS,
    evidence=gettext_lazy("Inputs sent to the forum and sessions open to non-members."),
)
def open_to_non_members(data: ProcessData) -> Finding:
    if not data.forums:
        return no_forum()
    sessions = data.sessions_between(data.start, data.end)
    if not (sessions or data.forum_inputs):
        return no_data(
            _("No session of the forum and no input sent to it are recorded for this plan."),
            forum_evidence(data),
        )
    open_sessions = [s for s in sessions if s.open_to_non_members]
    text = ngettext(
        "%(inputs)d input from non-members; sessions open to them: %(open)d.",
        "%(inputs)d inputs from non-members; sessions open to them: %(open)d.",
        data.forum_inputs,
    ) % {"inputs": data.forum_inputs, "open": len(open_sessions)}
    met = bool(data.forum_inputs or open_sessions)
    return Finding(met_if(met), text, forum_evidence(data))


def _no_sessions(data: ProcessData) -> Finding:
    return no_data(_("No session of the forum is recorded for this plan."), forum_evidence(data))


@standard(EDITION, Code.REMOTE, evidence=gettext_lazy("The modality of the forum's sessions."))
def remote_participation(data: ProcessData) -> Finding:
    if not data.forums:
        return no_forum()
    sessions = data.sessions_between(data.start, data.end)
    if not sessions:
        return _no_sessions(data)
    remote = [s for s in sessions if s.modality in (Modality.REMOTE, Modality.HYBRID)]
    text = ngettext(
        "%(remote)d of %(n)d session could be joined remotely.",
        "%(remote)d of %(n)d sessions could be joined remotely.",
        len(sessions),
    ) % {"remote": len(remote), "n": len(sessions)}
    return Finding(met_if(bool(remote)), text, session_evidence(remote))


@standard(EDITION, Code.MINUTES, evidence=gettext_lazy("The sessions whose minutes are public."))
def minutes_published(data: ProcessData) -> Finding:
    if not data.forums:
        return no_forum()
    sessions = data.sessions_between(data.start, data.end)
    if not sessions:
        return _no_sessions(data)
    published = [s for s in sessions if s.minutes_public]
    text = ngettext(
        "Minutes published for %(published)d of %(n)d session.",
        "Minutes published for %(published)d of %(n)d sessions.",
        len(sessions),
    ) % {"published": len(published), "n": len(sessions)}
    return share(len(published), len(sessions), text, session_evidence(published))


@standard(
    EDITION,
    Code.WEBSITE,
    evidence=gettext_lazy("The plan's timeline, events and commitments published here."),
)
def process_on_website(data: ProcessData) -> Finding:
    parts = [bool(data.timeline), bool(data.events), data.plan.commitments.exists()]
    plan = [EvidenceLink(str(data.plan), data.plan.get_absolute_url())]
    if not any(parts):
        return no_data(_("Nothing of this plan's process is recorded here yet."), plan)
    text = ngettext(
        "Published here: the timeline %(timeline)s, %(events)d event, the commitments %(commitments)s.",
        "Published here: the timeline %(timeline)s, %(events)d events, the commitments %(commitments)s.",
        len(data.events),
    ) % {
        "timeline": yes_no(parts[0]),
        "events": len(data.events),
        "commitments": yes_no(parts[2]),
    }
    return Finding(graded(all(parts), True), text, plan)


@standard(
    EDITION,
    Code.ADVANCE_NOTICE,
    evidence=gettext_lazy(
        "When each event was announced (or, without its own date, when the timeline was "
        "published), against the notice required."
    ),
)
def published_in_advance(data: ProcessData) -> Finding:
    """The calendar's notice, counted over the same events: an event with no announcement
    date of its own takes the timeline's publication date (``cocreation.queries.event_notice``,
    the one definition), and one whose notice is unknown or short is short."""
    calendar = plan_link(data, "cocreation:calendar", _("Co-creation calendar"))
    if not data.events:
        return no_data(_("No event of the process is recorded."), [calendar])
    notices = [event_notice(e, data.timeline) for e in data.events]
    if all(n.days is None for n in notices):
        return no_data(
            _("No announcement date is recorded for the events, and no published timeline."),
            [calendar],
        )
    early = sum(1 for n in notices if not n.short)
    text = ngettext(
        "%(early)d of %(n)d event announced at least %(days)d days ahead.",
        "%(early)d of %(n)d events announced at least %(days)d days ahead.",
        len(notices),
    ) % {"early": early, "n": len(notices), "days": notices[0].minimum}
    return share(early, len(notices), text, [calendar])


@standard(
    EDITION,
    Code.AWARENESS,
    evidence=gettext_lazy("Induction workshops and presentations to the public."),
)
def awareness_raising(data: ProcessData) -> Finding:
    if not data.held_events:
        return no_data(_("No event of the process is recorded."))
    kinds = {EventKind.INDUCTION, EventKind.PRESENTATION}
    events = [e for e in data.held_events if e.kind in kinds]
    text = ngettext(
        "%(n)d induction workshop or presentation to the public.",
        "%(n)d induction workshops or presentations to the public.",
        len(events),
    ) % {"n": len(events)}
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
    """Either channel answering questions meets it. The site's FAQ answers today's questions:
    it is not counted for a closed plan."""
    faq = 0 if data.plan.stage == Stage.CLOSED else data.faq_entries
    evidence = [EvidenceLink(_("Questions"), reverse("cocreation:faq"))]
    if not (faq or data.official_answers):
        text = _("No answered question is recorded for this plan's process.")
        if data.plan.stage == Stage.CLOSED:
            text += " " + _("The site's questions and answers are not counted for a closed plan.")
        return no_data(text, evidence)
    text = ngettext(
        "%(faq)d question answered in the FAQ; official answers in discussions: %(official)d.",
        "%(faq)d questions answered in the FAQ; official answers in discussions: %(official)d.",
        faq,
    ) % {"faq": faq, "official": data.official_answers}
    return Finding(Status.MET, text, evidence)


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
