"""The plan's matrix of contributions and responses ("matriz de sistematización de aportes"):
one row per public contribution, in the columns governments publish. One definition, read by
the public report (``cocreation:responses-csv`` / ``-xlsx``) and by the workbench's export,
and recognised again by the workbench's importer (``traza.workbench.matrix``).

Only public data: contributions through ``Contribution.objects.public()``, published
responses, the author's name only with their consent (``public_author``). The rows are read in
chunks with a constant number of queries per chunk, whatever the plan's size."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from traza.cocreation.models import Contribution, Response
from traza.core.tabular import csv_lines, safe_cell
from traza.notifications.models import MessageStatus, OutboxMessage
from traza.plans.models import ActionPlan

CHUNK = 1000
# The code of a contribution without a key: stable (its id never changes) and never a valid
# key (keys are slugs, without ":"), so the importer tells the two apart.
CODE_PREFIX = "traza:"
CODE_RE = re.compile(r"^\s*traza\s*:\s*(\d+)\s*$", re.IGNORECASE)
TOLD_PURPOSE = "response_published"


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise


COLUMNS = [
    Column("code", _("Code")),
    Column("received", _("Date received")),
    Column("channel", _("Channel")),
    Column("event", _("Event")),
    Column("theme", _("Theme")),
    Column("author", _("Author")),
    Column("text", _("Contribution")),
    Column("outcome", _("Outcome")),
    Column("reason", _("Reason")),
    Column("response", _("Reasoned response")),
    Column("decided_by", _("Decided by")),
    Column("decided_on", _("Decided on")),
    Column("forwarded_to", _("Forwarded to")),
    Column("commitment", _("Commitment")),
    Column("told", _("Author told on")),
]
COLUMN_KEYS = [c.key for c in COLUMNS]


def matrix_code(contribution: Contribution) -> str:
    """The contribution's code in the matrix: its key when it has one, else ``traza:<id>``."""
    return contribution.key or f"{CODE_PREFIX}{contribution.pk}"


def code_id(code: str) -> int | None:
    """The contribution id a ``traza:<id>`` code names (None: the code is a key)."""
    found = CODE_RE.match(code or "")
    return int(found.group(1)) if found else None


def headers() -> list[str]:
    """The column headers in the active language."""
    return [str(c.label) for c in COLUMNS]


def commitment_label(number: int, title: str) -> str:
    return f"{number}. {title}"


def deciding_label(response: Response) -> str:
    label = str(response.get_deciding_body_display())
    if response.deciding_sector is not None:
        label += f" ({response.deciding_sector.name})"
    return label


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value else None


def _matrix_queryset(plan: ActionPlan):
    return (
        Contribution.objects.public()
        .filter(plan=plan)
        .select_related("event", "theme", "commitment", "response__deciding_sector")
        .order_by("received_at", "id")
    )


def _published(contribution: Contribution) -> Response | None:
    response = getattr(contribution, "response", None)
    if response is None or response.published_at is None:
        return None
    return response


def _chunk_facts(responses: list[Response]) -> tuple[dict[int, list[str]], dict[int, dt.date]]:
    """For a chunk of responses, in two queries: the commitments of the versions each changed,
    and when its author was last told (the sent e-mail about it, as the journey page reads)."""
    ids = [r.pk for r in responses]
    commitments: dict[int, dict[int, str]] = defaultdict(dict)
    through = Response.changed_versions.through
    for response_id, number, title in (
        through.objects.filter(response_id__in=ids)
        .order_by("commitmentversion__commitment__number")
        .values_list(
            "response_id",
            "commitmentversion__commitment__number",
            "commitmentversion__commitment__title",
        )
    ):
        commitments[response_id][number] = commitment_label(number, title)
    told = {
        int(row["object_id"]): _local_date(row["sent"])
        for row in OutboxMessage.objects.filter(
            object_type=Response._meta.label_lower,
            object_id__in=[str(i) for i in ids],
            purpose=TOLD_PURPOSE,
            status=MessageStatus.SENT,
        )
        .values("object_id")
        .annotate(sent=Max("sent_at"))
    }
    return (
        {rid: [labels[n] for n in sorted(labels)] for rid, labels in commitments.items()},
        {k: v for k, v in told.items() if v},
    )


