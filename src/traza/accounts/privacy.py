"""The rights of a person over their data (Ley 29733): see and download everything Traza
holds under their e-mail address, and have it erased. Erasure pseudonymises: the
contributions, messages, registrations and seconds stay (they are part of the public record
and of the counts) without anything that identifies the person; the trace is not touched and
still verifies, because it never held their personal data. The outbox forgets them too: mail
not yet sent to them is deleted, mail already sent keeps only that it was sent (the address
replaced by the pseudonym, the text removed), and their name and address are taken out of
mail to anyone else. The pseudonym is a keyed hash (HMAC-SHA256 with
``TRAZA_PSEUDONYM_KEY``, or a key derived from ``SECRET_KEY``): without the key nobody can
test whether an address was erased. Retention: registrations and attendance lists lose their
personal data a set time after the event."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from traza.accounts.models import PersonalDataLink
from traza.core.services import record, trace_language
from traza.notifications.services import enqueue_rendered

LINK_HOURS = 24
ERASED_NAME = "—"
ERASED_TEXT = "—"  # the text of a message sent to a person who later asked for erasure


def _person_query(email: str) -> dict[str, Any]:
    from traza.cocreation.models import Contribution, DiscussionPost, Registration, Second
    from traza.notifications.models import OutboxMessage, Subscription

    return {
        "contributions": Contribution.objects.filter(author_email__iexact=email),
        "discussion_messages": DiscussionPost.objects.filter(author_email__iexact=email),
        "registrations": Registration.objects.filter(email__iexact=email),
        "seconds": Second.objects.filter(email__iexact=email),
        "subscriptions": Subscription.objects.filter(email__iexact=email),
        "accounts": get_user_model().objects.filter(email__iexact=email),
        "messages": OutboxMessage.objects.filter(to__iexact=email),
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
    "seconds": ["id", "contribution_id", "name", "email", "organization", "created_at"],
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
    "messages": ["id", "created_at", "purpose", "subject", "body", "status", "sent_at"],
}


KINDS = {
    "contributions": _lazy("contributions"),
    "discussion_messages": _lazy("discussion messages"),
    "registrations": _lazy("event registrations"),
    "seconds": _lazy("seconds of contributions"),
    "subscriptions": _lazy("follows by e-mail"),
    "accounts": _lazy("accounts"),
    "messages": _lazy("e-mail messages to this address"),
}


def named(counts: dict[str, int]) -> dict[str, int]:
    """The counts under the names people read."""
    return {str(KINDS.get(kind, kind)): n for kind, n in counts.items()}


def personal_data(email: str) -> dict[str, list[dict]]:
    """Everything held under ``email``, as it is stored."""
    from traza.core.jsonvalues import OPEN_DATA  # written as the open data writes values

    return {
        kind: [{k: OPEN_DATA(v) for k, v in row.items()} for row in queryset.values(*FIELDS[kind])]
        for kind, queryset in _person_query(email).items()
    }


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def request_link(email: str) -> None:
    """E-mail a link (valid 24 hours) to see, download or erase the data of ``email``. Sent
    whether or not Traza holds anything: the page never tells. The link carries a random
    token, never the address; only the token's SHA-256 is stored, beside the address."""
    PersonalDataLink.objects.filter(created_at__lt=_oldest_valid()).delete()
    token = secrets.token_urlsafe(32)
    PersonalDataLink.objects.create(email=email.strip().lower(), token_hash=_token_hash(token))
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


def _oldest_valid() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=LINK_HOURS)


def email_from(token: str) -> str | None:
    """The address a link was sent to, while the link is valid."""
    link = PersonalDataLink.objects.filter(
        token_hash=_token_hash(token), created_at__gte=_oldest_valid()
    ).first()
    return link.email if link else None


def _pseudonym(email: str) -> str:
    """What replaces an erased address: the same address always gives the same pseudonym,
    and only whoever holds the key can tell which address it was."""
    key = getattr(settings, "TRAZA_PSEUDONYM_KEY", "") or settings.SECRET_KEY
    digest = salted_hmac("traza.privacy.pseudonym", email, secret=key, algorithm="sha256")
    return f"suprimido-{digest.hexdigest()[:20]}@invalid"


def _erased_values(kind: str, obj) -> dict[str, Any]:
    """The values that replace the personal data of one record of ``kind``."""
    if kind in ("contributions", "discussion_messages"):
        return {
            "author_name": "",
            "author_email": "",
            "author_organization": "",
            "show_author": False,
        }
    if kind == "registrations":
        return {
            "name": ERASED_NAME,
            "email": _pseudonym(obj.email),
            "organization": "",
            "region": "",
            "access_needs": "",
        }
    if kind == "seconds":
        return {"name": ERASED_NAME, "email": _pseudonym(obj.email), "organization": ""}
    if kind == "subscriptions":
        return {
            "email": _pseudonym(obj.email),
            "unsubscribed_at": obj.unsubscribed_at or timezone.now(),
        }
    raise ValueError(kind)


