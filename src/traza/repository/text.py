"""The text of uploaded documents, for the search: PDF (pypdf), Word (python-docx),
OpenDocument (odfpy), plain text and CSV.

An uploaded file is untrusted: a few hundred KB can unpack to gigabytes of XML. So the
libraries never read it in the web process. Office archives are first checked without being
opened (:func:`traza.core.uploads.check_archive`); then the file is parsed in a separate
Python process (this file run as a script) limited in address space (RLIMIT_AS,
``TRAZA_EXTRACT_MEMORY_MB``), processor time (RLIMIT_CPU) and wall time
(``TRAZA_EXTRACT_SECONDS``), reading at most ``TRAZA_EXTRACT_MAX_PAGES`` pages of a PDF and
``MAX_CHARS`` characters. A file that cannot be read within those bounds is still kept; its
text stays empty and its status says why.

This module is imported by the child process without Django: keep Django imports inside the
functions the web process calls.
"""

from __future__ import annotations

import io
import logging
import signal
import subprocess
import sys
from pathlib import PurePath
from typing import NamedTuple

logger = logging.getLogger(__name__)

MAX_CHARS = 1_000_000
PARSED = {".pdf", ".docx", ".odt", ".ods", ".odp"}  # read by a library, in the child process
PLAIN = {".txt", ".csv"}

# Exit statuses of the child process.
OK, TOO_LARGE, UNREADABLE = 0, 3, 4


class Extraction(NamedTuple):
    text: str
    status: str  # a traza.repository.models.TextStatus value


def _normalise(text: str) -> str:
    return " ".join(text.split())[:MAX_CHARS]


def extract(data: bytes, filename: str) -> Extraction:
    """The text of a file, within the limits; never raises for a bad file."""
    from django.conf import settings

    from traza.repository.models import TextStatus

    extension = PurePath(filename).suffix.lower()
    if extension in PLAIN:
        return Extraction(
            _normalise(data[: MAX_CHARS * 4].decode("utf-8", errors="replace")),
            TextStatus.EXTRACTED,
        )
    if extension not in PARSED:
        return Extraction("", TextStatus.NO_TEXT)
    if extension != ".pdf":
        from django.core.exceptions import ValidationError

        from traza.core.uploads import check_archive

        try:  # stored before these checks existed, or by another way in: check again
            check_archive(io.BytesIO(data), len(data), extension)
        except ValidationError as error:
            logger.warning("no text extracted from %s: %s", filename, error.messages[0])
            damaged = error.code == "archive_damaged"
            return Extraction("", TextStatus.UNREADABLE if damaged else TextStatus.TOO_LARGE)
    seconds = max(1, int(getattr(settings, "TRAZA_EXTRACT_SECONDS", 20)))
    memory = int(getattr(settings, "TRAZA_EXTRACT_MEMORY_MB", 512)) * 1024 * 1024
    pages = int(getattr(settings, "TRAZA_EXTRACT_MAX_PAGES", 2000))
    # -I: the child sees neither the environment's PYTHON* variables nor the working directory;
    # it runs this file as a script, so it needs the parsers installed, not Traza importable.
    command = [sys.executable, "-I", __file__, extension, str(pages), str(memory), str(seconds)]
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, timeout=seconds, check=False
        )
    except subprocess.TimeoutExpired:
        logger.warning("no text extracted from %s: longer than %s s", filename, seconds)
        return Extraction("", TextStatus.TOO_SLOW)
    if done.returncode == OK:
        return Extraction(
            _normalise(done.stdout.decode("utf-8", errors="replace")), TextStatus.EXTRACTED
        )
    status = {
        TOO_LARGE: TextStatus.TOO_LARGE,
        -signal.SIGXCPU: TextStatus.TOO_SLOW,
        -signal.SIGKILL: TextStatus.TOO_SLOW,  # past the hard processor-time limit
    }.get(done.returncode, TextStatus.UNREADABLE)
    logger.warning(
        "no text extracted from %s (%s): %s",
        filename,
        status,
        done.stderr.decode("utf-8", errors="replace")[-500:],
    )
    return Extraction("", status)


# --- the child process -------------------------------------------------------------------------


def _limit(memory: int, seconds: int) -> None:
    try:
        import resource
    except ImportError:  # not a POSIX system: the parent's wall-clock timeout still holds
        return
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def _parse(data: bytes, extension: str, max_pages: int) -> str:
    if extension == ".pdf":
        from pypdf import PdfReader

        parts: list[str] = []
        size = 0
        for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
            if number >= max_pages or size > MAX_CHARS:
                break
            part = page.extract_text() or ""
            parts.append(part)
            size += len(part)
        return "\n".join(parts)
    if extension == ".docx":
        import docx

        document = docx.Document(io.BytesIO(data))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if extension in (".odt", ".ods", ".odp"):
        from odf import teletype, text
        from odf.opendocument import load

        document = load(io.BytesIO(data))
        return "\n".join(teletype.extractText(p) for p in document.getElementsByType(text.P))
    return ""


def _child(argv: list[str]) -> int:
    extension, max_pages, memory, seconds = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    data = sys.stdin.buffer.read()
    _limit(memory, seconds)  # before any library touches the data
    try:
        text = _parse(data, extension, max_pages)
    except MemoryError:
        return TOO_LARGE
    except Exception as error:  # a damaged or encrypted file: kept, without text
        if type(error).__name__ == "LimitReachedError":  # pypdf's own decompression limits
            return TOO_LARGE
        print(f"{type(error).__name__}: {error}"[:500], file=sys.stderr)
        return UNREADABLE
    sys.stdout.buffer.write(_normalise(text).encode("utf-8", errors="replace"))
    return OK


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
