"""Pages of what happened: the trace download of a plan and the timeline of a commitment
(the Atom feed is in ``feeds.py``)."""

import json

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from traza.activity import queries
from traza.core.tabular import csv_lines, safe_cell
from traza.plans.models import ActionPlan, Commitment

TRACE_FIELDS = [
    "id",
    "occurred_at",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "scope",
    "summary",
    "reason",
    "changes",
    "previous_hash",
    "hash",
]


def plan_trace(request: HttpRequest, pk: int, fmt: str) -> StreamingHttpResponse:
    """The plan's trace with its hashes, for anyone to check: each event's hash is the SHA-256
    of its canonical payload (docs/security.md), which includes the previous event's hash."""
    plan = get_object_or_404(ActionPlan, pk=pk)
    events = queries.plan_trace(plan)

    def payload(event) -> dict:
        values = {f: getattr(event, f) for f in TRACE_FIELDS}
        values["occurred_at"] = event.occurred_at.isoformat(timespec="microseconds")
        return values

    if fmt == "json":

        def chunks():
            yield "["
            for n, event in enumerate(events):
                yield ("," if n else "") + "\n" + json.dumps(payload(event), ensure_ascii=False)
            yield "\n]\n"

        response = StreamingHttpResponse(chunks(), content_type="application/json")
    elif fmt == "csv":
        rows = (
            [
                safe_cell(json.dumps(v, ensure_ascii=False) if f == "changes" else v)
                for f, v in payload(e).items()
            ]
            for e in events
        )
        response = StreamingHttpResponse(
            csv_lines(TRACE_FIELDS, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="traza-plan-{plan.pk}.{fmt}"'
    return response


def commitment_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("plan", "origin_event"), pk=pk)
    return render(
        request,
        "activity/timeline.html",
        {"commitment": commitment, "entries": queries.commitment_timeline(commitment)},
    )
