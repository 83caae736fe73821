"""What a rule finds and what the engine makes of it, and the helpers several rules share.

A rule returns a ``Finding`` (status, one-line explanation, the evidence it read); the engine
names it after its standard (a ``Verdict``) and puts the assessor's override beside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from traza.assessment.standards.vocabulary import Status, status_label
from traza.forum.models import Role, Sector

if TYPE_CHECKING:
    from traza.assessment.models import ProcessOverride
    from traza.assessment.standards.gather import ProcessData
    from traza.forum.models import Membership, Session


@dataclass
class EvidenceLink:
    """A piece of evidence a verdict points to (not the co-creation ``Evidence`` model)."""

    label: str
    url: str = ""


@dataclass
class Finding:
    """What a rule concludes from the data, before it is named after its standard."""

    status: Status
    explanation: str
    evidence: list[EvidenceLink] = field(default_factory=list)


@dataclass
class Verdict:
    code: str
    title: Promise | str
    status: str
    explanation: str
    evidence: list[EvidenceLink] = field(default_factory=list)
    override: ProcessOverride | None = None
    reads: Promise | str = ""  # what the rule reads (the standard's ``evidence``)
    closed: bool = False  # the plan is closed: "in progress" reads "partly met"

    @property
    def computed(self) -> str:
        return self.status

    @property
    def final(self) -> str:
        return self.override.value if self.override else self.status

    @property
    def status_label(self) -> str:
        return status_label(self.final, self.closed)

    @property
    def computed_label(self) -> str:
        return status_label(self.status, self.closed)

    @property
    def assessed_label(self) -> str:
        """The assessor's verdict in words ("" when there is none)."""
        return status_label(self.override.value, self.closed) if self.override else ""

    @property
    def agrees(self) -> bool | None:
        """Whether the computed verdict is the assessor's (None: no assessor's verdict)."""
        if self.override is None:
            return None
        return self.override.value == self.status

    @property
    def difference(self) -> str:
        """Why the computed verdict differs from the assessor's, in a sentence ("" when they
        agree or there is no assessor's verdict). The assessor's justification, shown beside,
        says what the assessor read."""
        if self.override is None or self.agrees:
            return ""
        computed, assessed = Status.rank(self.status), Status.rank(self.override.value)
        if computed is None:
            return _(
                "Traza holds no record to judge this by (it reads: %(reads)s); the assessor "
                "judged it from the sources in the justification."
            ) % {"reads": str(self.reads).rstrip(".") or _("the records of the process")}
        if assessed is None or computed < assessed:
            return _(
                "The records here show less than the assessor found: the assessor saw "
                "evidence that is not recorded in Traza, or judged the standard as a whole "
                "where Traza counts each record."
            )
        return _(
            "The records here show more than the assessor credited: Traza counts what is "
            "recorded, the assessor also weighed when and how well it was done."
        )


def days(start: dt.date, end: dt.date) -> int:
    return (end - start).days


def graded(all_: bool, any_: bool) -> Status:
    """Met when everything counts, in progress when something does, not met otherwise."""
    return Status.MET if all_ else Status.IN_PROGRESS if any_ else Status.NOT_MET


def met_if(condition: bool) -> Status:
    return Status.MET if condition else Status.NOT_MET


def share(part: int, whole: int, what: str, evidence: list[EvidenceLink] | None = None) -> Finding:
    """Met when every one counts, in progress when some do, not met when none does."""
    return Finding(graded(bool(whole and part == whole), bool(part)), what, evidence or [])


def forum_evidence(data: ProcessData) -> list[EvidenceLink]:
    return [EvidenceLink(f.name, f.get_absolute_url()) for f in data.forums]


def no_forum() -> Finding:
    """No forum of the member is recorded for the plan's time: no data, not a failure (the
    forum may exist without being recorded here)."""
    registry = EvidenceLink(_("Forums recorded"), reverse("forum:list"))
    return Finding(
        Status.NO_DATA,
        _("No multi-stakeholder forum of this member is recorded for the time of this plan."),
        [registry],
    )


