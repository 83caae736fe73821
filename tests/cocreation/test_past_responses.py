"""A response moved in from the past keeps its own publication date (the demo's history):
the days it took to answer are the story's, and the trace still says when it was written."""

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories
from traza.cocreation import services
from traza.cocreation.queries import contribution_stats
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM

pytestmark = pytest.mark.django_db

VALUES = {
    "outcome": "adopted",
    "text": "Se incorpora.",
    "deciding_body": "secretariat",
    "decided_on": dt.date(2026, 1, 5),
}


def test_a_past_response_counts_the_days_it_took_then():
    received = timezone.now() - dt.timedelta(days=200)
    contribution = factories.ContributionFactory(received_at=received)
    published = received + dt.timedelta(days=12)
    response = services.publish_response(
        SYSTEM, contribution, VALUES, published_at=published, tell_author=False
    )
    assert response.published_at == published
    assert contribution_stats(contribution.plan).median_days == 12
    written = TraceEvent.objects.filter(object_type="cocreation.response").latest("id")
    assert written.occurred_at > published + dt.timedelta(days=100)  # written today


@pytest.mark.parametrize("days", [-1, 300])
def test_a_past_response_is_never_before_its_contribution_nor_in_the_future(days):
    received = timezone.now() - dt.timedelta(days=200)
    contribution = factories.ContributionFactory(received_at=received)
    with pytest.raises(ValueError):
        services.publish_response(
            SYSTEM, contribution, VALUES, published_at=received + dt.timedelta(days=days)
        )
    assert not hasattr(contribution, "response") or contribution.response is None
