"""Writes of the repository: a document and its versions, each file checked (type, content,
size, what an office file unpacks to) and kept with its SHA-256; its text is extracted after
the upload's transaction committed, so a slow file never holds the database."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.core.services import record, require_perm, saver, trace_language
from traza.core.uploads import checked_file
from traza.repository import search, text
from traza.repository.models import Document, DocumentVersion, TextStatus

logger = logging.getLogger(__name__)


save_document = saver(
    Document,
    scope="plan",
    module=__name__,
    doc="Create or describe a document (its files are versions).",
)


@transaction.atomic
def add_version(actor: Any, document: Document, upload, note: str = "") -> DocumentVersion:
    """A new file for the document; earlier versions stay downloadable. Its text is extracted
    once this transaction has committed (:func:`extract_version_text`)."""
    require_perm(actor, "repository.add_documentversion")
    stored = checked_file(upload)
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        file=upload,
        **stored,
        text="",
        text_status=TextStatus.PENDING,
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
    # After the commit, in this request but outside any transaction; a failure there is
    # logged and leaves the version pending for ``traza extract-text``, never fails the upload.
    pk = version.pk
    transaction.on_commit(lambda: extract_version_text(pk), robust=True)
    return version


def extract_version_text(version_id: int) -> str | None:
    """Extract the text of a stored version still pending, and put it in the search.

    Runs outside any transaction: the bounded extraction (repository/text.py, up to
    ``TRAZA_EXTRACT_SECONDS``) holds no lock, and one short write saves its outcome. The text
    is derived data, like the search index: the version's trace keeps the file's checksum.
    Returns the status written, or None when the version was not pending."""
    version = (
        DocumentVersion.objects.select_related("document")
        .filter(pk=version_id, text_status=TextStatus.PENDING)
        .first()
    )
    if version is None:
        return None
    with version.file.open("rb") as stored:
        data = stored.read()
    extracted, status = text.extract(data, version.file.name)
    with transaction.atomic():
        saved = DocumentVersion.objects.filter(
            pk=version.pk, text_status=TextStatus.PENDING
        ).update(text=extracted, text_status=status)
        if saved:
            search.index(version.document)
    return status if saved else None


def extract_pending() -> dict[str, int]:
    """Extract every version still pending (``traza extract-text``): after a crash between an
    upload's commit and its extraction, or versions stored before texts had a status."""
    counts: dict[str, int] = {}
    pending = DocumentVersion.objects.filter(text_status=TextStatus.PENDING)
    for pk in list(pending.order_by("pk").values_list("pk", flat=True)):
        try:
            status = extract_version_text(pk)
        except Exception:  # e.g. the file is missing from the storage: the others go on
            logger.exception("no text extracted from document version %s", pk)
            status = "error"
        if status:
            counts[status] = counts.get(status, 0) + 1
    return counts


@transaction.atomic
def publish_document(actor: Any, values: dict[str, Any], upload, note: str = "") -> Document:
    """A new document with its first file, in one transaction."""
    document = save_document(actor, None, values, reason=note)
    add_version(actor, document, upload, note)
    return document
