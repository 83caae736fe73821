"""The open dataset of the repository: every version of every document with its checksum
(registered in ``RepositoryConfig.ready()``; see ``traza.core.datasets``)."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils.translation import gettext_noop

from traza.core.datasets import Column as C
from traza.core.datasets import Dataset
from traza.repository.models import DocumentVersion


def _documents() -> QuerySet:
    return DocumentVersion.objects.annotate(
        document_ref=F("document_id"),
        title=F("document__title"),
        kind=F("document__kind"),
        language=F("document__language"),
        document_date=F("document__document_date"),
        plan_ref=F("document__plan_id"),
        version=F("number"),
    )


DATASETS = (
    Dataset(
        "documents",
        "Documents",
        gettext_noop("Versions of the repository's documents with their checksums."),
        [
            C("id", "integer", "identifier of the version"),
            C("document_ref", "integer", "document"),
            C("title", "string", "title"),
            C("kind", "string", "kind of document"),
            C("language", "string", "language"),
            C("document_date", "date", "date of the document"),
            C("plan_ref", "integer", "action plan (plans.id)"),
            C("version", "integer", "version"),
            C("sha256", "string", "SHA-256 of the file"),
            C("size", "integer", "size in bytes"),
            C("content_type", "string", "content type"),
            C("uploaded_at", "datetime", "added"),
        ],
        _documents,
        filters={"plan": ("document__plan_id", int), "kind": ("document__kind", str)},
        position=180,
    ),
)
