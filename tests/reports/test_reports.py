"""Documents generated from the data (issue 19): the action plan in OGP's template and the
co-creation report, opened with python-docx and pypdf and checked against the database; a
version in the repository per change of content, none for unchanged data; generated
outside any write transaction; no author's name without their consent."""

from __future__ import annotations

import hashlib
import io
import re
import time
from collections import Counter

import docx
import pypdf
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from tests import factories
from traza.cocreation.models import AttendanceTally, Contribution, Registration
from traza.cocreation.queries import unanswered_q
from traza.core.models import TraceEvent
from traza.plans import services as plans
from traza.plans.models import ADOPTED_STATUSES, Stage
from traza.reports import queries, services
from traza.reports.content import capfirst
from traza.reports.models import GeneratedVersion
from traza.reports.render import render_docx, render_pdf
from traza.repository.models import DocumentVersion


def docx_tables(data: bytes) -> tuple[str, list[list[list[str]]]]:
    """The DOCX's paragraphs as one text, and every table as rows of cell texts."""
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    return text, tables


def all_rows(tables) -> list[list[str]]:
    return [row for table in tables for row in table]


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def squash(text: str) -> str:
    return " ".join(text.split())


def generate_both(plan, report, language="es"):
    content = queries.build(plan, report, language)
    return content, render_docx(content), render_pdf(content)


# --- the action plan ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_action_plan_holds_every_commitment_and_milestone_of_peru(demo, language):
    _content, docx_data, pdf_data = generate_both(demo, "action_plan", language)
    text, tables = docx_tables(docx_data)
    rows = all_rows(tables)
    cells = {cell for row in rows for cell in row}
    flat_pdf = pdf_text(pdf_data)
    commitments = list(
        demo.commitments.filter(status__in=ADOPTED_STATUSES)
        .select_related("lead_organization")
        .prefetch_related("milestones")
    )
    assert len(commitments) == 18
    for commitment in commitments:
        heading = f"{commitment.number}. {commitment.title}"
        assert heading in text  # a heading of the DOCX
        assert squash(heading) in flat_pdf  # and of the PDF
        if commitment.problem:
            assert commitment.problem in cells
        assert commitment.lead_organization.name in cells
        for milestone in commitment.milestones.all():
            row = [r for r in rows if len(r) == 6 and r[1] == milestone.text]
            assert row, milestone.text
            start = milestone.starts_on.isoformat() if milestone.starts_on else "—"
            end = milestone.ends_on.isoformat() if milestone.ends_on else "—"
            assert [start, end] in [r[3:5] for r in row]
    # how it was co-created: the attendance recorded, summed per source
    sums = Counter()
    for tally in AttendanceTally.objects.filter(event__plan=demo):
        sums[tally.source] += tally.state + tally.civil_society + tally.others
    assert sums
    for source, n in sums.items():
        assert f"{source}: {n}" in text
    # the language of the file is the one asked for
    document = docx.Document(io.BytesIO(docx_data))
    assert document.core_properties.language == language
    assert pypdf.PdfReader(io.BytesIO(pdf_data)).trailer["/Root"]["/Lang"] == language


def test_the_files_are_dated_by_the_data_and_deterministic(sample_plan):
    state = queries.data_state(sample_plan)
    newest = TraceEvent.objects.filter(plan_id=sample_plan.pk).order_by("-id").first()
    assert state.event_id == newest.pk
    content, docx_data, pdf_data = generate_both(sample_plan, "action_plan")
    assert content.trace_event_id == newest.pk
    again = queries.build(sample_plan, "action_plan", "es")
    assert render_docx(again) == docx_data and render_pdf(again) == pdf_data
    created = docx.Document(io.BytesIO(docx_data)).core_properties.created
    assert created.date() == newest.occurred_at.date()
    info = pypdf.PdfReader(io.BytesIO(pdf_data)).metadata
    assert info["/CreationDate"].startswith("D:" + newest.occurred_at.strftime("%Y%m%d"))


def test_accents_render_in_the_pdf(sample_plan):
    _content, _docx, pdf_data = generate_both(sample_plan, "action_plan")
    assert "Participación ciudadana en la vigilancia de la salud pública" in pdf_text(pdf_data)


# --- the co-creation report --------------------------------------------------------------------


