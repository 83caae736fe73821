"""The trace's public head, for anyone to keep copies and check them: the signing key, the
signed checkpoints (JSON and Atom), inclusion and consistency proofs, and the standalone
verifier. Stable addresses under ``/trace/``, the same in every language (docs/security.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from traza.core import checkpoints
from traza.core.models import TraceCheckpoint, TraceSeal
from traza.core.params import as_id

VERIFIER = Path(__file__).parent / "static" / "traza" / "traza_verify.py"
LISTED = 500  # checkpoints per page of /trace/checkpoints.json, newest first


def _json(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # public data, for monitors in browsers too
    return response


def _problem(message: str, status: int) -> JsonResponse:
    return _json({"error": message}, status=status)


def links() -> dict[str, str]:
    return {
        "public_key": settings.TRAZA_BASE_URL + reverse("trace:public_key"),
        "checkpoints": settings.TRAZA_BASE_URL + reverse("trace:checkpoints"),
        "verifier": settings.TRAZA_BASE_URL + reverse("trace:verifier"),
    }


@require_safe
def public_key_pem(request: HttpRequest) -> HttpResponse:
    key = checkpoints.public_key()
    if key is None:
        raise Http404
    return HttpResponse(
        checkpoints.public_key_pem(key), content_type="application/x-pem-file; charset=ascii"
    )


@require_safe
def public_key_json(request: HttpRequest) -> JsonResponse:
    key = checkpoints.public_key()
    if key is None:
        raise Http404
    return _json(
        {
            "algorithm": "Ed25519",
            "key_id": checkpoints.key_id(key),
            "public_key_pem": checkpoints.public_key_pem(key),
            "origin": checkpoints.origin(),
        }
    )


@require_safe
def checkpoint_list(request: HttpRequest) -> JsonResponse:
    """Every checkpoint, newest first, ``LISTED`` a page (``?before=SIZE`` for older ones)."""
    query = TraceCheckpoint.objects.order_by("-size")
    before = as_id(request.GET.get("before"))
    if before is not None:
        query = query.filter(size__lt=before)
    page = list(query[:LISTED])
    return _json(
        {
            "origin": checkpoints.origin(),
            **links(),
            "checkpoints": [checkpoints.as_json(c) for c in page],
        }
    )


@require_safe
def checkpoint_latest(request: HttpRequest) -> JsonResponse:
    newest = checkpoints.latest()
    if newest is None:
        raise Http404
    return _json(checkpoints.as_json(newest))


@require_safe
def checkpoint_detail(request: HttpRequest, size: int) -> JsonResponse:
    return _json(checkpoints.as_json(get_object_or_404(TraceCheckpoint, size=size)))


def _checkpoint_of(request: HttpRequest) -> TraceCheckpoint:
    """The checkpoint named by ``?size=`` (a checkpoint's size), else the newest."""
    size = as_id(request.GET.get("size"))
    if size is not None:
        return get_object_or_404(TraceCheckpoint, size=size)
    newest = checkpoints.latest()
    if newest is None:
        raise Http404
    return newest


@require_safe
def inclusion_proof(request: HttpRequest, event_id: int) -> JsonResponse:
    """The audit path of the event sealed at position ``event_id`` (leaf ``event_id - 1``; the
    ``id`` of the trace downloads) in a checkpoint's tree."""
    checkpoint = _checkpoint_of(request)
    if not 1 <= event_id <= checkpoint.size:
        return _problem(
            f"event {event_id} is not in checkpoint {checkpoint.size} (it holds events 1 to "
            f"{checkpoint.size})",
            404,
        )
    try:
        tree = checkpoints.tree_for(checkpoint)
    except checkpoints.TraceMismatch as problem:
        return _problem(str(problem), 409)
    event_hash = bytes(
        TraceSeal.objects.filter(position=event_id).values_list("hash", flat=True).get()
    ).hex()
    return _json(
        {
            "event_id": event_id,
            "leaf_index": event_id - 1,
            "event_hash": event_hash,
            "tree_size": checkpoint.size,
            "proof": [h.hex() for h in tree.inclusion_proof(event_id - 1, checkpoint.size)],
            "checkpoint": checkpoints.as_json(checkpoint),
        }
    )


@require_safe
def consistency_proof(request: HttpRequest, first: int, second: int) -> JsonResponse:
    """The tree of ``first`` events is a prefix of the checkpoint of ``second`` events."""
    checkpoint = get_object_or_404(TraceCheckpoint, size=second)
    if first > second:
        return _problem("the first size must not be larger than the second", 400)
    try:
        tree = checkpoints.tree_for(checkpoint)
    except checkpoints.TraceMismatch as problem:
        return _problem(str(problem), 409)
    return _json(
        {
            "first": first,
            "second": second,
            "first_root_hash": tree.root(first).hex(),
            "proof": [h.hex() for h in tree.consistency_proof(first, second)],
            "checkpoint": checkpoints.as_json(checkpoint),
        }
    )


@require_safe
def verifier(request: HttpRequest) -> FileResponse:
    """The standalone verifier (standard library and ``cryptography``), docs/security.md."""
    response = FileResponse(
        VERIFIER.open("rb"), content_type="text/x-python; charset=utf-8", as_attachment=True
    )
    return response


class CheckpointFeed(Feed):
    """Atom: the newest signed checkpoints, so that feed readers keep copies of them."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Traza · signed checkpoints of the trace")

    def subtitle(self) -> str:
        return _(
            "Each entry is a signed head of the trace: its number of events and Merkle root. "
            "Keep them: a later trace that does not extend them has been rewritten."
        )

    def link(self) -> str:
        return reverse("trace:checkpoints")

    def items(self):
        return TraceCheckpoint.objects.order_by("-size")[:50]

    def item_title(self, item: TraceCheckpoint) -> str:
        return _("Checkpoint of %(size)s events") % {"size": item.size}

    def item_description(self, item: TraceCheckpoint) -> str:
        return checkpoints.checkpoint_text(item).decode() + f"signature: {item.signature}\n"

    def item_link(self, item: TraceCheckpoint) -> str:
        return reverse("trace:checkpoint", args=[item.size])

    def item_guid(self, item: TraceCheckpoint) -> str:
        return f"{settings.TRAZA_BASE_URL}/trace/checkpoints/{item.size}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: TraceCheckpoint):
        return item.issued_at

    def item_updateddate(self, item: TraceCheckpoint):
        return item.issued_at
