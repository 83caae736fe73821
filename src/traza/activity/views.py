"""Pages of what happened: the trace download of a plan and the timeline of a commitment
(the Atom feed is in ``feeds.py``)."""

import json

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from traza.activity import queries
from traza.core import checkpoints, trace_views
from traza.core.models import HASHED_FIELDS
from traza.core.tabular import csv_lines, safe_cell
from traza.plans.models import ActionPlan, Commitment

# The columns of the trace download: what each hash covers, then the hash.
TRACE_FIELDS = [*HASHED_FIELDS, "hash"]


def plan_trace(request: HttpRequest, pk: int, fmt: str) -> StreamingHttpResponse:
    """The plan's sealed trace with its hashes, for anyone to check: each event's hash is the
    SHA-256 of its canonical payload (docs/security.md), which includes its position and the
    previous event's hash. The JSON carries the newest signed checkpoint and each event's
    inclusion proof in it (RFC 9162), so that ``traza_verify.py`` checks the file against a
    checkpoint saved earlier. Events recorded in the last moments, not sealed yet, come in the
    next download (the JSON says how many)."""
    plan = get_object_or_404(ActionPlan, pk=pk)
    events = queries.sealed_plan_trace(plan)

    def payload(event: dict) -> dict:
        return {**event, "occurred_at": event["occurred_at"].isoformat(timespec="microseconds")}

    if fmt == "json":
        checkpoint = checkpoints.latest()
        tree = None
        if checkpoint is not None:
            try:
                tree = checkpoints.tree_for(checkpoint)
            except checkpoints.TraceMismatch:
                checkpoint = None  # the trace no longer gives it: nothing to prove against
        head = {
            "format": "traza-plan-trace/3",
            "plan": plan.pk,
            "checkpoint": checkpoints.as_json(checkpoint) if checkpoint else None,
            "pending": queries.pending_in_plan(plan),
            **trace_views.links(),
        }

        def proof(position: int) -> list[str] | None:
            if tree is None or checkpoint is None or position > checkpoint.size:
                return None  # sealed after the newest checkpoint
            return [h.hex() for h in tree.inclusion_proof(position - 1, checkpoint.size)]

        def chunks():
            yield json.dumps(head, ensure_ascii=False)[:-1] + ', "events": ['
            for n, event in enumerate(events):
                item = {**payload(event), "inclusion_proof": proof(event["id"])}
                yield ("," if n else "") + "\n" + json.dumps(item, ensure_ascii=False)
            yield "\n]}\n"

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
