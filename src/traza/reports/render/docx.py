"""Content → DOCX with python-docx: headings as Word headings (the navigation pane and screen
readers read them), tables with a repeated header row, the document's language and title in
its properties. The archive is rewritten with fixed entry dates so the bytes depend on the
content and the data's date only."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document as new_document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from traza.reports.content import Content, Fields, Heading, PageBreak, Paragraph, Table

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _cell_text(tc, text: str, bold: bool = False) -> None:
    run = DocxParagraph(tc.p_lst[0], None).add_run(text)
    if bold:
        run.bold = True


def _table(doc, headers: list[str] | None, rows: list[list[str]], bold_first_column=False):
    """A grid table, written through the XML elements: python-docx's cell accessors walk the
    whole table for each cell, too slow for a plan of hundreds of commitments."""
    n = len(headers) if headers is not None else len(rows[0]) if rows else 1
    table = doc.add_table(rows=len(rows) + (headers is not None), cols=n)
    table._tbl.tblPr.style = "TableGrid"  # the style's id, without a lookup by name
    trs = table._tbl.tr_lst
    if headers is not None:
        _repeat_header(table.rows[0])
        for tc, text in zip(trs[0].tc_lst, headers, strict=True):
            _cell_text(tc, text, bold=True)
        trs = trs[1:]
    for tr, values in zip(trs, rows, strict=True):
        for i, (tc, text) in enumerate(zip(tr.tc_lst, values, strict=True)):
            _cell_text(tc, text, bold=bold_first_column and i == 0)
    return table


def _heading(doc, text: str, level: int) -> None:
    paragraph = doc.add_paragraph(text)
    paragraph._p.style = "Title" if level == 0 else f"Heading{level}"


def _set_language(doc, language: str) -> None:
    """The language of every run (styles' default), so spelling and screen readers use it."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    tag = {"es": "es-ES", "en": "en-GB"}.get(language, language)
    lang.set(qn("w:val"), tag)


def _fixed_archive(data: bytes, when: dt.datetime) -> bytes:
    stamp = (max(when, EPOCH)).astimezone(dt.UTC).timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def render_docx(content: Content) -> bytes:
    when = content.as_of or EPOCH
    doc = new_document()
    doc.styles["Normal"].font.size = Pt(10)
    _set_language(doc, content.language)
    props = doc.core_properties
    props.title = content.title
    props.subject = content.subtitle
    props.author = "Traza"
    props.last_modified_by = "Traza"
    props.language = content.language
    props.created = when.replace(tzinfo=None)
    props.modified = when.replace(tzinfo=None)
    props.last_printed = EPOCH.replace(tzinfo=None)
    props.revision = 1
    props.comments = (
        f"trace event {content.trace_event_id}" if content.trace_event_id is not None else ""
    )
    _heading(doc, content.title, 0)
    if content.subtitle:
        doc.add_paragraph(content.subtitle)
    if content.stamp:
        doc.add_paragraph(content.stamp)
    for block in content.blocks:
        if isinstance(block, Heading):
            _heading(doc, block.text, max(1, min(block.level, 9)))
        elif isinstance(block, Paragraph):
            paragraph = doc.add_paragraph()
            if block.label:
                paragraph.add_run(f"{block.label} ").bold = True
            paragraph.add_run(block.text)
        elif isinstance(block, Fields):
            _table(doc, None, [[k, v] for k, v in block.items], bold_first_column=True)
            doc.add_paragraph()
        elif isinstance(block, Table):
            if block.caption:
                doc.add_paragraph().add_run(block.caption).bold = True
            _table(doc, block.headers, block.rows)
            doc.add_paragraph()
        elif isinstance(block, PageBreak):
            doc.add_page_break()
    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_archive(buffer.getvalue(), when)
