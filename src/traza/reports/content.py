"""A generated document as content: headings, paragraphs, label–value fields and tables, in
one language. The queries build it from the data (``reports.queries``), each renderer writes
it in its format (``reports.render``), so the DOCX and the PDF say the same thing.

Its checksum covers the words and figures only, never the file's metadata (dates, the trace
event it reflects): regenerating unchanged data gives the same checksum, whatever the format
engine writes around it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field


def capfirst(text: str) -> str:
    """Labels read from the models' lower-case names, as a heading or a box prints them."""
    text = str(text)
    return text[:1].upper() + text[1:]


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    label: str = ""  # printed in bold before the text


@dataclass
class Fields:
    """Label–value pairs (the commitment template's boxes), printed as a two-column table."""

    items: list[tuple[str, str]]

    def __post_init__(self) -> None:
        self.items = [(capfirst(k), v) for k, v in self.items]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    caption: str = ""
    widths: list[float] | None = None  # relative column widths (PDF)

    def __post_init__(self) -> None:
        self.headers = [capfirst(h) for h in self.headers]


@dataclass
class PageBreak:
    pass


Block = Heading | Paragraph | Fields | Table | PageBreak


@dataclass
class Content:
    title: str
    subtitle: str
    language: str
    blocks: list[Block] = field(default_factory=list)
    # the state of the data it shows (printed under the subtitle): not part of the checksum
    stamp: str = ""
    as_of: dt.datetime | None = None
    trace_event_id: int | None = None

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def checksum(self) -> str:
        """SHA-256 of the words and figures (title, language, blocks), nothing else."""
        payload = {
            "title": self.title,
            "subtitle": self.subtitle,
            "language": self.language,
            "blocks": [[type(b).__name__, asdict(b)] for b in self.blocks],
        }
        raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def text(self) -> str:
        """Every word of the document, one block a line (tests and search read it)."""
        lines = [self.title, self.subtitle, self.stamp]
        for block in self.blocks:
            if isinstance(block, Heading):
                lines.append(block.text)
            elif isinstance(block, Paragraph):
                lines.append(f"{block.label} {block.text}".strip())
            elif isinstance(block, Fields):
                lines.extend(f"{k}: {v}" for k, v in block.items)
            elif isinstance(block, Table):
                lines.append(block.caption)
                lines.append(" | ".join(block.headers))
                lines.extend(" | ".join(row) for row in block.rows)
        return "\n".join(lines)
