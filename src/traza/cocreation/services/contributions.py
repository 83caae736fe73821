"""Contributions from every channel, and the seconds they receive."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from traza.cocreation.models import (
    Channel,
    Contribution,
    Event,
    EventKind,
    EventStatus,
    Second,
)
from traza.core.services import (
    field_values,
    record,
    require_perm,
    trace_language,
)
from traza.notifications.services import enqueue_rendered
from traza.plans.models import (
    ActionPlan,
    Stage,
)

# Personal data never enters the trace; only these fields of a contribution do.
CONTRIBUTION_TRACED_FIELDS = [
    "channel",
    "event",
    "theme",
    "commitment",
    "self_assessment",
    "show_author",
]


def consultation_open(plan: ActionPlan, now: dt.datetime | None = None) -> bool:
    """The public form takes contributions while the plan is in co-creation, or while one of
    its virtual consultations runs."""
    now = now or timezone.now()
    if plan.stage == Stage.CO_CREATION:
        return True
    return (
        Event.objects.filter(
            plan=plan,
            kind=EventKind.VIRTUAL_CONSULTATION,
            starts_at__lte=now,
            ends_at__gte=now,
        )
        .exclude(status=EventStatus.CANCELLED)
        .exists()
    )


def _record_contribution(actor: Any, contribution: Contribution, reason: str) -> None:
    with trace_language():
        summary = _("Received contribution %(number)s through %(channel)s") % {
            "number": contribution.pk,
            "channel": contribution.get_channel_display(),
        }
    record(
        actor,
        "create",
        contribution,
        summary=summary,
        reason=reason,
        changes={
            k: [None, v] for k, v in field_values(contribution, CONTRIBUTION_TRACED_FIELDS).items()
        },
    )


@transaction.atomic
def submit_contribution(plan: ActionPlan, values: dict[str, Any]) -> Contribution:
    """A participant's contribution through the public form."""
    if not consultation_open(plan):
        raise ValidationError(_("This plan is not taking contributions now."))
    contribution = Contribution(
        plan=plan, channel=Channel.WEB_FORM, received_at=timezone.now(), **values
    )
    record_public_contribution(contribution)
    send_receipt(contribution)
    return contribution


RECEIPT_MAIL_TEMPLATE = "cocreation/email/receipt.txt"


def receipt_mail_context(contribution: Contribution) -> dict[str, Any]:
    """What the receipt shows: the reference and the public journey's address."""
    with translation.override(settings.LANGUAGE_CODE):  # the e-mail's language
        url = f"{settings.TRAZA_BASE_URL}{contribution.get_absolute_url()}"
    return {"contribution": contribution, "url": url}


def send_receipt(contribution: Contribution) -> bool:
    """E-mail the author the receipt of their contribution (its reference and the link to its
    public journey), when they gave an address. Written in the same transaction (outbox)."""
    if not contribution.author_email:
        return False
    enqueue_rendered(
        contribution.author_email,
        lambda: _("We received your contribution %(number)s") % {"number": contribution.pk},
        RECEIPT_MAIL_TEMPLATE,
        receipt_mail_context(contribution),
        purpose="contribution_receipt",
        about=contribution,
    )
    return True


def record_public_contribution(contribution: Contribution) -> Contribution:
    """Validate, save and trace a contribution that arrived through a public form, with the
    consent its author gave."""
    from traza.cocreation.forms import PERSONAL_DATA_CONSENT

    with translation.override(settings.LANGUAGE_CODE):
        contribution.consent_text = str(PERSONAL_DATA_CONSENT)
    contribution.consented_at = timezone.now()
    contribution.full_clean()
    contribution.save()
    _record_contribution(None, contribution, "")
    return contribution


@transaction.atomic
def record_contribution(actor: Any, values: dict[str, Any], reason: str = "") -> Contribution:
    """Staff entry of what arrived at an event, by e-mail, letter or from a forum member."""
    require_perm(actor, "cocreation.add_contribution")
    contribution = Contribution(**values)
    contribution.full_clean()
    contribution.save()
    _record_contribution(actor, contribution, reason)
    return contribution


@transaction.atomic
def second_contribution(contribution: Contribution, values: dict[str, Any]) -> Second:
    """A participant supports a contribution while the consultation is open."""
    if not consultation_open(contribution.plan):
        raise ValidationError(_("This plan is not taking contributions now."))
    second = Second(contribution=contribution, **values)
    second.full_clean()
    second.save()
    with trace_language():
        summary = _("Contribution %(number)s was seconded") % {"number": contribution.pk}
    record(None, "create", second, summary=summary, changes={}, scope=contribution)
    return second
