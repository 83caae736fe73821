"""Accounts: sign-up with e-mail verification, password reset through the outbox, the
second factor of staff. Answers never tell whether an address has an account."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.core.services import record, trace_language
from traza.notifications.services import enqueue_rendered

SALT = "traza.accounts.verify-email"


def _link(name: str, token: str) -> str:
    return f"{settings.TRAZA_BASE_URL}{reverse(name, args=[token])}"


@transaction.atomic
def sign_up(values: dict[str, Any]):
    """An inactive account and an e-mail with the link that activates it. If the address
    already has an account, its owner is told by e-mail instead (the page says the same)."""
    User = get_user_model()
    email = values["email"].strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        enqueue_rendered(
            email,
            lambda: _("Someone tried to create a Traza account with your address"),
            "accounts/email/exists.txt",
            {"reset": f"{settings.TRAZA_BASE_URL}{reverse('accounts:password_reset')}"},
            purpose="signup_exists",
            about=existing,
        )
        return None
    user = User(
        username=f"p-{secrets.token_hex(4)}",  # neutral: it is what the trace shows
        email=email,
        display_name=values.get("display_name", ""),
        is_active=False,
        consent_text=values["consent_text"],
        consented_at=timezone.now(),
    )
    user.set_password(values["password"])
    user.full_clean()
    user.save()
    with trace_language():
        summary = _("Account created, waiting for its e-mail to be verified")
    record(None, "create", user, summary=summary, changes={"fields": ["account"]})
    token = signing.dumps({"user": user.pk, "email": email}, salt=SALT)
    enqueue_rendered(
        email,
        lambda: _("Confirm your e-mail address for Traza"),
        "accounts/email/verify.txt",
        {"link": _link("accounts:verify", token), "days": settings.TRAZA_EMAIL_LINK_DAYS},
        purpose="verify_email",
        about=user,
    )
    return user


@transaction.atomic
def verify_email(token: str):
    User = get_user_model()
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.TRAZA_EMAIL_LINK_DAYS * 24 * 3600)
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid any more. Sign up again.")) from None
    user = User.objects.select_for_update().filter(pk=data.get("user")).first()
    if user is None or user.email != data.get("email"):
        raise ValidationError(_("This link is not valid any more. Sign up again."))
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        with trace_language():
            summary = _("E-mail address verified; account active")
        record(None, "status", user, summary=summary, changes={"fields": ["is_active"]})
    return user
