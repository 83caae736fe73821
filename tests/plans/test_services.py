import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from traza.core.models import TraceEvent
from traza.plans import services
from traza.plans.models import Commitment, CommitmentVersion, Organization


def counts():
    return (
        TraceEvent.objects.count(),
        CommitmentVersion.objects.count(),
        Commitment.objects.count(),
    )


def test_creating_a_commitment_keeps_its_first_version(commitment):
    versions = list(commitment.versions.all())
    # one version on creation, one when its milestone was added
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].snapshot["title"] == "Commitment 1"
    assert versions[0].snapshot["supporting_organizations"] == ["Helper 1"]
    assert versions[1].snapshot["milestones"][0]["text"] == "Milestone 1"


def test_a_change_makes_a_version_with_step_author_and_reason(commitment, editor):
    services.save_commitment(
        editor,
        commitment,
        {"change_sought": "Every region publishes its data"},
        step="national_table",
        reason="Agreed at the national table",
    )
    version = commitment.versions.order_by("-number").first()
    assert version.step == "national_table"
    assert version.author == editor
    assert version.reason == "Agreed at the national table"
    assert version.snapshot["change_sought"] == "Every region publishes its data"


def test_saving_without_change_writes_nothing(commitment, editor):
    before = counts()
    services.save_commitment(editor, commitment, {"title": commitment.title})
    assert counts() == before


def test_status_change_is_traced_as_status(commitment, editor):
    services.set_commitment_status(editor, commitment, "withdrawn", reason="Merged into 2")
    event = TraceEvent.objects.order_by("-id").first()
    assert event.action == "status"
    assert event.changes == {"status": ["approved", "withdrawn"]}
    assert Commitment.objects.get(pk=commitment.pk).status == "withdrawn"


def test_milestone_change_versions_its_commitment(commitment, editor):
    milestone = commitment.milestones.get()
    services.save_milestone(
        editor, milestone, {"deliverable": "Datasets published", "verification_means": "Portal"}
    )
    latest = commitment.versions.order_by("-number").first()
    assert latest.snapshot["milestones"][0]["deliverable"] == "Datasets published"
    event = TraceEvent.objects.order_by("-id").first()
    assert event.object_type == "plans.milestone"
    assert event.scope == f"plans.commitment:{commitment.pk}"


def test_removing_a_milestone_is_traced_and_versioned(commitment, editor):
    services.delete_milestone(editor, commitment.milestones.get(), reason="Duplicate")
    assert commitment.milestones.count() == 0
    assert TraceEvent.objects.order_by("-id").first().action == "delete"
    assert commitment.versions.order_by("-number").first().snapshot["milestones"] == []


def test_a_person_without_permission_changes_nothing(commitment, outsider):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.save_commitment(outsider, commitment, {"title": "Hijacked"})
    with pytest.raises(PermissionDenied):
        services.save_commitment(None, commitment, {"title": "Hijacked"})
    assert counts() == before
    assert Commitment.objects.get(pk=commitment.pk).title == "Commitment 1"


@pytest.mark.parametrize(
    "values, field",
    [
        ({"starts_on": dt.date(2025, 1, 1), "ends_on": dt.date(2024, 1, 1)}, "ends_on"),
        ({"status": "maybe"}, "status"),
        ({"number": 99, "title": ""}, "title"),
    ],
)
def test_invalid_values_are_refused_and_nothing_is_written(commitment, editor, values, field):
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.save_commitment(editor, Commitment.objects.get(pk=commitment.pk), values)
    assert field in error.value.message_dict
    assert counts() == before


def test_duplicate_numbers_are_refused(commitment, editor):
    with pytest.raises(ValidationError):
        services.save_commitment(
            editor, None, {"plan": commitment.plan, "number": commitment.number, "title": "Twin"}
        )


def test_civil_society_type_only_for_civil_society(editor):
    with pytest.raises(ValidationError) as error:
        services.save_organization(
            editor,
            None,
            {"slug": "x", "name": "X", "sector": "public", "civil_society_type": "ngo"},
        )
    assert "civil_society_type" in error.value.message_dict
    assert not Organization.objects.filter(slug="x").exists()
