"""Writes of the repository: a document and its versions, each file checked (type, content,
size) and kept with its SHA-256 and its text."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.core.services import record, require_perm, save_traced, trace_language
from traza.core.uploads import checked_file
from traza.repository.models import Document, DocumentVersion
from traza.repository.text import extract_text


@transaction.atomic
def save_document(
    actor: Any, document: Document | None, values: dict[str, Any], reason: str = ""
) -> Document:
    """Create or describe a document (its files are versions)."""
    document = document or Document()
    return save_traced(
        actor, document, values, reason=reason, scope=values.get("plan") or document.plan
    )[0]


@transaction.atomic
def add_version(actor: Any, document: Document, upload, note: str = "") -> DocumentVersion:
    """A new file for the document; earlier versions stay downloadable."""
    require_perm(actor, "repository.add_documentversion")
    stored = checked_file(upload)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        file=upload,
        **stored,
        text=extract_text(data, upload.name),
        note=note,
        uploaded_at=timezone.now(),
    )
    version.full_clean()
    version.save()
    with trace_language():
        summary = _("Version %(number)s of “%(title)s” added") % {
            "number": number,
            "title": document.title,
        }
    record(
        actor,
        "create",
        version,
        summary=summary,
        reason=note,
        changes={k: [None, v] for k, v in stored.items()},
        scope=document.plan,
    )
    return version


@transaction.atomic
def publish_document(actor: Any, values: dict[str, Any], upload, note: str = "") -> Document:
    """A new document with its first file, in one transaction."""
    document = save_document(actor, None, values, reason=note)
    add_version(actor, document, upload, note)
    return document
