"""The text of uploaded documents, for the search: PDF (pypdf), Word (python-docx),
OpenDocument text (odfpy), plain text and CSV. A file a library cannot read is still kept;
its text stays empty."""

from __future__ import annotations

import io
import logging
from pathlib import PurePath

logger = logging.getLogger(__name__)

MAX_CHARS = 1_000_000


def extract_text(data: bytes, filename: str) -> str:
    extension = PurePath(filename).suffix.lower()
    try:
        text = _extract(data, extension)
    except Exception:  # a damaged or encrypted file: keep it, without text
        logger.warning("no text extracted from %s", filename, exc_info=True)
        return ""
    return " ".join(text.split())[:MAX_CHARS]


def _extract(data: bytes, extension: str) -> str:
    if extension == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
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
    if extension in (".txt", ".csv"):
        return data.decode("utf-8", errors="replace")
    return ""
