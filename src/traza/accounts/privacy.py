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
personal data a set time after the event.

The engine knows no app's models: each app registers the kinds of record that hold personal
data (:class:`PersonalDataKind`: how to find them under an address, what to show in the
download, how to erase them) and its retention rules, in its ``AppConfig.ready()``::

    from traza.accounts import privacy

    privacy.register(privacy.PersonalDataKind(name="registrations", ...))
    privacy.register_retention(forget_old_registrations)

accounts registers its accounts and, from the notifications app below it, the follows and
the outbox (``traza.accounts.personal_data``); cocreation its contributions, discussion
messages, registrations and seconds (``traza.cocreation.personal_data``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from traza.accounts import services
from traza.accounts.models import PersonalDataLink
from traza.core.jsonvalues import OPEN_DATA
from traza.core.services import trace_language
from traza.notifications.services import enqueue_rendered

LINK_HOURS = 24
ERASED_NAME = "—"
ERASED_TEXT = "—"  # the text of a message sent to a person who later asked for erasure


@dataclass(frozen=True)
class Erasure:
    """What an erasure passes to each kind: whose data goes, the names the person gave in
    any record (to take them out of mail to other people) and the trace's summary."""

    email: str
    names: set[str]
    summary: str


@dataclass(frozen=True)
class PersonalDataKind:
    """One kind of record that holds personal data, as its app registers it."""

    name: str
    """The key in the download and in the counts (e.g. ``"registrations"``)."""
    label: str | Promise
    """What people read (``gettext_lazy``)."""
    records: Callable[[str], QuerySet]
    """The records held under an e-mail address (matched case-insensitively)."""
    fields: Sequence[str]
    """The fields the download shows, as they are stored."""
    erase: Callable[[QuerySet, Erasure], int]
    """Erases the personal data of the records (locked by the caller's transaction) and
    returns how many records were the person's. See :func:`replace_values`."""
    names: Sequence[str | tuple[str, ...]] = ()
    """Fields holding names the person gave; a tuple of fields is one name, joined by spaces."""
    position: int = field(default=0, kw_only=True)
    """Where the kind stands in the download, the counts and the erasure (lowest first).
    Mail comes last: it removes the names every other kind gave."""


_kinds: dict[str, PersonalDataKind] = {}
_retention: list[Callable[[dt.date, str], int]] = []


def register(*kinds: PersonalDataKind) -> None:
    """Add kinds of personal data (an app's ``ready()``); the same kind again is a no-op."""
    for kind in kinds:
        known = _kinds.get(kind.name)
        if known is not None and known != kind:
            raise ImproperlyConfigured(f"Two kinds of personal data are named {kind.name!r}.")
        _kinds[kind.name] = kind


def kinds() -> list[PersonalDataKind]:
    """Every registered kind, by position."""
    return sorted(_kinds.values(), key=lambda kind: kind.position)


def register_retention(rule: Callable[[dt.date, str], int]) -> None:
    """Add a retention rule: called with today's date and the trace's summary, it removes
    the personal data that is kept no longer and returns how many records lost it."""
    if rule not in _retention:
        _retention.append(rule)


def replace_values(
    values: Callable[[Any], dict[str, Any]],
    scope: Callable[[Any], models.Model | None] | None = None,
) -> Callable[[QuerySet, Erasure], int]:
    """An ``erase`` that overwrites each record with ``values(record)`` and traces it, under
    ``scope(record)`` so that its erasure appears beside its creation."""

    def erase(queryset: QuerySet, erasure: Erasure) -> int:
        objects = list(queryset.select_for_update())
        for obj in objects:
            services.erase_values(obj, values(obj), erasure.summary, scope(obj) if scope else None)
        return len(objects)

    return erase


def _person_query(email: str) -> dict[str, QuerySet]:
    return {kind.name: kind.records(email) for kind in kinds()}


def named(counts: dict[str, int]) -> dict[str, int]:
    """The counts under the names people read."""
    labels = {kind.name: kind.label for kind in kinds()}
    return {str(labels.get(kind, kind)): n for kind, n in counts.items()}


def personal_data(email: str) -> dict[str, list[dict]]:
    """Everything held under ``email``, as it is stored (values written as the open data
    writes them)."""
    return {
        kind.name: [
            {k: OPEN_DATA(v) for k, v in row.items()}
            for row in kind.records(email).values(*kind.fields)
        ]
        for kind in kinds()
    }


def _token_hash(token: str) -> str:
    return services.personal_data_token_hash(token)


@transaction.atomic
def request_link(email: str) -> None:
    """E-mail a link (valid 24 hours) to see, download or erase the data of ``email``. Sent
    whether or not Traza holds anything: the page never tells. The link carries a random
    token, never the address; only the token's SHA-256 is stored, beside the address."""
    token = services.issue_personal_data_link(email, expired_before=_oldest_valid())
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


def pseudonym(email: str) -> str:
    """What replaces an erased address: the same address always gives the same pseudonym,
    and only whoever holds the key can tell which address it was."""
    key = getattr(settings, "TRAZA_PSEUDONYM_KEY", "") or settings.SECRET_KEY
    digest = salted_hmac("traza.privacy.pseudonym", email, secret=key, algorithm="sha256")
    return f"suprimido-{digest.hexdigest()[:20]}@invalid"


def _names(queries: dict[str, QuerySet]) -> set[str]:
    """The names the person gave, to take them out of mail to other people. Short ones are
    left alone: they would blank out words of other people's mail."""
    names: set[str] = set()
    for kind in kinds():
        for name in kind.names:
            parts = name if isinstance(name, tuple) else (name,)
            for row in queries[kind.name].values_list(*parts):
                names.add(" ".join(row))
    return {n.strip() for n in names if len(n.strip()) >= 4}


@transaction.atomic
def erase(email: str) -> dict[str, int]:
    """Pseudonymise every record of ``email``; return how many of each kind."""
    queries = _person_query(email)
    with trace_language():
        summary = _("Personal data erased at the person's request")
    erasure = Erasure(email=email, names=_names(queries), summary=summary)
    counts = {kind.name: kind.erase(queries[kind.name], erasure) for kind in kinds()}
    services.forget_personal_data_links(email)  # the links go too
    return counts


def trace_erasure(obj: models.Model, summary: str, scope: models.Model | None = None) -> None:
    """The trace says that personal data went, never what it was."""
    services.trace_erasure(obj, summary, scope)


@transaction.atomic
def apply_retention(today: dt.date | None = None) -> int:
    """Apply every registered retention rule (e.g. registrations of events that ended more
    than ``TRAZA_REGISTRATION_RETENTION_DAYS`` ago keep only what the counts need); return
    how many records lost their personal data."""
    today = today or timezone.localdate()
    with trace_language():
        summary = _("Personal data removed after the retention period")
    return sum(rule(today, summary) for rule in list(_retention))