def _row(
    contribution: Contribution,
    response: Response | None,
    versions: dict[int, list[str]],
    told: dict[int, dt.date],
) -> list[Any]:
    target = contribution.commitment
    changed = versions.get(response.pk, []) if response else []
    if changed:
        commitment = "; ".join(changed)
    elif target is not None:
        commitment = commitment_label(target.number, target.title)
    else:
        commitment = ""
    return [
        matrix_code(contribution),
        _local_date(contribution.received_at),
        str(contribution.get_channel_display()),
        contribution.event.title if contribution.event else "",
        contribution.theme.name if contribution.theme else "",
        contribution.public_author,
        contribution.text,
        str(response.get_outcome_display()) if response else "",
        str(response.get_reason_category_display()) if response else "",
        response.text if response else "",
        deciding_label(response) if response else "",
        response.decided_on if response else None,
        response.forwarded_to if response else "",
        commitment,
        told.get(response.pk) if response else None,
    ]


def matrix_rows(plan: ActionPlan, chunk: int = CHUNK) -> Iterator[list[Any]]:
    """The plan's rows, in order of reception: text as ``str``, dates as ``date`` (or None).
    Queries: the contributions (read in chunks), then two per chunk."""
    batch: list[Contribution] = []
    for contribution in _matrix_queryset(plan).iterator(chunk_size=chunk):
        batch.append(contribution)
        if len(batch) >= chunk:
            yield from _batch_rows(batch)
            batch = []
    if batch:
        yield from _batch_rows(batch)


def _batch_rows(batch: list[Contribution]) -> Iterator[list[Any]]:
    pairs = [(c, _published(c)) for c in batch]
    responses = [r for _c, r in pairs if r is not None]
    versions, told = _chunk_facts(responses) if responses else ({}, {})
    for contribution, response in pairs:
        yield _row(contribution, response, versions, told)


def csv_value(value: Any) -> str:
    """A cell as the CSV writes it: dates in ISO 8601, text never run as a formula."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe_cell(value)


def csv_rows(plan: ActionPlan) -> Iterator[list[str]]:
    """The rows as the CSV holds them (the public report and the workbench's are the same)."""
    for row in matrix_rows(plan):
        yield [csv_value(v) for v in row]


def _in_language(language: str, lines: Iterator[str]) -> Iterator[str]:
    """Stream ``lines`` in ``language``: the rows are read (and their labels translated)
    while the response is sent, after the view has returned."""
    with translation.override(language):
        yield from lines


def write_xlsx(plan: ActionPlan, path: str) -> None:
    """The matrix as a workbook, in xlsxwriter's constant-memory mode. Text is written as
    text and neutralised like the CSV's (a leading ``'`` before ``= + - @``), dates as
    dates."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "remove_timezone": True})
    sheet = workbook.add_worksheet(str(_("Matrix"))[:31])
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for col, name in enumerate(headers()):
        sheet.write_string(0, col, name, bold)
    for r, row in enumerate(matrix_rows(plan), start=1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(r, col, dt.datetime.combine(value, dt.time()), day)
            else:
                sheet.write_string(r, col, safe_cell(value))
    workbook.close()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def matrix_download(plan: ActionPlan, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The matrix as a download: CSV streamed, XLSX written to a temporary file first."""
    filename = f"respuestas-plan-{plan.pk}.{fmt}"
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        language = translation.get_language() or "es"
        lines = csv_lines(headers(), csv_rows(plan))
        response = StreamingHttpResponse(
            _in_language(language, lines), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        try:
            write_xlsx(plan, path)
            stream = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
        finally:
            os.unlink(path)  # the open handle keeps the content until the response is sent
        response = FileResponse(stream, content_type=XLSX_TYPE)
    else:
        raise ValueError(fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
