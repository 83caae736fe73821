"""Content → PDF with ReportLab's page layout (platypus; pure Python, from the registry
alone): DejaVu Sans embedded (shipped in ``reports/fonts`` with its licence) so accents and ñ
render anywhere; the document language (``/Lang``), title and author set; every heading an
entry of the outline (bookmarks), tables with their header row repeated on each page.
The open-source engine writes no tag tree, so the PDF is tagged only as far as it goes (the
language, the outline, the text in reading order); the DOCX is the accessible, editable twin.
The file's dates are the data's (``Content.as_of``) and its identifier is invariant, so the
bytes depend on the content and the data's date only."""

from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from traza.reports.content import Content, Fields, Heading, PageBreak, Paragraph, Table

FONTS = Path(__file__).resolve().parent.parent / "fonts"
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FONT, BOLD = "TrazaDejaVu", "TrazaDejaVu-Bold"
_registered = False


def _register_fonts() -> None:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(TTFont(FONT, str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
        _registered = True


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=4)
    return {
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10, spaceAfter=0),
        "head": ParagraphStyle("headcell", parent=base, fontName=BOLD, fontSize=8, leading=10),
        "field": ParagraphStyle("field", parent=base, spaceAfter=2.5, leftIndent=0),
        "caption": ParagraphStyle(
            "caption", parent=base, fontName=BOLD, spaceBefore=4, keepWithNext=1
        ),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=18, leading=22),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, leading=14),
        1: ParagraphStyle(
            "h1",
            parent=base,
            fontName=BOLD,
            fontSize=14.5,
            leading=18,
            spaceBefore=10,
            keepWithNext=1,
            spaceAfter=6,
        ),
        2: ParagraphStyle(
            "h2",
            parent=base,
            fontName=BOLD,
            fontSize=12,
            leading=15,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        3: ParagraphStyle(
            "h3",
            parent=base,
            fontName=BOLD,
            fontSize=10.5,
            leading=13,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
        ),
    }


def _markup(text: str) -> str:
    """Plain text as the engine's paragraph markup: escaped, line breaks kept."""
    return escape(text or "").replace("\n", "<br/>")


def _heading(text: str, style, level: int) -> PdfParagraph:
    """A heading paragraph that the outline picks up (``afterFlowable``)."""
    paragraph = PdfParagraph(_markup(text), style)
    paragraph.outline_text = text  # type: ignore[attr-defined]
    paragraph.outline_level = level  # type: ignore[attr-defined]
    return paragraph


class _Document(SimpleDocTemplate):
    def __init__(self, *args, when: dt.datetime, footer: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.when = when
        self.footer = footer
        self._outline_level = -1
        self._keys = 0

    def afterFlowable(self, flowable) -> None:
        if hasattr(flowable, "outline_level"):
            # the outline goes down one level at a time
            level = min(flowable.outline_level, self._outline_level + 1)
            self._outline_level = level
            self._keys += 1
            key = f"h{self._keys}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_text[:200], key, level=level)

    def handle_documentBegin(self) -> None:
        super().handle_documentBegin()
        stamp = TimeStamp(invariant=1)
        moment = max(self.when, EPOCH).astimezone(dt.UTC)
        stamp.t = moment.timestamp()
        stamp.lt = time.gmtime(stamp.t)
        stamp.YMDhms = tuple(stamp.lt)[:6]
        self.canv._doc._timeStamp = stamp


def _page(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 7.5)
    canvas.drawCentredString(A4[0] / 2, 10 * mm, f"{doc.footer}  ·  {canvas.getPageNumber()}")
    canvas.restoreState()


GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
)
HEADED = TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6"))])


def _table(rows, style, widths, header: bool, styles) -> PdfTable:
    table = PdfTable(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    table.setStyle(GRID)
    if header:
        table.setStyle(HEADED)
    return table


def _widths(n: int, relative: list[int] | None, total: float) -> list[float]:
    relative = relative or [1] * n
    whole = sum(relative)
    return [total * r / whole for r in relative]


def render_pdf(content: Content) -> bytes:
    _register_fonts()
    styles = _styles()
    when = content.as_of or EPOCH
    buffer = io.BytesIO()
    doc = _Document(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=content.title,
        subject=content.subtitle,
        author="Traza",
        creator="Traza",
        producer="Traza (ReportLab)",
        lang=content.language,
        invariant=1,
        displayDocTitle=1,
        when=when,
        footer=content.title[:120],
    )
    width = doc.width
    cell, head = styles["cell"], styles["head"]
    story: list = [
        _heading(content.title, styles["title"], 0),
    ]
    if content.subtitle:
        story.append(PdfParagraph(_markup(content.subtitle), styles["subtitle"]))
    if content.stamp:
        story.append(PdfParagraph(_markup(content.stamp), styles["body"]))
    story.append(Spacer(1, 4 * mm))
    for block in content.blocks:
        if isinstance(block, Heading):
            level = max(1, min(block.level, 3))
            story.append(_heading(block.text, styles[level], level))
        elif isinstance(block, Paragraph):
            text = _markup(block.text)
            if block.label:
                text = f"<b>{_markup(block.label)}</b> {text}"
            story.append(PdfParagraph(text, styles["body"]))
        elif isinstance(block, Fields):
            # label: value paragraphs (a table of paragraphs costs ten times as much to lay
            # out, and a plan may hold hundreds of commitments)
            for label, value in block.items:
                story.append(
                    PdfParagraph(f"<b>{_markup(label)}:</b> {_markup(value)}", styles["field"])
                )
            story.append(Spacer(1, 2 * mm))
        elif isinstance(block, Table):
            rows = [[PdfParagraph(_markup(h), head) for h in block.headers]]
            rows += [[PdfParagraph(_markup(v), cell) for v in row] for row in block.rows]
            table = _table(
                rows, cell, _widths(len(block.headers), block.widths, width), True, styles
            )
            if block.caption:
                story.append(PdfParagraph(_markup(block.caption), styles["caption"]))
                story.append(table)
            else:
                story.append(table)
            story.append(Spacer(1, 3 * mm))
        elif isinstance(block, PageBreak):
            story.append(PdfPageBreak())
    doc.build(story, onFirstPage=_page, onLaterPages=_page)
    return buffer.getvalue()
