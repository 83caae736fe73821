"""Content → XLSX with XlsxWriter: one sheet per table (its caption names it), the label–value
boxes on a first sheet, text as text (neutralised like every other spreadsheet Traza writes),
numbers as numbers. The workbook's dates are the data's, so the bytes depend on the content
and the data's date only."""

from __future__ import annotations

import datetime as dt
import io
import re

import xlsxwriter

from traza.core.tabular import safe_cell
from traza.reports.content import Content, Fields, Heading, Paragraph, Table

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
INTEGER = re.compile(r"^-?\d+$")


def _sheet_name(caption: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", caption).strip()[:28] or "Tabla"
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base[:26]} {n}"
    taken.add(name.lower())
    return name


def render_xlsx(content: Content) -> bytes:
    when = (content.as_of or EPOCH).astimezone(dt.UTC).replace(tzinfo=None)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties(
        {
            "title": content.title,
            "subject": content.subtitle,
            "author": "Traza",
            "comments": content.stamp,
            "created": when,
        }
    )
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    taken: set[str] = set()
    cover = book.add_worksheet(_sheet_name(content.title, taken))
    cover.set_column(0, 0, 40)
    cover.set_column(1, 1, 80)
    cover.write_string(0, 0, safe_cell(content.title), bold)
    cover.write_string(1, 0, safe_cell(content.subtitle))
    cover.write_string(2, 0, safe_cell(content.stamp))
    line = 4
    heading = ""
    for block in content.blocks:
        if isinstance(block, Heading):
            heading = block.text
        elif isinstance(block, Paragraph):
            cover.write_string(line, 0, safe_cell(f"{block.label} {block.text}".strip()), wrap)
            line += 1
        elif isinstance(block, Fields):
            for key, value in block.items:
                cover.write_string(line, 0, safe_cell(key), bold)
                cover.write_string(line, 1, safe_cell(value), wrap)
                line += 1
        elif isinstance(block, Table):
            sheet = book.add_worksheet(_sheet_name(block.caption or heading, taken))
            sheet.freeze_panes(1, 0)
            widths = block.widths or [1] * len(block.headers)
            scale = 100 / sum(widths)
            for col, width in enumerate(widths):
                sheet.set_column(col, col, max(8, width * scale))
            for col, header in enumerate(block.headers):
                sheet.write_string(0, col, safe_cell(header), bold)
            for r, row in enumerate(block.rows, start=1):
                for col, value in enumerate(row):
                    if INTEGER.match(value):
                        sheet.write_number(r, col, int(value))
                    else:
                        sheet.write_string(r, col, safe_cell(value), wrap)
    book.close()
    return buffer.getvalue()
