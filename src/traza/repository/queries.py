"""Reads of the repository: documents and, beside them, the evidence attached elsewhere
(events, contributions, accepted progress), listed together without copies."""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, DateTimeField, F, IntegerField, Max, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce

from traza.plans.models import ActionPlan
from traza.repository.models import Document, DocumentVersion

EVIDENCE = "evidence"


def listing(kind: str = "", plan: int | None = None, language: str = "") -> QuerySet:
    """Rows of (source, pk, title, kind, date, plan_id, language, link), newest first: documents,
    public co-creation evidence and evidence of accepted progress reports."""
    from traza.cocreation.models import Evidence
    from traza.monitoring.models import ProgressEvidence, Review

    documents = Document.objects.annotate(
        source=Value("document", output_field=CharField()),
        day=Cast("document_date", DateTimeField()),
        plan_ref=F("plan_id"),
        lang=F("language"),
        link=Value("", output_field=CharField()),
    )
    events = Evidence.objects.public().annotate(
        source=Value("event_evidence", output_field=CharField()),
        day=F("uploaded_at"),
        plan_ref=Coalesce(
            F("event__plan_id"), F("contribution__plan_id"), output_field=IntegerField()
        ),
        lang=Value("", output_field=CharField()),
        kind_value=Value(EVIDENCE, output_field=CharField()),
        link=F("url"),
    )
    progress = ProgressEvidence.objects.filter(report__review=Review.ACCEPTED).annotate(
        source=Value("progress_evidence", output_field=CharField()),
        day=F("report__reviewed_at"),
        plan_ref=F("report__milestone__commitment__plan_id"),
        lang=Value("", output_field=CharField()),
        kind_value=Value(EVIDENCE, output_field=CharField()),
        link=F("url"),
    )
    if plan:
        documents = documents.filter(plan_id=plan)
        events = events.filter(Q(event__plan_id=plan) | Q(contribution__plan_id=plan))
        progress = progress.filter(report__milestone__commitment__plan_id=plan)
    if language:
        documents = documents.filter(language=language)
        events, progress = events.none(), progress.none()
    if kind:
        documents = documents.filter(kind=kind)
        if kind != EVIDENCE:
            events, progress = events.none(), progress.none()
    documents = documents.order_by().values_list(
        "source", "pk", "title", "kind", "day", "plan_ref", "lang", "link"
    )
    events = events.order_by().values_list(
        "source", "pk", "title", "kind_value", "day", "plan_ref", "lang", "link"
    )
    progress = progress.order_by().values_list(
        "source", "pk", "title", "kind_value", "day", "plan_ref", "lang", "link"
    )
    return documents.union(events, progress, all=True).order_by("-day", "source", "-pk")


def last_updated(plan: ActionPlan) -> dt.datetime | None:
    """When the plan's repository last received something (standard 2.2 reads it)."""
    from traza.cocreation.models import Evidence
    from traza.monitoring.models import ProgressReport, Review

    dates = [
        DocumentVersion.objects.filter(document__plan=plan).aggregate(d=Max("uploaded_at"))["d"],
        Evidence.objects.public()
        .filter(Q(event__plan=plan) | Q(contribution__plan=plan))
        .aggregate(d=Max("uploaded_at"))["d"],
        ProgressReport.objects.filter(
            review=Review.ACCEPTED, milestone__commitment__plan=plan, evidence__isnull=False
        ).aggregate(d=Max("reviewed_at"))["d"],
    ]
    dates = [d for d in dates if d]
    return max(dates) if dates else None
