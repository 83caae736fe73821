"""Reasoned responses: published, revised, and their author told."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.cocreation.models import (
    CHANGING_OUTCOMES,
    Contribution,
    Outcome,
    Response,
    ResponseRevision,
)
from traza.core.services import (
    field_values,
    require_perm,
    save_traced,
)
from traza.notifications.services import enqueue_rendered
from traza.plans.models import (
    CommitmentVersion,
)


def response_snapshot(response: Response) -> dict[str, Any]:
    values = field_values(
        response,
        ["outcome", "reason_category", "text", "deciding_body", "deciding_sector", "decided_on"],
    )
    values["changed_versions"] = sorted(response.changed_versions.values_list("pk", flat=True))
    return values


def _republished_unchanged(
    stored: Response, values: dict[str, Any], versions: list[CommitmentVersion]
) -> bool:
    """Whether publishing ``values`` and ``versions`` again would leave the response as it
    is (its published text, decision and changed versions), read without writing."""
    candidate = copy.copy(stored)
    for name, value in values.items():
        setattr(candidate, name, value)
    candidate.full_clean()  # the values as they would be stored (and refused as before)
    fields = [name for name in response_snapshot(stored) if name != "changed_versions"]
    if field_values(candidate, fields) != field_values(stored, fields):
        return False
    return {v.pk for v in versions} == set(stored.changed_versions.values_list("pk", flat=True))


def _notify_author(response: Response) -> None:
    contribution = response.contribution
    if not contribution.author_email or response.outcome == Outcome.PENDING:
        return
    enqueue_rendered(
        contribution.author_email,
        lambda: (
            _("Reasoned response to your contribution %(number)s") % {"number": contribution.pk}
        ),
        "cocreation/email/response.txt",
        {
            "response": response,
            "contribution": contribution,
            "url": f"{settings.TRAZA_BASE_URL}{contribution.get_absolute_url()}",
        },
        purpose="response_published",
        about=response,
    )


@transaction.atomic
def publish_response(
    actor: Any,
    contribution: Contribution,
    values: dict[str, Any],
    *,
    versions: Iterable[CommitmentVersion] = (),
    reason: str = "",
) -> Response:
    """Publish (or revise) the reasoned response to a contribution and tell its author."""
    versions = list(versions)
    stored = Response.objects.filter(contribution=contribution).first()
    outcome = values.get("outcome", stored.outcome if stored else None)
    if versions and outcome not in CHANGING_OUTCOMES:
        raise ValidationError(
            {
                "changed_versions": _(
                    "Only an adopted, partly adopted or merged contribution changes a commitment."
                )
            }
        )
    if any(v.commitment.plan_id != contribution.plan_id for v in versions):
        raise ValidationError({"changed_versions": _("The versions must belong to this plan.")})
    if stored is not None:
        require_perm(actor, "cocreation.change_response", stored)  # as a revision would
    if stored is not None and _republished_unchanged(stored, values, versions):
        return stored  # nothing changed: no new revision, no new e-mail, nothing written
    values = {**values, "published_at": timezone.now()}
    if stored is None:
        values["contribution"] = contribution
    else:
        values["revision"] = stored.revision + 1
    response = save_traced(
        actor,
        stored or Response(),
        values,
        reason=reason,
        scope=contribution,
        related={"changed_versions": versions},
    ).object
    snapshot = response_snapshot(response)
    ResponseRevision.objects.create(
        response=response,
        number=response.revision,
        snapshot=snapshot,
        created_at=response.published_at,
        reason=reason,
    )
    _notify_author(response)
    return response
