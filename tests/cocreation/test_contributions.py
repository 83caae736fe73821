import datetime as dt
import time

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.notifications.test_outbox import LOCMEM, SMTP_DOWN
from traza.cocreation import services
from traza.cocreation.forms import SALT
from traza.cocreation.models import Contribution, Response
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.notifications.models import OutboxMessage
from traza.notifications.services import deliver_due
from traza.plans import services as plan_services


@pytest.fixture
def open_plan(make_plan):
    plan = make_plan(n=2, m=1)
    return plan_services.set_plan_stage(SYSTEM, plan, "co_creation")


def form_data(**overrides):
    data = {
        "text": "Publicar los contratos de obras en formato abierto.",
        "author_name": "Ana Quispe",
        "author_email": "ana@example.org",
        "author_organization": "Red Ciudadana",
        "consent": "on",
        "website": "",
        "started": signing.dumps(time.time() - 10, salt=SALT),
    }
    data.update(overrides)
    return data


def contribute_url(plan) -> str:
    return f"/planes/{plan.pk}/aportar/"


def en_contribute_url(plan) -> str:
    with translation.override("en"):
        return reverse("cocreation:contribute", args=[plan.pk])


def test_contribution_answered_not_adopted_reaches_its_author_despite_a_mail_failure(
    client, open_plan, editor
):
    response = client.post(contribute_url(open_plan), form_data())
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.channel == "web_form" and not contribution.show_author
    page = client.get(response["Location"]).content.decode()
    assert "Ana Quispe" not in page and "ana@example.org" not in page  # no consent to publish
    assert "Un participante" in page
    receipt = OutboxMessage.objects.get()  # the receipt, tested on its own below
    assert receipt.purpose == "contribution_receipt"
    receipt.delete()

    services.publish_response(
        editor,
        contribution,
        {
            "outcome": "not_adopted",
            "reason_category": "outside_competence",
            "text": "La contratación de obras corresponde al OSCE, no a esta entidad.",
            "deciding_body": "secretariat",
            "decided_on": dt.date(2026, 11, 20),
        },
    )
    assert OutboxMessage.objects.count() == 1
    message = OutboxMessage.objects.get()
    assert message.to == "ana@example.org"
    assert "OSCE" in message.body and contribution.get_absolute_url() in message.body

    with SMTP_DOWN:
        assert deliver_due().retried == 1
    message.refresh_from_db()
    with LOCMEM:
        assert deliver_due(now=message.next_attempt_at + dt.timedelta(seconds=1)).sent == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@example.org"]

    page = client.get(contribution.get_absolute_url())
    html = page.content.decode()
    assert "No adoptado" in html
    assert "Fuera de la competencia de la entidad" in html
    assert "Secretaría" in html
    assert page.context["told_at"] is not None
    assert "ana@example.org" not in html


