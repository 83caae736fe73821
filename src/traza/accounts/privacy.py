"""The rights of a person over their data (Ley 29733): see and download everything Traza
holds under their e-mail address, and have it erased. Erasure pseudonymises: the
contributions, messages and registrations stay (they are part of the public record and of
the counts) without anything that identifies the person; the trace is not touched and still
verifies, because it never held their personal data. Retention: registrations and
attendance lists lose their personal data a set time after the event."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.core.services import record, trace_language
from traza.notifications.services import enqueue_rendered

SALT = "traza.privacy.my-data"
LINK_HOURS = 24
ERASED_NAME = "—"


def _person_query(email: str) -> dict[str, Any]:
    from traza.cocreation.models import Contribution, DiscussionPost, Registration
    from traza.notifications.models import Subscription

    return {
        "contributions": Contribution.objects.filter(author_email__iexact=email),
        "discussion_messages": DiscussionPost.objects.filter(author_email__iexact=email),
        "registrations": Registration.objects.filter(email__iexact=email),
        "subscriptions": Subscription.objects.filter(email__iexact=email),
        "accounts": get_user_model().objects.filter(email__iexact=email),
    }


FIELDS = {
    "contributions": [
        "id",
        "plan_id",
        "channel",
        "text",
        "received_at",
        "author_name",
        "author_email",
        "author_organization",
        "show_author",
        "consent_text",
        "consented_at",
    ],
    "discussion_messages": [
        "id",
        "commitment_id",
        "text",
        "created_at",
        "author_name",
        "author_email",
        "author_organization",
        "show_author",
        "consent_text",
        "status",
    ],
    "registrations": [
        "id",
        "event_id",
        "name",
        "email",
        "organization",
        "sector",
        "civil_society_type",
        "region",
        "access_needs",
        "consent_text",
        "consented_at",
        "status",
        "attended",
    ],
    "subscriptions": [
        "id",
        "target",
        "target_id",
        "frequency",
        "consent_text",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ],
    "accounts": [
        "id",
        "username",
        "email",
        "display_name",
        "date_joined",
        "last_login",
        "consent_text",
        "consented_at",
    ],
}


def personal_data(email: str) -> dict[str, list[dict]]:
    """Everything held under ``email``, as it is stored."""
    from traza.api.opendata import json_value

    return {
        kind: [{k: json_value(v) for k, v in row.items()} for row in queryset.values(*FIELDS[kind])]
        for kind, queryset in _person_query(email).items()
    }


@transaction.atomic
def request_link(email: str) -> None:
    """E-mail a link (valid 24 hours) to see, download or erase the data of ``email``. Sent
    whether or not Traza holds anything: the page never tells."""
    token = signing.dumps(email.strip().lower(), salt=SALT)
    enqueue_rendered(
        email,
        lambda: _("Your data in Traza"),
        "accounts/email/my_data.txt",
        {
            "link": f"{settings.TRAZA_BASE_URL}{reverse('accounts:my_data', args=[token])}",
            "hours": LINK_HOURS,
        },
        purpose="my_data",
    )


def email_from(token: str) -> str | None:
    try:
        return signing.loads(token, salt=SALT, max_age=LINK_HOURS * 3600)
    except signing.BadSignature:
        return None


def _pseudonym(email: str) -> str:
    return "suprimido-" + hashlib.sha256(email.encode()).hexdigest()[:12] + "@invalid"


@transaction.atomic
def erase(email: str) -> dict[str, int]:
    """Pseudonymise every record of ``email``; return how many of each kind."""
    queries = _person_query(email)
    pseudonym = _pseudonym(email)
    blank = {"author_name": "", "author_email": "", "author_organization": "", "show_author": False}
    changes = {
        "contributions": blank,
        "discussion_messages": blank,
        "registrations": {
            "name": ERASED_NAME,
            "email": pseudonym,
            "organization": "",
            "region": "",
            "access_needs": "",
        },
        "subscriptions": {"email": pseudonym, "unsubscribed_at": timezone.now()},
    }
    with trace_language():
        summary = _("Personal data erased at the person's request")
    counts = {}
    for kind, values in changes.items():
        objects = list(queries[kind].select_for_update())
        queries[kind].filter(pk__in=[o.pk for o in objects]).update(**values)
        for obj in objects:
            _trace_erasure(obj, summary)
        counts[kind] = len(objects)
    accounts = list(queries["accounts"])
    for user in accounts:
        user.email = ""
        user.display_name = ""
        user.first_name = user.last_name = ""
        user.is_active = False
        user.erased_at = timezone.now()
        user.set_unusable_password()
        user.save()
        _trace_erasure(user, summary)
    counts["accounts"] = len(accounts)
    return counts


def _trace_erasure(obj, summary: str) -> None:
    """The trace says that personal data went, never what it was."""
    record(None, "update", obj, summary=summary, changes={"fields": ["personal data"]})


@transaction.atomic
def apply_retention(today: dt.date | None = None) -> int:
    """Registrations (the attendance lists) of events that ended more than
    ``TRAZA_REGISTRATION_RETENTION_DAYS`` ago keep only what the counts need."""
    from traza.cocreation.models import Registration

    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.TRAZA_REGISTRATION_RETENTION_DAYS)
    old = Registration.objects.filter(event__ends_at__date__lt=cutoff).exclude(
        Q(name=ERASED_NAME) & Q(email__startswith="suprimido-")
    )
    with trace_language():
        summary = _("Personal data removed after the retention period")
    n = 0
    for registration in old.select_related("event"):
        Registration.objects.filter(pk=registration.pk).update(
            name=ERASED_NAME,
            email=_pseudonym(registration.email),
            organization="",
            region="",
            access_needs="",
        )
        _trace_erasure(registration, summary)
        n += 1
    return n