def test_the_co_creation_report_of_peru_equals_the_database(demo):
    content, docx_data, pdf_data = generate_both(demo, "co_creation")
    _text, tables = docx_tables(docx_data)
    rows = all_rows(tables)
    # attendance: every tally of every event, figure by figure
    for tally in AttendanceTally.objects.filter(event__plan=demo).select_related("event"):
        total = tally.state + tally.civil_society + tally.others
        expected = [
            tally.event.title,
            tally.source,
            str(tally.state),
            str(tally.civil_society),
            str(tally.others),
            str(total),
        ]
        assert expected in [r[:6] for r in rows], expected
    # and the attendance records, where there are some
    present = Counter(
        Registration.objects.filter(event__plan=demo, attended=True).values_list(
            "event__title", "sector"
        )
    )
    for (title, _sector), n in present.items():
        assert any(r[0] == title and str(n) in r[2:5] for r in rows)
    # contributions by channel × theme: every cell and the totals
    labels = dict(Contribution._meta.get_field("channel").choices)
    table = next(t for t in tables if t[-1][0] == "Total" and capfirst(labels["email"]) in t[0])
    header = table[0]
    public = Contribution.objects.public().filter(plan=demo)
    cells = Counter(public.values_list("theme__name", "channel"))
    for (theme, channel), n in cells.items():
        row = next(r for r in table if r[0] == (theme or "—"))
        assert row[header.index(capfirst(labels[channel]))] == str(n)
    assert table[-1][-1] == str(public.count()) == "20"  # seed 002, Cuadro 4
    # every contribution and its response, as published
    matrix = {r[0]: r for r in rows if len(r) == 10}
    for contribution in public.select_related("response"):
        code = contribution.key or f"traza:{contribution.pk}"
        assert matrix[code][4] == contribution.text
        if not Contribution.objects.filter(pk=contribution.pk).filter(unanswered_q()).exists():
            assert matrix[code][7] == contribution.response.text
    # the PDF says the same figures
    flat = pdf_text(pdf_data)
    assert "20" in flat and squash(content.title) in flat
    for tally in AttendanceTally.objects.filter(event__plan=demo)[:5]:
        assert re.search(rf"\b{tally.state}\b.*\b{tally.civil_society}\b", flat)


def test_no_author_name_without_consent(sample_plan):
    hidden = factories.ContributionFactory(
        plan=sample_plan, author_name="Rosa Secreta Mamani", text="Un aporte sin consentimiento."
    )
    assert not hidden.show_author
    shown = factories.ContributionFactory(
        plan=sample_plan,
        author_name="Pedro Público Huamán",
        show_author=True,
        text="Un aporte con su nombre.",
    )
    _content, docx_data, pdf_data = generate_both(sample_plan, "co_creation")
    text, tables = docx_tables(docx_data)
    everything = text + str(tables) + pdf_text(pdf_data)
    assert "Rosa Secreta" not in everything
    assert hidden.author_email not in everything
    assert "Pedro Público Huamán" in everything
    assert shown.text in everything


# --- stored in the repository ------------------------------------------------------------------


@pytest.fixture
def secretary(db):
    return factories.account("secretaria", "secretariat")


def test_unchanged_data_stores_no_new_version(sample_plan, secretary):
    first = services.generate_document(secretary, sample_plan, "action_plan", "pdf", "es")
    assert first.created
    version = first.generated.version
    with version.file.open("rb") as stored:
        data = stored.read()
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert version.document.kind == "action_plan" and version.document.plan == sample_plan
    newest = TraceEvent.objects.filter(plan_id=sample_plan.pk).order_by("-id").first()
    # the version's own trace event is newer: the document shows the state before it
    assert first.generated.trace_event_id < newest.pk
    assert str(first.generated.trace_event_id) in version.note

    again = services.generate_document(secretary, sample_plan, "action_plan", "pdf", "es")
    assert not again.created and again.generated == first.generated
    assert DocumentVersion.objects.filter(document=version.document).count() == 1

    commitment = sample_plan.commitments.get(number=2)
    plans.save_commitment(secretary, commitment, {"title": "Datos abiertos de la educación"})
    changed = services.generate_document(secretary, sample_plan, "action_plan", "pdf", "es")
    assert changed.created and changed.generated.document == version.document
    assert changed.generated.version.number == 2
    assert changed.generated.trace_event_id > first.generated.trace_event_id
    assert GeneratedVersion.objects.filter(plan=sample_plan).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_button_generates_outside_any_transaction_then_stores(client, monkeypatch):
    plan = factories.sample_plan()
    user = factories.account("secretaria", "secretariat")
    client.force_login(user)
    seen = []
    original = services.RENDERERS["docx"]

    def watched(content):
        seen.append(connection.in_atomic_block)
        return original(content)

    monkeypatch.setitem(services.RENDERERS, "docx", watched)
    url = reverse("reports:generate", args=[plan.pk])
    values = {"report": "action_plan", "format": "docx", "language": "es"}
    response = client.post(url, values)
    assert response.status_code == 302
    assert seen == [False]
    stored = GeneratedVersion.objects.get(plan=plan)
    assert stored.version.document.kind == "action_plan"
    client.post(url, values)
    assert GeneratedVersion.objects.filter(plan=plan).count() == 1
    assert DocumentVersion.objects.filter(document=stored.document).count() == 1


def test_only_the_secretariat_generates(client, sample_plan, outsider):
    url = reverse("reports:generate", args=[sample_plan.pk])
    values = {"report": "action_plan", "format": "pdf", "language": "es"}
    assert client.post(url, values).status_code == 302  # to sign in
    client.force_login(outsider)
    assert client.post(url, values).status_code == 403
    assert not GeneratedVersion.objects.exists()


