"""The test factories write through the services: what they build is traced, versioned and
verifiable, as if the secretariat had entered it."""

from tests import factories
from tests.core.trace_helpers import sealed_and_verified
from traza.cocreation.models import Contribution
from traza.core.models import TraceEvent
from traza.notifications.models import OutboxMessage
from traza.plans.models import CommitmentVersion


def test_the_factories_trace_what_they_create(db):
    commitment = factories.CommitmentFactory(supporting=[factories.CivilSocietyFactory()])
    factories.MilestoneFactory(commitment=commitment)
    assert [v.number for v in CommitmentVersion.objects.filter(commitment=commitment)] == [1, 2]
    traced = set(TraceEvent.objects.values_list("object_type", flat=True))
    assert {"plans.commitment", "plans.milestone", "plans.actionplan"} <= traced
    assert sealed_and_verified() is None


def test_the_sample_plan_holds_something_of_everything(sample_plan):
    assert sample_plan.commitments.count() == 3
    assert sample_plan.events.get().tallies.count() == 1
    assert Contribution.objects.filter(plan=sample_plan).count() == 3
    assert Contribution.objects.filter(plan=sample_plan, response__isnull=False).count() == 1
    assert OutboxMessage.objects.count() == 1  # the answered author is told
    assert sealed_and_verified() is None


def test_a_built_object_is_not_saved(db):
    plan = factories.PlanFactory.build()
    assert plan.pk is None and not TraceEvent.objects.exists()
