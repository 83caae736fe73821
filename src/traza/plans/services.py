"""Every write to plans goes through here: permission, validation, trace and versions,
in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.core.services import (
    actor_label,
    field_values,
    record,
    require_perm,
    save_traced,
    set_related,
    trace_language,
)
from traza.plans.models import (
    COMMITMENT_FIELDS,
    MILESTONE_FIELDS,
    ActionPlan,
    Commitment,
    CommitmentStatus,
    CommitmentVersion,
    Member,
    Milestone,
    Organization,
    Theme,
    VersionStep,
)


@transaction.atomic
def save_member(actor: Any, member: Member | None, values: dict[str, Any], reason: str = ""):
    return save_traced(actor, member or Member(), values, reason=reason)[0]


@transaction.atomic
def save_organization(
    actor: Any, organization: Organization | None, values: dict[str, Any], reason: str = ""
) -> Organization:
    return save_traced(actor, organization or Organization(), values, reason=reason)[0]


@transaction.atomic
def save_theme(actor: Any, theme: Theme | None, values: dict[str, Any], reason: str = "") -> Theme:
    return save_traced(actor, theme or Theme(), values, reason=reason)[0]


@transaction.atomic
def save_plan(
    actor: Any, plan: ActionPlan | None, values: dict[str, Any], reason: str = ""
) -> ActionPlan:
    return save_traced(actor, plan or ActionPlan(), values, reason=reason)[0]


@transaction.atomic
def set_plan_stage(actor: Any, plan: ActionPlan, stage: str, reason: str = "") -> ActionPlan:
    return save_traced(actor, plan, {"stage": stage}, reason=reason, action="status")[0]


def commitment_snapshot(commitment: Commitment) -> dict[str, Any]:
    """The readable text of a commitment, as a version keeps it."""
    values = field_values(commitment, [f for f in COMMITMENT_FIELDS if f not in ("number",)])
    values["lead_organization"] = (
        commitment.lead_organization.name if commitment.lead_organization_id else None
    )
    values["theme"] = commitment.theme.name if commitment.theme_id else None
    values["supporting_organizations"] = sorted(
        o.name for o in commitment.supporting_organizations.all()
    )
    values["milestones"] = [
        field_values(m, MILESTONE_FIELDS) for m in commitment.milestones.order_by("number")
    ]
    return values


def _take_version(actor: Any, commitment: Commitment, step: str, reason: str) -> bool:
    """Store a new version if the text differs from the last one. Returns True if stored."""
    snapshot = commitment_snapshot(commitment)
    last = commitment.versions.order_by("-number").first()
    if last and last.snapshot == snapshot:
        return False
    CommitmentVersion.objects.create(
        commitment=commitment,
        number=(last.number + 1) if last else 1,
        step=VersionStep(step),
        reason=reason,
        author=actor if getattr(actor, "pk", None) else None,
        author_label=actor_label(actor),
        created_at=timezone.now(),
        snapshot=snapshot,
    )
    return True


@transaction.atomic
def save_commitment(
    actor: Any,
    commitment: Commitment | None,
    values: dict[str, Any],
    *,
    supporting: Iterable[Organization] | None = None,
    step: str = VersionStep.EDIT,
    reason: str = "",
) -> Commitment:
    """Create or change a commitment; a new version is kept whenever its text changes."""
    commitment, _changes = save_traced(actor, commitment or Commitment(), values, reason=reason)
    if supporting is not None:
        set_related(actor, commitment, "supporting_organizations", supporting, reason=reason)
    _take_version(actor, commitment, step, reason)
    return commitment


@transaction.atomic
def set_commitment_status(
    actor: Any, commitment: Commitment, status: str, *, reason: str = "", step: str = ""
) -> Commitment:
    values: dict[str, Any] = {"status": status}
    if status == CommitmentStatus.DISCARDED:
        values["decision_reason"] = reason  # required: a discarded proposal stays public
    save_traced(actor, commitment, values, reason=reason, action="status")
    _take_version(actor, commitment, step or VersionStep.EDIT, reason)
    return commitment


@transaction.atomic
def save_milestone(
    actor: Any,
    milestone: Milestone | None,
    values: dict[str, Any],
    *,
    step: str = VersionStep.EDIT,
    reason: str = "",
) -> Milestone:
    """Create or change a milestone; its commitment gets a new version."""
    milestone = milestone or Milestone()
    commitment = values.get("commitment") or milestone.commitment
    milestone, _changes = save_traced(actor, milestone, values, reason=reason, scope=commitment)
    _take_version(actor, commitment, step, reason)
    return milestone


@transaction.atomic
def delete_milestone(actor: Any, milestone: Milestone, *, reason: str = "") -> None:
    require_perm(actor, "plans.delete_milestone", milestone)
    commitment = milestone.commitment
    with trace_language():
        summary = _("Removed milestone %(number)s of “%(commitment)s”") % {
            "number": milestone.number,
            "commitment": commitment,
        }
    record(
        actor,
        "delete",
        milestone,
        summary=summary,
        reason=reason,
        changes=field_values(milestone, MILESTONE_FIELDS),
        scope=commitment,
    )
    milestone.delete()
    _take_version(actor, commitment, VersionStep.EDIT, reason)
