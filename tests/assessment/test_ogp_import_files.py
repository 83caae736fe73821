"""`traza import-ogp` on files that are not clean UTF-8 CSV: other encodings, huge or NUL
cells, rows cut short. Every problem names its row and column; nothing crashes, and what
is written is written in one transaction (docs/data/import-format.md)."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DataError

from traza.assessment import ogp_import
from traza.assessment.ogp_import import OgpFileProblem, import_ogp_csv
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.plans.models import ActionPlan, Commitment, Member

DATA = Path(__file__).parent.parent / "data" / "ogp-commitments-open-parliament.csv"


@pytest.fixture(scope="module")
def table():
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _csv(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _column(header, name) -> int:
    return header.index(name)


def _with(header, row, **cells) -> list[str]:
    row = list(row)
    for name, value in cells.items():
        row[_column(header, name.replace("_", " "))] = value
    return row


def _write(tmp_path, content: str | bytes, name="ogp.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def _ascii_rows(rows, count):
    """Rows whose text is plain ASCII but for the cells the test sets."""
    chosen = [r for r in rows if all(c.isascii() for c in r)]
    return chosen[:count]


# --- encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_a_windows_or_latin1_file_imports_with_a_note(db, tmp_path, table, encoding):
    header, rows = table
    row = _with(header, _ascii_rows(rows, 1)[0], **{"Country/Locality": "Perú"})
    text = _csv(header, [row]).replace("Perú", "Perú")
    path = _write(tmp_path, text.encode(encoding))
    result = import_ogp_csv(SYSTEM, path)
    assert result.imported == 1 and not result.problems
    assert Member.objects.get().name == "Perú"
    assert any("UTF-8" in note for note in result.notes)


def test_a_byte_order_mark_and_an_explicit_encoding(db, tmp_path, table):
    header, rows = table
    row = _with(header, _ascii_rows(rows, 1)[0], **{"Country/Locality": "Perú"})
    path = _write(tmp_path, b"\xef\xbb\xbf" + _csv(header, [row]).encode("utf-8"))
    assert import_ogp_csv(SYSTEM, path).imported == 1 and Member.objects.get().name == "Perú"
    latin = _write(tmp_path, _csv(header, [row]).encode("latin-1"), "latin.csv")
    result = import_ogp_csv(SYSTEM, latin, encoding="latin-1")
    assert result.imported == 1 and not result.notes


def test_the_command_says_which_encoding_it_used_and_refuses_a_wrong_one(
    db, tmp_path, table, capsys
):
    header, rows = table
    row = _with(header, _ascii_rows(rows, 1)[0], **{"Country/Locality": "Perú"})
    path = _write(tmp_path, _csv(header, [row]).encode("cp1252"))
    call_command("import_ogp", str(path))
    captured = capsys.readouterr()
    assert "1252" in captured.err and "Traceback" not in captured.err
    utf8 = _write(tmp_path, _csv(header, [row]).replace("Perú", "Perú ✓"), "utf8.csv")
    with pytest.raises(CommandError, match="ascii"):
        call_command("import_ogp", str(utf8), encoding="ascii")
    with pytest.raises(CommandError, match="no-such-encoding"):
        call_command("import_ogp", str(utf8), encoding="no-such-encoding")


# --- cells ----------------------------------------------------------------------------------


def test_a_cell_over_the_csv_field_limit_is_reported_not_a_traceback(db, tmp_path, table):
    header, rows = table
    good, big = _ascii_rows(rows, 2)
    big = _with(header, big, Full_Text="x" * 200_000)
    result = import_ogp_csv(SYSTEM, _write(tmp_path, _csv(header, [good, big])))
    assert result.imported == 1
    assert [(r, c) for r, c, _reason in result.problems] == [(3, "Full Text")]
    assert "50000" in result.problems[0][2] and len(result.problems[0][2]) < 200


def test_a_nul_byte_in_a_late_row_is_reported_and_the_rest_kept(db, tmp_path, table):
    header, rows = table
    chosen = _ascii_rows(rows, 12)
    chosen[10] = _with(header, chosen[10], Commitment_Title="Open\x00data")
    result = import_ogp_csv(SYSTEM, _write(tmp_path, _csv(header, chosen)))
    assert [(r, c) for r, c, _reason in result.problems] == [(12, "Commitment Title")]
    assert "NUL" in result.problems[0][2]
    assert result.imported == 11 and Commitment.objects.count() == 11


def test_strict_imports_nothing_when_a_row_has_a_problem(db, tmp_path, table, capsys):
    header, rows = table
    chosen = _ascii_rows(rows, 5)
    chosen[4] = _with(header, chosen[4], Full_Text="a\x00b")
    path = _write(tmp_path, _csv(header, chosen))
    with pytest.raises(CommandError):
        call_command("import_ogp", str(path), strict=True)
    assert "Full Text" in capsys.readouterr().err
    assert not Commitment.objects.exists() and not TraceEvent.objects.exists()


# --- rows cut short -------------------------------------------------------------------------


def test_a_truncated_row_names_its_row_and_the_first_missing_column(db, tmp_path, table):
    header, rows = table
    good = _ascii_rows(rows, 3)
    cut = good[2][: _column(header, "Action Plan Number") + 1]  # ends after that column
    text = _csv(header, [*good[:2], cut])
    result = import_ogp_csv(SYSTEM, _write(tmp_path, text))
    assert result.imported == 2
    [(row, column, reason)] = result.problems
    assert (row, column) == (4, "Commitment Number")
    assert "3" in reason and str(len(header)) in reason


def test_a_file_cut_inside_a_quoted_cell_names_where_the_cut_row_starts(db, tmp_path, table):
    header, rows = table
    good = _ascii_rows(rows, 3)
    good[2] = _with(header, good[2], Full_Text="Publish, every day, the air quality data")
    text = _csv(header, good)
    text = text[: text.rindex('"Publish, every') + 10]  # the file stops inside a quoted cell
    result = import_ogp_csv(SYSTEM, _write(tmp_path, text))
    assert result.imported == 2
    [(row, column, _reason)] = result.problems
    assert (row, column) == (4, "Start Date")


def test_a_row_with_more_cells_than_the_header_is_reported(db, tmp_path, table):
    header, rows = table
    good = _ascii_rows(rows, 2)
    result = import_ogp_csv(SYSTEM, _write(tmp_path, _csv(header, [good[0], [*good[1], "x"]])))
    assert result.imported == 1 and result.problems[0][0] == 3
    assert str(len(header) + 1) in result.problems[0][1] + result.problems[0][2]


# --- one transaction ------------------------------------------------------------------------


def test_a_failure_while_writing_leaves_nothing_written(db, tmp_path, table, monkeypatch):
    header, rows = table
    path = _write(tmp_path, _csv(header, _ascii_rows(rows, 8)))
    real = ogp_import.plan_services.save_commitment.traced
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 7:
            raise DataError("invalid byte sequence")
        return real(*args, **kwargs)

    monkeypatch.setattr(ogp_import.plan_services.save_commitment, "traced", failing)
    with pytest.raises(OgpFileProblem, match="invalid byte sequence") as problem:
        import_ogp_csv(SYSTEM, path)
    assert problem.value.row == 8
    assert not Commitment.objects.exists() and not ActionPlan.objects.exists()
    assert not TraceEvent.objects.exists()
    with pytest.raises(CommandError, match="invalid byte sequence"):
        calls.clear()
        call_command("import_ogp", str(path))


@pytest.mark.django_db(transaction=True)
def test_a_failure_while_writing_rolls_back_outside_a_test_transaction(
    tmp_path, table, monkeypatch
):
    header, rows = table
    path = _write(tmp_path, _csv(header, _ascii_rows(rows, 4)))
    real = ogp_import.plan_services.save_commitment.traced
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise DataError("invalid byte sequence")
        return real(*args, **kwargs)

    monkeypatch.setattr(ogp_import.plan_services.save_commitment, "traced", failing)
    with pytest.raises(OgpFileProblem):
        import_ogp_csv(SYSTEM, path)
    assert not Commitment.objects.exists() and not TraceEvent.objects.exists()


def test_a_problem_found_while_writing_names_the_column_it_comes_from(db, tmp_path, table):
    from traza.plans import services

    services.save_member(SYSTEM, None, {"slug": "ke", "name": "Kenya"})  # another key
    header, rows = table
    chosen = _ascii_rows(rows, 3)
    chosen[1] = _with(header, chosen[1], **{"Country/Locality": "Kenya"})
    path = _write(tmp_path, _csv(header, chosen))
    strict = import_ogp_csv(SYSTEM, path, strict=True)  # the first row written, then undone
    assert [(r, c) for r, c, _reason in strict.problems] == [(3, "Country/Locality")]
    assert strict.imported == 0 and strict.changed == {} and not Commitment.objects.exists()
    result = import_ogp_csv(SYSTEM, path)
    assert [(r, c) for r, c, _reason in result.problems] == [(3, "Country/Locality")]
    assert result.imported == 2 and Commitment.objects.count() == 2
