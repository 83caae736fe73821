"""The secretariat's matrix, both ways: the export (public and in the workbench, the same
rows), the import's upload checks, mapping, dry run, all-or-nothing import, and a round trip
from one plan into a fresh one."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories
from traza.cocreation import services as cocreation
from traza.cocreation.matrix import code_id, matrix_code
from traza.cocreation.models import Contribution, Response, ResponseRevision
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.notifications.models import OutboxMessage
from traza.workbench.matrix.check import Options, parse_date
from traza.workbench.matrix.mapping import guess_mapping
from traza.workbench.matrix.reader import read_table
from traza.workbench.models import MatrixImport
from traza.workbench.services import MatrixChanged, check_matrix, import_matrix, upload_matrix

PASSWORD = "x-Strong-pass-1"
EN_HEADERS = [
    "Code",
    "Date received",
    "Channel",
    "Event",
    "Theme",
    "Author",
    "Contribution",
    "Outcome",
    "Reason",
    "Reasoned response",
    "Decided by",
    "Decided on",
    "Forwarded to",
    "Commitment",
    "Author told on",
]


def staff_account(django_user_model, name, role):
    return factories.account(name, role)


@pytest.fixture
def secretary(django_user_model):
    return staff_account(django_user_model, "secretaria", "secretariat")


@pytest.fixture
def drafter(django_user_model):
    return staff_account(django_user_model, "redactora", "response_drafter")


def when(day: int) -> dt.datetime:
    return dt.datetime(2024, 3, day, 15, tzinfo=dt.UTC)


def build_plan(number: int, *, answered: bool = True):
    """A plan of three commitments, a thematic table, and four contributions with keys:
    adopted (changing commitment 1), not adopted (a technical meeting decided it), forwarded,
    and one unanswered."""
    plan = factories.plan_with_commitments(n=3, m=1, number=number)
    event = factories.EventFactory(plan=plan, key="mesa-salud", title="Mesa temática de salud")
    sector = factories.OrganizationFactory(slug=f"minsa{number}", name=f"Ministerio {number}")
    theme = factories.ThemeFactory(slug=f"salud{number}", name=f"Salud {number}")
    if not answered:
        return plan, event, sector
    first = plan.commitments.get(number=1)
    values = [
        dict(
            key="mt-01",
            channel="event",
            event=event,
            theme=theme,
            commitment=first,
            author_name="Ana Quispe",
            show_author=True,
            text="Publicar las listas de espera de los hospitales.\nCon datos abiertos.",
            received_at=when(4),
        ),
        dict(key="mt-02", channel="email", text='=HYPERLINK("http://x")', received_at=when(5)),
        dict(key="MT-03", channel="letter", text="Pido información.", received_at=when(6)),
        dict(
            key="mt-04",
            channel="web_form",
            text="Mapas del aire.",
            author_email="maria@example.org",
            received_at=when(7),
        ),
    ]
    rows = [cocreation.record_contribution(SYSTEM, {"plan": plan, **v}) for v in values]
    base = {"text": "Se incorpora.", "decided_on": dt.date(2024, 4, 2)}
    cocreation.publish_response(
        SYSTEM,
        rows[0],
        {**base, "outcome": "adopted", "deciding_body": "thematic_table"},
        versions=[first.versions.last()],
    )
    cocreation.publish_response(
        SYSTEM,
        rows[1],
        {
            **base,
            "outcome": "not_adopted",
            "reason_category": "no_budget",
            "text": "-No hay presupuesto.",
            "deciding_body": "technical_meeting",
            "deciding_sector": sector,
        },
    )
    cocreation.publish_response(
        SYSTEM,
        rows[2],
        {
            **base,
            "outcome": "forwarded",
            "deciding_body": "secretariat",
            "forwarded_to": "Gobierno Regional",
        },
    )
    return plan, event, sector


def export_bytes(client, plan, fmt, *, workbench=True):
    url = (
        reverse("workbench:matrix-export", args=[plan.pk, fmt])
        if workbench
        else reverse(f"cocreation:responses-{fmt}", args=[plan.pk])
    )
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def as_upload(data: bytes, fmt: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"matriz.{fmt}", data)


def table_of(data: bytes, fmt: str):
    return read_table(io.BytesIO(data), f"matriz.{fmt}")


def run_import(actor, plan, data: bytes, fmt: str, **options):
    """Upload, map as guessed, dry run and (when it found no error) import, as the views do."""
    upload = as_upload(data, fmt)
    table = table_of(data, fmt)
    matrix = upload_matrix(actor, plan, upload)
    chosen = Options(columns=guess_mapping(table.headers), **options)
    matrix = check_matrix(actor, matrix, table, chosen)
    if not matrix.report["errors"]:
        matrix = import_matrix(actor, matrix, table)
    return matrix


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- export --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_into_a_fresh_plan_gives_the_same_rows(client, secretary, fmt):
    client.force_login(secretary)
    source, _event, _sector = build_plan(1)
    fresh, _event2, _sector2 = build_plan(2, answered=False)
    fresh_sector = factories.OrganizationFactory(slug="minsa-x", name="Ministerio 1 bis")
    assert fresh_sector
    exported = export_bytes(client, source, fmt)
    matrix = run_import(secretary, fresh, exported, fmt, names_public=True)
    assert matrix.report["errors"] == [], matrix.report["errors"]
    assert matrix.status == "imported"
    assert matrix.report["counts"] == {"create": 4, "update": 0, "unchanged": 0, "errors": 0}
    again = export_bytes(client, fresh, fmt)
    before, after = table_of(exported, fmt), table_of(again, fmt)
    assert before.headers == after.headers
    assert [cells for _n, cells in before.rows] == [cells for _n, cells in after.rows]
    assert len(after.rows) == 4
    # the keys came along, the response to the first is adopted, its author shown by consent
    first = Contribution.objects.get(plan=fresh, key="mt-01")
    assert first.show_author and first.author_name == "Ana Quispe"
    assert first.response.outcome == "adopted" and first.commitment.number == 1
    assert Contribution.objects.get(plan=fresh, key="MT-03").response.forwarded_to
    assert not OutboxMessage.objects.filter(object_id__in=[str(first.response.pk)]).exists()
    # importing the same file again changes nothing
    counts = (
        Contribution.objects.count(),
        Response.objects.count(),
        ResponseRevision.objects.count(),
    )
    repeat = run_import(secretary, fresh, exported, fmt, names_public=True)
    assert repeat.report["counts"] == {"create": 0, "update": 0, "unchanged": 4, "errors": 0}
    assert repeat.status == "imported"
    assert counts == (
        Contribution.objects.count(),
        Response.objects.count(),
        ResponseRevision.objects.count(),
    )


@pytest.mark.django_db
def test_public_report_and_workbench_csv_give_the_same_rows(client, secretary):
    plan, _e, _s = build_plan(1)
    public = export_bytes(client, plan, "csv", workbench=False)
    client.force_login(secretary)
    assert export_bytes(client, plan, "csv") == public
    assert table_of(export_bytes(client, plan, "xlsx", workbench=False), "xlsx").rows == (
        table_of(export_bytes(client, plan, "xlsx"), "xlsx").rows
    )


@pytest.mark.django_db
def test_the_export_columns_in_english_and_public_data_only(client, secretary):
    plan, _e, _s = build_plan(1)
    cocreation.record_contribution(
        SYSTEM,
        {
            "plan": plan,
            "channel": "email",
            "text": "Secreto",
            "author_name": "Zacarías Oculto",
            "author_email": "zacarias@example.org",
            "show_author": False,
            "received_at": when(8),
        },
    )
    client.force_login(secretary)
    with translation.override("en"):
        url = reverse("workbench:matrix-export", args=[plan.pk, "csv"])
    assert url.startswith("/en/")
    response = client.get(url)
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == EN_HEADERS
    assert len(rows) == 6
    by_code = {row[0]: dict(zip(EN_HEADERS, row, strict=True)) for row in rows[1:]}
    assert by_code["mt-01"]["Author"] == "Ana Quispe"
    assert by_code["mt-01"]["Outcome"] == "adopted"
    assert by_code["mt-01"]["Commitment"] == "1. Commitment 1"
    assert by_code["mt-01"]["Event"] == "Mesa temática de salud"
    assert by_code["mt-02"]["Decided by"] == "technical meeting with the sector (Ministerio 1)"
    assert by_code["mt-02"]["Reason"] == "no budget"
    assert by_code["mt-04"]["Outcome"] == ""
    hidden = Contribution.objects.get(text="Secreto")
    assert by_code[f"traza:{hidden.pk}"]["Author"] == "A participant"
    assert "Zacarías" not in text and "example.org" not in text
    assert code_id(matrix_code(hidden)) == hidden.pk and code_id("mt-01") is None


@pytest.mark.django_db
def test_cells_that_would_run_as_formulas_are_neutralised(client, secretary):
    plan, _e, _s = build_plan(1)
    client.force_login(secretary)
    text = export_bytes(client, plan, "csv").decode()
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text and '"=HYPERLINK' not in text
    assert "'-No hay presupuesto." in text
    book = zipfile.ZipFile(io.BytesIO(export_bytes(client, plan, "xlsx")))
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "'=HYPERLINK" in sheet.replace("&quot;", '"')
    # the importer reads the neutralised cell back as it was written
    table = table_of(export_bytes(client, plan, "xlsx"), "xlsx")
    assert any(cells[6] == '=HYPERLINK("http://x")' for _n, cells in table.rows)


@pytest.mark.django_db
def test_the_export_reads_a_constant_number_of_queries(client, secretary):
    plan, _e, _s = build_plan(1)
    client.force_login(secretary)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export_bytes(client, plan, "csv")
            export_bytes(client, plan, "xlsx")
        return len(captured)

    few = queries()
    for day in range(10, 30):
        contribution = factories.ContributionFactory(plan=plan, received_at=when(day))
        factories.ResponseFactory(contribution=contribution)
    assert queries() == few
    assert few <= 24  # session and user, then per format: plan, rows, versions, told


@pytest.mark.django_db
def test_date_told_is_the_sent_response_mail(client, secretary):
    plan, _e, _s = build_plan(1)
    answered = factories.ContributionFactory(plan=plan, received_at=when(20))
    response = factories.ResponseFactory(contribution=answered)
    message = OutboxMessage.objects.get(object_id=str(response.pk), purpose="response_published")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status="sent", sent_at=dt.datetime(2024, 4, 9, 15, tzinfo=dt.UTC)
    )
    client.force_login(secretary)
    with translation.override("en"):
        table = table_of(export_bytes(client, plan, "xlsx"), "xlsx")
    told = {cells[0]: table.cell(cells, 14) for _n, cells in table.rows}
    assert told[f"traza:{answered.pk}"] == dt.date(2024, 4, 9)
    assert told["mt-01"] is None


# --- access --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_who_gets_in(client, secretary, drafter, outsider):
    plan, _e, _s = build_plan(1)
    export = reverse("workbench:matrix-export", args=[plan.pk, "csv"])
    start = reverse("workbench:matrix-import", args=[plan.pk])
    assert client.get(export).status_code == 302  # anonymous: to the sign-in page
    assert client.get(start).status_code == 302
    client.force_login(outsider)
    assert client.get(export).status_code == 403 and client.get(start).status_code == 403
    client.force_login(drafter)  # drafts responses: may export, may not import
    assert client.get(export).status_code == 200
    assert client.get(start).status_code == 403
    client.force_login(secretary)
    assert client.get(start).status_code == 200
    bad = reverse("workbench:matrix-export", args=[plan.pk, "pdf"])
    assert client.get(bad).status_code == 404


@pytest.mark.django_db
def test_staff_without_their_second_factor_do_not_get_in(client, secretary, settings):
    plan, _e, _s = build_plan(1)
    settings.TRAZA_REQUIRE_STAFF_2FA = True
    client.force_login(secretary)
    response = client.get(reverse("workbench:matrix-export", args=[plan.pk, "csv"]))
    assert response.status_code in (302, 403)
    assert not getattr(response, "streaming", False)


# --- the dry run ---------------------------------------------------------------------------


def csv_bytes(rows, *, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


SPANISH_HEADERS = [
    "N°",
    "Fecha",
    "Canal",
    "Aporte",
    "Estado",
    "Motivo",
    "Respuesta",
    "Instancia",
    "Fecha de respuesta",
    "Observaciones internas",
]


@pytest.mark.django_db
def test_the_dry_run_reports_every_error_with_row_and_column(secretary):
    plan, _event, _sector = build_plan(1)
    other, _e, _s = build_plan(2, answered=False)
    elsewhere = cocreation.record_contribution(
        SYSTEM, {"plan": other, "channel": "email", "text": "Otro plan", "received_at": when(3)}
    )
    rows = [
        SPANISH_HEADERS,
        [
            "A-1",
            "2024-03-01",
            "correo",
            "Bien",
            "adoptado",
            "",
            "Sí.",
            "secretaría",
            "02/04/2024",
            "x",
        ],
        ["A-1", "2024-03-01", "correo", "Repetido", "", "", "", "", "", ""],
        [f"traza:{elsewhere.pk}", "2024-03-01", "correo", "De otro", "", "", "", "", "", ""],
        [
            "A-4",
            "2024-03-01",
            "correo",
            "Raro",
            "quizás",
            "",
            "Tal vez.",
            "secretaría",
            "02/04/2024",
            "",
        ],
        [
            "A-5",
            "2024-03-01",
            "carta",
            "Sin texto",
            "no adoptado",
            "sin presupuesto",
            "",
            "secretaría",
            "02/04/2024",
            "",
        ],
        ["A-6", "31/02/2024", "carta", "Fecha mala", "", "", "", "", "", ""],
        ["A-7", "2024-03-01", "carta", "", "", "", "", "", "", ""],
        ["traza:999999", "2024-03-01", "carta", "No existe", "", "", "", "", "", ""],
    ]
    data = csv_bytes(rows, delimiter=";", encoding="cp1252")
    table = table_of(data, "csv")
    assert table.encoding == "cp1252" and table.headers == SPANISH_HEADERS
    mapping = guess_mapping(table.headers)
    assert [mapping[i] for i in range(len(SPANISH_HEADERS))] == [
        "code",
        "received",
        "channel",
        "text",
        "outcome",
        "reason",
        "response",
        "decided_by",
        "decided_on",
        "",
    ]
    matrix = upload_matrix(secretary, plan, as_upload(data, "csv"))
    with translation.override("en"):
        matrix = check_matrix(secretary, matrix, table, Options(columns=mapping))
    report = matrix.report
    assert matrix.status == "checked"
    assert report["ignored"] == ["Observaciones internas"]
    found = {(e["row"], e["column"]) for e in report["errors"]}
    assert found == {
        (3, "N°"),  # duplicate code
        (4, "N°"),  # a contribution of another plan
        (5, "Estado"),  # unknown outcome
        (6, "Respuesta"),  # not adopted without a written response
        (7, "Fecha"),  # 31 February
        (8, "Aporte"),  # a new contribution without text
        (9, "N°"),  # no such contribution
    }
    reasons = {(e["row"], e["column"]): e["reason"] for e in report["errors"]}
    assert "row 2" in reasons[(3, "N°")]
    assert other.title in reasons[(4, "N°")]
    assert "quizás" in reasons[(5, "Estado")]
    assert "31/02/2024" in reasons[(7, "Fecha")]
    assert [r["row"] for r in report["rows"]] == [2]  # the only good row, to be created
    assert report["rows"][0]["action"] == "create"
    with pytest.raises(ValidationError):
        import_matrix(secretary, matrix, table)
    assert not Contribution.objects.filter(plan=plan, key="a-1").exists()


@pytest.mark.django_db
def test_event_theme_commitment_and_sector_must_be_found(secretary):
    plan, _event, _sector = build_plan(1)
    rows = [
        ["Código", "Fecha de recepción", "Canal", "Evento", "Tema", "Aporte", "Compromiso",
         "Resultado", "Respuesta razonada", "Instancia que decidió", "Fecha de la decisión"],
        ["b-1", "2024-03-01", "evento", "Mesa temática de salud", "Salud 1", "Bien", "1",
         "adoptado", "Sí.", "mesa temática", "2024-04-01"],
        ["b-2", "2024-03-01", "evento", "Mesa inexistente", "Tema inexistente", "Mal", "9",
         "adoptado", "Sí.", "reunión técnica con el sector (Ministerio Fantasma)", "2024-04-01"],
    ]  # fmt: skip
    data = csv_bytes(rows)
    table = table_of(data, "csv")
    matrix = upload_matrix(secretary, plan, as_upload(data, "csv"))
    matrix = check_matrix(secretary, matrix, table, Options(columns=guess_mapping(table.headers)))
    found = {(e["row"], e["column"]) for e in matrix.report["errors"]}
    assert found == {
        (3, "Evento"),
        (3, "Tema"),
        (3, "Compromiso"),
        (3, "Instancia que decidió"),
    }
    assert [r["row"] for r in matrix.report["rows"]] == [2]


@pytest.mark.django_db
def test_a_change_to_a_response_is_listed_and_imported_without_mail(client, secretary):
    plan, _e, _s = build_plan(1)
    client.force_login(secretary)
    with translation.override("en"):
        exported = export_bytes(client, plan, "csv")
    rows = list(csv.reader(io.StringIO(exported.decode())))
    mt01 = next(r for r in rows if r[0] == "mt-01")
    mt04 = next(r for r in rows if r[0] == "mt-04")
    mt01[9] = "Se incorpora, con un indicador de tiempos de espera."
    mt04[7:12] = ["not adopted", "no budget", "No hay fondos.", "secretariat", "2024-05-01"]
    mt04[6] = "Un texto distinto"  # contributions are never rewritten by an import
    contribution = Contribution.objects.get(plan=plan, key="mt-04")
    cocreation.save_draft(
        SYSTEM,
        contribution,
        {"outcome": "pending", "deciding_body": "forum", "decided_on": dt.date(2024, 5, 1)},
    )
    data = csv_bytes(rows)
    queued = OutboxMessage.objects.count()
    matrix = run_import(secretary, plan, data, "csv")
    assert matrix.status == "imported", matrix.report["errors"]
    by_code = {r["code"]: r for r in matrix.report["rows"]}
    assert by_code["mt-01"]["action"] == "update"
    [(_label, old, new)] = by_code["mt-01"]["changes"]
    assert old == "Se incorpora." and "indicador" in new
    assert by_code["mt-04"]["action"] == "update" and len(by_code["mt-04"]["notes"]) == 3
    assert by_code["mt-02"]["action"] == by_code["MT-03"]["action"] == "unchanged"
    first = Response.objects.get(contribution__key="mt-01", contribution__plan=plan)
    assert first.revision == 2 and "indicador" in first.text
    assert first.changed_versions.count() == 1  # the changed versions are kept
    contribution.refresh_from_db()
    assert contribution.text == "Mapas del aire." and contribution.response.outcome == "not_adopted"
    assert (
        not hasattr(contribution, "draft")
        or not type(contribution).objects.filter(pk=contribution.pk, draft__isnull=False).exists()
    )
    assert OutboxMessage.objects.count() == queued  # nobody e-mailed, though they left addresses


# --- all or nothing ------------------------------------------------------------------------


def good_rows(n: int):
    rows = [
        [
            "Código",
            "Fecha",
            "Canal",
            "Aporte",
            "Resultado",
            "Respuesta",
            "Instancia",
            "Fecha de respuesta",
        ]
    ]
    for i in range(1, n + 1):
        rows.append([f"c-{i}", "2024-03-01", "carta", f"Aporte {i}", "adoptado", "Sí.", "secretaría", "2024-04-01"])  # fmt: skip
    return rows


@pytest.mark.django_db
def test_an_error_in_the_last_row_writes_nothing(secretary):
    plan, _e, _s = build_plan(1, answered=False)
    rows = good_rows(5)
    rows[-1][7] = "mañana"
    before = (Contribution.objects.count(), TraceEvent.objects.count())
    matrix = run_import(secretary, plan, csv_bytes(rows), "csv")
    assert matrix.status == "checked" and len(matrix.report["errors"]) == 1
    assert matrix.report["errors"][0]["row"] == 6
    assert Contribution.objects.count() == before[0]
    assert TraceEvent.objects.count() == before[1] + 2  # the upload and the dry run only


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_everything_back(secretary, monkeypatch):
    plan, _e, _s = build_plan(1, answered=False)
    data = csv_bytes(good_rows(4))
    table = table_of(data, "csv")
    matrix = upload_matrix(secretary, plan, as_upload(data, "csv"))
    matrix = check_matrix(secretary, matrix, table, Options(columns=guess_mapping(table.headers)))
    assert not matrix.report["errors"]
    from traza.workbench.services import matrix as module

    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise ValidationError("boom")
        return cocreation.publish_response(*args, **kwargs)

    monkeypatch.setattr(module, "publish_response", failing)
    with pytest.raises(ValidationError):
        import_matrix(secretary, matrix, table)
    assert not Contribution.objects.filter(plan=plan).exists()
    matrix.refresh_from_db()
    assert matrix.status == "checked"


@pytest.mark.django_db
def test_the_import_refuses_when_the_data_changed_since_the_dry_run(secretary):
    plan, _e, _s = build_plan(1)
    rows = good_rows(2)
    rows.append(["mt-04", "2024-03-07", "formulario web", "Mapas del aire.", "adoptado", "Sí.", "secretaría", "2024-04-01"])  # fmt: skip
    data = csv_bytes(rows)
    table = table_of(data, "csv")
    matrix = upload_matrix(secretary, plan, as_upload(data, "csv"))
    matrix = check_matrix(secretary, matrix, table, Options(columns=guess_mapping(table.headers)))
    assert not matrix.report["errors"], matrix.report["errors"]
    # meanwhile, someone answers mt-04 in the workbench
    cocreation.publish_response(
        SYSTEM,
        Contribution.objects.get(plan=plan, key="mt-04"),
        {"outcome": "pending", "deciding_body": "forum", "decided_on": dt.date(2024, 4, 3)},
    )
    count = Contribution.objects.count()
    with pytest.raises(MatrixChanged):
        import_matrix(secretary, matrix, table)
    assert Contribution.objects.count() == count
    matrix.refresh_from_db()
    assert matrix.status == "checked"


@pytest.mark.django_db
def test_a_matrix_is_imported_once(secretary):
    plan, _e, _s = build_plan(1, answered=False)
    data = csv_bytes(good_rows(1))
    matrix = run_import(secretary, plan, data, "csv")
    assert matrix.status == "imported"
    with pytest.raises(ValidationError):
        import_matrix(secretary, matrix, table_of(data, "csv"))


# --- the upload ----------------------------------------------------------------------------


def bomb() -> bytes:
    """An XLSX-looking archive whose sheet unpacks to some 1000 times its size."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * (30 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.django_db
