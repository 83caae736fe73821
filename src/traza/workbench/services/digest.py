"""The weekly digest e-mail to the secretariat, written to the outbox."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.core.text import shorten
from traza.notifications.models import OutboxMessage
from traza.notifications.services import enqueue_rendered
from traza.workbench.digest import digest_purpose, plan_digest, plans_to_digest, recipients

TEMPLATE = "workbench/email/digest.txt"


@transaction.atomic
def send_weekly_digests(now: dt.datetime | None = None) -> int:
    """One e-mail per ISO week, per plan with contributions waiting for a reasoned
    response, per account that receives the process warnings. Running it again in the same
    week writes nothing (the outbox's purpose carries the week, as the daily warnings carry
    the day). Returns how many e-mails were written."""
    now = now or timezone.now()
    purpose = digest_purpose(now)
    people = list(recipients())
    if not people:
        return 0
    written = 0
    for plan in plans_to_digest():
        digest = plan_digest(plan, now)
        if digest is None:
            continue
        already = set(
            OutboxMessage.objects.filter(
                purpose=purpose, object_type="plans.actionplan", object_id=str(plan.pk)
            ).values_list("to", flat=True)
        )
        for person in people:
            if person.email in already:
                continue
            enqueue_rendered(
                person.email,
                lambda p=plan: (
                    _("Contributions awaiting a reasoned response in “%(plan)s”")
                    % {"plan": shorten(p.title, 120)}
                ),
                TEMPLATE,
                {
                    "digest": digest,
                    "base": settings.TRAZA_BASE_URL,
                    "wait_days": settings.TRAZA_RESPONSE_WAIT_DAYS,
                },
                purpose=purpose,
                about=plan,
            )
            already.add(person.email)
            written += 1
    return written