def _scope(kind: str, obj):
    """Where the record's creation was traced, so its erasure appears beside it."""
    return {
        "discussion_messages": lambda: obj.commitment,
        "registrations": lambda: obj.event,
        "seconds": lambda: obj.contribution,
    }.get(kind, lambda: None)()


def _names(queries: dict[str, Any]) -> set[str]:
    """The names the person gave, to take them out of mail to other people. Short ones are
    left alone: they would blank out words of other people's mail."""
    names = set()
    for kind, field in [
        ("contributions", "author_name"),
        ("discussion_messages", "author_name"),
        ("registrations", "name"),
        ("seconds", "name"),
        ("accounts", "display_name"),
    ]:
        names.update(queries[kind].values_list(field, flat=True))
    for first, last in queries["accounts"].values_list("first_name", "last_name"):
        names.add(f"{first} {last}")
    return {n.strip() for n in names if len(n.strip()) >= 4}


@transaction.atomic
def erase(email: str) -> dict[str, int]:
    """Pseudonymise every record of ``email``; return how many of each kind."""
    queries = _person_query(email)
    names = _names(queries)
    with trace_language():
        summary = _("Personal data erased at the person's request")
    counts = {}
    for kind in (
        "contributions",
        "discussion_messages",
        "registrations",
        "seconds",
        "subscriptions",
    ):
        objects = list(queries[kind].select_for_update())
        for obj in objects:
            type(obj).objects.filter(pk=obj.pk).update(**_erased_values(kind, obj))
            _trace_erasure(obj, summary, _scope(kind, obj))
        counts[kind] = len(objects)
    accounts = list(queries["accounts"].select_for_update())
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
    counts["messages"] = _erase_outbox(email, names)
    PersonalDataLink.objects.filter(email__iexact=email).delete()  # the links go too
    return counts


def _erase_outbox(email: str, names: set[str]) -> int:
    """Mail to the person that is not sent yet is deleted: it must not go out any more. Mail
    already sent (or being sent right now, which the worker finishes) stays as the record
    that it went and when — the public journey of a contribution says when its author was
    told — with the pseudonym instead of the address and without its text. Their name and
    address are replaced in mail to anyone else. Returns how many messages were theirs."""
    from traza.notifications.models import OutboxMessage

    own = list(OutboxMessage.objects.select_for_update().filter(to__iexact=email))
    _forget_mail(own)
    words = sorted({email, *names}, key=len, reverse=True)
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )

    def replace(match: re.Match) -> str:
        return _pseudonym(match.group(0)) if "@" in match.group(0) else ERASED_NAME

    mentions = Q()
    for word in words:
        mentions |= Q(subject__icontains=word) | Q(body__icontains=word)
        mentions |= Q(last_error__icontains=word)
    others = OutboxMessage.objects.select_for_update().filter(mentions)
    for message in others.exclude(pk__in=[m.pk for m in own]):
        OutboxMessage.objects.filter(pk=message.pk).update(
            subject=pattern.sub(replace, message.subject),
            body=pattern.sub(replace, message.body),
            last_error=pattern.sub(replace, message.last_error),
        )
    return len(own)


def _forget_mail(messages: list) -> None:
    """Delete what is not sent yet; keep of sent mail only that it went, and when."""
    from traza.notifications.models import DeliveryAttempt, MessageStatus, OutboxMessage

    kept = {MessageStatus.SENT, MessageStatus.SENDING}
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages if m.status not in kept]).delete()
    for message in messages:
        if message.status in kept:
            OutboxMessage.objects.filter(pk=message.pk).update(
                to=_pseudonym(message.to), body=ERASED_TEXT, attachments=[], last_error=""
            )
            DeliveryAttempt.objects.filter(message_id=message.pk).update(error="")


def _trace_erasure(obj, summary: str, scope=None) -> None:
    """The trace says that personal data went, never what it was."""
    record(None, "update", obj, summary=summary, changes={"fields": ["personal data"]}, scope=scope)


@transaction.atomic
def apply_retention(today: dt.date | None = None) -> int:
    """Registrations (the attendance lists) of events that ended more than
    ``TRAZA_REGISTRATION_RETENTION_DAYS`` ago keep only what the counts need; the mail about
    them is forgotten like an erased person's."""
    from traza.cocreation.models import Registration
    from traza.notifications.models import OutboxMessage

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
        _trace_erasure(registration, summary, registration.event)
        mail = OutboxMessage.objects.select_for_update().filter(
            object_type=Registration._meta.label_lower, object_id=str(registration.pk)
        )
        _forget_mail(list(mail))
        n += 1
    return n