def test_a_bomb_and_an_oversized_file_are_refused_before_parsing(
    client, secretary, settings, monkeypatch
):
    plan, _e, _s = build_plan(1, answered=False)
    client.force_login(secretary)
    url = reverse("workbench:matrix-import", args=[plan.pk])
    from traza.workbench.matrix import views

    parsed = []
    monkeypatch.setattr(views, "read_table", lambda *a, **k: parsed.append(a))
    response = client.post(url, {"file": SimpleUploadedFile("matriz.xlsx", bomb())})
    assert response.status_code == 400
    assert response.context["form"].errors.as_data()["file"][0].code == "archive_too_large"
    settings.TRAZA_MAX_UPLOAD_MB = 1
    big = csv_bytes(good_rows(1)) + b"x" * (1024 * 1024 + 10)
    response = client.post(url, {"file": SimpleUploadedFile("matriz.csv", big)})
    assert response.status_code == 400
    assert response.context["form"].errors.as_data()["file"][0].code == "file_size"
    response = client.post(url, {"file": SimpleUploadedFile("matriz.pdf", b"%PDF-1.4")})
    assert response.status_code == 400
    assert parsed == [] and not MatrixImport.objects.exists()


@pytest.mark.django_db
def test_too_many_rows_or_a_damaged_workbook_are_form_errors(client, secretary, monkeypatch):
    plan, _e, _s = build_plan(1, answered=False)
    client.force_login(secretary)
    url = reverse("workbench:matrix-import", args=[plan.pk])
    from traza.workbench.matrix import reader

    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    response = client.post(url, {"file": SimpleUploadedFile("m.csv", csv_bytes(good_rows(5)))})
    assert response.status_code == 400 and response.context["form"].errors["file"]
    damaged = b"PK\x03\x04" + b"\x00" * 200
    response = client.post(url, {"file": SimpleUploadedFile("m.xlsx", damaged)})
    assert response.status_code == 400 and response.context["form"].errors["file"]
    assert not MatrixImport.objects.exists()


