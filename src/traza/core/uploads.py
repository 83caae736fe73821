"""Checks of uploaded files: extension, content and size; office archives that would unpack
to far more than their size; and their SHA-256. Every upload entry point calls
:func:`check_upload` in its form (a form error) and again in its service."""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from pathlib import PurePath
from typing import IO, Any

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
# The accepted types that are zip archives of XML parts, unpacked by the libraries that read
# them (python-docx, odfpy...): checked by :func:`check_archive` before anything opens them.
ARCHIVES = {".odt", ".ods", ".odp", ".docx", ".xlsx", ".pptx"}
MB = 1024 * 1024
# Below this many unpacked bytes the expansion ratio is not looked at (small XML parts often
# compress a hundredfold and harm nobody).
RATIO_FLOOR = 2 * MB
_CHUNK = 64 * 1024


def max_upload_bytes() -> int:
    return getattr(settings, "TRAZA_MAX_UPLOAD_MB", 25) * MB


def archive_limits() -> tuple[int, int, int]:
    """Most unpacked bytes, most expansion (unpacked / packed) and most members."""
    return (
        getattr(settings, "TRAZA_ARCHIVE_MAX_MB", 100) * MB,
        getattr(settings, "TRAZA_ARCHIVE_MAX_RATIO", 100),
        getattr(settings, "TRAZA_ARCHIVE_MAX_MEMBERS", 5000),
    )


def _too_large(unpacked: int, packed: int) -> ValidationError | None:
    max_bytes, max_ratio, _members = archive_limits()
    if unpacked > max_bytes:
        return ValidationError(
            _(
                "Once unpacked, this file would take more than %(max)s. Save it again "
                "without embedded material, or split it."
            )
            % {"max": filesizeformat(max_bytes)},
            code="archive_too_large",
        )
    if unpacked > RATIO_FLOOR and unpacked > max_ratio * max(packed, 1):
        return ValidationError(
            _(
                "Once unpacked, this file would be more than %(ratio)s times its size, which "
                "only damaged or malicious files do. Save it again from the program that "
                "made it."
            )
            % {"ratio": max_ratio},
            code="archive_too_large",
        )
    return None


def check_archive(file: IO[bytes], size: int, extension: str = "") -> None:
    """Refuse an office file that would unpack to too much, before any library opens it.

    The zip's central directory gives the members, their declared sizes and so the expansion;
    declared sizes can lie, so every member is then read through a bounded stream that stops
    as soon as the real unpacked bytes pass the limits. The file is left at its start."""
    max_members = archive_limits()[2]
    damaged = ValidationError(
        _(
            "The file is damaged or is not a valid “%(ext)s” document. Save it again from the "
            "program that made it."
        )
        % {"ext": extension or "?"},
        code="archive_damaged",
    )
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if len(members) > max_members:
                raise ValidationError(
                    _(
                        "The file holds more than %(max)s parts. Save it again from the program "
                        "that made it, or split it."
                    )
                    % {"max": max_members},
                    code="archive_members",
                )
            refusal = _too_large(sum(m.file_size for m in members), size)
            if refusal:
                raise refusal
            unpacked = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        unpacked += len(chunk)
                        refusal = _too_large(unpacked, size)
                        if refusal:
                            raise refusal
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError):
        # RuntimeError: an encrypted member, or (NotImplementedError) a compression method
        # zipfile cannot read; BadZipFile also when a member's bytes do not match its CRC
        raise damaged from None
    finally:
        file.seek(0)


def check_upload(upload: UploadedFile) -> tuple[str, int, str]:
    """Refuse a forbidden, oversized or disguised file, or an office file that would unpack to
    far more than its size; return its SHA-256, size and content type. The answer is kept on
    the upload, so the form and the service that both check it read it once."""
    checked = getattr(upload, "_traza_checked", None)
    if checked is not None and checked[0] == (upload.name, upload.size):
        return checked[1]
    size: int = upload.size  # type: ignore[assignment]  # an upload always knows its size
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in ALLOWED:
        raise ValidationError(
            _("Files of type “%(ext)s” are not accepted. Accepted: %(list)s.")
            % {"ext": extension or "?", "list": ", ".join(sorted(ALLOWED))},
            code="file_type",
        )
    if size > max_upload_bytes():
        raise ValidationError(
            _("The file is too large (%(size)s; at most %(max)s).")
            % {"size": filesizeformat(size), "max": filesizeformat(max_upload_bytes())},
            code="file_size",
        )
    mismatch = ValidationError(_("The file's content does not match its name."), code="content")
    upload.seek(0)
    head = upload.read(8192)
    expected = ALLOWED[extension]
    if expected is None:
        if b"\x00" in head:
            raise mismatch
        content_type = TEXT_TYPES[extension]
    else:
        kind = filetype.guess(head)
        if kind is None or kind.mime not in expected:
            raise mismatch
        content_type = kind.mime
    if extension in ARCHIVES:
        check_archive(upload, size, extension)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    result = (digest.hexdigest(), size, content_type)
    upload._traza_checked = ((upload.name, size), result)  # type: ignore[attr-defined]
    return result


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
