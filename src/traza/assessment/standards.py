"""OGP's participation and co-creation standards (2017) and minimum requirements (2021),
the level of public influence and the "acted contrary to process" verdict, computed from
Traza's data (OGP-RULES.md §2-§4). Each rule returns a status, a one-line explanation and
the evidence it read; an assessor's override is shown beside the computed value.

Thresholds that are OGP's rules are constants here (two weeks, a quarter, six months, two
meetings a year); product choices are settings (docs/operations.md)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from traza.plans.models import ActionPlan

MET, IN_PROGRESS, NOT_MET = "met", "in_progress", "not_met"
STATUSES = [MET, IN_PROGRESS, NOT_MET]
STATUS_LABELS = {
    MET: gettext_lazy("met"),
    IN_PROGRESS: gettext_lazy("in progress"),
    NOT_MET: gettext_lazy("not met"),
}

TWO_WEEKS = 14  # 3.1: timeline published at least two weeks before co-creation starts
QUARTER_DAYS = 92  # 1b: the forum meets at least once a quarter
SIX_MONTHS_DAYS = 183  # 1.1: the forum meets at least every six months
MEETINGS_PER_YEAR = 2  # 5.1: at least two meetings a year during implementation

INFLUENCE_LEVELS = ["no_consultation", "inform", "consult", "involve", "collaborate", "empower"]
INFLUENCE_LABELS = {
    "no_consultation": gettext_lazy("no consultation"),
    "inform": gettext_lazy("inform"),
    "consult": gettext_lazy("consult"),
    "involve": gettext_lazy("involve"),
    "collaborate": gettext_lazy("collaborate"),
    "empower": gettext_lazy("empower"),
}


@dataclass
class Evidence:
    label: str
    url: str = ""


@dataclass
class Verdict:
    code: str
    title: Promise | str
    status: str
    explanation: str
    evidence: list[Evidence] = field(default_factory=list)
    override: object | None = None  # a ProcessOverride

    @property
    def computed(self) -> str:
        return self.status

    @property
    def final(self) -> str:
        return self.override.value if self.override else self.status

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.final])

    @property
    def computed_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _days(start: dt.date, end: dt.date) -> int:
    return (end - start).days


# ---------------------------------------------------------------------------------------------
# What the rules read, gathered once per plan (a fixed number of queries).


@dataclass
class ProcessData:
    plan: ActionPlan
    today: dt.date
    timeline: object | None
    events: list
    contributions: int
    answered: int
    with_evidence: int
    forum_inputs: int
    official_answers: int
    faq_entries: int
    cocreation_evidence: list
    implementation_evidence: list
    documents: list
    repository_updated: dt.datetime | None
    forums: list
    memberships: list
    sessions: list
    rules: list
    decisions: list
    accepted_progress: int

    @property
    def start(self) -> dt.date:
        """When the process starts: co-creation, else the first event, else implementation."""
        candidates = [self.plan.co_creation_starts_on, self.first_event_day]
        candidates = [d for d in candidates if d]
        if candidates:
            return min(candidates)
        return self.plan.implementation_starts_on or dt.date(self.plan.period_start, 1, 1)

    @property
    def end(self) -> dt.date:
        end = self.plan.implementation_ends_on or dt.date(self.plan.period_end, 12, 31)
        return min(end, self.today)

    @property
    def first_event_day(self) -> dt.date | None:
        days = [timezone.localdate(e.starts_at) for e in self.events if e.status != "cancelled"]
        return min(days) if days else None

    @property
    def implementation_window(self) -> tuple[dt.date, dt.date] | None:
        start = self.plan.implementation_starts_on
        if not start or start > self.today:
            return None
        end = self.plan.implementation_ends_on or dt.date(self.plan.period_end, 12, 31)
        return start, min(end, self.today)

    def sessions_between(self, start: dt.date, end: dt.date) -> list:
        return [s for s in self.sessions if start <= s.held_on <= end]

    def members_serving(self) -> list:
        return [
            m
            for m in self.memberships
            if m.starts_on <= self.end and (m.ends_on is None or m.ends_on >= self.start)
        ]


def gather(plan: ActionPlan, today: dt.date | None = None) -> ProcessData:
    from traza.cocreation.models import (
        Channel,
        Contribution,
        DiscussionPost,
        Event,
        FaqEntry,
        Timeline,
    )
    from traza.cocreation.models import (
        Evidence as CoEvidence,
    )
    from traza.forum.models import Decision, Forum, ForumRules, Membership, Session
    from traza.monitoring.models import ProgressEvidence, ProgressReport, Review
    from traza.repository.models import Document
    from traza.repository.queries import last_updated

    today = today or timezone.localdate()
    contributions = Contribution.objects.public().filter(plan=plan)  # hidden ones never count
    answered = contributions.filter(
        response__published_at__isnull=False, response__text__gt=""
    ).exclude(response__outcome="pending")
    period_start = plan.co_creation_starts_on or dt.date(plan.period_start - 1, 1, 1)
    period_end = plan.implementation_ends_on or dt.date(plan.period_end, 12, 31)
    forums = list(
        Forum.objects.filter(member=plan.member_id, established_on__lte=period_end).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=period_start)
        )
    )
    sessions = list(
        Session.objects.filter(forum__in=forums)
        .select_related("forum")
        .prefetch_related("decisions")
        .order_by("held_on")
    )
    return ProcessData(
        plan=plan,
        today=today,
        timeline=Timeline.objects.filter(plan=plan).first(),
        events=list(Event.objects.filter(plan=plan).order_by("starts_at")),
        contributions=contributions.count(),
        answered=answered.count(),
        with_evidence=contributions.filter(evidence__is_private=False).distinct().count(),
        forum_inputs=contributions.filter(channel=Channel.FORUM_INPUT).count(),
        official_answers=DiscussionPost.objects.filter(
            commitment__plan=plan, official=True, status="published"
        ).count(),
        faq_entries=FaqEntry.objects.filter(published=True).count(),
        cocreation_evidence=list(
            CoEvidence.objects.public()
            .filter(Q(event__plan=plan) | Q(contribution__plan=plan))
            .order_by("-uploaded_at")[:5]
        ),
        implementation_evidence=list(
            ProgressEvidence.objects.filter(
                report__review=Review.ACCEPTED, report__milestone__commitment__plan=plan
            )
            .select_related("report")
            .order_by("-report__reviewed_at")[:5]
        ),
        documents=list(Document.objects.filter(plan=plan).order_by("-document_date")[:5]),
        repository_updated=last_updated(plan),
        forums=forums,
        memberships=list(
            Membership.objects.filter(forum__in=forums).select_related("organization")
        ),
        sessions=sessions,
        rules=list(ForumRules.objects.filter(forum__in=forums, published_on__lte=today)),
        decisions=list(
            Decision.objects.filter(session__forum__in=forums).select_related("session")
        ),
        accepted_progress=ProgressReport.objects.filter(
            review=Review.ACCEPTED, milestone__commitment__plan=plan
        ).count(),
    )


# ---------------------------------------------------------------------------------------------
# Helpers shared by several rules.


def _forum_evidence(data: ProcessData) -> list[Evidence]:
    return [Evidence(f.name, f.get_absolute_url()) for f in data.forums]


def _no_forum(code: str, title) -> Verdict:
    registry = Evidence(_("Forums recorded"), reverse("forum:list"))
    return Verdict(
        code, title, NOT_MET, _("No multi-stakeholder forum existed during this plan."), [registry]
    )


def _widest_gap(data: ProcessData) -> tuple[int, list]:
    """The longest stretch without a session while a forum existed during the process
    (edges included), and the sessions it read."""
    forum_start = max(data.start, min(f.established_on for f in data.forums))
    ends = [f.dissolved_on for f in data.forums if f.dissolved_on]
    forum_end = min([data.end, *ends]) if len(ends) == len(data.forums) else data.end
    sessions = data.sessions_between(forum_start, forum_end)
    points = [forum_start, *[s.held_on for s in sessions], forum_end]
    gap = max((_days(a, b) for a, b in pairwise(points)), default=0)
    return gap, sessions


def _session_evidence(sessions: list) -> list[Evidence]:
    return [
        Evidence(
            _("Session of %(date)s") % {"date": s.held_on.isoformat()}, s.forum.get_absolute_url()
        )
        for s in sessions[-3:]
    ]


def _sectors(data: ProcessData) -> tuple[list, list]:
    members = data.members_serving()
    government = [m for m in members if m.sector == "government" and m.role != "alternate"]
    others = [m for m in members if m.sector == "non_government" and m.role != "alternate"]
    return government, others


def _plan_link(data: ProcessData, name: str, label) -> Evidence:
    return Evidence(str(label), reverse(name, args=[data.plan.pk]))


def _share(
    part: int, whole: int, code: str, title, what: str, evidence: list[Evidence] | None = None
) -> Verdict:
    """Met when every one counts, in progress when some do, not met when none does."""
    status = MET if whole and part == whole else IN_PROGRESS if part else NOT_MET
    return Verdict(code, title, status, what, evidence or [])


# ---------------------------------------------------------------------------------------------
# The 2017 standards (seed 000, Annex I).

TITLES_2017 = {
    "1a": gettext_lazy("Forum established"),
    "1b": gettext_lazy("The forum meets at least every quarter"),
    "1c": gettext_lazy("Mandate and governance developed jointly"),
    "1d": gettext_lazy("Mandate and governance public"),
    "2a": gettext_lazy("Government and non-government members"),
    "2b": gettext_lazy("Balanced membership (parity)"),
    "2c": gettext_lazy("Non-government members selected fairly and transparently"),
    "2d": gettext_lazy("High-level government members with decision-making power"),
    "3d": gettext_lazy("Open to inputs from non-members"),
    "3e": gettext_lazy("Remote participation possible"),
    "3f": gettext_lazy("Minutes and decisions published"),
    "4a": gettext_lazy("Process transparency: the whole process on the OGP website"),
    "4b": gettext_lazy("Information published in advance"),
    "4c": gettext_lazy("Awareness-raising"),
    "4d": gettext_lazy("Communication channels that answer questions"),
    "4e": gettext_lazy("Reasoned response published"),
    "5a": gettext_lazy("Repository of every document of the process"),
}

TITLES_2021 = {
    "1.1": gettext_lazy(
        "A space for dialogue of government and civil society, meeting at least every six months, with public rules"
    ),
    "2.1": gettext_lazy("A public OGP website"),
    "2.2": gettext_lazy("A public document repository, kept up to date"),
    "3.1": gettext_lazy(
        "Timeline and participation opportunities published at least two weeks before co-creation"
    ),
    "4.1": gettext_lazy("Reasoned response to the contributions"),
    "5.1": gettext_lazy("At least two meetings a year with civil society during implementation"),
}


def rule_1a(data: ProcessData) -> Verdict:
    title = TITLES_2017["1a"]
    if not data.forums:
        return _no_forum("1a", title)
    forum = data.forums[0]
    if forum.established_on <= data.start:
        status, text = MET, _("%(name)s existed when the process started (%(date)s).")
    else:
        status, text = IN_PROGRESS, _("%(name)s was established during the plan (%(date)s).")
    return Verdict(
        "1a",
        title,
        status,
        text % {"name": forum.name, "date": forum.established_on.isoformat()},
        _forum_evidence(data),
    )


def rule_1b(data: ProcessData) -> Verdict:
    title = TITLES_2017["1b"]
    if not data.forums:
        return _no_forum("1b", title)
    gap, sessions = _widest_gap(data)
    text = _("%(n)d sessions; the longest stretch without one was %(gap)d days.") % {
        "n": len(sessions),
        "gap": gap,
    }
    status = MET if sessions and gap <= QUARTER_DAYS else IN_PROGRESS if sessions else NOT_MET
    return Verdict("1b", title, status, text, _session_evidence(sessions))


def _rules_verdict(data: ProcessData, code: str, jointly: bool) -> Verdict:
    title = TITLES_2017[code]
    if not data.forums:
        return _no_forum(code, title)
    evidence = [
        Evidence(f"{r.get_kind_display()} v{r.version}", r.url or r.forum.get_absolute_url())
        for r in data.rules
    ]
    if not data.rules:
        return Verdict(
            code, title, NOT_MET, _("No mandate or rules of participation are published.")
        )
    if not jointly:
        return Verdict(
            code, title, MET, _("The mandate or rules are public on the forum page."), evidence
        )
    joint = [r for r in data.rules if r.developed_jointly]
    if joint:
        return Verdict(
            code,
            title,
            MET,
            _("The published mandate was developed jointly by the members."),
            evidence,
        )
    return Verdict(
        code,
        title,
        IN_PROGRESS,
        _("The mandate is public but was not developed jointly."),
        evidence,
    )


def rule_1c(data: ProcessData) -> Verdict:
    return _rules_verdict(data, "1c", jointly=True)


def rule_1d(data: ProcessData) -> Verdict:
    return _rules_verdict(data, "1d", jointly=False)


def rule_2a(data: ProcessData) -> Verdict:
    title = TITLES_2017["2a"]
    if not data.forums:
        return _no_forum("2a", title)
    government, others = _sectors(data)
    text = _("%(gov)d government and %(other)d non-government members.") % {
        "gov": len(government),
        "other": len(others),
    }
    status = MET if government and others else IN_PROGRESS if government or others else NOT_MET
    return Verdict("2a", title, status, text, _forum_evidence(data))


def rule_2b(data: ProcessData) -> Verdict:
    title = TITLES_2017["2b"]
    if not data.forums:
        return _no_forum("2b", title)
    government, others = _sectors(data)
    tolerance = settings.TRAZA_PARITY_TOLERANCE
    text = _(
        "%(gov)d government and %(other)d non-government members (parity within %(tolerance)d)."
    ) % {
        "gov": len(government),
        "other": len(others),
        "tolerance": tolerance,
    }
    if government and others:
        status = MET if abs(len(government) - len(others)) <= tolerance else IN_PROGRESS
    else:
        status = NOT_MET
    return Verdict("2b", title, status, text, _forum_evidence(data))


def rule_2c(data: ProcessData) -> Verdict:
    from traza.forum.models import FAIR_SELECTIONS

    title = TITLES_2017["2c"]
    if not data.forums:
        return _no_forum("2c", title)
    _gov, others = _sectors(data)
    fair = [m for m in others if m.selection in FAIR_SELECTIONS]
    text = _("%(fair)d of %(n)d non-government members chosen by an open call or an election.") % {
        "fair": len(fair),
        "n": len(others),
    }
    evidence = [Evidence(m.person, m.selection_call_url) for m in fair if m.selection_call_url]
    return _share(len(fair), len(others), "2c", title, text, evidence)


def rule_2d(data: ProcessData) -> Verdict:
    title = TITLES_2017["2d"]
    if not data.forums:
        return _no_forum("2d", title)
    government, _others = _sectors(data)
    powerful = [m for m in government if m.decision_power]
    text = _("%(n)d government members with decision-making power.") % {"n": len(powerful)}
    status = MET if powerful else IN_PROGRESS if government else NOT_MET
    return Verdict("2d", title, status, text, _forum_evidence(data))


def rule_3d(data: ProcessData) -> Verdict:
    title = TITLES_2017["3d"]
    if not data.forums:
        return _no_forum("3d", title)
    open_sessions = [
        s for s in data.sessions_between(data.start, data.end) if s.open_to_non_members
    ]
    text = _("%(inputs)d inputs from non-members; %(open)d sessions open to them.") % {
        "inputs": data.forum_inputs,
        "open": len(open_sessions),
    }
    status = MET if data.forum_inputs or open_sessions else NOT_MET
    return Verdict("3d", title, status, text, _forum_evidence(data))


def rule_3e(data: ProcessData) -> Verdict:
    title = TITLES_2017["3e"]
    if not data.forums:
        return _no_forum("3e", title)
    sessions = data.sessions_between(data.start, data.end)
    remote = [s for s in sessions if s.modality in ("remote", "hybrid")]
    text = _("%(remote)d of %(n)d sessions could be joined remotely.") % {
        "remote": len(remote),
        "n": len(sessions),
    }
    return Verdict("3e", title, MET if remote else NOT_MET, text, _session_evidence(remote))


def rule_3f(data: ProcessData) -> Verdict:
    title = TITLES_2017["3f"]
    if not data.forums:
        return _no_forum("3f", title)
    sessions = data.sessions_between(data.start, data.end)
    published = [s for s in sessions if s.minutes_public]
    text = _("Minutes published for %(published)d of %(n)d sessions.") % {
        "published": len(published),
        "n": len(sessions),
    }
    return _share(len(published), len(sessions), "3f", title, text, _session_evidence(published))


def rule_4a(data: ProcessData) -> Verdict:
    title = TITLES_2017["4a"]
    parts = [bool(data.timeline), bool(data.events), data.plan.commitments.exists()]
    text = _(
        "Published here: the timeline %(timeline)s, %(events)d events, the commitments %(commitments)s."
    ) % {
        "timeline": _("yes") if parts[0] else _("no"),
        "events": len(data.events),
        "commitments": _("yes") if parts[2] else _("no"),
    }
    status = MET if all(parts) else IN_PROGRESS if any(parts) else NOT_MET
    return Verdict(
        "4a", title, status, text, [Evidence(str(data.plan), data.plan.get_absolute_url())]
    )


def rule_4b(data: ProcessData) -> Verdict:
    notice = settings.TRAZA_NOTICE_DAYS
    events = [e for e in data.events if e.announced_at and e.status != "cancelled"]
    early = [
        e
        for e in events
        if _days(timezone.localdate(e.announced_at), timezone.localdate(e.starts_at)) >= notice
    ]
    text = _("%(early)d of %(n)d events announced at least %(days)d days ahead.") % {
        "early": len(early),
        "n": len(data.events),
        "days": notice,
    }
    calendar = _plan_link(data, "cocreation:calendar", _("Co-creation calendar"))
    return _share(len(early), len(data.events), "4b", TITLES_2017["4b"], text, [calendar])


def rule_4c(data: ProcessData) -> Verdict:
    kinds = {"induction", "presentation"}
    events = [e for e in data.events if e.kind in kinds and e.status != "cancelled"]
    text = _("%(n)d induction workshops or presentations to the public.") % {"n": len(events)}
    return Verdict(
        "4c",
        TITLES_2017["4c"],
        MET if events else NOT_MET,
        text,
        [Evidence(e.title, e.get_absolute_url()) for e in events[:3]],
    )


def rule_4d(data: ProcessData) -> Verdict:
    text = _(
        "%(faq)d questions answered in the FAQ; %(official)d official answers in discussions."
    ) % {
        "faq": data.faq_entries,
        "official": data.official_answers,
    }
    status = (
        MET
        if data.faq_entries and data.official_answers
        else IN_PROGRESS
        if (data.faq_entries or data.official_answers)
        else NOT_MET
    )
    return Verdict(
        "4d", TITLES_2017["4d"], status, text, [Evidence(_("Questions"), reverse("cocreation:faq"))]
    )


def _responses(data: ProcessData, code: str, title) -> Verdict:
    if not data.contributions:
        return Verdict(code, title, NOT_MET, _("No contribution is recorded for this plan."))
    text = _(
        "%(answered)d of %(n)d contributions have a published reasoned response; %(evidence)d are documented with evidence."
    ) % {
        "answered": data.answered,
        "n": data.contributions,
        "evidence": data.with_evidence,
    }
    evidence = [
        _plan_link(data, "cocreation:contributions", _("Contributions and reasoned responses")),
        _plan_link(data, "cocreation:flow", _("From contributions to commitments")),
    ]
    return _share(data.answered, data.contributions, code, title, text, evidence)


def rule_4e(data: ProcessData) -> Verdict:
    return _responses(data, "4e", TITLES_2017["4e"])


def _repository(data: ProcessData, code: str, title) -> Verdict:
    """Documents of the process and evidence of co-creation and, once it started, of
    implementation, in the public repository; the date it was last updated."""
    implementing = data.implementation_window is not None
    co_creation = bool(data.cocreation_evidence or data.documents)
    parts = [co_creation] + ([bool(data.implementation_evidence)] if implementing else [])
    text = _(
        "Public documents and evidence of co-creation: %(co)s; of implementation: %(impl)s."
    ) % {
        "co": _("yes") if co_creation else _("no"),
        "impl": (_("yes") if data.implementation_evidence else _("no"))
        if implementing
        else _("not started"),
    }
    if data.repository_updated:
        text += " " + _("Last updated on %(date)s.") % {
            "date": timezone.localdate(data.repository_updated).isoformat()
        }
    status = MET if all(parts) else IN_PROGRESS if any(parts) else NOT_MET
    evidence = [Evidence(d.title, d.get_absolute_url()) for d in data.documents[:2]]
    evidence += [Evidence(e.title, e.get_absolute_url()) for e in data.cocreation_evidence[:2]]
    evidence += [
        Evidence(e.title, e.url or reverse("monitoring:evidence", args=[e.pk]))
        for e in data.implementation_evidence[:2]
    ]
    repository = Evidence(_("Documents"), reverse("repository:documents") + f"?plan={data.plan.pk}")
    return Verdict(code, title, status, text, [*evidence, repository])


def rule_5a(data: ProcessData) -> Verdict:
    return _repository(data, "5a", TITLES_2017["5a"])


# ---------------------------------------------------------------------------------------------
# The 2021 minimum requirements.


def rule_1_1(data: ProcessData) -> Verdict:
    title = TITLES_2021["1.1"]
    if not data.forums:
        return _no_forum("1.1", title)
    government, others = _sectors(data)
    gap, sessions = _widest_gap(data)
    missing = []
    if not (government and others):
        missing.append(_("it lacks government or civil-society members"))
    if not sessions or gap > SIX_MONTHS_DAYS:
        missing.append(_("it went %(gap)d days without meeting") % {"gap": gap})
    if not data.rules:
        missing.append(_("its rules are not public"))
    if not missing:
        text = _(
            "Both sectors are members, it met at most %(gap)d days apart and its rules are public."
        ) % {"gap": gap}
        return Verdict("1.1", title, MET, text, _forum_evidence(data) + _session_evidence(sessions))
    status = IN_PROGRESS if missing == [_("its rules are not public")] else NOT_MET
    return Verdict(
        "1.1", title, status, "; ".join(missing).capitalize() + ".", _forum_evidence(data)
    )


def rule_2_1(data: ProcessData) -> Verdict:
    public = bool(data.timeline or data.events) or data.plan.commitments.exists()
    text = (
        _("This plan's page is public and holds its process.")
        if public
        else _("Nothing of the plan is published yet.")
    )
    return Verdict(
        "2.1",
        TITLES_2021["2.1"],
        MET if public else NOT_MET,
        text,
        [Evidence(str(data.plan), data.plan.get_absolute_url())],
    )


def rule_2_2(data: ProcessData) -> Verdict:
    return _repository(data, "2.2", TITLES_2021["2.2"])


def rule_3_1(data: ProcessData) -> Verdict:
    title = TITLES_2021["3.1"]
    start = data.first_event_day or data.plan.co_creation_starts_on
    if data.timeline is None:
        return Verdict("3.1", title, NOT_MET, _("No co-creation timeline is published."))
    evidence = [_plan_link(data, "cocreation:calendar", _("Co-creation calendar"))]
    if start is None:
        return Verdict(
            "3.1",
            title,
            IN_PROGRESS,
            _("The timeline is published; co-creation has no date yet."),
            evidence,
        )
    notice = _days(data.timeline.published_on, start)
    text = _(
        "Timeline published on %(published)s, %(days)d days before co-creation started (%(start)s)."
    ) % {
        "published": data.timeline.published_on.isoformat(),
        "days": notice,
        "start": start.isoformat(),
    }
    return Verdict("3.1", title, MET if notice >= TWO_WEEKS else NOT_MET, text, evidence)


def rule_4_1(data: ProcessData) -> Verdict:
    return _responses(data, "4.1", TITLES_2021["4.1"])


def rule_5_1(data: ProcessData) -> Verdict:
    title = TITLES_2021["5.1"]
    window = data.implementation_window
    if window is None:
        return Verdict("5.1", title, IN_PROGRESS, _("Implementation has not started."))
    start, end = window
    sessions = data.sessions_between(start, end)
    presentations = [
        e
        for e in data.events
        if e.kind == "presentation"
        and e.status != "cancelled"
        and start <= timezone.localdate(e.starts_at) <= end
    ]
    meetings = len(sessions) + len(presentations)
    years = max(1, math.ceil(_days(start, end) / 365))
    needed = MEETINGS_PER_YEAR * years
    text = _(
        "%(n)d meetings with civil society in %(years)d year(s) of implementation; %(needed)d needed."
    ) % {
        "n": meetings,
        "years": years,
        "needed": needed,
    }
    status = MET if meetings >= needed else IN_PROGRESS if meetings else NOT_MET
    return Verdict("5.1", title, status, text, _session_evidence(sessions))


RULES_2017: dict[str, Callable[[ProcessData], Verdict]] = {
    "1a": rule_1a,
    "1b": rule_1b,
    "1c": rule_1c,
    "1d": rule_1d,
    "2a": rule_2a,
    "2b": rule_2b,
    "2c": rule_2c,
    "2d": rule_2d,
    "3d": rule_3d,
    "3e": rule_3e,
    "3f": rule_3f,
    "4a": rule_4a,
    "4b": rule_4b,
    "4c": rule_4c,
    "4d": rule_4d,
    "4e": rule_4e,
    "5a": rule_5a,
}
RULES_2021: dict[str, Callable[[ProcessData], Verdict]] = {
    "1.1": rule_1_1,
    "2.1": rule_2_1,
    "2.2": rule_2_2,
    "3.1": rule_3_1,
    "4.1": rule_4_1,
    "5.1": rule_5_1,
}


# ---------------------------------------------------------------------------------------------
# Level of public influence (IAP2 as adapted by the IRM) and "acted contrary to process".


@dataclass
class Influence:
    phase: str
    level: str
    reasons: list[str]
    override: object | None = None

    @property
    def final(self) -> str:
        return self.override.value if self.override else self.level

    @property
    def label(self) -> str:
        return str(INFLUENCE_LABELS[self.final])

    @property
    def computed_label(self) -> str:
        return str(INFLUENCE_LABELS[self.level])


def _climb(steps: list[tuple[str, bool, str]]) -> tuple[str, list[str]]:
    """The highest level reached without skipping one, with the reason of each step."""
    level, reasons = "no_consultation", []
    for name, reached, reason in steps:
        if not reached:
            break
        level = name
        reasons.append(reason)
    return level, reasons


def _share_answered(data: ProcessData) -> bool:
    if not data.contributions:
        return False
    return data.answered * 100 >= data.contributions * settings.TRAZA_INVOLVE_RESPONSE_SHARE


def development_influence(data: ProcessData) -> Influence:
    end = data.plan.approved_on or data.plan.co_creation_ends_on or data.end
    sessions = data.sessions_between(data.start, end)
    return Influence(
        "development", *_climb(_influence_steps(data, sessions, _share_answered(data)))
    )


def implementation_influence(data: ProcessData) -> Influence:
    window = data.implementation_window
    if window is None:
        return Influence(
            "implementation", "no_consultation", [_("Implementation has not started.")]
        )
    sessions = data.sessions_between(*window)
    informed = data.accepted_progress > 0
    steps = _influence_steps(data, sessions, _share_answered(data))
    steps[0] = ("inform", informed, _("progress on the commitments is published"))
    steps[1] = (
        "consult",
        bool(sessions) or data.forum_inputs > 0,
        _("civil society can give input during implementation"),
    )
    return Influence("implementation", *_climb(steps))


def _influence_steps(
    data: ProcessData, sessions: list, answered: bool
) -> list[tuple[str, bool, str]]:
    co_set = [s for s in sessions if s.agenda_co_set and s.decisions.all()]
    binding = [d for s in sessions for d in s.decisions.all() if d.binding]
    return [
        ("inform", bool(data.timeline or data.events), _("information on the plan was published")),
        ("consult", data.contributions > 0, _("an input channel was open")),
        ("involve", answered, _("reasoned responses were published")),
        ("collaborate", bool(co_set), _("civil society co-set the agenda and decided jointly")),
        ("empower", bool(binding), _("the public took a binding decision")),
    ]


@dataclass
class Contrary:
    rule_version: str
    contrary: bool
    grace: bool
    reasons: list[str]
    override: object | None = None

    @property
    def final(self) -> bool:
        if self.override:
            return self.override.value == "yes"
        return self.contrary and not self.grace


def acted_contrary(
    data: ProcessData, development: Influence, implementation: Influence
) -> Contrary:
    """The 2017 rule for plans co-created before 2022 (development below involve, or
    implementation below inform, with the grace period of settings.TRAZA_CONTRARY_GRACE_UNTIL);
    the 2022 rule after (minimum requirements not met; no progress on any commitment)."""
    if data.plan.period_start < 2022:
        reasons = []
        level = INFLUENCE_LEVELS.index
        if level(development.final) < level("involve"):
            reasons.append(_("public influence during development was below “involve”"))
        if data.implementation_window and level(implementation.final) < level("inform"):
            reasons.append(_("public influence during implementation was below “inform”"))
        grace = bool(reasons) and data.plan.period_end <= settings.TRAZA_CONTRARY_GRACE_UNTIL
        return Contrary("2017", bool(reasons), grace, reasons)
    reasons = []
    minimum = [
        code
        for code in settings.TRAZA_MINIMUM_REQUIREMENTS
        if RULES_2021[code](data).status == NOT_MET
    ]
    if minimum:
        reasons.append(_("minimum requirements not met: %(codes)s") % {"codes": ", ".join(minimum)})
    if data.implementation_window and not data.accepted_progress:
        reasons.append(_("no progress on any commitment"))
    return Contrary("2022", bool(reasons), False, reasons)


# ---------------------------------------------------------------------------------------------
# The whole picture of a plan, with the assessor's overrides, and the warnings.


def allowed_override_values(subject: str) -> list[str] | None:
    """What an override of ``subject`` may say, or None for an unknown subject."""
    kind, _sep, code = subject.partition(":")
    if (kind == "2017" and code in RULES_2017) or (kind == "2021" and code in RULES_2021):
        return STATUSES
    if kind == "influence" and code in ("development", "implementation"):
        return INFLUENCE_LEVELS
    if subject == "contrary":
        return ["yes", "no"]
    return None


@dataclass
class ProcessHealth:
    plan: ActionPlan
    standards_2017: list[Verdict]
    standards_2021: list[Verdict]
    in_force: str
    starred_codes: list[str]
    development: Influence
    implementation: Influence
    contrary: Contrary
    warnings: list

    @property
    def starred_process(self) -> bool | None:
        """Whether every standard of the starred-process set is met (None: set not configured)."""
        if not self.starred_codes:
            return None
        by_code = {v.code: v for v in self.standards_2017}
        return all(by_code[c].final == MET for c in self.starred_codes)

    @property
    def all_verdicts(self) -> list[tuple[str, Verdict]]:
        return [("2017", v) for v in self.standards_2017] + [
            ("2021", v) for v in self.standards_2021
        ]


def process_health(plan: ActionPlan, today: dt.date | None = None) -> ProcessHealth:
    from traza.assessment.models import ProcessOverride

    data = gather(plan, today)
    overrides = {o.subject: o for o in ProcessOverride.objects.filter(plan=plan)}
    set_2017 = [rule(data) for rule in RULES_2017.values()]
    set_2021 = [
        rule(data)
        for code, rule in RULES_2021.items()
        if code in settings.TRAZA_MINIMUM_REQUIREMENTS
    ]
    for prefix, verdicts in (("2017", set_2017), ("2021", set_2021)):
        for verdict in verdicts:
            verdict.override = overrides.get(f"{prefix}:{verdict.code}")
    development = development_influence(data)
    development.override = overrides.get("influence:development")
    implementation = implementation_influence(data)
    implementation.override = overrides.get("influence:implementation")
    contrary = acted_contrary(data, development, implementation)
    contrary.override = overrides.get("contrary")
    return ProcessHealth(
        plan=plan,
        standards_2017=set_2017,
        standards_2021=set_2021,
        in_force="2017" if plan.period_start < 2022 else "2021",
        starred_codes=list(settings.TRAZA_STARRED_PROCESS_CODES),
        development=development,
        implementation=implementation,
        contrary=contrary,
        warnings=warnings_from(data),
    )


@dataclass
class Warning:
    text: str
    url: str = ""


def warnings_from(data: ProcessData) -> list[Warning]:
    """What puts a requirement at risk now: an event announced with too little notice, a
    forum idle for too long, contributions waiting too long for their response."""
    from traza.cocreation.models import Contribution

    warnings = []
    notice = settings.TRAZA_NOTICE_DAYS
    now = timezone.now()
    for event in data.events:
        if event.status == "cancelled" or event.starts_at < now:
            continue
        announced = timezone.localdate(event.announced_at) if event.announced_at else None
        days = _days(announced or data.today, timezone.localdate(event.starts_at))
        if days < notice:
            text = (
                _("“%(event)s” was announced %(days)d days ahead; the notice is %(notice)d days.")
                if announced
                else _("“%(event)s” starts in %(days)d days and is not announced yet.")
            )
            warnings.append(
                Warning(
                    text % {"event": event.title, "days": days, "notice": notice},
                    event.get_absolute_url(),
                )
            )
    idle = settings.TRAZA_FORUM_IDLE_DAYS
    for forum in data.forums:
        if not forum.active_on(data.today):
            continue
        held = [
            s.held_on for s in data.sessions if s.forum_id == forum.pk and s.held_on <= data.today
        ]
        last = max(held, default=forum.established_on)
        if _days(last, data.today) > idle:
            warnings.append(
                Warning(
                    _("%(forum)s has not met for %(days)d days (warning after %(idle)d).")
                    % {"forum": forum.name, "days": _days(last, data.today), "idle": idle},
                    forum.get_absolute_url(),
                )
            )
    wait = settings.TRAZA_RESPONSE_WAIT_DAYS
    cutoff = now - dt.timedelta(days=wait)
    waiting = (
        Contribution.objects.public()
        .filter(plan=data.plan, received_at__lt=cutoff)
        .filter(Q(response__isnull=True) | Q(response__published_at__isnull=True))
        .count()
    )
    if waiting:
        warnings.append(
            Warning(
                _(
                    "%(n)d contributions have waited more than %(days)d days for their reasoned response."
                )
                % {"n": waiting, "days": wait},
                reverse("cocreation:contributions", args=[data.plan.pk]),
            )
        )
    return warnings


def process_warnings(plan: ActionPlan, today: dt.date | None = None) -> list[Warning]:
    return warnings_from(gather(plan, today))
