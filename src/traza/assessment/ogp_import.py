"""Import OGP's published commitments data (the CSV export of its commitments spreadsheet).

Members, plans, commitments, lead institutions and the IRM's ratings. OGP's missing-value
codes (ND, NR, NA) mean "not assessed" and never become a rating; the older four-level
specificity maps to verifiability as OGP-RULES.md §1.1 says (medium or high → specific).
The file is read as UTF-8 (with or without a byte-order mark), else as Windows-1252 with a
note, or in the encoding given. Every row is read and checked before anything is written; a
row that cannot be read is reported with its row number, column and reason and left out,
and the others are written in one transaction (with ``strict``, nothing is written when any
row has a problem). Importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from traza.assessment import services
from traza.assessment.models import Methodology, Rating
from traza.core.services import Service
from traza.core.text import shorten
from traza.plans import services as plan_services
from traza.plans.models import ActionPlan, Commitment, Member, Organization

MISSING = {"", "ND", "NR", "NA", "N/A"}
REQUIRED_COLUMNS = [
    "Commitment Unique Identifier",
    "Country/Locality",
    "Action Plan Number",
    "Commitment Number",
    "Year Of Submission",
    "Action Plan End Year",
    "Commitment Title",
]
SPECIFICITY = {
    "High": "specific",
    "Medium": "specific",
    "Low": "not_specific",
    "None": "not_specific",
}
VERIFIABLE_A = {"Yes": "specific", "1": "specific", "No": "not_specific", "0": "not_specific"}
VERIFIABLE_B = {
    "Yes": "verifiable",
    "1": "verifiable",
    "No": "not_verifiable",
    "0": "not_verifiable",
}
IMPACT = {
    "None": "none",
    "Minor": "minor",
    "Moderate": "moderate",
    "Transformative": "transformative",
}
COMPLETION = {
    "Not Started": "not_started",
    "Limited": "limited",
    "Substantial": "substantial",
    "Complete": "complete",
    "No Evidence Available": "no_evidence",
}
# values OGP uses for "no rating" beyond its missing codes, unless the column's scale has them
NOT_A_RATING = {"Withdrawn", "Unclear", "No early results to report yet", "Not Applicable"}
DIOG = {
    "Worsens": "worsened",
    "Worsened": "worsened",
    "Did Not Change": "did_not_change",
    "Marginal": "marginal",
    "Major": "major",
    "Outstanding": "outstanding",
}
STAR_COLUMN = "Starred (Current Formula) End of Term"
POTENTIAL = {"Unclear": "unclear", "Modest": "modest", "Substantial": "substantial"}
EARLY = {
    "No notable results": "no_notable_results",
    "Marginal": "marginal",
    "Moderate": "moderate",
    "Significant": "significant",
    "Outstanding": "outstanding",
}
VALUES = {
    "access_to_information": "OGP Value Access To Information",
    "civic_participation": "OGP Value Civic Participation",
    "public_accountability": "OGP Value Public Accountability",
    "technology_innovation": "OGP Value Technology",
}


# The columns Traza keeps, capped as their fields are (docs/data/import-format.md); the title
# is cut to the commitment's 400 characters, as before.
CAPS = {
    "Commitment Unique Identifier": 40,
    "Country/Locality": 200,
    "Commitment Number": 100,
    "Full Text": 50_000,
    "Lead Institution": 10_000,
    "URL": 2_000,
}


class OgpFileProblem(Exception):
    """The file cannot be imported at all (its encoding, its CSV, a failure while writing);
    nothing was written. ``row`` is the row where it happened, when there is one."""

    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.row = row


class RowProblem(Exception):
    def __init__(self, column: str, reason: str):
        if len(reason) > 300:  # a huge cell is not repeated back
            reason = shorten(reason, 301)
        super().__init__(reason)
        self.column, self.reason = column, reason


@dataclass
class Result:
    rows: int = 0
    imported: int = 0
    changed: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, reason)
    warnings: list[tuple[int, str, str]] = field(default_factory=list)  # imported, value left out
    notes: list[str] = field(default_factory=list)  # about the file as a whole (its encoding)
    # members and organisations already written by this import, with the values written:
    # the thousands of rows of one country name it again and again (not compared twice)
    written: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


def _cell(row: dict, column: str, mapping: dict | None = None) -> str:
    """The cell's value mapped to Traza's scale; "" when OGP marks it not assessed."""
    value = (row.get(column) or "").strip()
    if value in MISSING:
        return ""
    if value in NOT_A_RATING and (mapping is None or value not in mapping):
        return ""  # "Unclear" is no completion, but a potential for results of the 2021 scale
    if mapping is None:
        return value
    if value not in mapping:
        raise RowProblem(column, _("unknown value %r") % value)
    return mapping[value]


def _int(row: dict, column: str) -> int:
    value = (row.get(column) or "").strip()
    try:
        return int(value)
    except ValueError:
        raise RowProblem(column, _("a whole number was expected, not %r") % value) from None


def _date(row: dict, column: str, end: bool = False) -> dt.date | None:
    """OGP's dates come in several shapes: 8/1/2017 (US order, the usual one), 31/12/2015,
    12/1/18, 2017, December 2015. A bare year or month means its first day (its last day for
    an end date)."""
    value = _cell(row, column)
    if not value:
        return None
    for shape in ("%m/%d/%Y", "%d/%m/%Y", "%m/%d/%y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, shape).date()
        except ValueError:
            pass
    for shape in ("%B %Y", "%b %Y", "%m/%Y", "%Y"):
        try:
            first = dt.datetime.strptime(value, shape).date()
        except ValueError:
            continue
        if not end:
            return first
        if shape == "%Y":
            return dt.date(first.year, 12, 31)
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    if (
        value.isascii() and value.isdigit() and 20000 < int(value) < 80000
    ):  # a spreadsheet's serial day number
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    raise RowProblem(column, _("a date was expected, not %r") % value)


def _flag(row: dict, column: str) -> bool | None:
    value = _cell(row, column)
    if value == "":
        return None
    if value not in ("0", "1"):
        raise RowProblem(column, _("0 or 1 was expected, not %r") % value)
    return value == "1"


# Where a problem found while writing comes from: the model's field → OGP's column.
BLAME = {
    Member: ("Country/Locality", {}),
    ActionPlan: (
        "Action Plan Number",
        {"period_start": "Year Of Submission", "period_end": "Action Plan End Year"},
    ),
    Organization: ("Lead Institution", {}),
    Commitment: (
        "Commitment Unique Identifier",
        {
            "title": "Commitment Title",
            "summary": "Full Text",
            "starts_on": "Start Date",
            "ends_on": "End Date",
            "number": "Commitment Number",
            "lead_organization": "Lead Institution",
            "notes": "URL",
        },
    ),
    Rating: (
        "",
        {
            "verifiability": "Verifiable",
            "verifiable": "Verifiable",
            "potential_impact": "Potential Impact",
            "diog": "Did It Open Government (Overall)",
            "potential_for_results": "Potential for Results",
            "early_results": "Early Results",
        },
    ),
}


@contextmanager
def _blame(model):
    """A model's validation error, as a problem of the row's column it comes from."""
    try:
        yield
    except ValidationError as error:
        default, columns = BLAME[model]
        fields = [f for f in getattr(error, "error_dict", {}) if f != "__all__"]
        column = columns.get(fields[0], default or fields[0]) if fields else default
        raise RowProblem(column, " ".join(error.messages)) from None


def _save(model, lookup: dict, values: dict, save: Service, actor, reason, result: Result):
    memo = None
    if model in (Member, Organization):
        memo = repr((model._meta.label, sorted(lookup.items()), sorted(values.items())))
        if memo in result.written:
            return result.written[memo]
    instance = model.objects.filter(**lookup).first()
    with _blame(model):
        saved = save.traced(
            actor, instance, {**lookup, **values} if instance is None else values, reason
        )
    if saved.changed:
        name = model._meta.model_name
        result.changed[name] = result.changed.get(name, 0) + 1
    if memo is not None:
        result.written[memo] = saved.object
    return saved.object


def _commitment_number(plan: ActionPlan, ogp_id: str, raw: str) -> int:
    """The OGP number when it is a whole number not taken by another commitment, else the
    next free number (OGP numbers such as "2.1" are kept in the commitment's notes)."""
    stored = Commitment.objects.filter(plan=plan, ogp_id=ogp_id).first()
    if stored is not None:
        return stored.number
    taken = set(Commitment.objects.filter(plan=plan).values_list("number", flat=True))
    if raw.isascii() and raw.isdigit() and 0 < int(raw) < 32767 and int(raw) not in taken:
        return int(raw)
    return max(taken, default=0) + 1


def _ratings(row: dict) -> list[dict[str, Any]]:
    """The IRM's ratings in a row, one per report that rated something."""
    year = _int(row, "Year Of Submission")
    potential = _cell(row, "Potential for Results", POTENTIAL)
    ratings = []
    if potential or _cell(row, "Early Results", EARLY):
        review = {
            "verifiable": _cell(row, "Verifiable", VERIFIABLE_B),
            "potential_for_results": potential,
        }
        if any(review.values()):
            ratings.append({"methodology": Methodology.B_2021, "stage": "apr", **review})
        results = {
            "completion": _cell(row, "Completion (End Of Term)", COMPLETION),
            "early_results": _cell(row, "Early Results", EARLY),
        }
        if any(results.values()):
            ratings.append({"methodology": Methodology.B_2021, "stage": "results", **results})
        return ratings
    methodology = Methodology.A_2014 if year <= 2016 else Methodology.A_2017
    # verifiable if either scale says so (the older one: medium or high specificity)
    readings = {_cell(row, "Verifiable", VERIFIABLE_A), _cell(row, "Specificity", SPECIFICITY)}
    verifiability = next((v for v in ("specific", "not_specific") if v in readings), "")
    relevance = {name: _flag(row, column) for name, column in VALUES.items()}
    design = {
        "verifiability": verifiability,
        "potential_impact": _cell(row, "Potential Impact", IMPACT),
        "completion": _cell(row, "Completion (Progress Report)", COMPLETION),
        "relevance_assessed": any(v is not None for v in relevance.values()),
        **{name: bool(value) for name, value in relevance.items()},
    }
    if design["verifiability"] or design["potential_impact"] or design["relevance_assessed"]:
        ratings.append({"methodology": methodology, "stage": "progress", **design})
    final = {
        "completion": _cell(row, "Completion (End Of Term)", COMPLETION),
        "diog": _cell(row, "Did It Open Government (Overall)", DIOG),
    }
    if any(final.values()):
        # OGP leaves the star ND or NR where the report awarded none (the transitional
        # results reports): Traza's star is then unknown, not derived
        awards = STAR_COLUMN not in row or (row[STAR_COLUMN] or "").strip() not in MISSING
        ratings.append(
            {"methodology": methodology, "stage": "end_of_term", **final, "awards_stars": awards}
        )
    return ratings


def _lenient_date(row: dict, column: str, index: int, result: Result, end: bool = False):
    """A date that cannot be read is left empty and reported; the commitment is still imported."""
    try:
        return _date(row, column, end)
    except RowProblem as problem:
        result.warnings.append((index, column, _("%s; left empty") % problem.reason))
        return None


def _check_cells(row: dict) -> None:
    """NUL characters (which no column can store) anywhere, and over-long cells in the
    columns Traza keeps."""
    for column, value in row.items():
        if value and "\x00" in value:
            raise RowProblem(column, _("holds a NUL character, which is not allowed"))
    for column, limit in CAPS.items():
        value = row.get(column) or ""
        if len(value) > limit:
            raise RowProblem(
                column,
                _("too long: %(length)d characters, at most %(limit)d")
                % {"length": len(value), "limit": limit},
            )


def _read_row(row: dict, index: int, result: Result) -> dict[str, Any]:
    """Everything a row says, checked, without touching the database."""
    _check_cells(row)
    ogp_id = _cell(row, "Commitment Unique Identifier")
    if not ogp_id:
        raise RowProblem("Commitment Unique Identifier", _("missing"))
    country = _cell(row, "Country/Locality")
    if not country:
        raise RowProblem("Country/Locality", _("missing"))
    number = _int(row, "Action Plan Number")
    start, end = _int(row, "Year Of Submission"), _int(row, "Action Plan End Year")
    if not (0 < number < 32767):
        raise RowProblem("Action Plan Number", _("out of range: %d") % number)
    for column, year in (("Year Of Submission", start), ("Action Plan End Year", end)):
        if not (1990 <= year <= 2200):
            raise RowProblem(column, _("a year between 1990 and 2200 was expected, not %d") % year)
    if end < start:
        raise RowProblem("Action Plan End Year", _("the plan ends before it was submitted"))
    title = _cell(row, "Commitment Title") or _cell(row, "Short Title")
    if not title:
        raise RowProblem("Commitment Title", _("missing"))
    ratings = _ratings(row)
    starts_on = _lenient_date(row, "Start Date", index, result)
    ends_on = _lenient_date(row, "End Date", index, result, end=True)
    if starts_on and ends_on and ends_on < starts_on:
        raise RowProblem("End Date", _("the commitment ends before it starts"))
    return {
        "ogp_id": ogp_id,
        "country": country,
        "local": "Local" in (row.get("National Or Local") or ""),
        "number": number,
        "start": start,
        "end": end,
        "title": shorten(title, 400),
        "summary": _cell(row, "Full Text"),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "active": _cell(row, "Active Commitment") == "1",
        "lead_name": _cell(row, "Lead Institution"),
        "ogp_number": (row.get("Commitment Number") or "").strip(),
        "url": (row.get("URL") or "").strip(),
        "ratings": ratings,
    }


def _write_row(actor: Any, data: dict[str, Any], source: str, result: Result) -> None:
    reason = _("Imported from %s") % source
    ogp_id, country, number = data["ogp_id"], data["country"], data["number"]
    member = _save(
        Member,
        {"slug": slugify(country)[:60].strip("-") or ogp_id.lower()},
        {"name": country, "kind": "local" if data["local"] else "national"},
        plan_services.save_member,
        actor,
        reason,
        result,
    )
    with translation.override(settings.LANGUAGE_CODE):
        plan_title = _("Action plan %(number)s of %(member)s (%(start)s-%(end)s)") % {
            "number": number,
            "member": country,
            "start": data["start"],
            "end": data["end"],
        }
    plan = ActionPlan.objects.filter(member=member, number=number).first()
    if plan is None:
        plan = _save(
            ActionPlan,
            {"member": member, "number": number},
            {
                "title": plan_title,
                "period_start": data["start"],
                "period_end": data["end"],
                "stage": "closed" if data["end"] < timezone.now().year else "implementation",
            },
            plan_services.save_plan,
            actor,
            reason,
            result,
        )
    lead_name = data["lead_name"]
    lead = None
    notes = [
        _("OGP identifier %(id)s, commitment number %(number)s in OGP's data.")
        % {"id": ogp_id, "number": data["ogp_number"]}
    ]
    if lead_name and len(lead_name) <= 300:
        lead = Organization.objects.filter(name=lead_name).first() or _save(
            Organization,
            {
                "slug": f"{slugify(lead_name)[:100] or 'org'}-{hashlib.sha1(lead_name.encode()).hexdigest()[:10]}"
            },
            {"name": lead_name, "sector": "public"},
            plan_services.save_organization,
            actor,
            reason,
            result,
        )
    elif lead_name:
        notes.append(_("Lead institution(s): %s") % lead_name)
    if data["url"] not in MISSING:
        notes.append(data["url"])
    values = {
        "title": data["title"],
        "summary": data["summary"],
        "lead_organization": lead,
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "status": "approved" if data["active"] else "closed",
        "notes": "\n".join(notes),
    }
    commitment = Commitment.objects.filter(plan=plan, ogp_id=ogp_id).first()
    if commitment is None:
        values |= {
            "plan": plan,
            "number": _commitment_number(plan, ogp_id, data["ogp_number"]),
            "ogp_id": ogp_id,
        }
    with _blame(Commitment):
        saved = plan_services.save_commitment.traced(
            actor, commitment, values, step="import", reason=reason, source=source
        )
    commitment = saved.object
    if saved.changed:
        result.changed["commitment"] = result.changed.get("commitment", 0) + 1
    for rating in data["ratings"]:
        rating = dict(rating)
        key = {
            "commitment": commitment,
            "milestone": None,
            "stage": rating.pop("stage"),
            "methodology": rating.pop("methodology"),
        }
        _save(
            Rating,
            key,
            {**rating, "source": f"OGP commitments data ({source}), {ogp_id}"[:300]},
            services.save_rating,
            actor,
            reason,
            result,
        )


def _decode(raw: bytes, encoding: str | None) -> tuple[str, str | None]:
    """The file's text and, when it had to be guessed, a note saying how it was read."""
    if encoding:
        try:
            return raw.decode(encoding).removeprefix("\ufeff"), None
        except LookupError:
            raise OgpFileProblem(_("unknown encoding %r") % encoding) from None
        except UnicodeDecodeError as error:
            raise OgpFileProblem(
                _(
                    "the file cannot be read as %(encoding)s: line %(line)d has byte 0x%(byte)02X "
                    "(%(reason)s)"
                )
                % {
                    "encoding": encoding,
                    "line": raw.count(b"\n", 0, error.start) + 1,
                    "byte": raw[error.start],
                    "reason": error.reason,
                }
            ) from None
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line, byte = raw.count(b"\n", 0, error.start) + 1, raw[error.start]
    for fallback, label in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1 (ISO-8859-1)")):
        try:
            text = raw.decode(fallback)
        except UnicodeDecodeError:
            continue
        note = _(
            "The file is not UTF-8 (line %(line)d has byte 0x%(byte)02X); it was read as "
            "%(encoding)s. If names look wrong, give the right one with --encoding."
        ) % {"line": line, "byte": byte, "encoding": label}
        return text, note
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


@contextmanager
def _field_limit(size: int):
    """Let csv read cells of any size (the caps are checked per column afterwards, with
    the row and column named); the module-wide limit comes back afterwards."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, size))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _rows(text: str, result: Result):
    """(row number, {column: cell} or RowProblem) for each record; row 1 is the header.
    A record with fewer cells than the header is a row cut short (or a quote left open)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None) or []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        result.problems.append((1, ", ".join(missing), _("required column missing")))
        return
    for index, cells in enumerate(reader, start=2):
        if not cells:
            continue  # a blank line
        if len(cells) < len(header):
            yield (
                index,
                RowProblem(
                    header[len(cells)],
                    _(
                        "missing: the row has only %(found)d of the %(expected)d columns "
                        "(the file is cut short, or a quote is not closed)"
                    )
                    % {"found": len(cells), "expected": len(header)},
                ),
            )
        elif len(cells) > len(header):
            yield (
                index,
                RowProblem(
                    _("column %d") % (len(header) + 1),
                    _(
                        "the row has %(found)d cells but the header %(expected)d columns "
                        "(a value with a comma is not quoted?)"
                    )
                    % {"found": len(cells), "expected": len(header)},
                ),
            )
        else:
            yield index, dict(zip(header, cells, strict=True))