def test_dates_are_read_day_first_or_iso():
    assert parse_date("2024-03-31") == dt.date(2024, 3, 31)
    assert parse_date("31/03/2024") == dt.date(2024, 3, 31)
    assert parse_date("05/04/24") == dt.date(2024, 4, 5)
    assert parse_date("2024-03-31T10:00") == dt.date(2024, 3, 31)
    assert parse_date("45383") == dt.date(2024, 4, 1)
    for bad in ("31/02/2024", "mañana", "2024-13-01"):
        with pytest.raises(ValueError):
            parse_date(bad)


@pytest.mark.django_db
def test_a_title_row_above_the_headers_is_skipped():
    rows = [["Matriz de sistematización de aportes — Mesa 1"], [], *good_rows(2)]
    table = table_of(csv_bytes(rows, delimiter=";"), "csv")
    assert table.header_row == 3 and table.headers[0] == "Código"
    assert [n for n, _cells in table.rows] == [4, 5]


# --- the whole way through the pages -------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_upload_map_dry_run_and_import_through_the_pages(client, secretary, settings, tmp_path):
    plan, _e, _s = build_plan(1, answered=False)
    client.force_login(secretary)
    start = reverse("workbench:matrix-import", args=[plan.pk])
    rows = good_rows(3)
    rows[0].append("Comentario interno")
    for row in rows[1:]:
        row.append("nada")
    upload = SimpleUploadedFile("matriz.csv", csv_bytes(rows, encoding="utf-8-sig"))
    response = client.post(start, {"file": upload})
    assert response.status_code == 302
    matrix = MatrixImport.objects.get()
    assert (
        matrix.status == "uploaded" and matrix.uploaded_by == secretary and len(matrix.sha256) == 64
    )
    detail = response.url
    page = client.get(detail)
    assert page.status_code == 200
    form = page.context["form"]
    assert form["column_0"].initial == "code" and form["column_8"].initial == ""
    data = {f"column_{i}": form[f"column_{i}"].initial for i in range(9)}
    # a field read from two columns is refused
    response = client.post(detail, {**data, "column_8": "text"})
    assert response.status_code == 400
    # without a code column, too
    response = client.post(detail, {**data, "column_0": ""})
    assert response.status_code == 400
    response = client.post(detail, data)
    assert response.status_code == 302
    matrix.refresh_from_db()
    assert matrix.status == "checked" and matrix.report["counts"]["create"] == 3
    page = client.get(detail)
    assert page.status_code == 200 and page.context["importable"]
    html = page.content.decode()
    assert reverse("workbench:matrix-import-run", args=[matrix.pk]) in html
    response = client.post(reverse("workbench:matrix-import-run", args=[matrix.pk]))
    assert response.status_code == 302
    matrix.refresh_from_db()
    assert matrix.status == "imported" and matrix.imported_at
    assert Contribution.objects.filter(plan=plan).count() == 3
    assert Response.objects.filter(contribution__plan=plan, outcome="adopted").count() == 3
    assert not OutboxMessage.objects.exists()
    assert client.get(detail).status_code == 200
    # a second click imports nothing more
    client.post(reverse("workbench:matrix-import-run", args=[matrix.pk]))
    assert Contribution.objects.filter(plan=plan).count() == 3
    # only POST imports
    assert client.get(reverse("workbench:matrix-import-run", args=[matrix.pk])).status_code == 405
    trace = TraceEvent.objects.filter(object_type="workbench.matriximport")
    assert trace.count() == 3
    assert not any("Aporte 1" in str(e.changes) for e in trace)
    assert timezone.now() >= matrix.imported_at


