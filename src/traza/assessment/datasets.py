"""The open datasets of the assessment: the IRM's ratings with the flags derived from them,
and each plan's OGP standards as computed (registered in ``AssessmentConfig.ready()``; see
``traza.core.datasets``)."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext_noop

from traza.assessment.models import Methodology, Rating
from traza.assessment.rules import derive
from traza.core.datasets import Column as C
from traza.core.datasets import Dataset
from traza.plans.models import ActionPlan


def _ratings() -> QuerySet:
    return Rating.objects.annotate(
        commitment_ref=F("commitment_id"),
        milestone_ref=F("milestone_id"),
        plan_ref=F("commitment__plan_id"),
    )


def _derive(row: dict) -> dict:
    derived = derive(SimpleNamespace(**row)) if row["methodology"] != Methodology.B_2021 else None
    row["relevant"] = derived.relevant if derived else None
    row["potentially_starred"] = derived.potentially_starred if derived else None
    row["starred"] = derived.starred if derived else None
    return row


def _standards_rows(filters: dict[str, Any]) -> Iterator[dict]:
    from traza.assessment.standards import process_health  # a read over every app: lazily

    plans = ActionPlan.objects.select_related("member").order_by("id")
    if "plan" in filters:
        plans = plans.filter(pk=filters["plan"])
    for plan in plans:
        for set_name, verdict in process_health(plan).all_verdicts:
            yield {
                "plan_id": plan.pk,
                "set": set_name,
                "code": verdict.code,
                "title": str(verdict.title),
                "status": verdict.final,
                "computed_status": verdict.computed,
                "explanation": str(verdict.explanation),
                "override_justification": verdict.override.justification
                if verdict.override
                else "",
            }


DATASETS = (
    Dataset(
        "ratings",
        "IRM ratings",
        gettext_noop("The IRM's ratings, with the flags derived from them."),
        [
            C("id", "integer", "identifier"),
            C("commitment_ref", "integer", "commitment (commitments.id)"),
            C("milestone_ref", "integer", "milestone (milestones.id)"),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("methodology", "string", "A_2014, A_2017 or B_2021"),
            C("stage", "string", "report"),
            C("verifiability", "string", "verifiability (2014-2020)"),
            C("access_to_information", "boolean", "relevant to access to information"),
            C("civic_participation", "boolean", "relevant to civic participation"),
            C("public_accountability", "boolean", "relevant to public accountability"),
            C("technology_innovation", "boolean", "relevant to technology and innovation"),
            C("relevance_assessed", "boolean", "relevance was assessed"),
            C("potential_impact", "string", "potential impact"),
            C("completion", "string", "completion"),
            C("diog", "string", "did it open government?"),
            C("verifiable", "string", "verifiable (2021+)"),
            C("open_government_lens", "boolean", "open-government lens (2021+)"),
            C("potential_for_results", "string", "potential for results (2021+)"),
            C("promising", "boolean", "promising (2021+)"),
            C("early_results", "string", "early results (2021+)"),
            C("assessed_on", "date", "assessed on"),
            C("source", "string", "source"),
            C("relevant", "boolean", "derived: relevant", True),
            C("potentially_starred", "boolean", "derived: potentially starred", True),
            C("starred", "boolean", "derived: starred", True),
        ],
        _ratings,
        filters={"plan": ("commitment__plan_id", int)},
        post=_derive,
        position=140,
    ),
    Dataset(
        "standards",
        "OGP standards",
        gettext_noop(
            "Each plan's standards as computed from the data, with any assessor's override."
        ),
        [
            C("plan_id", "integer", "action plan (plans.id)"),
            C("set", "string", "2017 or 2021"),
            C("code", "string", "standard"),
            C("title", "string", "standard's title"),
            C("status", "string", "met, in_progress, not_met or no_data"),
            C("computed_status", "string", "computed: met, in_progress, not_met or no_data"),
            C("explanation", "string", "why"),
            C("override_justification", "string", "assessor's justification"),
        ],
        filters={"plan": ("plan", int)},
        rows_builder=_standards_rows,
        position=150,
    ),
)