class _Rollback(Exception):
    pass


def import_ogp_csv(
    actor: Any, path: Path | str, *, encoding: str | None = None, strict: bool = False
) -> Result:
    """Read and check every row first, then write the readable ones in one transaction.

    A row with a problem is reported (row, column, reason) and left out; with ``strict``,
    any problem means nothing is written. A failure while writing rolls everything back and
    raises OgpFileProblem naming the row. Raises OgpFileProblem too for a file that cannot
    be read at all (encoding, CSV syntax)."""
    path = Path(path)
    result = Result()
    text, note = _decode(path.read_bytes(), encoding)
    if note:
        result.notes.append(note)
    readable: list[tuple[int, dict[str, Any]]] = []
    index = 1  # the header
    with _field_limit(len(text) + 1):
        try:
            for index, row in _rows(text, result):
                result.rows += 1
                try:
                    if isinstance(row, RowProblem):
                        raise row
                    readable.append((index, _read_row(row, index, result)))
                except RowProblem as problem:
                    result.problems.append((index, problem.column, problem.reason))
        except csv.Error as error:
            raise OgpFileProblem(
                _("the CSV cannot be read after row %(row)d: %(error)s")
                % {"row": index, "error": error},
                row=index + 1,
            ) from None
    if strict and result.problems:
        return result
    try:
        with transaction.atomic():
            for index, data in readable:
                try:
                    with transaction.atomic():
                        _write_row(actor, data, path.name, result)
                except RowProblem as problem:
                    result.problems.append((index, problem.column, problem.reason))
                    if strict:
                        raise _Rollback from None
                except DatabaseError as error:
                    raise OgpFileProblem(
                        _("row %(row)d could not be written (%(error)s); nothing was imported")
                        % {"row": index, "error": str(error).strip()[:300]},
                        row=index,
                    ) from None
                else:
                    result.imported += 1
    except _Rollback:
        result.imported = 0
        result.changed = {}
    return result