# --- a secretariat's own matrix --------------------------------------------------------------

FIXTURE = "tests/data/matrices/matriz_secretaria_cp1252.csv"


def secretariat_rows():
    with open(FIXTURE, encoding="cp1252", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def check_expected_import(plan):
    by_key = {c.key: c for c in Contribution.objects.filter(plan=plan).exclude(key="")}
    assert sorted(by_key) == ["1", "2", "3", "4", "5", "6"]
    outcomes = {key: c.response.outcome for key, c in by_key.items()}
    assert outcomes == {
        "1": "adopted",
        "2": "partially_adopted",
        "3": "not_adopted",
        "4": "forwarded",
        "5": "pending",
        "6": "duplicate",
    }
    assert by_key["1"].channel == "event" and by_key["1"].event.title == "Mesa temática de salud"
    assert by_key["1"].author_name == "" and not by_key["1"].show_author  # "Anónimo"
    assert by_key["2"].author_name == "Colectivo Salud Sur" and not by_key["2"].show_author
    assert by_key["2"].response.deciding_sector.name == "Ministerio de Salud"
    assert by_key["2"].commitment.number == 1 and by_key["4"].theme.name == "Educación"
    assert by_key["3"].response.reason_category == "outside_competence"
    assert by_key["4"].response.forwarded_to == "Ministerio de Educación"
    assert by_key["1"].received_at.date() == dt.date(2024, 3, 12)
    assert by_key["1"].response.decided_on == dt.date(2024, 4, 2)
    assert not OutboxMessage.objects.filter(
        object_id__in=[str(c.response.pk) for c in by_key.values()]
    ).exists()


@pytest.mark.django_db
def test_a_secretariats_csv_in_windows_encoding_with_a_title_imports(secretary, sample_plan):
    with open(FIXTURE, "rb") as handle:
        data = handle.read()
    table = table_of(data, "csv")
    assert table.header_row == 4 and table.encoding == "cp1252"
    mapping = guess_mapping(table.headers)
    assert [mapping[i] for i in range(len(table.headers))] == [
        "code",
        "received",
        "channel",
        "event",
        "theme",
        "author",
        "text",
        "outcome",
        "reason",
        "response",
        "decided_by",
        "decided_on",
        "forwarded_to",
        "commitment",
        "",
    ]
    matrix = run_import(secretary, sample_plan, data, "csv")
    assert matrix.report["errors"] == [] and matrix.status == "imported"
    assert matrix.report["ignored"] == ["Observaciones"]
    check_expected_import(sample_plan)


@pytest.mark.django_db
def test_the_same_matrix_as_a_workbook_with_numbers_and_date_cells(
    secretary, sample_plan, tmp_path
):
    import xlsxwriter

    path = tmp_path / "matriz.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Aportes")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(secretariat_rows()):
        for c, value in enumerate(row):
            if r > 3 and c == 0:
                sheet.write_number(r, c, int(value))  # the N° as a number
            elif r > 3 and c in (1, 11) and value:
                sheet.write_datetime(r, c, dt.datetime.strptime(value, "%d/%m/%Y"), day)
            elif value:
                sheet.write_string(r, c, value)
    book.close()
    matrix = run_import(secretary, sample_plan, path.read_bytes(), "xlsx")
    assert matrix.report["errors"] == [] and matrix.status == "imported"
    check_expected_import(sample_plan)


