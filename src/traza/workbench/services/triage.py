"""Compute the triage engine's proposals for a plan and store them (:class:`TriageRun`).

The engine (:mod:`traza.triage`) reads the plan's public contributions, its themes and its
commitments and proposals, and proposes groups, near-duplicates and, for each contribution, a
theme and up to three commitments. It can take seconds on a large plan, so it runs *outside*
any write transaction: the rows are read first, the engine runs, and only the storing of the
result (one row and its trace event) happens in a short transaction. Nothing is applied to
the contributions: a person decides (:mod:`traza.workbench.suggestions` reads the proposals).
"""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.cocreation.models import Contribution
from traza.core.services import record, require_perm, trace_language
from traza.plans.models import ActionPlan, Commitment, CommitmentStatus, Theme
from traza.triage import Config, Index
from traza.triage import Target as EngineTarget
from traza.triage import Theme as EngineTheme
from traza.workbench.models import TriageRun
from traza.workbench.suggestions import RESULT_FORMAT, inputs_fingerprint

#: Commitments and proposals a contribution may be about. Discarded proposals and withdrawn
#: commitments are left out: their decision is taken, and steering new contributions to them
#: would hide the live commitment that now carries the idea (the secretariat can still link a
#: contribution to one by hand).
TARGET_STATUSES = [
    CommitmentStatus.PROPOSAL,
    CommitmentStatus.APPROVED,
    CommitmentStatus.CLOSED,
]

#: The commitment fields whose words describe what it is about (title weighs double).
TARGET_TEXT_FIELDS = ["summary", "problem", "status_quo", "change_sought"]


def _targets(plan: ActionPlan) -> list[Commitment]:
    return list(
        Commitment.objects.filter(plan=plan, status__in=TARGET_STATUSES)
        .only("id", "number", "title", "theme_id", *TARGET_TEXT_FIELDS)
        .prefetch_related("milestones")
        .order_by("number")
    )


def _themes(plan: ActionPlan, commitments: list[Commitment]) -> list[Theme]:
    """Themes are shared by all plans; a plan's are those its commitments or contributions
    use. A plan that uses none yet is offered every theme."""
    used = {c.theme_id for c in commitments if c.theme_id}
    used |= set(
        Contribution.objects.filter(plan=plan, theme__isnull=False)
        .values_list("theme_id", flat=True)
        .distinct()
    )
    themes = Theme.objects.filter(pk__in=used) if used else Theme.objects.all()
    return list(themes.order_by("pk"))


def _engine_target(commitment: Commitment) -> EngineTarget:
    lines = [getattr(commitment, name) or "" for name in TARGET_TEXT_FIELDS]
    lines += [m.text for m in commitment.milestones.all()]
    return EngineTarget(
        id=commitment.pk,
        title=commitment.title,
        text="\n".join(line for line in lines if line.strip()),
        theme=str(commitment.theme_id) if commitment.theme_id else None,
    )


def compute(
    contributions: list[tuple[int, str]],
    themes: list[Theme],
    commitments: list[Commitment],
    config: Config | None = None,
) -> dict[str, Any]:
    """The stored ``result`` of a run (see :mod:`traza.workbench.suggestions`). Pure: reads
    nothing from the database beyond the objects given (milestones prefetched)."""
    index = Index(
        contributions,
        themes=[EngineTheme(str(t.pk), t.name) for t in themes],
        targets=[_engine_target(c) for c in commitments],
        config=config,
    )
    groups = index.groups(min_size=2)
    pairs = index.near_duplicates()
    suggestions = index.suggestions(k=3)

    group_of: dict[int, str] = {}
    stored_groups = []
    for g in groups:
        key = f"g{g.ids[0]}"  # the smallest id: stable within a run, often across runs
        stored_groups.append(
            {"key": key, "ids": list(g.ids), "score": g.score, "words": list(g.terms)}
        )
        for ident in g.ids:
            group_of[ident] = key
    duplicates: dict[int, list[list[float]]] = {}
    for p in pairs:  # best first already
        duplicates.setdefault(p.a, []).append([p.b, p.score])
        duplicates.setdefault(p.b, []).append([p.a, p.score])
    per_contribution: dict[str, dict[str, Any]] = {}
    for s in suggestions:
        theme = s.themes[0] if s.themes else None
        per_contribution[str(s.id)] = {
            "theme": [int(theme.key), theme.score, list(theme.words)] if theme else None,
            "targets": [[t.key, t.score, list(t.words)] for t in s.targets],
            "group": group_of.get(s.id),
            "duplicates": duplicates.get(s.id, []),
        }
    settings = asdict(index.config)
    settings.pop("synonyms", None)
    return {
        "format": RESULT_FORMAT,
        "groups": stored_groups,
        "contributions": per_contribution,
        "labels": {
            "themes": {str(t.pk): t.name for t in themes},
            "targets": {str(c.pk): str(c) for c in commitments},
        },
        "settings": settings,
    }


def run_triage(actor: Any, plan: ActionPlan, *, config: Config | None = None) -> TriageRun:
    """Compute the triage proposals of ``plan`` and store them as its :class:`TriageRun`.

    Requires ``cocreation.draft_response`` (whoever may draft answers may ask for help
    sorting them). Reads the plan's public contributions only: a contribution hidden by
    moderation is not proposed anywhere. The engine runs outside any transaction; the result
    is stored with one trace event (counts only, never a contribution's words). If a run that
    started later has already been stored meanwhile, it is kept and returned instead."""
    require_perm(actor, "cocreation.draft_response", plan)
    started = timezone.now()
    # The fingerprint is taken *before* the rows are read: a contribution arriving during the
    # computation makes the stored run stale rather than silently missing.
    fingerprint = inputs_fingerprint(plan)[0]
    contributions = list(
        Contribution.objects.public()
        .filter(plan=plan)
        .order_by("pk")
        .values_list("pk", "text")
        .iterator(chunk_size=2000)
    )
    commitments = _targets(plan)
    themes = _themes(plan, commitments)
    clock = time.perf_counter()
    result = compute(contributions, themes, commitments, config)
    seconds = round(time.perf_counter() - clock, 3)

    with transaction.atomic():
        # the plan's row serialises the storing of its runs (the first two would both insert)
        ActionPlan.objects.select_for_update().filter(pk=plan.pk).first()
        run = TriageRun.objects.filter(plan=plan).first()
        if run is not None and run.computed_at > started:
            return run  # a newer computation finished first
        creating = run is None
        before = 0 if run is None else run.contributions
        run = run or TriageRun(plan=plan)
        run.computed_at = started
        run.contributions = len(contributions)
        run.fingerprint = fingerprint
        run.seconds = seconds
        run.result = result
        run.save()
        with trace_language():
            summary = _(
                "Triage proposals computed: %(contributions)d contributions read, "
                "%(groups)d groups, %(duplicates)d possible duplicates."
            ) % {
                "contributions": len(contributions),
                "groups": len(result["groups"]),
                "duplicates": sum(len(v["duplicates"]) for v in result["contributions"].values())
                // 2,
            }
        record(
            actor,
            "create" if creating else "update",
            run,
            summary=summary,
            changes={"contributions": [None if creating else before, len(contributions)]},
            scope=plan,
        )
    return run
