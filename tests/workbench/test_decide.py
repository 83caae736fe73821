"""Deciding many contributions at once: one decision, each person's own text from a template,
the preview of what they will receive, then drafts or publication, all or nothing; the
four-eyes rule; two members of staff answering the same contribution at once."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from tests.workbench.test_queue import (  # noqa: F401 (fixtures)
    drafter,
    plan,
    publisher,
    second_publisher,
)
from traza.cocreation import services as cocreation
from traza.cocreation.models import Response, ResponseDraft
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.notifications.models import OutboxMessage
from traza.notifications.services import deliver_due
from traza.workbench import services
from traza.workbench.models import ResponseTemplate

TEMPLATE = (
    "Hola {nombre}: gracias por su aporte {cita}. La mesa decidió incorporarlo en el "
    "compromiso «{compromiso}»: {enlace_compromiso}"
)


def decide_url(of) -> str:
    return reverse("workbench:decide", args=[of.pk])


def decision(of, **extra) -> dict:
    version = of.commitments.get(number=1).versions.last()
    values = {
        "outcome": "adopted",
        "reason_category": "",
        "forwarded_to": "",
        "deciding_body": "thematic_table",
        "deciding_sector": "",
        "decided_on": "2026-11-20",
        "versions": [version.pk],
        "template": "",
        "body": TEMPLATE,
    }
    values.update(extra)
    return values


def walk(client, of, ids, values, *, edits=None, action="publish"):
    """Drive the four steps as a browser without JavaScript would; returns each response."""
    url = decide_url(of)
    chosen = client.post(url, {"step": "choose", "scope": "ids", "ids": ids})
    assert chosen.status_code == 200, chosen
    data = {**values, "selection": chosen.context["selection"]}
    texts = client.post(url, {**data, "step": "texts"})
    if texts.status_code != 200:
        return chosen, texts, None, None
    written = {f"text_{c.pk}": text for c, text in texts.context["items"]}
    written.update(edits or {})
    preview = client.post(url, {**data, **written, "step": "preview"})
    done = client.post(url, {**data, **written, "step": action})
    return chosen, texts, preview, done


def unanswered(of):
    made = of.made
    return [made[0], made[1], made[5]]  # made[2] has a draft


@pytest.mark.django_db(transaction=True)
def test_three_contributions_decided_with_each_persons_text_and_mailed(
    client,
    plan,  # noqa: F811
    publisher,  # noqa: F811
    settings,
):
    settings.TRAZA_BASE_URL = "https://traza.example.org"
    template = services.save_template(SYSTEM, None, {"name": "Incorporado", "body": TEMPLATE})
    client.force_login(publisher)
    three = unanswered(plan)
    three[2].author_email = ""  # this one left no address: nobody to tell
    three[2].save()
    mails = OutboxMessage.objects.count()
    values = decision(plan, template=template.pk, body="")
    edit = {f"text_{three[1].pk}": "Estimada vecina: su pedido a SUNASS se incorpora. Gracias."}
    _, texts, preview, done = walk(client, plan, [c.pk for c in three], values, edits=edit)

    filled = dict(texts.context["items"])
    assert filled[three[0]].startswith("Hola Rosa Mamani: gracias por su aporte “Publicar")
    assert filled[three[1]].startswith("Hola participante:") or filled[three[1]].startswith(
        "Hola participant:"
    )  # no consent: a neutral word (Spanish once the catalogue has it)
    assert "https://traza.example.org/" in filled[three[0]]

    assert preview.status_code == 200
    previews = {p["contribution"].pk: p for p in preview.context["previews"]}
    assert previews[three[0].pk]["mail"]["body"].count("Hola Rosa Mamani") == 1
    assert previews[three[1].pk]["mail"]["body"].count("Estimada vecina") == 1
    assert previews[three[2].pk]["mail"] is None  # "no e-mail: no address"
    assert "Estimada vecina" in preview.content.decode()

    assert done.status_code == 302
    published = {r.contribution_id: r for r in Response.objects.filter(contribution__in=three)}
    assert set(published) == {c.pk for c in three}
    assert published[three[1].pk].text == edit[f"text_{three[1].pk}"]
    assert published[three[0].pk].deciding_body == "thematic_table"
    assert list(published[three[0].pk].changed_versions.all()) == [
        plan.commitments.get(number=1).versions.last()
    ]
    sent = OutboxMessage.objects.filter(purpose="response_published").order_by("pk")
    assert OutboxMessage.objects.count() == mails + 2
    bodies = {m.to: m.body for m in sent}
    assert "Hola Rosa Mamani" in bodies[three[0].author_email]
    assert "Estimada vecina" in bodies[three[1].author_email]
    report = deliver_due()
    assert report.sent >= 2
    page = client.get(three[1].get_absolute_url()).content.decode()
    assert "Estimada vecina" in page


@pytest.mark.django_db
def test_a_placeholder_that_cannot_be_filled_is_named_with_the_contributions(
    client,
    plan,  # noqa: F811
    publisher,  # noqa: F811
):
    client.force_login(publisher)
    three = unanswered(plan)
    values = decision(plan, versions=[], body="Hola {nombre}, ver {compromiso} y {nombrre}.")
    with translation.override("en"):
        _, texts, _, _ = walk(client, plan, [c.pk for c in three], values)
        names = [str(c) for c in three]
    assert texts.status_code == 400
    errors = " ".join(texts.context["form"].errors["body"])
    assert "{nombrre}" in errors and "{compromiso}" in errors
    assert all(name in errors for name in names)
    assert not Response.objects.filter(contribution__in=three).exists()


@pytest.mark.django_db
def test_publishing_a_text_left_empty_writes_nothing(
    client,
    plan,  # noqa: F811
    publisher,  # noqa: F811
):
    client.force_login(publisher)
    three = unanswered(plan)
    traced = TraceEvent.objects.count()
    _, _, _, done = walk(
        client,
        plan,
        [c.pk for c in three],
        decision(plan),
        edits={f"text_{three[2].pk}": "   "},
    )
    assert done.status_code == 409
    assert not Response.objects.filter(contribution__in=three).exists()
    assert TraceEvent.objects.count() == traced
    errors = [p for p in done.context["previews"] if p["errors"]]
    assert [p["contribution"] for p in errors] == [three[2]]


@pytest.mark.django_db
def test_a_text_still_holding_a_placeholder_is_refused(plan, publisher):  # noqa: F811
    item = services.DecisionItem(
        plan.made[0],
        {
            "outcome": "not_adopted",
            "reason_category": "no_budget",
            "text": "Hola {nombre}",
            "deciding_body": "secretariat",
            "decided_on": dt.date(2026, 11, 1),
        },
    )
    with pytest.raises(services.DecisionErrors) as raised:
        services.decide_many(publisher, [item], publish=True)
    assert list(raised.value.per_contribution) == [plan.made[0].pk]
    assert not Response.objects.filter(contribution=plan.made[0]).exists()


@pytest.mark.django_db
def test_a_drafter_saves_drafts_and_cannot_publish(
    client,
    plan,  # noqa: F811
    drafter,  # noqa: F811
):
    client.force_login(drafter)
    three = unanswered(plan)
    _, _, preview, denied = walk(client, plan, [c.pk for c in three], decision(plan))
    assert 'value="publish"' not in preview.content.decode()  # not offered
    assert denied.status_code == 403
    assert not Response.objects.filter(contribution__in=three).exists()
    _, _, _, drafted = walk(client, plan, [c.pk for c in three], decision(plan), action="draft")
    assert drafted.status_code == 302
    drafts = ResponseDraft.objects.filter(contribution__in=three)
    assert drafts.count() == 3 and {d.drafted_by for d in drafts} == {drafter}
    assert not Response.objects.filter(contribution__in=three).exists()


@pytest.mark.django_db(transaction=True)
def test_four_eyes_another_account_publishes_the_drafts(
    client,
    plan,  # noqa: F811
    publisher,  # noqa: F811
    second_publisher,  # noqa: F811
    settings,
):
    settings.TRAZA_RESPONSE_FOUR_EYES = True
    client.force_login(publisher)
    two = unanswered(plan)[:2]
    _, _, preview, refused = walk(client, plan, [c.pk for c in two], decision(plan))
    assert 'value="publish"' not in preview.content.decode()  # direct publishing not offered
    assert refused.status_code == 409 and not Response.objects.filter(contribution__in=two)
    _, _, _, drafted = walk(client, plan, [c.pk for c in two], decision(plan), action="draft")
    assert drafted.status_code == 302

    drafts_url = reverse("workbench:drafts", args=[plan.pk])
    page = client.get(drafts_url)
    mine = [row for row in page.context["rows"] if row["draft"].contribution in two]
    tokens = [row["token"] for row in mine]
    assert len(tokens) == 2 and not any(row["may_publish"] for row in mine)
    own = client.post(drafts_url, {"drafts": tokens, "action": "publish"})
    assert own.status_code == 409
    assert not Response.objects.filter(contribution__in=two).exists()

    mails = OutboxMessage.objects.count()
    client.force_login(second_publisher)
    approved = client.post(drafts_url, {"drafts": tokens, "action": "publish"})
    assert approved.status_code == 302
    assert Response.objects.filter(contribution__in=two, published_at__isnull=False).count() == 2
    assert not ResponseDraft.objects.filter(contribution__in=two).exists()
    assert OutboxMessage.objects.count() == mails + 2
    events = TraceEvent.objects.filter(object_type="cocreation.response").order_by("-pk")[:2]
    for event in events:
        assert "secretaria" in event.reason and "coordinador" in event.reason


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_answer_gives_the_second_person_a_conflict_and_writes_nothing(
    client,
    plan,  # noqa: F811
    publisher,  # noqa: F811
    second_publisher,  # noqa: F811
):
    client.force_login(publisher)
    three = unanswered(plan)
    chosen = client.post(
        decide_url(plan), {"step": "choose", "scope": "ids", "ids": [c.pk for c in three]}
    )
    data = {**decision(plan), "selection": chosen.context["selection"]}
    texts = client.post(decide_url(plan), {**data, "step": "texts"})
    written = {f"text_{c.pk}": text for c, text in texts.context["items"]}
    # meanwhile, a colleague answers the second one
    theirs = cocreation.publish_response(
        second_publisher,
        three[1],
        {
            "outcome": "not_adopted",
            "reason_category": "no_budget",
            "text": "No hay presupuesto este año.",
            "deciding_body": "secretariat",
            "decided_on": dt.date(2026, 11, 18),
        },
    )
    mails = OutboxMessage.objects.count()
    with translation.override("en"):
        done = client.post(decide_url(plan), {**data, **written, "step": "publish"})
        name = str(three[1])
    assert done.status_code == 409
    assert any(name in m and "someone else" in m for m in done.context["error_list"])
    theirs.refresh_from_db()
    assert theirs.text == "No hay presupuesto este año." and theirs.revision == 1
    assert not Response.objects.filter(contribution__in=[three[0], three[2]]).exists()
    assert OutboxMessage.objects.count() == mails


@pytest.mark.django_db(transaction=True)
def test_a_forwarded_contribution_names_the_entity(
    client,
    plan,  # noqa: F811
    publisher,  # noqa: F811
):
    client.force_login(publisher)
    letter = plan.made[2]  # it has a draft: the decision replaces it
    body = "Hola {nombre}: su pedido fue derivado a {entidad}, que le responderá."
    missing = decision(plan, outcome="forwarded", versions=[], body=body)
    _, texts, _, _ = walk(client, plan, [letter.pk], missing)
    assert texts.status_code == 400 and "forwarded_to" in texts.context["form"].errors
    values = decision(plan, outcome="forwarded", versions=[], body=body, forwarded_to="SUNASS")
    mails = OutboxMessage.objects.count()
    _, texts, preview, done = walk(client, plan, [letter.pk], values)
    assert "derivado a SUNASS" in dict(texts.context["items"])[letter]
    assert "SUNASS" in preview.context["previews"][0]["mail"]["body"]
    assert done.status_code == 302
    response = Response.objects.get(contribution=letter)
    assert response.outcome == "forwarded" and response.forwarded_to == "SUNASS"
    assert not ResponseDraft.objects.filter(contribution=letter).exists()
    assert OutboxMessage.objects.count() == mails + 1
    assert "SUNASS" in client.get(letter.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True)
def test_drafts_are_discarded_together(
    client,
    plan,  # noqa: F811
    drafter,  # noqa: F811
):
    client.force_login(drafter)
    drafts_url = reverse("workbench:drafts", args=[plan.pk])
    tokens = [row["token"] for row in client.get(drafts_url).context["rows"]]
    mails = OutboxMessage.objects.count()
    assert client.post(drafts_url, {"drafts": tokens, "action": "discard"}).status_code == 302
    assert not ResponseDraft.objects.filter(contribution__plan=plan).exists()
    assert OutboxMessage.objects.count() == mails


@pytest.mark.django_db
def test_a_stale_draft_cannot_be_published_from_an_old_page(
    client,
    plan,  # noqa: F811
    publisher,  # noqa: F811
):
    client.force_login(publisher)
    drafts_url = reverse("workbench:drafts", args=[plan.pk])
    tokens = [row["token"] for row in client.get(drafts_url).context["rows"]]
    draft = ResponseDraft.objects.get(contribution=plan.made[2])
    cocreation.save_draft(
        SYSTEM,
        plan.made[2],
        {"text": "Otro texto."},
        expected_draft=draft.version,
    )
    stale = client.post(drafts_url, {"drafts": tokens, "action": "publish"})
    assert stale.status_code == 409
    assert not Response.objects.filter(contribution=plan.made[2]).exists()


@pytest.mark.django_db
def test_a_tampered_selection_is_refused(client, plan, publisher):  # noqa: F811
    client.force_login(publisher)
    response = client.post(
        decide_url(plan), {**decision(plan), "selection": "x", "step": "publish"}
    )
    assert response.status_code == 302
    assert not Response.objects.filter(contribution__in=plan.made[:2]).exists()


@pytest.mark.django_db
def test_one_contribution_decided_from_its_page(client, plan, publisher):  # noqa: F811
    client.force_login(publisher)
    page = client.get(reverse("workbench:contribution", args=[plan.made[0].pk]))
    data = {**decision(plan), "selection": page.context["selection"]}
    texts = client.post(decide_url(plan), {**data, "step": "texts"})
    assert [c for c, _ in texts.context["items"]] == [plan.made[0]]


@pytest.mark.django_db(transaction=True)
def test_templates_are_written_through_the_traced_service(
    client,
    publisher,  # noqa: F811
    drafter,  # noqa: F811
    db,
):
    client.force_login(publisher)
    url = reverse("workbench:templates")
    bad = client.post(url, {"name": "Mala", "outcome": "", "body": "Hola {nombe}"})
    assert bad.status_code == 400 and not ResponseTemplate.objects.exists()
    good = client.post(url, {"name": "Derivado", "outcome": "forwarded", "body": "A {entidad}."})
    assert good.status_code == 302
    template = ResponseTemplate.objects.get()
    assert TraceEvent.objects.filter(object_type="workbench.responsetemplate").count() == 1
    edit = reverse("workbench:template", args=[template.pk])
    assert client.post(edit, {"name": "Derivado", "outcome": "", "body": "B"}).status_code == 302
    template.refresh_from_db()
    assert template.body == "B"
    client.force_login(drafter)  # may read, not write
    assert client.get(url).status_code == 200
    assert client.post(edit, {"name": "X", "outcome": "", "body": "C"}).status_code == 403
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_the_drafts_page_is_paginated_with_a_bounded_number_of_queries(
    client,
    plan,  # noqa: F811
    publisher,  # noqa: F811
    django_assert_max_num_queries,
):
    from tests import factories

    for i in range(30):
        contribution = factories.ContributionFactory(plan=plan, text=f"Aporte {i}")
        cocreation.save_draft(
            SYSTEM,
            contribution,
            {
                "outcome": "adopted",
                "text": f"Texto {i}",
                "deciding_body": "secretariat",
                "decided_on": dt.date(2026, 11, 1),
            },
        )
    client.force_login(publisher)
    url = reverse("workbench:drafts", args=[plan.pk])
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert len(page.context["rows"]) == 25 and page.context["page"].paginator.count == 31
    with django_assert_max_num_queries(12):
        second = client.get(f"{url}?page=2")
    assert len(second.context["rows"]) == 6
