"""Following a plan, commitment or event by e-mail: double opt-in, one-click unsubscribe,
immediate messages or a weekly digest, all through the outbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.core.text import shorten
from traza.notifications.models import FollowTarget, Frequency, Subscription
from traza.notifications.services import (
    confirm_subscription,
    end_subscription,
    enqueue_rendered,
    mark_subscription_sent,
    subscribe,
)

# What happened to a followed object since a time: (target, target_id, since) → news, newest
# first, each with ``at`` (when), ``title``, ``text``, ``url`` and ``key``. Read on the trace by
# ``traza.activity`` (above this app), which lends it here at start-up.
UpdatesReader = Callable[..., list[Any]]
_updates_readers: list[UpdatesReader] = []


def register_updates_reader(reader: UpdatesReader) -> None:
    """Read the news of followed objects with ``reader`` (it replaces any earlier one)."""
    _updates_readers[:] = [reader]


def updates(target: str, target_id: int, since: dt.datetime | None = None) -> list[Any]:
    """The news of a followed object since ``since`` (see ``register_updates_reader``)."""
    if not _updates_readers:
        raise RuntimeError("No reader of updates: is traza.activity installed?")
    return _updates_readers[0](target, target_id, since=since)


def target_object(target: str, target_id: int):
    from traza.cocreation.models import Event
    from traza.plans.models import ActionPlan, Commitment

    model = {"plan": ActionPlan, "commitment": Commitment, "event": Event}.get(target)
    if model is None:
        raise ValidationError(_("You can follow a plan, a commitment or an event."))
    found = model.objects.filter(pk=target_id).first()
    if found is None:
        raise ValidationError(_("There is nothing to follow there."))
    return found


def _url(name: str, token: str) -> str:
    return f"{settings.TRAZA_BASE_URL}{reverse(name, args=[token])}"


@transaction.atomic
def follow(values: dict[str, Any]) -> Subscription:
    """Record the wish and send the confirmation; nothing is sent until it is confirmed.
    Asking again re-sends the confirmation (and re-opens an ended subscription)."""
    obj = target_object(values["target"], values["target_id"])
    subscription = subscribe(
        values["email"],
        values["target"],
        obj.pk,
        frequency=values.get("frequency") or Frequency.IMMEDIATE,
        consent_text=values["consent_text"],
    )
    if subscription.confirmed_at is None:
        enqueue_rendered(
            subscription.email,
            lambda: (
                _("Confirm that you want to follow “%(title)s”") % {"title": shorten(str(obj), 120)}
            ),
            "repository/email/confirm.txt",
            {
                "object": obj,
                "confirm": _url("repository:follow_confirm", subscription.token),
                "unsubscribe": _url("repository:unfollow", subscription.token),
            },
            purpose="follow_confirm",
            about=subscription,
        )
    return subscription


def confirm(token: str) -> Subscription:
    subscription = confirm_subscription(token)
    if subscription is None:
        raise ValidationError(_("This link is not valid any more."))
    return subscription


def unfollow(token: str) -> Subscription | None:
    return end_subscription(token)


def send_updates(now: dt.datetime | None = None) -> int:
    """One message per active subscription with what happened since the last one: at once
    for "immediate", at most once a week for "weekly". Run it every few minutes."""
    now = now or timezone.now()
    sent = 0
    week = dt.timedelta(days=7)
    for subscription in Subscription.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).order_by("id"):
        since = subscription.last_sent_at or subscription.confirmed_at
        if subscription.frequency == Frequency.WEEKLY and now - since < week:
            continue
        with transaction.atomic():
            locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
            if locked.last_sent_at != subscription.last_sent_at:
                continue  # another run sent it
            items = [
                u for u in updates(locked.target, locked.target_id, since=since) if u.at <= now
            ]
            if not items:
                continue
            obj = target_object(locked.target, locked.target_id)
            enqueue_rendered(
                locked.email,
                lambda o=obj: _("News of “%(title)s”") % {"title": shorten(str(o), 120)},
                "repository/email/updates.txt",
                {
                    "object": obj,
                    "items": items,
                    "base": settings.TRAZA_BASE_URL,
                    "unsubscribe": _url("repository:unfollow", locked.token),
                },
                purpose="follow_updates",
                about=locked,
            )
            mark_subscription_sent(locked, now)
            sent += 1
    return sent


FOLLOWABLE = FollowTarget.values
