"""The whole picture of a plan's process: every registered edition's verdicts with the
assessor's overrides, the level of public influence, the contrary verdict of the edition in
force, and the warnings of what puts a requirement at risk now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from traza.assessment.standards.gather import ProcessData, gather
from traza.assessment.standards.influence import (
    Contrary,
    Influence,
    acted_contrary,
    development_influence,
    implementation_influence,
)
from traza.assessment.standards.registry import Edition, registry
from traza.assessment.standards.verdicts import Verdict, days
from traza.assessment.standards.vocabulary import Phase, Status, Subject, influence_subject
from traza.cocreation.models import EventStatus
from traza.cocreation.queries import event_notice, overdue_count
from traza.plans.models import ActionPlan, Stage


@dataclass
class EditionVerdicts:
    """One edition's verdicts for a plan, and which of its codes make a starred process."""

    edition: Edition
    verdicts: list[Verdict]
    starred: list[str]

    @property
    def assessed(self) -> list[Verdict]:
        """The verdicts an assessor also gave (the IRM's, e.g. its Annex I)."""
        return [v for v in self.verdicts if v.override is not None]

    @property
    def agreeing(self) -> int:
        """How many of the assessor's verdicts the computed ones agree with."""
        return sum(1 for v in self.assessed if v.agrees)

    @property
    def no_data(self) -> int:
        """How many standards Traza holds no record to judge by."""
        return sum(1 for v in self.verdicts if v.status == Status.NO_DATA)


@dataclass
class RiskWarning:
    """Something that puts a requirement at risk now, with where to act on it."""

    text: str
    url: str = ""


@dataclass
class ProcessHealth:
    """A plan's process as the registry's editions judge it (what the page and API show)."""

    plan: ActionPlan
    sections: list[EditionVerdicts]  # one per registered edition, in registration order
    edition_in_force: Edition
    development: Influence
    implementation: Influence
    contrary: Contrary
    warnings: list[RiskWarning]

    @property
    def in_force(self) -> str:
        """The key of the edition that governs the plan."""
        return self.edition_in_force.key

    def verdicts(self, edition: str) -> list[Verdict]:
        """The verdicts of one edition (empty when it is not registered)."""
        return next((s.verdicts for s in self.sections if s.edition.key == edition), [])

    @property
    def starred_codes(self) -> list[str]:
        return [code for section in self.sections for code in section.starred]

    @property
    def closed(self) -> bool:
        return self.plan.stage == Stage.CLOSED

    @property
    def starred_process(self) -> bool | None:
        """Whether every standard of the starred-process set is met (None: set not configured)."""
        if not self.starred_codes:
            return None
        final = {(s.edition.key, v.code): v.final for s in self.sections for v in s.verdicts}
        return all(
            final[s.edition.key, code] == Status.MET for s in self.sections for code in s.starred
        )

    @property
    def all_verdicts(self) -> list[tuple[str, Verdict]]:
        """(edition key, verdict) of every edition, in registration order."""
        return [(s.edition.key, v) for s in self.sections for v in s.verdicts]

    @property
    def page_sections(self) -> list[EditionVerdicts]:
        """The sections as the process page shows them: the newest edition first."""
        return sorted(
            self.sections,
            key=lambda s: s.edition.effective_from or dt.date.min,
            reverse=True,
        )


def _starred(edition: Edition) -> list[str]:
    codes = list(settings.TRAZA_STARRED_PROCESS_CODES) if edition.starred_set else []
    return codes + [s.code for s in edition.selected() if s.starred and s.code not in codes]


def process_health(plan: ActionPlan, today: dt.date | None = None) -> ProcessHealth:
    data = gather(plan, today)
    overrides = data.overrides
    sections = []
    for edition in registry.editions():
        verdicts = []
        for standard in edition.selected():
            verdict = standard.judge(data)
            verdict.override = overrides.get(standard.subject)
            verdict.closed = data.closed
            verdicts.append(verdict)
        sections.append(EditionVerdicts(edition, verdicts, _starred(edition)))
    development = development_influence(data)
    development.override = overrides.get(influence_subject(Phase.DEVELOPMENT))
    implementation = implementation_influence(data)
    implementation.override = overrides.get(influence_subject(Phase.IMPLEMENTATION))
    contrary = acted_contrary(data, development, implementation)
    contrary.override = overrides.get(Subject.CONTRARY)
    return ProcessHealth(
        plan=plan,
        sections=sections,
        edition_in_force=registry.edition_for(plan),
        development=development,
        implementation=implementation,
        contrary=contrary,
        warnings=[] if data.closed else warnings_from(data),  # nothing is at risk any more
    )


def warnings_from(data: ProcessData) -> list[RiskWarning]:
    """What puts a requirement at risk now: an event announced with too little notice, a
    forum idle for too long, contributions waiting too long for their response."""
    warnings = []
    now = timezone.now()
    for event in data.events:
        if event.status == EventStatus.CANCELLED or event.starts_at < now:
            continue
        notice = event_notice(event, data.timeline)  # the calendar's and 4b's notice
        if not notice.short:
            continue
        if notice.days is None:
            ahead = days(data.today, notice.starts_on)
            text = ngettext(
                "“%(event)s” starts in %(days)d day and is not announced yet.",
                "“%(event)s” starts in %(days)d days and is not announced yet.",
                ahead,
            )
        else:
            ahead = notice.days
            text = ngettext(
                "“%(event)s” was announced %(days)d day ahead; the notice is %(notice)d days.",
                "“%(event)s” was announced %(days)d days ahead; the notice is %(notice)d days.",
                ahead,
            )
        warnings.append(
            RiskWarning(
                text % {"event": event.title, "days": ahead, "notice": notice.minimum},
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
        if days(last, data.today) > idle:
            warnings.append(
                RiskWarning(
                    _("%(forum)s has not met for %(days)d days (warning after %(idle)d).")
                    % {"forum": forum.name, "days": days(last, data.today), "idle": idle},
                    forum.get_absolute_url(),
                )
            )
    wait = settings.TRAZA_RESPONSE_WAIT_DAYS
    waiting = overdue_count(data.plan, now)
    if waiting:
        warnings.append(
            RiskWarning(
                ngettext(
                    "%(n)d contribution has waited more than %(days)d days for its reasoned response.",
                    "%(n)d contributions have waited more than %(days)d days for their reasoned response.",
                    waiting,
                )
                % {"n": waiting, "days": wait},
                reverse("cocreation:contributions", args=[data.plan.pk]),
            )
        )
    return warnings


def process_warnings(plan: ActionPlan, today: dt.date | None = None) -> list[RiskWarning]:
    return warnings_from(gather(plan, today))
