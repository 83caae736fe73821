"""Forwarded is an outcome like the others, everywhere a response is shown: the journey page
names the entity, the flow has its own node, open data and the import/export format carry
the entity, and a response cannot be forwarded without one (nor name one otherwise)."""

import copy
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import ContributionFactory
from traza.api import transfer
from traza.api.opendata import registry
from traza.cocreation import services
from traza.cocreation.flow import plan_flow
from traza.cocreation.models import Outcome, Response
from traza.core.services import SYSTEM

pytestmark = pytest.mark.django_db

ENTITY = "Ministerio del Ambiente"


def forward(contribution, entity=ENTITY) -> Response:
    return services.publish_response(
        SYSTEM,
        contribution,
        {
            "outcome": Outcome.FORWARDED,
            "forwarded_to": entity,
            "text": "Su propuesta corresponde al sector ambiente; se la remitimos.",
            "deciding_body": "secretariat",
            "decided_on": dt.date(2025, 3, 1),
        },
    )


@pytest.fixture
def letter(make_plan):
    """A contribution with a key (the import format finds it again by its plan and key)."""
    plan = make_plan(n=1, m=1)
    return ContributionFactory(
        plan=plan, key="carta-aire", channel="letter", text="Mapas abiertos de calidad del aire."
    )


@pytest.fixture
def forwarded(letter) -> Response:
    return forward(letter)


def test_the_journey_page_names_the_receiving_entity(client, forwarded):
    with translation.override("en"):
        url = forwarded.contribution.get_absolute_url()
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Forwarded to:" in html and ENTITY in html


def test_the_flow_has_a_node_for_forwarded_contributions(forwarded):
    flow = plan_flow(forwarded.contribution.plan)
    outcomes = {node.key: node for node in flow.columns[1]}
    assert outcomes[Outcome.FORWARDED].count == 1


def test_open_data_lists_the_entity(forwarded):
    dataset = registry["responses"]
    assert "forwarded_to" in [column.name for column in dataset.columns]
    rows = list(dataset.queryset().values("outcome", "forwarded_to"))
    assert {"outcome": "forwarded", "forwarded_to": ENTITY} in rows


@pytest.mark.parametrize(
    ("outcome", "entity", "message"),
    [
        ("forwarded", "", "Name the entity the contribution was forwarded to."),
        ("forwarded", "   ", "Name the entity the contribution was forwarded to."),
        ("not_adopted", ENTITY, "Only a forwarded contribution names a receiving entity."),
    ],
)
def test_the_response_refuses_a_forward_without_entity_and_an_entity_without_forward(
    letter, outcome, entity, message
):
    contribution = letter
    values = {
        "outcome": outcome,
        "reason_category": "outside_competence",
        "forwarded_to": entity,
        "text": "Texto",
        "deciding_body": "secretariat",
        "decided_on": dt.date(2025, 3, 1),
    }
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.publish_response(SYSTEM, contribution, values)
    with translation.override("en"):  # the messages are lazy: read them in English
        assert refused.value.message_dict["forwarded_to"] == [message]
    assert not Response.objects.filter(contribution=contribution).exists()  # nothing written
    with translation.override("es"), pytest.raises(ValidationError) as in_spanish:
        Response(contribution=contribution, **values).clean()
    with translation.override("es"):
        spanish = in_spanish.value.message_dict["forwarded_to"]
    assert spanish and spanish != [message]  # a message, translated


def _exported_response(data, contribution):
    for plan in data["plans"]:
        for item in plan["contributions"]:
            if item["text"] == contribution.text:
                return item, item["response"]
    raise AssertionError("contribution not exported")


@pytest.mark.django_db(transaction=True)
def test_import_export_round_trip_keeps_the_forwarded_entity(forwarded):
    plan = forwarded.contribution.plan
    data = transfer.export_data([plan.pk])
    item, exported = _exported_response(data, forwarded.contribution)
    assert exported["outcome"] == "forwarded" and exported["forwarded_to"] == ENTITY
    transfer.validate(data, "export.json")
    # the export imported back changes nothing
    assert transfer.import_data(SYSTEM, copy.deepcopy(data), "export.json") == {}
    # a new entity in the file publishes a new revision with it
    item["response"]["forwarded_to"] = "Gobierno Regional de Arequipa"
    changed = transfer.import_data(SYSTEM, data, "again.json")
    assert changed["response"] == 1
    forwarded.refresh_from_db()
    assert forwarded.forwarded_to == "Gobierno Regional de Arequipa"
    assert forwarded.revision == 2
    again = transfer.export_data([plan.pk])
    assert _exported_response(again, forwarded.contribution)[1]["forwarded_to"] == (
        "Gobierno Regional de Arequipa"
    )
    assert transfer.dumps(again) == transfer.dumps(transfer.export_data([plan.pk]))


@pytest.mark.django_db(transaction=True)
def test_an_imported_response_is_published_without_e_mail(letter):
    from traza.notifications.models import OutboxMessage

    contribution = letter
    data = transfer.export_data([letter.plan_id])
    item, response = _exported_response(data, contribution)
    assert response is None  # not answered yet
    item["response"] = {
        "outcome": "forwarded",
        "forwarded_to": ENTITY,
        "text": "Remitido al sector.",
        "deciding_body": "secretariat",
        "decided_on": "2025-03-01",
    }
    before = OutboxMessage.objects.count()
    assert transfer.import_data(SYSTEM, data, "matrix.json")["response"] == 1
    assert Response.objects.get(contribution=contribution).forwarded_to == ENTITY
    assert OutboxMessage.objects.count() == before


@pytest.mark.parametrize(
    ("response", "message"),
    [
        ({"outcome": "forwarded"}, "Name the entity the contribution was forwarded to."),
        (
            {"outcome": "adopted", "forwarded_to": ENTITY},
            "Only a forwarded contribution names a receiving entity.",
        ),
    ],
)
def test_an_import_refuses_a_forward_without_entity_and_writes_nothing(letter, response, message):
    contribution = letter
    data = transfer.export_data([letter.plan_id])
    item, _stored = _exported_response(data, contribution)
    item["response"] = {
        "text": "Texto",
        "deciding_body": "secretariat",
        "decided_on": "2025-03-01",
        **response,
    }
    with translation.override("en"), pytest.raises(transfer.ImportProblem) as refused:
        transfer.import_data(SYSTEM, data, "bad.json")
    paths = dict(refused.value.problems)
    assert any(path.endswith(".response.forwarded_to") for path in paths)
    assert message in paths.values()
    assert not Response.objects.filter(contribution=contribution).exists()
