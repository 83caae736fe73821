"""The personal data that accounts registers with the privacy engine (``privacy.py``): the
accounts themselves and, from the notifications app below it, the follows by e-mail and the
outbox. The engine calls these in this order after every other kind: mail goes last because
it takes out the names all the others gave."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from traza.accounts import privacy, services
from traza.accounts.privacy import ERASED_NAME, ERASED_TEXT, Erasure, PersonalDataKind
from traza.notifications import services as mail
from traza.notifications.models import OutboxMessage, Subscription


def _erase_accounts(accounts: QuerySet, erasure: Erasure) -> int:
    users = list(accounts.select_for_update())
    for user in users:
        services.erase_account(user, erasure.summary)
    return len(users)


def _erase_outbox(own: QuerySet, erasure: Erasure) -> int:
    """Mail to the person that is not sent yet is deleted: it must not go out any more. Mail
    already sent (or being sent right now, which the worker finishes) stays as the record
    that it went and when — the public journey of a contribution says when its author was
    told — with the pseudonym instead of the address and without its text. Their name and
    address are replaced in mail to anyone else. Returns how many messages were theirs."""
    own_messages = list(own.select_for_update())
    forget_mail(own_messages)
    words = sorted({erasure.email, *erasure.names}, key=len, reverse=True)
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )

    def replace(match: re.Match) -> str:
        return privacy.pseudonym(match.group(0)) if "@" in match.group(0) else ERASED_NAME

    mentions = Q()
    for word in words:
        mentions |= Q(subject__icontains=word) | Q(body__icontains=word)
        mentions |= Q(last_error__icontains=word)
    others = OutboxMessage.objects.select_for_update().filter(mentions)
    for message in others.exclude(pk__in=[m.pk for m in own_messages]):
        mail.rewrite_mail(message, lambda text: pattern.sub(replace, text))
    return len(own_messages)


def forget_mail(messages: list[OutboxMessage]) -> None:
    """Delete what is not sent yet; keep of sent mail only that it went, and when."""
    mail.forget_mail(messages, to=privacy.pseudonym, body=ERASED_TEXT)


def forget_mail_about(obj) -> None:
    """Forget, like an erased person's, the mail written about ``obj`` (e.g. a registration
    past its retention)."""
    mail = OutboxMessage.objects.select_for_update().filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )
    forget_mail(list(mail))


KINDS = [
    PersonalDataKind(
        name="subscriptions",
        label=_lazy("follows by e-mail"),
        records=lambda email: Subscription.objects.filter(email__iexact=email),
        fields=[
            "id",
            "target",
            "target_id",
            "frequency",
            "consent_text",
            "created_at",
            "confirmed_at",
            "unsubscribed_at",
        ],
        erase=privacy.replace_values(
            lambda obj: {
                "email": privacy.pseudonym(obj.email),
                "unsubscribed_at": obj.unsubscribed_at or timezone.now(),
            }
        ),
        position=50,
    ),
    PersonalDataKind(
        name="accounts",
        label=_lazy("accounts"),
        records=lambda email: get_user_model().objects.filter(email__iexact=email),
        fields=[
            "id",
            "username",
            "email",
            "display_name",
            "date_joined",
            "last_login",
            "consent_text",
            "consented_at",
        ],
        erase=_erase_accounts,
        names=["display_name", ("first_name", "last_name")],
        position=60,
    ),
    PersonalDataKind(
        name="messages",
        label=_lazy("e-mail messages to this address"),
        records=lambda email: OutboxMessage.objects.filter(to__iexact=email),
        fields=["id", "created_at", "purpose", "subject", "body", "status", "sent_at"],
        erase=_erase_outbox,
        position=70,
    ),
]
