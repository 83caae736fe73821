"""The documents of the fictional living demo plan (``load_demo``): every commitment, every
attendance figure and every published response appear, as the database holds them."""

from __future__ import annotations

import io
from unittest import mock

import docx
import pypdf
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tests.ops.test_living_demo import FROZEN, Clock
from traza.cocreation.models import AttendanceTally, Contribution
from traza.cocreation.queries import unanswered_q
from traza.ops.living_demo import find_plan
from traza.plans.models import ADOPTED_STATUSES, ActionPlan
from traza.reports.queries import build, newest_self_assessment
from traza.reports.render import render_docx, render_pdf


@pytest.fixture(scope="module")
def living(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        mock.patch("django.utils.timezone.now", Clock(FROZEN)),
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        call_command("load_demo", verbosity=0)
        yield find_plan()
        transaction.set_rollback(True)


@pytest.fixture
def plan(living, db):
    return ActionPlan.objects.get(pk=living.pk)


def rows_of(data: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(data))
    return [[c.text for c in row.cells] for t in document.tables for row in t.rows]


def test_the_fictional_plan_in_ogp_template(plan):
    content = build(plan, "action_plan", "es")
    rows = rows_of(render_docx(content))
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(content)))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "ficticios" in text or "fictional" in text
    commitments = list(
        plan.commitments.filter(status__in=ADOPTED_STATUSES).select_related("lead_organization")
    )
    assert commitments
    glance = {r[0]: r for r in rows if len(r) == 4}  # the commitments at a glance
    for commitment in commitments:
        label = f"{commitment.number}. {commitment.title}"
        lead = commitment.lead_organization
        assert glance[label][2] == (lead.name if lead else "—")
        assert ["Compromiso", label] in rows  # its own template
        assert " ".join(label.split()) in text


def test_the_fictional_co_creation_report(plan):
    content = build(plan, "co_creation", "es")
    rows = rows_of(render_docx(content))
    for tally in AttendanceTally.objects.filter(event__plan=plan).select_related("event"):
        figures = [str(tally.state), str(tally.civil_society), str(tally.others)]
        assert [tally.event.title, tally.source, *figures] in [r[:5] for r in rows]
    matrix = {r[0]: r for r in rows if len(r) == 10}
    public = Contribution.objects.public().filter(plan=plan).select_related("response")
    answered = set(public.exclude(unanswered_q()).values_list("pk", flat=True))
    assert answered
    for contribution in public:
        row = matrix[contribution.key or f"traza:{contribution.pk}"]
        assert row[4] == contribution.text
        if contribution.pk in answered:
            assert row[7] == contribution.response.text
        if not contribution.show_author and contribution.author_name:
            assert contribution.author_name not in row[3]


def test_the_fictional_self_assessment_report(plan):
    report = newest_self_assessment(plan)
    assert report is not None
    content = build(plan, "self_assessment", "es")
    data = render_docx(content)
    document = docx.Document(io.BytesIO(data))
    headings = {p.text for p in document.paragraphs}
    rows = rows_of(data)
    for item in report.content["commitments"]:
        assert f"{item['number']}. {item['title']}" in headings
        for milestone in item["milestones"]:
            assert [str(milestone["number"]), milestone["text"]] in [r[:2] for r in rows]
    fulfilment = report.content["fulfilment"]
    assert [
        str(fulfilment["milestones"]),
        str(fulfilment["complete"]),
        str(fulfilment["delayed"]),
        str(fulfilment["percent"]),
    ] in rows
    annex = {r[0]: r for r in rows if len(r) == 6}
    comments = Contribution.objects.public().filter(self_assessment=report)
    assert comments.exists() and report.content["commitments"]
    for comment in comments.select_related("response"):
        row = annex[comment.key or f"traza:{comment.pk}"]
        assert row[3] == comment.text
        if comment.pk in set(comments.exclude(unanswered_q()).values_list("pk", flat=True)):
            assert row[5] == comment.response.text
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(content)))
    assert pdf.trailer["/Root"]["/Lang"] == "es"
