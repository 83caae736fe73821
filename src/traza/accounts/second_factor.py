"""The second factor of staff: who counts as verified staff, and the one-time links that set
a second factor up. A password alone never reveals a TOTP secret: the key is shown only on
the page of a link e-mailed to the account's owner (asked for by the owner, or issued by an
administrator), opened in a session of that same account. Every link, set-up and reset is
traced (never the token, the key or the address).

This module reads; the writes (issuing, resetting and completing a set-up) are services in
``traza.accounts.services``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from traza.accounts import services
from traza.accounts.models import SecondFactorEnrolment


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
    return services.enrolment_token_hash(token)


def has_second_factor(user) -> bool:
    return services.has_second_factor(user)


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
