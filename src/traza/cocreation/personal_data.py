"""The personal data co-creation holds — contributions, discussion messages, event
registrations and seconds — as it registers it with the privacy engine of accounts
(``traza.accounts.privacy``), and the retention of registrations."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _lazy

from traza.accounts import privacy
from traza.accounts.personal_data import forget_mail_about
from traza.accounts.privacy import ERASED_NAME, PersonalDataKind
from traza.accounts.services import erase_values
from traza.cocreation.models import Contribution, DiscussionPost, Registration, Second

_ANONYMOUS_AUTHOR = {
    "author_name": "",
    "author_email": "",
    "author_organization": "",
    "show_author": False,
}

KINDS = [
    PersonalDataKind(
        name="contributions",
        label=_lazy("contributions"),
        records=lambda email: Contribution.objects.filter(author_email__iexact=email),
        fields=[
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
        erase=privacy.replace_values(lambda obj: _ANONYMOUS_AUTHOR),
        names=["author_name"],
        position=10,
    ),
    PersonalDataKind(
        name="discussion_messages",
        label=_lazy("discussion messages"),
        records=lambda email: DiscussionPost.objects.filter(author_email__iexact=email),
        fields=[
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
        erase=privacy.replace_values(
            lambda obj: _ANONYMOUS_AUTHOR, scope=lambda obj: obj.commitment
        ),
        names=["author_name"],
        position=20,
    ),
    PersonalDataKind(
        name="registrations",
        label=_lazy("event registrations"),
        records=lambda email: Registration.objects.filter(email__iexact=email),
        fields=[
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
        erase=privacy.replace_values(
            lambda obj: {
                "name": ERASED_NAME,
                "email": privacy.pseudonym(obj.email),
                "organization": "",
                "region": "",
                "access_needs": "",
            },
            scope=lambda obj: obj.event,
        ),
        names=["name"],
        position=30,
    ),
    PersonalDataKind(
        name="seconds",
        label=_lazy("seconds of contributions"),
        records=lambda email: Second.objects.filter(email__iexact=email),
        fields=["id", "contribution_id", "name", "email", "organization", "created_at"],
        erase=privacy.replace_values(
            lambda obj: {
                "name": ERASED_NAME,
                "email": privacy.pseudonym(obj.email),
                "organization": "",
            },
            scope=lambda obj: obj.contribution,
        ),
        names=["name"],
        position=40,
    ),
]


def forget_old_registrations(today: dt.date, summary: str) -> int:
    """Registrations (the attendance lists) of events that ended more than
    ``TRAZA_REGISTRATION_RETENTION_DAYS`` ago keep only what the counts need; the mail about
    them is forgotten like an erased person's. Returns how many lost their personal data."""
    cutoff = today - dt.timedelta(days=settings.TRAZA_REGISTRATION_RETENTION_DAYS)
    old = Registration.objects.filter(event__ends_at__date__lt=cutoff).exclude(
        Q(name=ERASED_NAME) & Q(email__startswith="suprimido-")
    )
    n = 0
    for registration in old.select_related("event"):
        erase_values(
            registration,
            {
                "name": ERASED_NAME,
                "email": privacy.pseudonym(registration.email),
                "organization": "",
                "region": "",
                "access_needs": "",
            },
            summary,
            registration.event,
        )
        forget_mail_about(registration)
        n += 1
    return n
