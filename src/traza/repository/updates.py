"""What happened lately to a plan, commitment or event: reasoned responses published,
progress accepted, documents added. Read by the Atom feeds and by the e-mails to followers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _


@dataclass
class Update:
    kind: str
    title: str
    text: str
    url: str
    at: dt.datetime
    key: str


def updates(
    target: str, target_id: int, since: dt.datetime | None = None, limit: int = 50
) -> list[Update]:
    """Newest first. ``target`` is plan, commitment or event."""
    from traza.cocreation.models import Response
    from traza.monitoring.models import ProgressReport, Review
    from traza.repository.models import DocumentVersion

    responses = Response.objects.public().select_related("contribution")  # none to hidden ones
    progress = ProgressReport.objects.filter(review=Review.ACCEPTED).select_related(
        "milestone__commitment"
    )
    documents = DocumentVersion.objects.select_related("document")
    if target == "plan":
        responses = responses.filter(contribution__plan_id=target_id)
        progress = progress.filter(milestone__commitment__plan_id=target_id)
        documents = documents.filter(document__plan_id=target_id)
    elif target == "commitment":
        responses = responses.filter(
            Q(contribution__commitment_id=target_id) | Q(changed_versions__commitment_id=target_id)
        ).distinct()
        progress = progress.filter(milestone__commitment_id=target_id)
        documents = documents.filter(document__commitment_id=target_id)
    elif target == "event":
        responses = responses.filter(contribution__event_id=target_id)
        progress = progress.none()
        documents = documents.filter(document__event_id=target_id)
    else:
        return []
    if since:
        responses = responses.filter(published_at__gt=since)
        progress = progress.filter(reviewed_at__gt=since)
        documents = documents.filter(uploaded_at__gt=since)
    items = [
        Update(
            "response",
            _("Reasoned response to contribution %(number)s: %(outcome)s")
            % {"number": r.contribution_id, "outcome": r.get_outcome_display()},
            r.text,
            r.contribution.get_absolute_url(),
            r.published_at,
            f"response-{r.pk}-{r.revision}",
        )
        for r in responses.order_by("-published_at")[:limit]
    ]
    items += [
        Update(
            "progress",
            _("Progress on milestone %(number)s of “%(commitment)s”: %(percent)s %%")
            % {
                "number": p.milestone.number,
                "commitment": p.milestone.commitment.title[:120],
                "percent": p.percent,
            },
            p.narrative,
            p.milestone.commitment.get_absolute_url(),
            p.reviewed_at,
            f"progress-{p.pk}",
        )
        for p in progress.order_by("-reviewed_at")[:limit]
    ]
    items += [
        Update(
            "document",
            _("Document added: %(title)s (version %(number)s)")
            % {"title": v.document.title, "number": v.number},
            v.document.description or v.note,
            v.document.get_absolute_url(),
            v.uploaded_at,
            f"document-{v.pk}",
        )
        for v in documents.order_by("-uploaded_at")[:limit]
    ]
    return sorted(items, key=lambda u: u.at, reverse=True)[:limit]
