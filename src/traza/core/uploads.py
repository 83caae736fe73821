"""Checks of uploaded files: extension, content and size; and their SHA-256."""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension → content types the file's own bytes may show (None: plain text, nothing to sniff)
ALLOWED = {
    ".pdf": {"application/pdf"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".png": {"image/png"},
    ".webp": {"image/webp"},
    ".mp3": {"audio/mpeg"},
    ".m4a": {"audio/mp4", "video/mp4"},
    ".ogg": {"audio/ogg"},
    ".mp4": {"video/mp4"},
    ".webm": {"video/webm"},
    ".csv": None,
    ".txt": None,
    ".odt": {"application/vnd.oasis.opendocument.text", "application/zip"},
    ".ods": {"application/vnd.oasis.opendocument.spreadsheet", "application/zip"},
    ".odp": {"application/vnd.oasis.opendocument.presentation", "application/zip"},
    ".docx": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/zip",
    },
    ".xlsx": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/zip",
    },
    ".pptx": {
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/zip",
    },
}
TEXT_TYPES = {".csv": "text/csv", ".txt": "text/plain"}


def max_upload_bytes() -> int:
    return getattr(settings, "TRAZA_MAX_UPLOAD_MB", 25) * 1024 * 1024


def check_upload(upload: UploadedFile) -> tuple[str, int, str]:
    """Refuse a forbidden or oversized file; return its SHA-256, size and content type."""
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in ALLOWED:
        raise ValidationError(
            _("Files of type “%(ext)s” are not accepted. Accepted: %(list)s.")
            % {"ext": extension or "?", "list": ", ".join(sorted(ALLOWED))}
        )
    if upload.size > max_upload_bytes():
        raise ValidationError(
            _("The file is too large (%(size)s; at most %(max)s).")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_upload_bytes())}
        )
    upload.seek(0)
    head = upload.read(8192)
    expected = ALLOWED[extension]
    if expected is None:
        if b"\x00" in head:
            raise ValidationError(_("The file's content does not match its name."))
        content_type = TEXT_TYPES[extension]
    else:
        kind = filetype.guess(head)
        if kind is None or kind.mime not in expected:
            raise ValidationError(_("The file's content does not match its name."))
        content_type = kind.mime
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest(), upload.size, content_type


def checked_file(upload: UploadedFile) -> dict[str, Any]:
    """``check_upload`` as the fields every stored file keeps: sha256, size, content_type."""
    sha256, size, content_type = check_upload(upload)
    return {"sha256": sha256, "size": size, "content_type": content_type}


INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp"}


def serve_checked_file(evidence: Any) -> FileResponse:
    """Serve a file checked by :func:`check_upload` (``file``, ``content_type``, ``sha256``):
    the stored type, never sniffed by the browser, with its checksum; only PDF and images
    inline."""
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=evidence.content_type not in INLINE_TYPES,
        filename=evidence.file.name.rsplit("/", 1)[-1],
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Digest"] = f"sha-256={evidence.sha256}"
    return response
