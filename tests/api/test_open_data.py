"""Open data: the package validates, each CSV has the database's rows, downloads are safe for
spreadsheets, lists filter and refuse what they do not know."""

import csv
import io
import json
import zipfile

from django.core.management import call_command

from traza.api.opendata import DATASETS
from traza.cocreation import services as cocreation_services


def test_the_demo_data_package_validates_and_every_csv_has_the_databases_rows(demo, tmp_path):
    from frictionless import validate

    call_command("export_open_data", str(tmp_path), verbosity=0)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert {r["name"] for r in descriptor["resources"]} == set(DATASETS)
    for name, dataset in DATASETS.items():
        with open(tmp_path / f"{name}.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == dataset.count(), name
    with open(tmp_path / "commitments.csv", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == demo.commitments.count()


def test_the_served_package_and_downloads_follow_the_data(client, sample_plan):
    package = client.get("/data/datapackage.json")
    assert package.status_code == 200 and package["ETag"]
    assert (
        client.get("/data/datapackage.json", HTTP_IF_NONE_MATCH=package["ETag"]).status_code == 304
    )
    response = client.get("/data/commitments.csv")
    text = b"".join(response.streaming_content).decode()
    assert len(list(csv.DictReader(io.StringIO(text)))) == 3
    data = json.loads(b"".join(client.get("/data/events.json").streaming_content))
    assert len(data) == 1 and {"registered", "attended_registered"} <= set(data[0])
    assert client.get("/data/nothing.csv").status_code == 404
    assert client.get("/data/commitments.exe").status_code == 404
    from traza.core.services import SYSTEM

    cocreation_services.save_faq(SYSTEM, None, {"question": "¿Qué es?", "answer": "Una prueba."})
    assert (
        client.get("/data/datapackage.json", HTTP_IF_NONE_MATCH=package["ETag"]).status_code == 200
    )


def test_cells_that_would_run_as_formulas_are_neutralised(client, make_plan, editor):
    plan = make_plan(n=1, m=1)
    for text in ('=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)", "normal"):
        cocreation_services.record_contribution(
            editor,
            {"plan": plan, "channel": "email", "text": text, "received_at": "2025-01-01T10:00:00Z"},
        )
    text = b"".join(client.get("/data/contributions.csv").streaming_content).decode()
    cells = [row["text"] for row in csv.DictReader(io.StringIO(text))]
    assert cells == ['\'=HYPERLINK("http://evil")', "'+1+1", "'-2", "'@SUM(A1)", "normal"]
    workbook = zipfile.ZipFile(
        io.BytesIO(b"".join(client.get("/data/contributions.xlsx").streaming_content))
    )
    sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "HYPERLINK" in (
        sheet + workbook.read("xl/sharedStrings.xml").decode()
        if "xl/sharedStrings.xml" in workbook.namelist()
        else sheet
    )


def test_lists_filter_paginate_and_refuse_unknown_filters(client, make_plan):
    plan = make_plan(n=12, m=0)
    page = client.get(f"/api/v1/commitments/?plan={plan.pk}&limit=5&offset=5").json()
    assert page["count"] == 12 and len(page["items"]) == 5 and page["items"][0]["number"] == 6
    assert client.get("/api/v1/commitments/?status=discarded").json()["count"] == 0
    bad = client.get("/api/v1/contributions/?author_email=x")
    assert bad.status_code == 400 and "author_email" in bad.json()["detail"]
    huge = client.get("/api/v1/plans/?limit=1&offset=9223372036854775808")  # found by the fuzzer
    assert huge.status_code == 422
    for query in ("limit=0", "limit=100000", "offset=-1", "plan=abc", "plan=99999999999999"):
        response = client.get(f"/api/v1/commitments/?{query}")
        assert 400 <= response.status_code < 500, query
    document = client.get("/api/v1/openapi.json").json()
    for name in DATASETS:
        if name != "plans":
            assert f"/api/v1/{name.replace('_', '-')}/" in document["paths"], name
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    html = client.get("/datos-abiertos/").content.decode()
    assert "/data/contributions.xlsx" in html and "Creative Commons" in html


def test_the_open_data_page_describes_each_dataset_in_the_page_language(client, db):
    from django.urls import reverse
    from django.utils import translation
    from django.utils.html import escape

    spanish = client.get("/datos-abiertos/").content.decode()
    with translation.override("en"):
        english_url = reverse("open_data")
    english = client.get(english_url).content.decode()
    for dataset in DATASETS.values():
        with translation.override("es"):
            in_spanish = translation.gettext(dataset.description)
        assert in_spanish != dataset.description, dataset.name  # translated
        assert escape(in_spanish) in spanish, dataset.name
        assert escape(dataset.description) not in spanish, dataset.name
        assert escape(dataset.description) in english, dataset.name
    # the data package and the dictionary stay in English, whatever the language
    with translation.override("es"):
        assert DATASETS["themes"].description == "Themes of the commitments."


def test_the_data_dictionary_in_docs_matches_the_datasets():
    from pathlib import Path

    from traza.api.downloads import dictionary_markdown

    documented = Path(__file__).resolve().parents[2] / "docs" / "data" / "dictionary.md"
    assert documented.read_text(encoding="utf-8") == dictionary_markdown(), (
        "run: .venv/bin/traza data-dictionary > docs/data/dictionary.md"
    )
