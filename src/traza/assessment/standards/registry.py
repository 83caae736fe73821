"""The registry of OGP standards: editions (with their dates) and the standards of each, every
one declared once with its code, title, rule and what it reads as evidence.

The engine (health.py) only asks the registry which editions exist, which one governs a plan
and which standards each holds; it knows no edition by name. OGP's editions are registered by
the modules of ``editions/``; a new edition, or a country's own rule, is registered the same way
from outside the engine, e.g. in an app's ``AppConfig.ready()``::

    from traza.assessment.standards import Edition, Finding, Status, register_edition, standard

    PERU = register_edition(
        Edition(key="pe", name=_("Peru's rules"), heading=..., caption=..., supplement=True)
    )

    @standard(PERU, "pe.1", title=_("Summary in Quechua"), evidence=_("..."))
    def quechua_summary(data: ProcessData) -> Finding:
        return Finding(Status.MET, _("..."))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Choices
from django.utils.functional import Promise

from traza.assessment.standards.vocabulary import (
    INFLUENCE_LEVELS,
    STATUSES,
    Phase,
    Subject,
    YesNo,
    standard_subject,
)

if TYPE_CHECKING:
    from traza.assessment.standards.gather import ProcessData
    from traza.assessment.standards.influence import Contrary, Influence
    from traza.assessment.standards.verdicts import Finding, Verdict
    from traza.plans.models import ActionPlan

    Rule = Callable[[ProcessData], Finding]
    ContraryRule = Callable[[ProcessData, "Edition", Influence, Influence], Contrary]


@dataclass(frozen=True)
class Edition:
    """A set of standards adopted together, with the dates it governs.

    ``key`` prefixes the override subjects (``2017:1a``) and is the API's ``set``; it never
    changes once published. The edition in force for a plan is the latest non-supplement one
    whose ``effective_from`` is on or before the plan's first day (``None``: from the start).
    Every edition is computed for every plan; the one in force gives the "acted contrary" rule.
    ``name``, ``heading`` and ``caption`` are translatable strings of code, shown unescaped like
    a template's ``{% translate %}``: never put data typed by users in them.
    """

    key: str
    name: Promise | str  # "2017 standards": what the page says is in force
    heading: Promise | str  # the heading of its section on the process page
    caption: Promise | str  # the caption of its table
    effective_from: dt.date | None = None
    contrary: ContraryRule | None = None
    # A setting listing the codes to compute (the others are left out), e.g. the minimum
    # requirements an operator applies; empty: every standard of the edition.
    codes_setting: str = ""
    # TRAZA_STARRED_PROCESS_CODES names standards of this edition.
    starred_set: bool = False
    # Computed beside the edition in force (a country's own rules), never in force itself.
    supplement: bool = False

    def standards(self) -> list[Standard]:
        """Its standards, in the order they were registered."""
        return registry.standards(self.key)

    def selected_codes(self) -> list[str]:
        """The codes to compute: those its setting names (in the setting's order), or all."""
        if self.codes_setting:
            return list(getattr(settings, self.codes_setting))
        return [s.code for s in self.standards()]

    def selected(self) -> list[Standard]:
        """The standards to compute, in registration order."""
        codes = set(self.selected_codes())
        return [s for s in self.standards() if s.code in codes]


@dataclass(frozen=True)
class Standard:
    """One standard: where it belongs, what it is called, how it is judged and from what."""

    edition: str
    code: str
    title: Promise | str
    rule: Rule
    evidence: Promise | str  # what the rule reads, in a sentence
    # Counts for a starred process whatever TRAZA_STARRED_PROCESS_CODES says.
    starred: bool = False

    @property
    def subject(self) -> str:
        """What an assessor's override of it is filed under."""
        return standard_subject(self.edition, self.code)

    def judge(self, data: ProcessData) -> Verdict:
        """Run the rule on the gathered data and name the verdict after the standard."""
        from traza.assessment.standards.verdicts import Verdict

        finding = self.rule(data)
        return Verdict(
            self.code,
            self.title,
            finding.status,
            finding.explanation,
            list(finding.evidence),
            reads=self.evidence,
        )


class Registry:
    """Editions and their standards, in registration order."""

    def __init__(self) -> None:
        self._editions: dict[str, Edition] = {}
        self._standards: dict[str, dict[str, Standard]] = {}

    # -- editions

    def register_edition(self, edition: Edition) -> Edition:
        if edition.key in self._editions:
            raise ValueError(f"edition {edition.key!r} is already registered")
        if ":" in edition.key or edition.key in list(Subject):
            raise ValueError(f"{edition.key!r} cannot be the key of an edition")
        self._editions[edition.key] = edition
        self._standards[edition.key] = {}
        return edition

    def unregister_edition(self, key: str) -> None:
        """Forget an edition and its standards."""
        del self._editions[key]
        del self._standards[key]

    def editions(self) -> list[Edition]:
        return list(self._editions.values())

    def edition(self, key: str) -> Edition:
        return self._editions[key]

    def edition_on(self, day: dt.date) -> Edition:
        """The edition in force on ``day``: the latest that had come into force, or the
        earliest when none had."""
        dated = sorted(
            (e for e in self._editions.values() if not e.supplement),
            key=lambda e: e.effective_from or dt.date.min,
        )
        if not dated:
            raise LookupError("no edition of the standards is registered")
        started = [e for e in dated if (e.effective_from or dt.date.min) <= day]
        return started[-1] if started else dated[0]

    def edition_for(self, plan: ActionPlan) -> Edition:
        """The edition that governs a plan, dated by the first day of its period."""
        return self.edition_on(plan_day(plan))

    # -- standards

    def register(self, standard: Standard) -> Standard:
        if standard.edition not in self._editions:
            raise LookupError(f"unknown edition {standard.edition!r}")
        codes = self._standards[standard.edition]
        if standard.code in codes:
            raise ValueError(f"standard {standard.subject!r} is already registered")
        codes[standard.code] = standard
        return standard

    def unregister(self, edition: str, code: str) -> None:
        del self._standards[edition][code]

    def standards(self, edition: str) -> list[Standard]:
        return list(self._standards[edition].values())

    def find(self, edition: str, code: str) -> Standard | None:
        return self._standards.get(edition, {}).get(code)

    def get(self, edition: str, code: str) -> Standard:
        return self._standards[edition][code]

    def __iter__(self) -> Iterator[Standard]:
        for codes in self._standards.values():
            yield from codes.values()

    def standard(
        self,
        edition: Edition | str,
        code: str,
        *,
        evidence: Promise | str,
        title: Promise | str | None = None,
        starred: bool = False,
    ) -> Callable[[Rule], Rule]:
        """Register the decorated rule as a standard; the title defaults to the label of
        ``code`` when it is a TextChoices member."""
        key = edition.key if isinstance(edition, Edition) else edition
        if title is None:
            if not isinstance(code, Choices):
                raise TypeError("a code that is not a TextChoices member needs a title")
            title = code.label

        def register(rule: Rule) -> Rule:
            self.register(Standard(key, str(code), title, rule, evidence, starred))
            return rule

        return register

    # -- overrides

    def allowed_override_values(self, subject: str) -> list[str] | None:
        """What an override of ``subject`` may say, or None for an unknown subject."""
        kind, _sep, code = subject.partition(":")
        if self.find(kind, code) is not None:
            return STATUSES
        if kind == Subject.INFLUENCE and code in list(Phase):
            return INFLUENCE_LEVELS
        if subject == Subject.CONTRARY:
            return list(YesNo)
        return None


def plan_day(plan: ActionPlan) -> dt.date:
    """The day that dates a plan against the editions: the first day of its period."""
    return dt.date(plan.period_start, 1, 1)


registry = Registry()
register_edition = registry.register_edition
unregister_edition = registry.unregister_edition
register_standard = registry.register
unregister_standard = registry.unregister
standard = registry.standard
allowed_override_values = registry.allowed_override_values
