"""The open datasets of monitoring: accepted progress, indicators and their public
measurements (registered in ``MonitoringConfig.ready()``; see ``traza.core.datasets``)."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_noop

from traza.core.datasets import Column as C
from traza.core.datasets import Dataset
from traza.monitoring.models import Indicator, Measurement, ProgressReport, Review


def _progress() -> QuerySet:
    return ProgressReport.objects.filter(review=Review.ACCEPTED).annotate(
        milestone_ref=F("milestone_id"),
        commitment_ref=F("milestone__commitment_id"),
        plan_ref=F("milestone__commitment__plan_id"),
        organization_name=F("organization__name"),
    )


def _indicators() -> QuerySet:
    return Indicator.objects.annotate(
        commitment_ref=Coalesce(F("commitment_id"), F("milestone__commitment_id")),
        milestone_ref=F("milestone_id"),
        plan_ref=Coalesce(F("commitment__plan_id"), F("milestone__commitment__plan_id")),
    )


def _measurements() -> QuerySet:
    return Measurement.objects.filter(
        Q(report__isnull=True) | Q(report__review=Review.ACCEPTED)
    ).annotate(indicator_ref=F("indicator_id"))


DATASETS = (
    Dataset(
        "progress",
        "Progress reports",
        gettext_noop("Progress on milestones accepted by the secretariat."),
        [
            C("id", "integer", "identifier"),
            C("milestone_ref", "integer", "milestone (milestones.id)"),
            C("commitment_ref", "integer", "commitment (commitments.id)"),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("status", "string", "not_started, in_progress or complete"),
            C("percent", "integer", "progress (%)"),
            C("narrative", "string", "what was done"),
            C("fact_date", "date", "date of the fact"),
            C("organization_name", "string", "reporting institution"),
            C("reviewed_at", "datetime", "accepted at"),
        ],
        _progress,
        filters={
            "plan": ("milestone__commitment__plan_id", int),
            "commitment": ("milestone__commitment_id", int),
        },
        position=70,
    ),
    Dataset(
        "indicators",
        "Indicators",
        gettext_noop("Indicators of commitments and milestones."),
        [
            C("id", "integer", "identifier"),
            C("commitment_ref", "integer", "commitment (commitments.id)"),
            C(
                "milestone_ref",
                "integer",
                "milestone (milestones.id), empty for a commitment's indicator",
            ),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("name", "string", "indicator"),
            C("level", "string", "activity, output, outcome or impact"),
            C("unit", "string", "unit"),
            C("baseline", "string", "baseline as written"),
            C("baseline_value", "number", "baseline"),
            C("baseline_date", "date", "baseline date"),
            C("target", "string", "target as written"),
            C("target_value", "number", "target"),
            C("target_date", "date", "target date"),
        ],
        _indicators,
        position=80,
    ),
    Dataset(
        "measurements",
        "Measurements",
        gettext_noop("Public measurements of the indicators."),
        [
            C("id", "integer", "identifier"),
            C("indicator_ref", "integer", "indicator (indicators.id)"),
            C("measured_on", "date", "date"),
            C("value", "number", "value"),
            C("note", "string", "note"),
            C("source", "string", "source"),
        ],
        _measurements,
        filters={"indicator": ("indicator_id", int)},
        position=90,
    ),
)