def test_consented_author_is_shown(client, open_plan):
    client.post(contribute_url(open_plan), form_data(show_author="on"))
    html = client.get(Contribution.objects.get().get_absolute_url()).content.decode()
    assert "Ana Quispe, Red Ciudadana" in html
    assert "ana@example.org" not in html


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"consent": ""}, "consent"),
        ({"author_email": "not-an-email"}, "author_email"),
        ({"text": ""}, "text"),
        # the spam checks' errors are said at the top, in plain words
        ({"website": "http://spam.example"}, "__all__"),
        ({"started": "forged"}, "__all__"),
        ({"started": "just now"}, "__all__"),
    ],
)
def test_bad_submissions_get_a_message_and_write_nothing(client, open_plan, overrides, field):
    events = TraceEvent.objects.count()
    if overrides.get("started") == "just now":  # signed at run time: sent a moment after opening
        overrides = {"started": signing.dumps(time.time(), salt=SALT)}
    response = client.post(contribute_url(open_plan), form_data(**overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert Contribution.objects.count() == 0
    assert TraceEvent.objects.count() == events


def test_a_closed_plan_takes_no_contributions(client, sample_plan):
    before = Contribution.objects.count()
    response = client.post(contribute_url(sample_plan), form_data())
    assert response.status_code == 403
    assert Contribution.objects.count() == before
    with pytest.raises(ValidationError):
        services.submit_contribution(sample_plan, {"text": "x"})


def test_the_trace_of_a_contribution_holds_no_personal_data(client, open_plan):
    client.post(contribute_url(open_plan), form_data())
    event = TraceEvent.objects.order_by("-id").first()
    assert event.object_type == "cocreation.contribution"
    assert event.actor_label == "anonymous"
    assert "Ana" not in str(event.changes) and "example.org" not in str(event.changes)


def _contribution(plan) -> Contribution:
    return services.record_contribution(
        SYSTEM,
        {
            "plan": plan,
            "channel": "email",
            "text": "Aporte",
            "author_email": "b@example.org",
            "received_at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
        },
    )


RESPONSE = {
    "outcome": "adopted",
    "text": "Se incorporó.",
    "deciding_body": "national_table",
    "decided_on": dt.date(2026, 2, 1),
}


@pytest.mark.parametrize(
    "values, field",
    [
        ({**RESPONSE, "text": " "}, "text"),
        ({**RESPONSE, "outcome": "not_adopted", "reason_category": ""}, "reason_category"),
        ({**RESPONSE, "deciding_body": "technical_meeting"}, "deciding_sector"),
        ({**RESPONSE, "outcome": "maybe"}, "outcome"),
    ],
)
def test_invalid_responses_are_refused(open_plan, editor, values, field):
    contribution = _contribution(open_plan)
    before = (TraceEvent.objects.count(), OutboxMessage.objects.count())
    with pytest.raises(ValidationError) as error:
        services.publish_response(editor, contribution, values)
    assert field in error.value.message_dict
    assert not Response.objects.exists()
    assert (TraceEvent.objects.count(), OutboxMessage.objects.count()) == before


def test_an_outcome_that_contradicts_its_links_is_refused(open_plan, editor):
    contribution = _contribution(open_plan)
    version = open_plan.commitments.first().versions.last()
    with pytest.raises(ValidationError) as error:
        services.publish_response(
            editor, contribution, {**RESPONSE, "outcome": "duplicate"}, versions=[version]
        )
    assert "changed_versions" in error.value.message_dict
    response = services.publish_response(editor, contribution, RESPONSE, versions=[version])
    assert list(response.changed_versions.all()) == [version]


def test_editing_a_response_keeps_history_and_notifies_again(open_plan, editor):
    contribution = _contribution(open_plan)
    services.publish_response(editor, contribution, RESPONSE)
    services.publish_response(editor, contribution, RESPONSE)  # nothing changed: nothing sent
    assert OutboxMessage.objects.count() == 1
    response = services.publish_response(
        editor, contribution, {**RESPONSE, "text": "Se incorporó en el hito 2."}, reason="Typo"
    )
    assert response.revision == 2
    assert [r.snapshot["text"] for r in response.revisions.all()] == [
        "Se incorporó.",
        "Se incorporó en el hito 2.",
    ]
    assert OutboxMessage.objects.count() == 2


def test_only_permitted_people_answer(open_plan, outsider):
    contribution = _contribution(open_plan)
    with pytest.raises(PermissionDenied):
        services.publish_response(outsider, contribution, RESPONSE)
    with pytest.raises(PermissionDenied):
        services.record_contribution(
            outsider, {"plan": open_plan, "channel": "letter", "text": "x"}
        )


def test_plan_contributions_page_counts_filters_and_stays_fixed_in_queries(
    client, open_plan, editor
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    theme = open_plan.commitments.first().theme
    url = f"/planes/{open_plan.pk}/aportes/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    for channel in ("email", "email", "letter"):
        services.record_contribution(
            SYSTEM,
            {
                "plan": open_plan,
                "channel": channel,
                "theme": theme,
                "text": "x",
                "received_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            },
        )
    few = queries()
    first = Contribution.objects.first()
    services.publish_response(editor, first, RESPONSE)
    for _ in range(6):
        _contribution(open_plan)
    assert queries() == few
    response = client.get(url)
    stats = response.context["stats"]
    assert stats.total == 9 and stats.answered == 1 and stats.answered_percent == 11
    rows = {theme: counts for theme, counts, _total in stats.by_channel_theme}
    assert rows[theme.name] == [2, 1]  # e-mail, letter
    assert rows["—"] == [6, 0]
    assert len(client.get(url + "?outcome=unanswered").context["page"].object_list) == 8
    assert len(client.get(url + "?channel=letter").context["page"].object_list) == 1
    assert len(client.get(url + "?outcome=adopted&event=none").context["page"].object_list) == 1
    # the filters of the flow's bands cost the same whatever the data: at most two more
    # queries (the event's and the commitment's names), and the page's filters stay fixed
    commitment = open_plan.commitments.first()
    filtered = f"?channel=email&event=none&outcome=adopted&changed={commitment.pk}"
    with CaptureQueriesContext(connection) as context:
        response = client.get(url + filtered)
    assert len(context) <= few + 2
    assert response.context["filters"].params() == {
        "channel": "email",
        "event": "none",
        "outcome": "adopted",
        "changed": str(commitment.pk),
    }
    html = response.content.decode()
    assert "Clear the filters" in html or "Quitar los filtros" in html
    for bad in (
        "?channel=fax",
        "?outcome=<script>",
        "?outcome=pending",
        "?event=999999",
        "?event=-1",
        "?changed=abc",
        "?changed=999999",
        "?page=abc",
        "?page=9999",
    ):
        response = client.get(url + bad)
        assert response.status_code == 200
        assert response.context["filters"].params() == {}, bad  # unknown: dropped
        assert len(response.context["page"].object_list) == 9


def test_flow_diagram_and_its_table_agree_with_the_database(client, open_plan, editor):
    import re

    commitment = open_plan.commitments.order_by("number").first()
    version = commitment.versions.last()
    a = _contribution(open_plan)
    b = services.record_contribution(
        SYSTEM,
        {
            "plan": open_plan,
            "channel": "letter",
            "text": '=HYPERLINK("http://x")',
            "author_email": "c@example.org",
            "received_at": dt.datetime(2026, 1, 6, tzinfo=dt.UTC),
        },
    )
    _contribution(open_plan)
    services.publish_response(editor, a, RESPONSE, versions=[version])
    services.publish_response(
        editor, b, {**RESPONSE, "outcome": "not_adopted", "reason_category": "no_budget"}
    )
    response = client.get(f"/planes/{open_plan.pk}/flujo/")
    assert response.status_code == 200
    flow = response.context["flow"]
    assert flow.total == Contribution.objects.filter(plan=open_plan).count() == 3
    channels = {n.key: n.count for n in flow.columns[0]}
    outcomes = {n.key: n.count for n in flow.columns[1]}
    assert channels == {"email": 2, "letter": 1}
    assert outcomes == {"adopted": 1, "not_adopted": 1, "unanswered": 1}
    assert [n.count for n in flow.columns[2]] == [1]
    links = {(link.source.key, link.target.key): link.count for link in flow.links}
    assert links[("email", "adopted")] == 1 and links[("letter", "not_adopted")] == 1
    assert links[("adopted", flow.columns[2][0].key)] == 1
    html = response.content.decode()
    assert "<svg " in html and 'aria-labelledby="wide-title"' in html
    # every link once in the wide drawing, once in the narrow one (two stages)
    assert len(re.findall(r"<path d=", html)) == 2 * len(flow.links)
    # SVG numbers are never localised (a Spanish decimal comma would break the drawing)
    assert not re.search(r'(x|y|height|width)="-?\d+,\d', html)
    assert not re.search(r'd="[^"]*\d,\d+,', html)

    report = client.get(f"/planes/{open_plan.pk}/respuestas.csv")
    assert report["Content-Type"].startswith("text/csv")
    text = b"".join(report.streaming_content).decode()  # streamed
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    assert "example.org" not in text.replace("http://testserver", "")
    assert text.count("\n") == 4  # header + 3 contributions


def second_data(**overrides):
    values = {
        "name": "Julio",
        "email": "julio@example.org",
        "consent": "on",
        "website": "",
        "started": signing.dumps(time.time() - 10, salt=SALT),
    }
    values.update(overrides)
    return values


def test_participants_second_a_contribution_once_and_only_the_count_is_public(client, open_plan):
    contribution = _contribution(open_plan)
    url = contribution.get_absolute_url()
    assert client.post(url, second_data()).status_code == 302
    again = client.post(url, second_data())
    assert again.status_code == 400
    assert "ya secundó" in again.content.decode()
    assert client.post(url, second_data(email="eva@example.org", name="Eva")).status_code == 302
    html = client.get(url).content.decode()
    assert "Secundado por 2 participantes" in html
    assert "Julio" not in html and "julio@example.org" not in html
    assert client.post(url, second_data(email="x@example.org", consent="")).status_code == 400
    assert contribution.seconds.count() == 2


def test_seconding_closes_with_the_consultation(client, sample_plan):
    contribution = services.record_contribution(
        SYSTEM,
        {
            "plan": sample_plan,
            "channel": "email",
            "text": "x",
            "received_at": dt.datetime(2017, 9, 30, tzinfo=dt.UTC),
        },
    )
    assert client.post(contribution.get_absolute_url(), second_data()).status_code == 403
    assert contribution.seconds.count() == 0


def test_commitment_page_shows_its_origin(client, open_plan, editor):
    commitment = open_plan.commitments.order_by("number").first()
    about = services.record_contribution(
        SYSTEM,
        {
            "plan": open_plan,
            "channel": "letter",
            "commitment": commitment,
            "text": "Sobre el compromiso",
            "received_at": dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
        },
    )
    changed = _contribution(open_plan)
    services.publish_response(editor, changed, RESPONSE, versions=[commitment.versions.last()])
    _contribution(open_plan)  # unrelated
    page = client.get(commitment.get_absolute_url())
    assert [c.pk for c in page.context["page"].origin] == [about.pk, changed.pk]
    html = page.content.decode()
    assert "Sobre el compromiso" in html and "Adoptado" in html


def _bulk_post(ids, rows):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows))}
    for index, (pk, values) in enumerate(zip(ids, rows, strict=True)):
        data[f"form-{index}-contribution_id"] = pk
        for key, value in values.items():
            data[f"form-{index}-{key}"] = value
    return data


BULK_ROW = {
    "outcome": "adopted",
    "text": "",
    "deciding_body": "national_table",
    "decided_on": "2026-02-01",
    "reason_category": "",
    "deciding_sector": "",
}


def test_bulk_answering_keeps_each_text_and_is_all_or_nothing(client, open_plan, editor):
    client.force_login(editor)
    first, second = _contribution(open_plan), _contribution(open_plan)
    changelist = "/admin/cocreation/contribution/"
    response = client.post(
        changelist, {"action": "answer_selected", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    url = response["Location"]
    assert client.get(url).status_code == 200
    ids = [first.pk, second.pk]
    bad = _bulk_post(ids, [{**BULK_ROW, "text": "Se incorporó."}, BULK_ROW])  # second has no text
    response = client.post(url, bad)
    assert response.status_code == 200
    assert not Response.objects.exists() and not OutboxMessage.objects.exists()
    tampered = _bulk_post(
        [first.pk, 999999], [{**BULK_ROW, "text": "a"}, {**BULK_ROW, "text": "b"}]
    )
    assert client.post(url, tampered).status_code == 200
    assert not Response.objects.exists()
    good = _bulk_post(
        ids,
        [
            {**BULK_ROW, "text": "Se incorporó al hito 1."},
            {**BULK_ROW, "text": "Se fusionó con el 2.", "outcome": "merged"},
        ],
    )
    assert client.post(url, good).status_code == 302
    assert Response.objects.get(contribution=first).text == "Se incorporó al hito 1."
    assert Response.objects.get(contribution=second).outcome == "merged"
    assert OutboxMessage.objects.count() == 2


@pytest.mark.parametrize("overrides", [{"website": "http://spam.example"}, {"started": "forged"}])
def test_a_form_caught_by_the_spam_checks_keeps_the_text_and_says_why(client, open_plan, overrides):
    if "started" not in overrides:
        overrides = {**overrides, "started": signing.dumps(time.time(), salt=SALT)}
    with translation.override("en"):
        response = client.post(en_contribute_url(open_plan), form_data(**overrides))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Nothing you wrote was lost" in html
    assert form_data()["text"] in html  # what the person typed is still there
    form = response.context["form"]
    assert not form["website"].value()  # emptied, so that sending again works
    # a fresh signed time after an expired one: sending again goes through (after the wait)
    assert form["started"].value() != "forged"


def test_a_form_sent_too_fast_says_so_and_keeps_the_text(client, open_plan):
    data = form_data(started=signing.dumps(time.time(), salt=SALT))
    with translation.override("en"):
        response = client.post(en_contribute_url(open_plan), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "You sent it very quickly" in html
    assert data["text"] in html
    assert Contribution.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_author_gets_a_receipt_on_the_page_and_by_e_mail(client, open_plan):
    response = client.post(contribute_url(open_plan), form_data())
    contribution = Contribution.objects.get()
    assert response["Location"] == contribution.get_absolute_url()
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.context["receipt"] is True
    assert f'<strong class="reference">{contribution.pk}</strong>' in html
    assert page.context["journey_url"].endswith(contribution.get_absolute_url())
    assert 'class="done"' in html  # "Received" at once, with its time
    local = timezone.localtime(contribution.received_at)
    assert local.strftime("%H:%M") in html
    message = OutboxMessage.objects.get()
    assert message.purpose == "contribution_receipt" and message.to == "ana@example.org"
    assert str(contribution.pk) in message.subject
    assert contribution.get_absolute_url() in message.body
    assert message.purpose_label != message.purpose  # labelled for staff
    # shown once: reloading the journey is the public page again
    assert client.get(contribution.get_absolute_url()).context["receipt"] is False
    # another browser never sees the receipt
    assert Client().get(contribution.get_absolute_url()).context["receipt"] is False
    # the receipt is a signed cookie, not a database write: a forged one shows nothing
    forger = Client()
    forger.cookies["traza_receipt"] = str(contribution.pk)
    assert forger.get(contribution.get_absolute_url()).context["receipt"] is False


def test_no_e_mail_no_receipt_mail(open_plan):
    contribution = services.submit_contribution(
        open_plan, {"text": "Sin correo.", "author_name": "Rosa", "author_email": ""}
    )
    assert contribution.pk and not services.send_receipt(contribution)
    assert not OutboxMessage.objects.exists()
