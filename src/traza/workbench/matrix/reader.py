"""Reading an uploaded matrix (XLSX or CSV) into a table of cells, bounded: the file was
checked before (size, type, and for XLSX the archive's members and expansion, by
:func:`traza.core.uploads.check_upload`); the reader then stops at ``MAX_ROWS`` rows,
``MAX_COLUMNS`` columns and ``MAX_CELL`` characters a cell. It reads only: it runs outside
any write transaction."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from traza.core.tabular import FORMULA_PREFIXES

MAX_ROWS = 20_000
MAX_COLUMNS = 100
MAX_CELL = 32_767  # a spreadsheet cell's own limit
MAX_EMPTY_RUN = 1_000  # this many empty rows in a row end the sheet
HEADER_SEARCH = 10  # the header is the best-recognised of the first rows (titles may precede)
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")

Cell = str | dt.date | None


@dataclass
class Table:
    """A sheet: its headers, and its data rows with their number in the spreadsheet."""

    headers: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    header_row: int = 1
    sha256: str = ""
    encoding: str = ""

    def cell(self, row: list[Cell], index: int) -> Cell:
        return row[index] if index < len(row) else None


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: Any) -> Cell:
    """A cell as text or a date; numbers written without a useless ``.0``; the ``'`` the
    export puts before ``= + - @`` (against formulas) taken away again."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    else:
        text = str(value)
    if len(text) > MAX_CELL:
        raise _TooLong
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


class _TooLong(Exception):
    pass


def _too_many_rows() -> ValidationError:
    return ValidationError(
        _("The matrix has more than %(max)s rows: split it into several files.")
        % {"max": f"{MAX_ROWS:,}".replace(",", ".")},
        code="rows",
    )


def _table(raw_rows: Iterable[list[Any]], sha256: str, encoding: str = "") -> Table:
    """Rows of raw values → a Table; the header is the row among the first few that names
    the most known columns (a title may precede it), else the first non-empty one."""
    from traza.workbench.matrix.mapping import guess_target

    rows: list[tuple[int, list[Cell]]] = []
    empty = 0
    for number, raw in enumerate(raw_rows, start=1):
        if len(rows) > MAX_ROWS + HEADER_SEARCH:
            raise _too_many_rows()
        if all(v in (None, "") for v in raw):
            empty += 1
            if empty > MAX_EMPTY_RUN:  # rows formatted to the sheet's end: the data is over
                break
            continue
        empty = 0
        if len(raw) > MAX_COLUMNS and any(v not in (None, "") for v in raw[MAX_COLUMNS:]):
            raise ValidationError(
                _("Row %(row)s has more than %(max)s columns.")
                % {"row": number, "max": MAX_COLUMNS},
                code="columns",
            )
        try:
            cells = [_text(v) for v in raw[:MAX_COLUMNS]]
        except _TooLong:
            raise ValidationError(
                _("Row %(row)s has a cell longer than %(max)s characters.")
                % {"row": number, "max": MAX_CELL},
                code="cell",
            ) from None
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            rows.append((number, cells))
    if not rows:
        raise ValidationError(_("The file has no rows."), code="empty")
    candidates = rows[:HEADER_SEARCH]
    best = max(
        range(len(candidates)),
        key=lambda i: (sum(1 for c in candidates[i][1] if guess_target(c)), -i),
    )
    header_number, header_cells = rows[best]
    data = rows[best + 1 :]
    if len(data) > MAX_ROWS:
        raise _too_many_rows()
    width = max([len(header_cells), *(len(cells) for _n, cells in data)])
    headers = []
    for index in range(width):
        value = header_cells[index] if index < len(header_cells) else None
        text = value.isoformat() if isinstance(value, dt.date) else (value or "")
        headers.append(text or _("Column %(letter)s") % {"letter": _column_letter(index)})
    return Table(headers, data, header_number, sha256, encoding)


def _xlsx_rows(stream: IO[bytes]) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    workbook = load_workbook(stream, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _decode(data: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _delimiter(sample: str) -> str:
    """The delimiter that splits the most of the first lines into the same number of cells
    (a title line above the headers, or commas inside the texts, do not mislead it)."""
    best = (0, 0, ",")
    for delimiter in (",", ";", "\t"):
        try:
            widths = [
                len(row)
                for row in itertools.islice(
                    csv.reader(io.StringIO(sample), delimiter=delimiter), 50
                )
                if len(row) > 1
            ]
        except csv.Error:
            continue
        if widths:
            width, times = Counter(widths).most_common(1)[0]
            best = max(best, (times, width, delimiter))
    return best[2]


def _csv_rows(text: str) -> Iterator[list[str]]:
    delimiter = _delimiter(text[:16384])
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_table(stream: IO[bytes], filename: str) -> Table:
    """The first sheet of an XLSX file or a CSV file (UTF-8, with or without BOM, Windows-1252
    or Latin-1; comma, semicolon or tab), as a :class:`Table`. Refused with a
    ``ValidationError`` when it cannot be read or passes the limits."""
    stream.seek(0)
    data = stream.read()
    sha256 = hashlib.sha256(data).hexdigest()
    damaged = ValidationError(
        _("The file could not be read as a spreadsheet. Save it again as XLSX or CSV."),
        code="damaged",
    )
    if filename.lower().endswith(".xlsx"):
        try:
            return _table(_xlsx_rows(io.BytesIO(data)), sha256)
        except ValidationError:
            raise
        except Exception:  # openpyxl raises many kinds on a damaged workbook
            raise damaged from None
    text, encoding = _decode(data)
    if "\x00" in text:
        raise damaged
    try:
        return _table(_csv_rows(text), sha256, encoding)
    except csv.Error:
        raise damaged from None
