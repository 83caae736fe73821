"""Writes of the IRM assessment: permission, validation and trace in one transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.assessment.models import (
    ProcessOverride,
    PublishedFigure,
    Rating,
    RecommendationFollowUp,
)
from traza.assessment.standards import process_warnings
from traza.core.services import Saved, save_traced, saver, service
from traza.core.text import shorten
from traza.plans.models import ActionPlan, Stage

save_rating = saver(
    Rating,
    scope="commitment",
    module=__name__,
    doc="Record or change an assessor's rating; values outside their scale are refused.",
)
save_followup = saver(RecommendationFollowUp, scope="plan", module=__name__)
save_published_figure = saver(
    PublishedFigure,
    scope="plan",
    module=__name__,
    doc="Record a figure as an IRM report printed it, with its source.",
)


@service
def override_process(
    actor: Any, plan: ActionPlan, subject: str, value: str, justification: str, decided_on=None
) -> Saved[ProcessOverride]:
    """An assessor sets a standard's status, an influence level or the contrary verdict, with
    a written justification kept in the trace and shown beside the computed value."""
    stored = ProcessOverride.objects.filter(plan=plan, subject=subject).first()
    values = {
        "plan": plan,
        "subject": subject,
        "value": value,
        "justification": (justification or "").strip(),
        "decided_on": decided_on or timezone.localdate(),
    }
    return save_traced(
        actor, stored or ProcessOverride(), values, reason=values["justification"], scope=plan
    )


@transaction.atomic
def send_process_warnings(today=None) -> int:
    """One e-mail a day per plan with requirements at risk, to the accounts that receive
    process warnings; running it again the same day sends nothing new."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from traza.notifications.models import OutboxMessage
    from traza.notifications.services import enqueue_rendered

    today = today or timezone.localdate()
    perm = Q(user_permissions__codename="receive_process_warnings") | Q(
        groups__permissions__codename="receive_process_warnings"
    )
    recipients = list(
        get_user_model()
        .objects.filter(perm | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .distinct()
    )
    sent = 0
    for plan in ActionPlan.objects.exclude(stage=Stage.CLOSED).select_related("member"):
        warnings = process_warnings(plan, today)
        if not warnings:
            continue
        purpose = f"process_warnings:{today.isoformat()}"
        for user in recipients:
            if OutboxMessage.objects.filter(
                purpose=purpose,
                object_type="plans.actionplan",
                object_id=str(plan.pk),
                to=user.email,
            ).exists():
                continue
            enqueue_rendered(
                user.email,
                lambda p=plan: (
                    _("Requirements at risk in “%(plan)s”") % {"plan": shorten(p.title, 120)}
                ),
                "assessment/email/warnings.txt",
                {
                    "plan": plan,
                    "warnings": warnings,
                    "base": settings.TRAZA_BASE_URL,
                },
                purpose=purpose,
                about=plan,
            )
            sent += 1
    return sent
