"""Publishing a reasoned response again, unchanged, writes nothing (no row, no trace event, no
e-mail); the versions a response changed are in its trace event."""

import pytest

from traza.cocreation import services
from traza.cocreation.models import Response, ResponseRevision
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.notifications.models import OutboxMessage
from traza.plans.models import CommitmentVersion

VALUES = {
    "outcome": "adopted",
    "text": "Se incorpora en el compromiso 1.",
    "deciding_body": "secretariat",
    "decided_on": "2024-04-02",
}


def _counts() -> tuple[int, ...]:
    return (
        TraceEvent.objects.count(),
        Response.objects.count(),
        ResponseRevision.objects.count(),
        OutboxMessage.objects.count(),
    )


def _publish_twice(plan) -> None:
    contribution = plan.contributions.filter(response__isnull=True).first()
    version = CommitmentVersion.objects.filter(commitment__plan=plan).first()
    first = services.publish_response(SYSTEM, contribution, VALUES, versions=[version])
    before = _counts()

    again = services.publish_response(SYSTEM, contribution, dict(VALUES), versions=[version])

    assert _counts() == before
    assert again.pk == first.pk and again.revision == first.revision == 1
    assert list(again.changed_versions.all()) == [version]


@pytest.mark.django_db
def test_publishing_an_unchanged_response_again_writes_nothing(sample_plan):
    _publish_twice(sample_plan)


@pytest.mark.django_db(transaction=True)
def test_publishing_an_unchanged_response_again_writes_nothing_when_committed(sample_plan):
    _publish_twice(sample_plan)


@pytest.mark.django_db
def test_the_response_event_names_the_versions_it_changed(sample_plan):
    contribution = sample_plan.contributions.filter(response__isnull=True).first()
    v1, v2 = CommitmentVersion.objects.filter(commitment__plan=sample_plan)[:2]

    services.publish_response(SYSTEM, contribution, VALUES, versions=[v1])
    created = TraceEvent.objects.filter(object_type="cocreation.response").latest("id")
    assert created.changes["changed_versions"] == [[], [str(v1)]]

    services.publish_response(SYSTEM, contribution, VALUES, versions=[v1, v2])
    revised = TraceEvent.objects.filter(object_type="cocreation.response").latest("id")
    assert revised.changes["changed_versions"] == [[str(v1)], sorted([str(v1), str(v2)])]
    assert ResponseRevision.objects.filter(response__contribution=contribution).count() == 2


@pytest.mark.django_db
def test_a_changed_text_is_a_new_revision_without_naming_unchanged_versions(sample_plan):
    contribution = sample_plan.contributions.filter(response__isnull=True).first()
    v1 = CommitmentVersion.objects.filter(commitment__plan=sample_plan).first()
    services.publish_response(SYSTEM, contribution, VALUES, versions=[v1])

    response = services.publish_response(
        SYSTEM, contribution, {**VALUES, "text": "Otro texto."}, versions=[v1]
    )

    assert response.revision == 2
    event = TraceEvent.objects.filter(object_type="cocreation.response").latest("id")
    assert "text" in event.changes and "changed_versions" not in event.changes
