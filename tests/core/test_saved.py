"""Write services return what they changed (``Saved``): the importer counts from it instead of
comparing snapshots, and a commitment written with its milestones is versioned once."""

import copy

import pytest

from traza.api.transfer import export_data, import_data
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM, Saved
from traza.plans import services
from traza.plans.models import Commitment, CommitmentVersion, Theme


@pytest.mark.django_db
def test_a_saver_returns_the_object_and_its_changes_and_writes_nothing_when_unchanged():
    created = services.save_theme.traced(SYSTEM, None, {"slug": "agua", "name": "Agua"})
    assert isinstance(created, Saved)
    assert created.created and created.changed
    assert created.changes == {"name": [None, "Agua"], "slug": [None, "agua"]}
    events = TraceEvent.objects.count()

    again = services.save_theme.traced(SYSTEM, created.object, {"name": "Agua"})
    assert not again.changed and again.changes == {}
    assert TraceEvent.objects.count() == events

    renamed = services.save_theme.traced(SYSTEM, created.object, {"name": "Agua potable"})
    assert renamed.changes == {"name": ["Agua", "Agua potable"]} and not renamed.created
    assert TraceEvent.objects.count() == events + 1
    # calling the service itself still answers with the object
    assert services.save_theme(SYSTEM, renamed.object, {"name": "Agua"}) == created.object
    assert Theme.objects.get().name == "Agua"


@pytest.mark.django_db
def test_a_commitment_saved_with_its_milestones_is_versioned_once(sample_plan):
    saved = services.save_commitment.traced(
        SYSTEM,
        None,
        {"plan": sample_plan, "number": 9, "title": "Nuevo compromiso"},
        milestones=[(None, {"number": n, "text": f"Hito {n}"}) for n in (1, 2, 3)],
        reason="Prueba",
    )
    commitment = saved.object
    assert saved.created
    assert {"milestones.1", "milestones.2", "milestones.3"} <= set(saved.changes)
    assert commitment.milestones.count() == 3
    (version,) = commitment.versions.all()
    assert [m["text"] for m in version.snapshot["milestones"]] == ["Hito 1", "Hito 2", "Hito 3"]


def _exported(plan) -> dict:
    data = export_data([plan.pk])
    data["plans"][0].pop("contributions", None)  # not what these tests are about
    return data


def _with_new_commitment(plan) -> dict:
    data = _exported(plan)
    template = data["plans"][0]["commitments"][0]
    item = copy.deepcopy(template)
    item.update(number=9, title="Compromiso importado", indicators=[])
    milestone = template["milestones"][0]
    item["milestones"] = [
        {**copy.deepcopy(milestone), "number": n, "text": f"Hito {n}", "indicators": []}
        for n in (1, 2, 3)
    ]
    data["plans"][0]["commitments"].append(item)
    return data


@pytest.mark.django_db
def test_importing_a_commitment_with_three_milestones_creates_one_version(sample_plan):
    data = _with_new_commitment(sample_plan)
    versions = CommitmentVersion.objects.count()

    stats = import_data(SYSTEM, data, "nuevo.json")

    commitment = Commitment.objects.get(plan=sample_plan, number=9)
    assert commitment.milestones.count() == 3
    assert commitment.versions.count() == 1
    assert CommitmentVersion.objects.count() == versions + 1
    assert stats == {"commitment": 1}

    events = TraceEvent.objects.count()
    assert import_data(SYSTEM, data, "nuevo.json") == {}  # again: nothing changed or written
    assert TraceEvent.objects.count() == events
    assert commitment.versions.count() == 1


@pytest.mark.django_db
def test_importing_a_changed_milestone_counts_its_commitment_and_adds_one_version(sample_plan):
    data = _exported(sample_plan)
    item = data["plans"][0]["commitments"][0]
    item["milestones"][0]["text"] = "Otro texto del hito"
    item["milestones"][1]["text"] = "Y otro más"
    commitment = Commitment.objects.get(plan=sample_plan, number=item["number"])
    versions = commitment.versions.count()

    assert import_data(SYSTEM, data, "cambio.json") == {"commitment": 1}
    assert commitment.versions.count() == versions + 1
