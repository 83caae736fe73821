"""The second factor of staff: who counts as verified staff, and the one-time links that set
a second factor up. A password alone never reveals a TOTP secret: the key is shown only on
the page of a link e-mailed to the account's owner (asked for by the owner, or issued by an
administrator), opened in a session of that same account. Every link, set-up and reset is
traced (never the token, the key or the address)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from traza.accounts.models import SecondFactorEnrolment
from traza.core.services import SystemActor, actor_label, record, require_perm, trace_language
from traza.notifications.services import enqueue_rendered

LINK_HOURS = 24
# A new link is not sent when the owner asked for one this recently (it is on its way).
RESEND_MINUTES = 10
PURPOSE = "second_factor_enrol"


def is_verified_staff(user: Any) -> bool:
    """Staff whose session confirmed the second factor (when the site requires it). Every
    staff-only decision goes through here, never through ``is_staff`` alone."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False)):
        return False
    if not settings.TRAZA_REQUIRE_STAFF_2FA:
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _trace(actor: Any, user, summary: str, fields: list[str]) -> None:
    record(actor, "update", user, summary=summary, changes={"fields": fields})


def issue_enrolment(user, actor: Any, *, reset: bool = False, send: bool = True) -> str:
    """A new one-time link for ``user`` (older open links stop working), e-mailed to the
    account's address unless ``send`` is false; returns the link. With ``reset``, the
    account's devices are removed first, so its open sessions are no longer verified."""
    if not user.is_staff:
        raise PermissionDenied(_("Only staff accounts have a second factor."))
    if send and not user.email:
        raise PermissionDenied(_("This account has no e-mail address."))
    token = secrets.token_urlsafe(32)
    link = f"{settings.TRAZA_BASE_URL}{reverse('accounts:otp_enrol', args=[token])}"
    with transaction.atomic():
        _close_open_links(user)
        if reset:
            TOTPDevice.objects.filter(user=user).delete()
        SecondFactorEnrolment.objects.create(
            user=user,
            token_hash=token_hash(token),
            expires_at=timezone.now() + dt.timedelta(hours=LINK_HOURS),
            issued_by=actor_label(actor)[:150],
        )
        if send:
            enqueue_rendered(
                user.email,
                lambda: _("Set up your second factor for Traza"),
                "accounts/email/second_factor.txt",
                {"link": link, "hours": LINK_HOURS, "username": user.get_username()},
                purpose=PURPOSE,
                about=user,
            )
        with trace_language():
            if reset:
                summary = _("Second factor reset; a one-time link to set it up again was issued")
            else:
                summary = _("A one-time link to set up the second factor was issued")
        _trace(actor, user, summary, ["second_factor"])
    return link


def request_enrolment(user) -> bool:
    """The owner, signed in with a password, asks for a link by e-mail. Nothing happens when
    the account already has a second factor (an administrator resets it), has no address, or
    was sent a link a moment ago. Returns whether a link is on its way to the address."""
    if not user.is_staff or not user.email or has_second_factor(user):
        return False
    recent = timezone.now() - dt.timedelta(minutes=RESEND_MINUTES)
    if SecondFactorEnrolment.objects.filter(
        user=user, used_at__isnull=True, created_at__gte=recent
    ).exists():
        return True
    issue_enrolment(user, user)
    return True


def reset_second_factor(actor: Any, user, *, send: bool = True) -> str:
    """An administrator removes ``user``'s second factor (a lost phone, a departure) and
    issues a new link. Needs the permission to change accounts."""
    if not isinstance(actor, SystemActor):
        require_perm(actor, "accounts.change_user")
    return issue_enrolment(user, actor, reset=True, send=send)


def open_enrolment(token: str, user) -> SecondFactorEnrolment | None:
    """The open link with this token for this account, or None (unknown, used, expired, or
    another account's: the same answer for all)."""
    found = (
        SecondFactorEnrolment.objects.select_related("device")
        .filter(token_hash=token_hash(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if found is None or found.user_id != user.pk or not user.is_staff:
        return None
    return found


def enrolment_device(enrolment: SecondFactorEnrolment) -> TOTPDevice:
    """The key being set up through this link (made when the owner first opens it)."""
    if enrolment.device is None:
        with transaction.atomic():
            TOTPDevice.objects.filter(user=enrolment.user, confirmed=False).delete()
            enrolment.device = TOTPDevice.objects.create(
                user=enrolment.user, name="Traza", confirmed=False
            )
            enrolment.save(update_fields=["device"])
    return enrolment.device


def complete_enrolment(enrolment: SecondFactorEnrolment, code: str) -> TOTPDevice | None:
    """Confirm the key with a code from the app: the link is used up, the account's other
    devices are replaced. None when the code is wrong or the link was used meanwhile."""
    with transaction.atomic():
        locked = (
            SecondFactorEnrolment.objects.select_for_update()
            .filter(pk=enrolment.pk, used_at__isnull=True)
            .first()
        )
        if locked is None or locked.device_id is None:
            return None
        device = TOTPDevice.objects.select_for_update().get(pk=locked.device_id)
        if not device.verify_token(code):
            return None
        TOTPDevice.objects.filter(user=locked.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        with trace_language():
            summary = _("Second factor set up with a one-time link")
        _trace(locked.user, locked.user, summary, ["second_factor"])
    return device


def _close_open_links(user) -> None:
    """Links not used yet stop working, with the keys they were setting up."""
    open_links = SecondFactorEnrolment.objects.filter(user=user, used_at__isnull=True)
    TOTPDevice.objects.filter(
        pk__in=open_links.exclude(device=None).values("device"), confirmed=False
    ).delete()
    open_links.delete()
