"""Tables written for spreadsheets: cells that never run as formulas, rows streamed."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

# A cell starting with one of these runs as a formula in spreadsheets (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Line:
    """A file-like object whose ``write`` returns what it was given (for streaming)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """The CSV text line by line, for a StreamingHttpResponse (constant memory)."""
    writer = csv.writer(_Line())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)