def test_the_action_plan_is_public_once_approved(client, sample_plan, secretary):
    sample_plan.stage = Stage.CO_CREATION
    sample_plan.approved_on = None
    sample_plan.save(update_fields=["stage", "approved_on"])
    plan_url = reverse("reports:download", args=[sample_plan.pk, "action_plan", "es", "docx"])
    report_url = reverse("reports:download", args=[sample_plan.pk, "co_creation", "en", "pdf"])
    assert client.get(plan_url).status_code == 404
    response = client.get(report_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(secretary)
    assert client.get(plan_url).status_code == 200
    client.logout()
    sample_plan.stage = Stage.IMPLEMENTATION
    sample_plan.save(update_fields=["stage"])
    response = client.get(plan_url)
    assert response.status_code == 200
    _text, tables = docx_tables(response.content)
    assert "1. Participación ciudadana en la vigilancia de la salud pública" in str(tables)


def test_the_documents_page(client, sample_plan, secretary, django_assert_max_num_queries):
    plan_page = client.get(sample_plan.get_absolute_url()).content.decode()
    url = reverse("reports:plan_documents", args=[sample_plan.pk])
    assert url in plan_page
    services.generate_document(secretary, sample_plan, "action_plan", "docx", "es")
    with django_assert_max_num_queries(8):
        page = client.get(url)
    html = page.content.decode()
    assert reverse("reports:download", args=[sample_plan.pk, "co_creation", "es", "pdf"]) in html
    generate_url = reverse("reports:generate", args=[sample_plan.pk])
    assert generate_url not in html
    client.force_login(secretary)
    html = client.get(url).content.decode()
    assert generate_url in html
    stored = GeneratedVersion.objects.get(plan=sample_plan)
    assert stored.document.get_absolute_url() in html


def test_two_hundred_commitments_generate_in_under_ten_seconds(make_plan):
    plan = make_plan(n=200, m=3)
    for fmt in ("docx", "pdf"):
        started = time.perf_counter()
        generated = services.generate(plan, "action_plan", fmt, "en")
        elapsed = time.perf_counter() - started
        assert elapsed < 10, (fmt, elapsed)
        if fmt == "docx":
            _text, tables = docx_tables(generated.data)
            assert sum(1 for r in all_rows(tables) if len(r) == 2 and r[0] == "Commitment") == 200
        else:
            text = pdf_text(generated.data)
            assert all(f"{i}. Commitment {i}" in text for i in range(1, 201))


def test_the_co_creation_report_counts_itself_once_in_the_repository(sample_plan, secretary):
    """Standards 2.2 and 5a read the repository: the first report stored is a document of
    the process, so the next one says so; then unchanged data stores nothing."""
    first = services.generate_document(secretary, sample_plan, "co_creation", "docx", "es")
    second = services.generate_document(secretary, sample_plan, "co_creation", "docx", "es")
    third = services.generate_document(secretary, sample_plan, "co_creation", "docx", "es")
    assert first.created and first.generated.document.kind == "consultation"
    assert second.created and not third.created
    assert third.generated == second.generated


# --- the assessor's tables ---------------------------------------------------------------------


def test_the_assessor_tables_of_peru(demo):
    import openpyxl

    from traza.assessment.standards import process_health
    from traza.reports.render import render_xlsx

    content = queries.build(demo, "assessor_tables", "en")
    data = render_xlsx(content)
    assert render_xlsx(queries.build(demo, "assessor_tables", "en")) == data
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    cells = {
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }
    # seed 000, Table 1: 18 commitments, 16 relevant (89 %), 1 transformative (6 %)
    assert {"16 (89 %)", "1 (6 %)", "18"} <= cells
    with translation.override("en"):
        health = process_health(demo, today=queries.data_state(demo).day)
        for _edition, verdict in health.all_verdicts:
            assert verdict.code in cells and verdict.computed_label in cells
            if verdict.override is not None:
                assert verdict.assessed_label in cells
    text = pdf_text(render_pdf(content))
    assert "16 (89 %)" in text and "1 (6 %)" in text


def test_the_assessor_tables_are_stored_as_a_spreadsheet(sample_plan, secretary, client):
    stored = services.generate_document(secretary, sample_plan, "assessor_tables", "xlsx", "es")
    assert stored.created and stored.generated.version.content_type.endswith("spreadsheetml.sheet")
    assert stored.generated.document.kind == "other"
    # its Annex I counts the repository's documents, itself included from the next version
    stored = services.generate_document(secretary, sample_plan, "assessor_tables", "xlsx", "es")
    url = reverse("reports:download", args=[sample_plan.pk, "assessor_tables", "es", "xlsx"])
    response = client.get(url)
    assert response.status_code == 200
    with stored.generated.version.file.open("rb") as file:
        assert response.content == file.read()  # the stored version, same content
