"""Draft responses and their publication: private until published, the four-eyes rule, and
no lost update when two members of staff answer the same contribution at once."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests import factories
from traza.cocreation import services
from traza.cocreation.models import Response, ResponseDraft
from traza.core.models import TraceEvent
from traza.notifications.models import OutboxMessage

DECISION = {
    "outcome": "adopted",
    "text": "Gracias: su propuesta se incorpora al compromiso 1.",
    "deciding_body": "secretariat",
    "decided_on": dt.date(2024, 4, 2),
}


def _account(django_user_model, name: str, role: str):
    return factories.account(name, role, staff=False)


@pytest.fixture
def drafter(django_user_model):
    return _account(django_user_model, "redactora", "response_drafter")


@pytest.fixture
def publisher(django_user_model):
    return _account(django_user_model, "secretaria", "secretariat")


@pytest.fixture
def contribution(sample_plan):
    found = sample_plan.contributions.filter(response__isnull=True).first()
    found.author_email = "vecina@example.org"
    found.save()
    return found


@pytest.mark.django_db
def test_a_draft_is_private_and_its_trace_event_holds_no_content(drafter, contribution):
    mails = OutboxMessage.objects.count()
    draft = services.save_draft(drafter, contribution, DECISION)

    assert draft.version == 1 and draft.drafted_by == drafter and draft.base_revision == 0
    assert not Response.objects.filter(contribution=contribution).exists()
    assert OutboxMessage.objects.count() == mails  # nobody is told of a draft
    event = TraceEvent.objects.latest("id")
    assert event.object_type == "cocreation.responsedraft"
    assert event.changes == {}
    assert DECISION["text"] not in event.summary and DECISION["text"] not in event.reason


@pytest.mark.django_db
def test_a_drafter_cannot_publish(drafter, contribution):
    draft = services.save_draft(drafter, contribution, DECISION)
    with pytest.raises(PermissionDenied):
        services.publish_draft(drafter, draft)
    with pytest.raises(PermissionDenied):
        services.publish_response(drafter, contribution, DECISION)


@pytest.mark.django_db
def test_a_draft_follows_the_same_rules_as_a_response(drafter, contribution):
    with pytest.raises(ValidationError) as refused:
        services.save_draft(drafter, contribution, {**DECISION, "text": "  "})
    assert "text" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.save_draft(drafter, contribution, {**DECISION, "outcome": "forwarded"})
    assert "forwarded_to" in refused.value.message_dict
    assert not ResponseDraft.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_four_eyes_another_account_publishes_and_the_trace_names_both(
    settings, drafter, publisher, contribution
):
    settings.TRAZA_RESPONSE_FOUR_EYES = True
    draft = services.save_draft(publisher, contribution, DECISION)
    with pytest.raises(ValidationError):
        services.publish_draft(publisher, draft)  # own draft: refused under four eyes
    assert not Response.objects.filter(contribution=contribution).exists()

    draft = services.save_draft(drafter, contribution, DECISION, expected_draft=draft.version)
    response = services.publish_draft(publisher, draft, expected_draft=draft.version)

    assert response.published_at is not None and response.text == DECISION["text"]
    assert not ResponseDraft.objects.filter(contribution=contribution).exists()
    event = TraceEvent.objects.filter(object_type="cocreation.response").latest("id")
    assert "redactora" in event.reason and "secretaria" in event.reason
    assert OutboxMessage.objects.filter(to="vecina@example.org").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_staff_answering_at_once_the_second_gets_a_conflict(publisher, contribution):
    seen = services.published_revision(contribution)  # both opened the form: revision 0
    services.publish_response(publisher, contribution, DECISION, expected_revision=seen)

    with pytest.raises(services.ResponseConflict) as conflict:
        services.publish_response(
            publisher,
            contribution,
            {**DECISION, "outcome": "not_adopted", "reason_category": "no_budget"},
            expected_revision=seen,
        )
    assert str(contribution.pk) in " ".join(conflict.value.messages)
    response = Response.objects.get(contribution=contribution)
    assert response.outcome == "adopted" and response.revision == 1  # the first one stands


@pytest.mark.django_db
def test_a_draft_written_against_an_older_revision_is_not_published(
    drafter, publisher, contribution
):
    draft = services.save_draft(drafter, contribution, DECISION)
    services.publish_response(
        publisher, contribution, {**DECISION, "text": "Otra respuesta."}, expected_revision=0
    )
    # publishing the response removed the draft it would have overwritten
    assert not ResponseDraft.objects.filter(pk=draft.pk).exists()

    stale = services.save_draft(drafter, contribution, DECISION, expected_revision=1)
    services.publish_response(
        publisher, contribution, {**DECISION, "text": "Tercera."}, expected_revision=1
    )
    assert not ResponseDraft.objects.filter(pk=stale.pk).exists()


@pytest.mark.django_db
def test_a_stale_draft_form_is_refused(drafter, contribution):
    first = services.save_draft(drafter, contribution, DECISION)
    services.save_draft(drafter, contribution, {**DECISION, "text": "Cambio."}, expected_draft=1)
    with pytest.raises(services.ResponseConflict):
        services.save_draft(drafter, contribution, DECISION, expected_draft=first.version)
    with pytest.raises(services.ResponseConflict):
        services.discard_draft(drafter, first, expected_draft=1)
    services.discard_draft(drafter, first, expected_draft=2)
    assert not ResponseDraft.objects.exists()
    assert TraceEvent.objects.latest("id").action == "delete"


@pytest.mark.django_db
def test_forwarded_names_the_entity(publisher, contribution):
    response = services.publish_response(
        publisher,
        contribution,
        {**DECISION, "outcome": "forwarded", "forwarded_to": "Ministerio de Salud"},
    )
    assert (response.outcome, response.forwarded_to) == ("forwarded", "Ministerio de Salud")
    told = OutboxMessage.objects.filter(to="vecina@example.org").get()
    assert "Ministerio de Salud" in told.body
    with pytest.raises(ValidationError) as refused:
        services.publish_response(
            publisher, contribution, {**DECISION, "forwarded_to": "Ministerio de Salud"}
        )
    assert "forwarded_to" in refused.value.message_dict