def no_data(text: str, evidence: list[EvidenceLink] | None = None) -> Finding:
    """Nothing recorded to judge a standard by."""
    return Finding(Status.NO_DATA, text, evidence or [])


def widest_gap(data: ProcessData) -> tuple[int, list[Session]]:
    """The longest stretch without a session while a forum existed during the process
    (edges included), and the sessions it read."""
    forum_start = max(data.start, min(f.established_on for f in data.forums))
    ends = [f.dissolved_on for f in data.forums if f.dissolved_on]
    forum_end = min([data.end, *ends]) if len(ends) == len(data.forums) else data.end
    sessions = data.sessions_between(forum_start, forum_end)
    points = [forum_start, *[s.held_on for s in sessions], forum_end]
    gap = max((days(a, b) for a, b in pairwise(points)), default=0)
    return gap, sessions


def session_evidence(sessions: list[Session]) -> list[EvidenceLink]:
    return [
        EvidenceLink(
            _("Session of %(date)s") % {"date": s.held_on.isoformat()}, s.forum.get_absolute_url()
        )
        for s in sessions[-3:]
    ]


def sectors(data: ProcessData) -> tuple[list[Membership], list[Membership]]:
    """The serving members of each sector, alternates left out."""
    members = [m for m in data.members_serving() if m.role != Role.ALTERNATE]
    government = [m for m in members if m.sector == Sector.GOVERNMENT]
    others = [m for m in members if m.sector == Sector.NON_GOVERNMENT]
    return government, others


def plan_link(data: ProcessData, name: str, label: Any) -> EvidenceLink:
    return EvidenceLink(str(label), reverse(name, args=[data.plan.pk]))


def yes_no(value: Any) -> str:
    return _("yes") if value else _("no")


def responses(data: ProcessData) -> Finding:
    """Reasoned responses published to the contributions (2017: 4e; 2021: 4.1)."""
    if not data.contributions:
        return no_data(_("No contribution is recorded for this plan."))
    text = ngettext(
        "%(answered)d of %(n)d contribution has a published reasoned response; documented with evidence: %(evidence)d.",
        "%(answered)d of %(n)d contributions have a published reasoned response; documented with evidence: %(evidence)d.",
        data.contributions,
    ) % {
        "answered": data.answered,
        "n": data.contributions,
        "evidence": data.with_evidence,
    }
    evidence = [
        plan_link(data, "cocreation:contributions", _("Contributions and reasoned responses")),
        plan_link(data, "cocreation:flow", _("From contributions to commitments")),
    ]
    return share(data.answered, data.contributions, text, evidence)


def repository(data: ProcessData) -> Finding:
    """Documents of the process and evidence of co-creation and, once it started, of
    implementation, in the public repository; the date it was last updated (2017: 5a;
    2021: 2.2)."""
    implementing = data.implementation_window is not None
    co_creation = bool(data.cocreation_evidence or data.documents)
    parts = [co_creation] + ([bool(data.implementation_evidence)] if implementing else [])
    text = _(
        "Public documents and evidence of co-creation: %(co)s; of implementation: %(impl)s."
    ) % {
        "co": yes_no(co_creation),
        "impl": yes_no(data.implementation_evidence) if implementing else _("not started"),
    }
    if data.repository_updated:
        text += " " + _("Last updated on %(date)s.") % {
            "date": timezone.localdate(data.repository_updated).isoformat()
        }
    evidence = [EvidenceLink(d.title, d.get_absolute_url()) for d in data.documents[:2]]
    evidence += [EvidenceLink(e.title, e.get_absolute_url()) for e in data.cocreation_evidence[:2]]
    evidence += [
        EvidenceLink(e.title, e.url or reverse("monitoring:evidence", args=[e.pk]))
        for e in data.implementation_evidence[:2]
    ]
    repository = EvidenceLink(
        _("Documents"), reverse("repository:documents") + f"?plan={data.plan.pk}"
    )
    if not any(parts):
        return no_data(
            _("No public document or evidence of this plan's process is recorded here."),
            [repository],
        )
    return Finding(graded(all(parts), any(parts)), text, [*evidence, repository])
