"""The triage engine's stored proposals for a plan, as the workbench reads them (reads only).

:func:`traza.workbench.services.run_triage` computes the proposals (groups of contributions that
ask for the same thing, near-duplicates, the likely theme and commitments of each contribution)
and stores them in the plan's :class:`~traza.workbench.models.TriageRun`. This module reads that
row back in a bounded number of queries, whatever the plan's size, and says whether the inputs
changed since (``stale``). Nothing here is applied: a person decides.

The stored ``result`` (written only by the service) is::

    {"format": 1,
     "groups": [{"key": "g12", "ids": [12, 40], "score": 0.31, "words": ["camas", ...]}, ...],
     "contributions": {"12": {"theme": [theme_pk, score, [words]] | null,
                              "targets": [[commitment_pk, score, [words]], ...],
                              "group": "g12" | null,
                              "duplicates": [[other_id, score], ...]}, ...},
     "labels": {"themes": {"3": "Salud"}, "targets": {"7": "12. Central de camas"}},
     "settings": {...the engine's thresholds...}}
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max

from traza.cocreation.models import Contribution
from traza.core.models import TraceEvent
from traza.workbench.models import TriageRun

if TYPE_CHECKING:
    from traza.plans.models import ActionPlan

RESULT_FORMAT = 1

#: trace events that change what the engine reads: a contribution (its text, its plan, its
#: moderation through the discussion is counted by the number of public ones) and the
#: commitments and proposals it suggests (their text and milestones). Responses are not inputs.
INPUT_OBJECT_TYPES = ("cocreation.contribution", "plans.commitment", "plans.milestone")


@dataclass(frozen=True)
class Match:
    """A suggested theme or commitment."""

    target_id: int  # Theme.pk or Commitment.pk
    label: str
    score: float  # 0..1
    words: tuple[str, ...]  # the words that matched (surface forms, for display)


@dataclass(frozen=True)
class Group:
    """Contributions that seem to ask for the same thing."""

    key: str  # stable within a run
    contribution_ids: tuple[int, ...]
    score: float
    words: tuple[str, ...]


@dataclass(frozen=True)
class ContributionProposals:
    """What the engine proposes for one contribution (empty when it knows nothing of it)."""

    theme: Match | None = None
    #: up to 3, best first; empty = the engine abstains (about no commitment)
    targets: tuple[Match, ...] = ()
    group_key: str | None = None
    #: (other contribution id, score), best first
    duplicates: tuple[tuple[int, float], ...] = ()


EMPTY = ContributionProposals()


@dataclass
class PlanTriage:
    """The latest triage run of a plan, ready to read contribution by contribution."""

    run: TriageRun
    stale: bool  # contributions (or commitments) added or changed since the run
    groups: list[Group]  # groups of 2+, largest first
    _by_key: dict[str, Group] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._by_key:
            self._by_key = {g.key: g for g in self.groups}

    def for_contribution(self, contribution_id: int) -> ContributionProposals:
        """The proposals for one contribution; empty ones when the run did not read it."""
        result = self.run.result or {}
        entry = (result.get("contributions") or {}).get(str(contribution_id))
        if not entry:
            return EMPTY
        labels = result.get("labels") or {}
        theme_labels = labels.get("themes") or {}
        target_labels = labels.get("targets") or {}
        theme = entry.get("theme")
        return ContributionProposals(
            theme=_match(theme, theme_labels) if theme else None,
            targets=tuple(_match(t, target_labels) for t in entry.get("targets") or ()),
            group_key=entry.get("group"),
            duplicates=tuple((int(i), float(s)) for i, s in entry.get("duplicates") or ()),
        )

    def group(self, key: str) -> Group | None:
        return self._by_key.get(key)


def _match(stored: list[Any], labels: dict[str, str]) -> Match:
    pk, score, words = stored
    return Match(
        target_id=int(pk),
        label=labels.get(str(pk), str(pk)),
        score=float(score),
        words=tuple(words),
    )


def inputs_fingerprint(plan: ActionPlan) -> tuple[str, int]:
    """(fingerprint, number of public contributions) of what the engine reads for ``plan``.

    Two aggregate queries, never reading the rows: the public contributions' count, highest id
    and latest reception (a new or hidden contribution changes them), and the latest trace
    event about a contribution, commitment or milestone of the plan (an edit changes it:
    every write is traced, and the trace's plan column is indexed)."""
    figures = (
        Contribution.objects.public()
        .filter(plan=plan)
        .aggregate(count=Count("id"), last_id=Max("id"), last_received=Max("received_at"))
    )
    last_event = TraceEvent.objects.filter(
        plan_id=plan.pk, object_type__in=INPUT_OBJECT_TYPES
    ).aggregate(last=Max("id"))["last"]
    last_received = figures["last_received"]
    text = ":".join(
        [
            str(figures["count"]),
            str(figures["last_id"] or 0),
            last_received.isoformat() if last_received else "",
            str(last_event or 0),
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest(), figures["count"]


def plan_triage(plan: ActionPlan) -> PlanTriage | None:
    """The plan's stored triage proposals, or None when the triage never ran for it.

    Three queries, whatever the plan's size: the run, and the two aggregates of
    :func:`inputs_fingerprint` for ``stale``."""
    run = TriageRun.objects.filter(plan=plan).first()
    if run is None:
        return None
    fingerprint, _ = inputs_fingerprint(plan)
    result = run.result or {}
    groups = [
        Group(
            key=g["key"],
            contribution_ids=tuple(int(i) for i in g["ids"]),
            score=float(g["score"]),
            words=tuple(g.get("words") or ()),
        )
        for g in result.get("groups") or ()
        if len(g["ids"]) >= 2
    ]
    groups.sort(key=lambda g: (-len(g.contribution_ids), g.contribution_ids[0]))
    return PlanTriage(run=run, stale=fingerprint != run.fingerprint, groups=groups)