@pytest.mark.django_db
def test_a_hidden_contribution_is_neither_exported_nor_changed(client, secretary):
    from traza.cocreation.models import DiscussionPost

    plan, _e, _s = build_plan(1)
    hidden = Contribution.objects.get(plan=plan, key="mt-04")
    DiscussionPost.objects.create(
        commitment=plan.commitments.get(number=1),
        text="Mapas del aire.",
        status="hidden",
        created_at=timezone.now(),
        contribution=hidden,
    )
    client.force_login(secretary)
    exported = export_bytes(client, plan, "csv").decode()
    assert "mt-04" not in exported and "Mapas del aire" not in exported
    rows = [
        ["Code", "Outcome", "Reasoned response", "Decided by", "Decided on"],
        ["mt-04", "adopted", "Sí.", "secretariat", "2024-04-01"],
    ]
    data = csv_bytes(rows)
    table = table_of(data, "csv")
    matrix = upload_matrix(secretary, plan, as_upload(data, "csv"))
    matrix = check_matrix(secretary, matrix, table, Options(columns=guess_mapping(table.headers)))
    assert [(e["row"], e["column"]) for e in matrix.report["errors"]] == [(2, "Code")]


@pytest.mark.django_db
def test_a_stored_file_that_changed_is_refused(secretary):
    plan, _e, _s = build_plan(1, answered=False)
    data = csv_bytes(good_rows(2))
    matrix = upload_matrix(secretary, plan, as_upload(data, "csv"))
    other = table_of(csv_bytes(good_rows(3)), "csv")
    with pytest.raises(ValidationError):
        check_matrix(secretary, matrix, other, Options(columns=guess_mapping(other.headers)))
    matrix.refresh_from_db()
    assert matrix.status == "uploaded" and matrix.report == {}


