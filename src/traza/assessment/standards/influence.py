"""The level of public influence (the IAP2 spectrum as the IRM adapts it, OGP-RULES.md §3) and
"acted contrary to process" (§2.3). Each edition names its contrary rule; the one of the
edition in force for the plan decides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from traza.assessment.standards.registry import Edition, registry
from traza.assessment.standards.vocabulary import (
    INFLUENCE_LABELS,
    InfluenceLevel,
    Phase,
    Status,
    YesNo,
)

if TYPE_CHECKING:
    from traza.assessment.models import ProcessOverride
    from traza.assessment.standards.gather import ProcessData
    from traza.forum.models import Session

Step = tuple[InfluenceLevel, bool, str]  # level, reached, why


@dataclass
class Influence:
    phase: Phase
    level: str
    reasons: list[str]
    override: ProcessOverride | None = None

    @property
    def final(self) -> str:
        return self.override.value if self.override else self.level

    @property
    def label(self) -> str:
        return str(INFLUENCE_LABELS[self.final])

    @property
    def computed_label(self) -> str:
        return str(INFLUENCE_LABELS[self.level])


def _climb(steps: list[Step]) -> tuple[InfluenceLevel, list[str]]:
    """The highest level reached without skipping one, with the reason of each step."""
    level, reasons = InfluenceLevel.NO_CONSULTATION, []
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


def _influence_steps(data: ProcessData, sessions: list[Session], answered: bool) -> list[Step]:
    co_set = [s for s in sessions if s.agenda_co_set and s.decisions.all()]
    binding = [d for s in sessions for d in s.decisions.all() if d.binding]
    return [
        (
            InfluenceLevel.INFORM,
            bool(data.timeline or data.events),
            _("information on the plan was published"),
        ),
        (InfluenceLevel.CONSULT, data.contributions > 0, _("an input channel was open")),
        (InfluenceLevel.INVOLVE, answered, _("reasoned responses were published")),
        (
            InfluenceLevel.COLLABORATE,
            bool(co_set),
            _("civil society co-set the agenda and decided jointly"),
        ),
        (InfluenceLevel.EMPOWER, bool(binding), _("the public took a binding decision")),
    ]


def development_influence(data: ProcessData) -> Influence:
    end = data.plan.approved_on or data.plan.co_creation_ends_on or data.end
    sessions = data.sessions_between(data.start, end)
    return Influence(
        Phase.DEVELOPMENT, *_climb(_influence_steps(data, sessions, _share_answered(data)))
    )


def implementation_influence(data: ProcessData) -> Influence:
    window = data.implementation_window
    if window is None:
        return Influence(
            Phase.IMPLEMENTATION,
            InfluenceLevel.NO_CONSULTATION,
            [_("Implementation has not started.")],
        )
    sessions = data.sessions_between(*window)
    informed = data.accepted_progress > 0
    steps = _influence_steps(data, sessions, _share_answered(data))
    steps[0] = (InfluenceLevel.INFORM, informed, _("progress on the commitments is published"))
    steps[1] = (
        InfluenceLevel.CONSULT,
        bool(sessions) or data.forum_inputs > 0,
        _("civil society can give input during implementation"),
    )
    return Influence(Phase.IMPLEMENTATION, *_climb(steps))


@dataclass
class Contrary:
    rule_version: str
    contrary: bool
    grace: bool
    reasons: list[str]
    override: ProcessOverride | None = None

    @property
    def final(self) -> bool:
        if self.override:
            return self.override.value == YesNo.YES
        return self.contrary and not self.grace


def contrary_2017(
    data: ProcessData, edition: Edition, development: Influence, implementation: Influence
) -> Contrary:
    """Development below "involve", or implementation below "inform", with the grace period
    of settings.TRAZA_CONTRARY_GRACE_UNTIL."""
    rank = InfluenceLevel.rank
    reasons = []
    if rank(development.final) < rank(InfluenceLevel.INVOLVE):
        reasons.append(_("public influence during development was below “involve”"))
    if data.implementation_window and rank(implementation.final) < rank(InfluenceLevel.INFORM):
        reasons.append(_("public influence during implementation was below “inform”"))
    grace = bool(reasons) and data.plan.period_end <= settings.TRAZA_CONTRARY_GRACE_UNTIL
    return Contrary("2017", bool(reasons), grace, reasons)


def contrary_2022(
    data: ProcessData, edition: Edition, development: Influence, implementation: Influence
) -> Contrary:
    """The edition's minimum requirements not met, or no progress on any commitment. A
    requirement the assessor has judged counts with the assessor's verdict; one with no data
    is not counted as not met."""
    reasons = []
    minimum = []
    for code in edition.selected_codes():
        requirement = registry.get(edition.key, code)
        override = data.overrides.get(requirement.subject)
        status = override.value if override else requirement.judge(data).status
        if status == Status.NOT_MET:
            minimum.append(code)
    if minimum:
        reasons.append(_("minimum requirements not met: %(codes)s") % {"codes": ", ".join(minimum)})
    if data.implementation_window and not data.accepted_progress:
        reasons.append(_("no progress on any commitment"))
    return Contrary("2022", bool(reasons), False, reasons)


def acted_contrary(
    data: ProcessData, development: Influence, implementation: Influence
) -> Contrary:
    """The contrary rule of the edition in force for the plan (OGP-RULES.md §2.3)."""
    edition = registry.edition_for(data.plan)
    if edition.contrary is None:
        return Contrary("", False, False, [])
    return edition.contrary(data, edition, development, implementation)
