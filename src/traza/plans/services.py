"""Every write to plans goes through here: permission, validation, trace and versions,
in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.core.services import (
    Saved,
    actor_label,
    field_values,
    record,
    replace_related,
    require_perm,
    save_traced,
    saver,
    service,
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

save_member = saver(Member, module=__name__)
save_organization = saver(Organization, module=__name__)
save_theme = saver(Theme, module=__name__)
save_plan = saver(ActionPlan, module=__name__)


@service
def set_plan_stage(actor: Any, plan: ActionPlan, stage: str, reason: str = "") -> Saved[ActionPlan]:
    return save_traced(actor, plan, {"stage": stage}, reason=reason, action="status")


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


def _take_version(
    actor: Any, commitment: Commitment, step: str, reason: str, source: str = ""
) -> bool:
    """Store a new version if the text differs from the last one. Returns True if stored.

    ``source`` names the file an import read: the version then says where its text came
    from rather than passing the import off as somebody's writing."""
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
        source=source,
        created_at=timezone.now(),
        snapshot=snapshot,
    )
    return True


MilestoneValues = tuple[Milestone | None, dict[str, Any]]


@service
def save_commitment(
    actor: Any,
    commitment: Commitment | None,
    values: dict[str, Any],
    *,
    supporting: Iterable[Organization] | None = None,
    milestones: Sequence[MilestoneValues] = (),
    step: str = VersionStep.EDIT,
    reason: str = "",
    source: str = "",
) -> Saved[Commitment]:
    """Create or change a commitment, and with it its ``milestones`` (each a stored milestone
    or None, and its values); a new version is kept, once, whenever its text changes
    (``source``: the file an import read, which the version names).

    The changes name the commitment's fields, ``supporting_organizations`` and, for each
    milestone written, ``milestones.<number>`` with that milestone's changes."""
    saved = save_traced(actor, commitment or Commitment(), values, reason=reason)
    commitment = saved.object
    changes = dict(saved.changes)
    if supporting is not None:
        changes.update(
            replace_related(
                actor, commitment, "supporting_organizations", supporting, reason=reason
            )
        )
    for milestone, m_values in milestones:
        if milestone is None:
            m_values = {**m_values, "commitment": commitment}
        m_saved = _save_milestone(actor, commitment, milestone, m_values, reason)
        if m_saved.changed:
            changes[f"milestones.{m_saved.object.number}"] = m_saved.changes
    _take_version(actor, commitment, step, reason, source)
    return saved._replace(changes=changes)


@service
def set_commitment_status(
    actor: Any, commitment: Commitment, status: str, *, reason: str = "", step: str = ""
) -> Saved[Commitment]:
    values: dict[str, Any] = {"status": status}
    if status == CommitmentStatus.DISCARDED:
        values["decision_reason"] = reason  # required: a discarded proposal stays public
    saved = save_traced(actor, commitment, values, reason=reason, action="status")
    _take_version(actor, commitment, step or VersionStep.EDIT, reason)
    return saved


def _save_milestone(
    actor: Any,
    commitment: Commitment,
    milestone: Milestone | None,
    values: dict[str, Any],
    reason: str,
) -> Saved[Milestone]:
    return save_traced(actor, milestone or Milestone(), values, reason=reason, scope=commitment)


@service
def save_milestone(
    actor: Any,
    milestone: Milestone | None,
    values: dict[str, Any],
    *,
    step: str = VersionStep.EDIT,
    reason: str = "",
) -> Saved[Milestone]:
    """Create or change a milestone; its commitment gets a new version. (To write several
    milestones of a commitment, with one version, use ``save_commitment(milestones=...)``.)"""
    milestone = milestone or Milestone()
    commitment = values.get("commitment") or milestone.commitment
    saved = _save_milestone(actor, commitment, milestone, values, reason)
    _take_version(actor, commitment, step, reason)
    return saved


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
