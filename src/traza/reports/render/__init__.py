"""Renderers of a :class:`traza.reports.content.Content`: DOCX (python-docx), PDF (ReportLab)
and XLSX (XlsxWriter).

Both write the same bytes for the same content and date: the file's dates are the data's
(``Content.as_of``), never the moment of generation."""

from traza.reports.render.docx import render_docx
from traza.reports.render.pdf import render_pdf
from traza.reports.render.xlsx import render_xlsx

RENDERERS = {"docx": render_docx, "pdf": render_pdf, "xlsx": render_xlsx}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

__all__ = ["CONTENT_TYPES", "RENDERERS", "render_docx", "render_pdf", "render_xlsx"]
