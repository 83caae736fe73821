"""Evidence: checked files and links attached to events and contributions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from traza.cocreation.models import (
    Evidence,
)
from traza.core.services import (
    record,
    require_perm,
    trace_language,
)
from traza.core.uploads import checked_file


@transaction.atomic
def add_evidence(actor: Any, values: dict[str, Any], upload=None, reason: str = "") -> Evidence:
    """Attach a checked file (or a link) to an event or a contribution."""
    require_perm(actor, "cocreation.add_evidence")
    evidence = Evidence(**values)
    if upload is not None:
        for name, value in checked_file(upload).items():
            setattr(evidence, name, value)
        evidence.file = upload
    evidence.full_clean()
    evidence.save()
    with trace_language():
        summary = _("Added evidence “%(title)s”") % {"title": evidence.title}
    record(
        actor,
        "create",
        evidence,
        summary=summary,
        reason=reason,
        changes={
            "kind": [None, evidence.kind],
            "sha256": [None, evidence.sha256],
            "size": [None, evidence.size],
            "url": [None, evidence.url],
            "is_private": [None, evidence.is_private],
        },
        scope=evidence.event or evidence.contribution,
    )
    return evidence
