"""The weekly digest for the secretariat (reads only): per plan, how many contributions
wait for their reasoned response, how many have a draft, how many are overdue and which has
waited longest, with links to the workbench's queue. Sent by ``traza remind`` through
:func:`traza.workbench.services.send_weekly_digests`.

"Waiting" and "overdue" are the one definition in :mod:`traza.cocreation.queries`
(``awaiting_response``, ``overdue_contributions``, ``TRAZA_RESPONSE_WAIT_DAYS``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from traza.cocreation.models import Contribution
from traza.cocreation.queries import awaiting_response, overdue_contributions
from traza.plans.models import ActionPlan, Stage

PURPOSE = "weekly_digest"
RECEIVING_PERMISSION = "receive_process_warnings"  # assessment.receive_process_warnings


@dataclass
class PlanDigest:
    plan: ActionPlan
    unanswered: int
    drafted: int
    overdue: int
    oldest: Contribution
    oldest_days: int


def iso_week(now: dt.datetime | None = None) -> str:
    """The ISO week of ``now`` in the site's time zone, e.g. "2026-W49"."""
    year, week, _day = timezone.localdate(now or timezone.now()).isocalendar()
    return f"{year}-W{week:02d}"


def digest_purpose(now: dt.datetime | None = None) -> str:
    """The outbox purpose of this week's digest: the week in it makes it once a week."""
    return f"{PURPOSE}:{iso_week(now)}"


def recipients() -> QuerySet:
    """The accounts that receive the daily process warnings (the same rule as
    ``assessment.services.send_process_warnings``): active, with an e-mail address, holding
    ``assessment.receive_process_warnings`` directly or through a role, or superusers."""
    perm = Q(
        user_permissions__codename=RECEIVING_PERMISSION,
        user_permissions__content_type__app_label="assessment",
    ) | Q(
        groups__permissions__codename=RECEIVING_PERMISSION,
        groups__permissions__content_type__app_label="assessment",
    )
    return (
        get_user_model()
        .objects.filter(perm | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def plan_digest(plan: ActionPlan, now: dt.datetime | None = None) -> PlanDigest | None:
    """The plan's figures, or None when no contribution waits (no e-mail then)."""
    now = now or timezone.now()
    waiting = awaiting_response(plan)
    oldest = waiting.order_by("received_at", "pk").first()
    if oldest is None:
        return None
    return PlanDigest(
        plan=plan,
        unanswered=waiting.count(),
        drafted=waiting.filter(draft__isnull=False).count(),
        overdue=overdue_contributions(plan, now).count(),
        oldest=oldest,
        oldest_days=(now - oldest.received_at).days,
    )


def plans_to_digest() -> QuerySet:
    """Plans whose co-creation may still have contributions to answer (closed ones do not)."""
    return ActionPlan.objects.exclude(stage=Stage.CLOSED).select_related("member").order_by("pk")
