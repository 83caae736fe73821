"""A discussion message hidden by moderation is hidden everywhere: once published it became a
contribution, and neither its text nor the reasoned response to it stays in any public page,
list, download, feed or search. The trace records that it was hidden (who, when, the category
of the reason), never what it said. Unhiding brings everything back."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from traza.api.transfer import dumps, export_data
from traza.cocreation import services
from traza.cocreation.models import Contribution, DiscussionPost, PostStatus, Response
from traza.core.models import TraceEvent
from traza.repository import search

MARKER = "Quetzalmarcador"
TEXT = f"Propongo publicar el padrón {MARKER} de las regiones cada mes."
# The reasoned response to it is withheld with it (it may quote the message). Only the trace
# keeps the response's text, as it keeps every published decision: it is append-only.
RESPONSE_MARKER = "Colibrimarcador"
ANSWER = f"Se incorporó la propuesta del padrón {RESPONSE_MARKER} en el borrador."
TRACE = ("trace download (JSON)", "trace download (CSV)")
REASON = "Contiene datos personales de terceros."


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # XLSX: every XML part of the workbook
        book = zipfile.ZipFile(io.BytesIO(content))
        return "".join(book.read(name).decode() for name in book.namelist())
    return content.decode()


def english(url) -> str:
    with translation.override("en"):
        return url()


def public_outputs(client, contribution) -> dict[str, str]:
    """Every public place where a contribution's text or its response could appear."""
    plan, commitment = contribution.plan, contribution.commitment
    pages = {
        "contribution and journey page": contribution.get_absolute_url(),
        "contribution page (English)": english(contribution.get_absolute_url),
        "discussion page": reverse("cocreation:discussion", args=[commitment.pk]),
        "commitment page": commitment.get_absolute_url(),
        "plan page": plan.get_absolute_url(),
        "plan contributions list": reverse("cocreation:contributions", args=[plan.pk]),
        "flow page": reverse("cocreation:flow", args=[plan.pk]),
        "reasoned-response report": reverse("cocreation:responses-csv", args=[plan.pk]),
        "API contributions": "/api/v1/contributions/",
        "API contributions of the plan": f"/api/v1/contributions/?plan={plan.pk}",
        "API responses": "/api/v1/responses/",
        "contributions.csv": "/data/contributions.csv",
        "contributions.json": "/data/contributions.json",
        "contributions.xlsx": "/data/contributions.xlsx",
        "responses.csv": "/data/responses.csv",
        "responses.json": "/data/responses.json",
        "responses.xlsx": "/data/responses.xlsx",
        "search": f"/buscar/?q={MARKER}",
        "search of contributions": f"/buscar/?q={MARKER}&type=contribution",
        "search of the response": f"/buscar/?q={RESPONSE_MARKER}",
        "Atom feed": reverse("activity:plan_feed", args=[plan.pk]),
        "trace download (JSON)": reverse("activity:plan_trace", args=[plan.pk, "json"]),
        "trace download (CSV)": reverse("activity:plan_trace", args=[plan.pk, "csv"]),
    }
    outputs = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 410), (name, url, response.status_code)
        outputs[name] = _body(response)
        if "search" in name:  # the hits only: the page repeats the words searched for
            hits = outputs[name].split('<ol class="results">')  # no list: "nothing matches"
            outputs[name] = hits[1].split("</ol>")[0] if len(hits) > 1 else ""
    outputs["export (traza export)"] = dumps(export_data([plan.pk]))
    return outputs


@pytest.fixture
def answered(client, draft, moderator, editor):
    """A published opening message, now a contribution with a published reasoned response."""
    from tests.cocreation.test_discussion import message, url

    assert client.post(url(draft), message(text=TEXT, show_author="on")).status_code == 302
    post = DiscussionPost.objects.get()
    services.moderate_post(moderator, post, PostStatus.PUBLISHED)
    post.refresh_from_db()
    services.publish_response(
        editor,
        post.contribution,
        {
            "outcome": "adopted",
            "text": ANSWER,
            "deciding_body": "secretariat",
            "decided_on": timezone.localdate(),
        },
    )
    return post


def test_a_hidden_message_leaves_no_public_trace_of_its_text(client, answered, moderator):
    contribution = answered.contribution
    before = public_outputs(client, contribution)
    # the test sees the text wherever it was public before moderation hid it
    for name in [
        "contribution and journey page",
        "contribution page (English)",
        "discussion page",
        "commitment page",
        "plan contributions list",
        "reasoned-response report",
        "API contributions",
        "API contributions of the plan",
        "contributions.csv",
        "contributions.json",
        "contributions.xlsx",
        "search",
        "search of contributions",
        "export (traza export)",
    ]:
        assert MARKER in before[name], name
    for name in [
        "contribution and journey page",
        "reasoned-response report",
        "API responses",
        "responses.csv",
        "responses.json",
        "responses.xlsx",
        "search of the response",
        "Atom feed",
    ]:
        assert RESPONSE_MARKER in before[name], name
    assert not any(MARKER in before[name] for name in TRACE)  # the trace never had the text

    services.moderate_post(moderator, answered, PostStatus.HIDDEN, REASON, "personal_data")

    after = public_outputs(client, contribution)
    leaks = [name for name, body in after.items() if MARKER in body]
    assert leaks == [], leaks
    leaks = [n for n, body in after.items() if RESPONSE_MARKER in body and n not in TRACE]
    assert leaks == [], leaks
    assert "Ana Quispe" not in after["contribution and journey page"]  # nor its author
    assert search.search(MARKER) == (0, []) and search.search(RESPONSE_MARKER) == (0, [])
    search.reindex_all()  # traza reindex and traza restore rebuild the index without them
    assert search.search(MARKER) == (0, []) and search.search(RESPONSE_MARKER) == (0, [])

    # the contribution page says it was hidden, when and why, without the text
    page = client.get(contribution.get_absolute_url())
    assert page.status_code == 410
    notice = page.content.decode()
    assert REASON in notice and MARKER not in notice