@pytest.mark.django_db
def test_defaults_fill_the_channel_and_deciding_body_rows_leave_out(secretary):
    plan, _e, _s = build_plan(1, answered=False)
    rows = [
        ["Code", "Date received", "Contribution", "Outcome", "Response", "Decided on"],
        ["d-1", "2024-03-01", "Texto", "adopted", "Sí.", "2024-04-01"],
    ]
    data = csv_bytes(rows)
    table = table_of(data, "csv")
    columns = guess_mapping(table.headers)
    matrix = upload_matrix(secretary, plan, as_upload(data, "csv"))
    missing = check_matrix(secretary, matrix, table, Options(columns=columns))
    # no channel and no deciding body: two errors of row 2, under no column (none is mapped)
    assert [(e["row"], e["column"]) for e in missing.report["errors"]] == [(2, ""), (2, "")]
    matrix = check_matrix(
        secretary,
        matrix,
        table,
        Options(columns=columns, channel="letter", deciding_body="forum"),
    )
    assert matrix.report["errors"] == []
    import_matrix(secretary, matrix, table)
    created = Contribution.objects.get(plan=plan, key="d-1")
    assert created.channel == "letter" and created.response.deciding_body == "forum"


@pytest.mark.django_db
def test_the_dry_run_in_spanish_and_the_import_in_english_agree(secretary):
    plan, _e, _s = build_plan(1)
    rows = good_rows(2)
    rows.append(["mt-04", "2024-03-07", "formulario web", "x", "adoptado", "Sí.", "secretaría", "2024-04-01"])  # fmt: skip
    data = csv_bytes(rows)
    table = table_of(data, "csv")
    matrix = upload_matrix(secretary, plan, as_upload(data, "csv"))
    with translation.override("es"):
        matrix = check_matrix(
            secretary, matrix, table, Options(columns=guess_mapping(table.headers))
        )
    with translation.override("en"):
        matrix = import_matrix(secretary, matrix, table)
    assert matrix.status == "imported"
    assert Contribution.objects.get(plan=plan, key="mt-04").response.outcome == "adopted"


@pytest.mark.django_db
def test_the_import_pages_read_a_bounded_number_of_queries(
    client, secretary, django_assert_max_num_queries
):
    plan, _e, _s = build_plan(1, answered=False)
    client.force_login(secretary)
    for size in (3, 150):
        data = csv_bytes(good_rows(size))
        table = table_of(data, "csv")
        matrix = upload_matrix(secretary, plan, as_upload(data, "csv"))
        check_matrix(secretary, matrix, table, Options(columns=guess_mapping(table.headers)))
    detail = reverse("workbench:matrix-import-detail", args=[matrix.pk])
    with django_assert_max_num_queries(10):
        page = client.get(detail)
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 100  # the report, a page at a time
    assert client.get(detail + "?page=2").context["page"].number == 2
    with django_assert_max_num_queries(10):
        assert client.get(reverse("workbench:matrix-import", args=[plan.pk])).status_code == 200