def test_the_trace_says_who_hid_it_when_and_the_category_never_the_text(answered, moderator):
    services.moderate_post(moderator, answered, PostStatus.HIDDEN, REASON, "personal_data")
    event = TraceEvent.objects.order_by("-id").first()
    assert event.object_type == "cocreation.discussionpost"
    assert event.object_id == str(answered.pk)
    assert event.actor_id == moderator.pk and event.occurred_at is not None
    assert event.changes["status"] == [None, "hidden"]
    assert event.changes["moderation_category"] == [None, "personal_data"]
    payload = json.dumps(
        {
            "summary": event.summary,
            "reason": event.reason,
            "label": event.object_label,
            "changes": event.changes,
        },
        ensure_ascii=False,
    )
    assert MARKER not in payload and "Propongo" not in payload
    assert REASON not in payload  # the moderator's words stay on the message, not in the trace
    assert "ana@example.org" not in payload


def test_hiding_needs_a_category(answered, moderator):
    with pytest.raises(ValidationError):
        services.moderate_post(moderator, answered, PostStatus.HIDDEN, REASON)
    with pytest.raises(ValidationError):
        services.moderate_post(moderator, answered, PostStatus.HIDDEN, REASON, "made_up")
    answered.refresh_from_db()
    assert answered.status == PostStatus.PUBLISHED


def test_public_counts_leave_hidden_contributions_out_and_say_how_many(client, answered, moderator):
    plan = answered.contribution.plan
    url = reverse("cocreation:contributions", args=[plan.pk])
    stats = client.get(url).context["stats"]
    assert (stats.total, stats.answered, stats.hidden) == (1, 1, 0)
    flow = client.get(reverse("cocreation:flow", args=[plan.pk])).context["flow"]
    assert flow.total == 1

    services.moderate_post(moderator, answered, PostStatus.HIDDEN, REASON, "offensive")

    stats = client.get(url).context["stats"]
    assert (stats.total, stats.answered, stats.hidden) == (0, 0, 1)
    assert client.get(reverse("cocreation:flow", args=[plan.pk])).context["flow"].total == 0
    assert client.get(f"/api/v1/contributions/?plan={plan.pk}").json()["count"] == 0
    assert client.get("/api/v1/responses/").json()["count"] == 0
    assert list(Contribution.objects.public()) == []
    assert list(Contribution.objects.hidden()) == [answered.contribution]
    assert list(Response.objects.public()) == []
    # nothing lost: the contribution, its response and the message are all kept
    assert Contribution.objects.count() == 1 and Response.objects.count() == 1


def test_unhiding_brings_the_contribution_back_everywhere(client, answered, moderator):
    services.moderate_post(moderator, answered, PostStatus.HIDDEN, REASON, "spam")
    assert search.search(MARKER)[0] == 0
    services.moderate_post(moderator, answered, PostStatus.PUBLISHED, "Revisado: era legítimo.")
    answered.refresh_from_db()
    assert answered.moderation_category == ""
    assert search.search(MARKER)[0] == 1 and search.search(RESPONSE_MARKER)[0] == 1
    after = public_outputs(client, answered.contribution)
    for name in ["contribution and journey page", "API contributions", "contributions.csv"]:
        assert MARKER in after[name], name
    for name in ["contribution and journey page", "Atom feed", "responses.json"]:
        assert RESPONSE_MARKER in after[name], name
    assert client.get(answered.contribution.get_absolute_url()).status_code == 200


def test_a_hidden_contribution_cannot_be_seconded(client, answered, moderator):
    from tests.cocreation.test_contributions import second_data

    services.moderate_post(moderator, answered, PostStatus.HIDDEN, REASON, "spam")
    response = client.post(answered.contribution.get_absolute_url(), second_data())
    assert response.status_code == 410
    assert answered.contribution.seconds.count() == 0


def test_evidence_of_a_hidden_contribution_is_withheld_with_it(
    client, answered, moderator, editor, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from traza.cocreation.models import Evidence

    settings.MEDIA_ROOT = tmp_path
    contribution = answered.contribution
    evidence = services.add_evidence(
        editor,
        {"contribution": contribution, "kind": "other", "title": f"Anexo {MARKER}"},
        SimpleUploadedFile("anexo.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    )
    event_evidence = services.add_evidence(
        editor,
        {"event": contribution.event, "kind": "minutes", "title": "Acta"},
        SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    )
    documents = reverse("repository:documents")
    assert MARKER in client.get(documents).content.decode()
    assert client.get(reverse("cocreation:evidence", args=[evidence.pk])).status_code == 200

    services.moderate_post(moderator, answered, PostStatus.HIDDEN, REASON, "personal_data")

    assert MARKER not in client.get(documents).content.decode()
    assert MARKER not in client.get(contribution.get_absolute_url()).content.decode()
    assert client.get(reverse("cocreation:evidence", args=[evidence.pk])).status_code == 404
    assert list(Evidence.objects.public()) == [event_evidence]  # an event's evidence stays
    assert client.get(reverse("cocreation:evidence", args=[event_evidence.pk])).status_code == 200
