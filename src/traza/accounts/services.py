"""Accounts: sign-up with e-mail verification, password reset through the outbox, the
second factor of staff. Answers never tell whether an address has an account, neither by
their words nor by their time. A sign-up that was never verified reserves nothing.

The writes of the privacy engine (``privacy.py``) are here too: the links to one's data,
and the erasure of a record's personal data (traced as "personal data erased", never what
it was)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from traza.accounts.models import PersonalDataLink, SecondFactorEnrolment
from traza.core.services import SystemActor, actor_label, record, require_perm, trace_language
from traza.notifications.services import enqueue_rendered

SALT = "traza.accounts.verify-email"
INVALID_LINK = _lazy("This link is not valid any more. Sign up again.")


def _link(name: str, token: str) -> str:
    return f"{settings.TRAZA_BASE_URL}{reverse(name, args=[token])}"


def _fingerprint(user) -> str:
    """Changes with the account's password and address: a new sign-up, a password reset or
    a new address voids the links mailed before."""
    value = f"{user.pk}:{user.password}:{user.email.lower()}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:32]


def verification_token(user) -> str:
    """Signed and timed (``TRAZA_EMAIL_LINK_DAYS``): the account's number and a fingerprint,
    never the address."""
    return signing.dumps([user.pk, _fingerprint(user)], salt=SALT)


def _holds_address(user) -> bool:
    """An account that reserves its address: in use, or closed by the secretariat — anything
    but a sign-up still waiting for its e-mail to be verified."""
    return user.erased_at is None and not user.awaiting_verification


@transaction.atomic
def sign_up(values: dict[str, Any]):
    """An inactive account and an e-mail with the link that activates it. If the address
    already has an account, its owner is told by e-mail instead (the page says the same).
    An account that still waits for its verification does not reserve the address: signing
    up again renews it (new password, name and consent) and voids its earlier links, so
    whoever gave someone else's address first cannot keep its owner out. Every path hashes
    the password and writes one message, so the time taken does not tell either."""
    User = get_user_model()
    email = values["email"].strip().lower()
    password = make_password(values["password"])
    accounts = list(
        User.objects.select_for_update()
        .filter(email__iexact=email, erased_at__isnull=True)
        .order_by("pk")
    )
    holder = next((u for u in accounts if _holds_address(u)), None)
    if holder is not None:
        enqueue_rendered(
            email,
            lambda: _("Someone tried to create a Traza account with your address"),
            "accounts/email/exists.txt",
            {"reset": f"{settings.TRAZA_BASE_URL}{reverse('accounts:password_reset')}"},
            purpose="signup_exists",
            about=holder,
        )
        return None
    user = accounts[0] if accounts else None
    if user is None:
        user = User(
            username=f"p-{secrets.token_hex(4)}",  # neutral: it is what the trace shows
            email=email,
            is_active=False,
            awaiting_verification=True,
        )
        action = "create"
        with trace_language():
            summary = _("Account created, waiting for its e-mail to be verified")
    else:
        action = "update"
        with trace_language():
            summary = _("Sign-up repeated before verification: earlier links void")
    user.password = password
    user.display_name = values.get("display_name", "")
    user.consent_text = values["consent_text"]
    user.consented_at = timezone.now()
    user.full_clean()
    user.save()
    record(None, action, user, summary=summary, changes={"fields": ["account"]})
    enqueue_rendered(
        email,
        lambda: _("Confirm your e-mail address for Traza"),
        "accounts/email/verify.txt",
        {
            "link": _link("accounts:verify", verification_token(user)),
            "days": settings.TRAZA_EMAIL_LINK_DAYS,
        },
        purpose="verify_email",
        about=user,
    )
    return user


@transaction.atomic
def verify_email(token: str):
    User = get_user_model()
    try:
        pk, fingerprint = signing.loads(
            token, salt=SALT, max_age=settings.TRAZA_EMAIL_LINK_DAYS * 24 * 3600
        )
    except (signing.BadSignature, TypeError, ValueError):
        raise ValidationError(INVALID_LINK) from None
    user = User.objects.select_for_update().filter(pk=pk, erased_at__isnull=True).first()
    if user is None or not constant_time_compare(str(fingerprint), _fingerprint(user)):
        raise ValidationError(INVALID_LINK)
    if user.awaiting_verification:
        taken = User.objects.filter(email__iexact=user.email).exclude(pk=user.pk)
        if any(_holds_address(other) for other in taken):
            raise ValidationError(
                _("This address already has an account. Sign in, or choose a new password.")
            )
        with trace_language():
            summary = _("E-mail address verified; account active")
        _activate(user, summary)
    elif not user.is_active:
        raise ValidationError(INVALID_LINK)  # closed by the secretariat: a link does not reopen it
    return user


def verify_by_password_reset(user) -> None:
    """A password set from a reset link proves the person receives the address's mail: an
    account still waiting for verification is activated. Call it in the reset's transaction."""
    if user.awaiting_verification and user.erased_at is None:
        with trace_language():
            summary = _("E-mail address verified by a password reset; account active")
        _activate(user, summary)


def _activate(user, summary: str) -> None:
    user.is_active = True
    user.awaiting_verification = False
    user.save(update_fields=["is_active", "awaiting_verification"])
    record(
        None,
        "status",
        user,
        summary=summary,
        changes={"fields": ["is_active", "awaiting_verification"]},
    )


# Fields whose values never enter the trace (only the fact that they changed).
SECRET_FIELDS = {"password", "password1", "password2"}


@transaction.atomic
def save_account(actor: Any, user: Any, changed: list[str], *, creating: bool) -> Any:
    """Save an account edited in the admin and trace which fields changed, never their
    values (a password is only "password"). Needs ``accounts.add_user`` or
    ``accounts.change_user``."""
    require_perm(actor, "accounts.add_user" if creating else "accounts.change_user")
    user.save()
    fields = sorted("password" if field in SECRET_FIELDS else field for field in set(changed))
    with trace_language():
        summary = (
            _("Created account “%(user)s”")
            if creating
            else _("Changed account “%(user)s”: %(fields)s")
        ) % {"user": user.get_username(), "fields": ", ".join(fields)}
    record(
        actor,
        "create" if creating else "update",
        user,
        summary=summary,
        changes={"fields": fields},
    )
    return user


# The privacy engine's writes (``traza.accounts.privacy``). Links to one's data are not
# traced: the trace is public and would tell that someone asked; their token is kept only
# as its SHA-256. Erasures are traced without the data that went.


def personal_data_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_personal_data_link(email: str, expired_before: Any) -> str:
    """A new random token for the data of ``email`` (only its hash is stored, beside the
    address); links created before ``expired_before`` are deleted on the way."""
    PersonalDataLink.objects.filter(created_at__lt=expired_before).delete()
    token = secrets.token_urlsafe(32)
    PersonalDataLink.objects.create(
        email=email.strip().lower(), token_hash=personal_data_token_hash(token)
    )
    return token


def forget_personal_data_links(email: str) -> None:
    """The links to the data of an erased person go with it."""
    PersonalDataLink.objects.filter(email__iexact=email).delete()


def trace_erasure(obj: models.Model, summary: str, scope: models.Model | None = None) -> None:
    """The trace says that personal data went, never what it was."""
    record(None, "update", obj, summary=summary, changes={"fields": ["personal data"]}, scope=scope)


def erase_values(
    obj: models.Model,
    values: dict[str, Any],
    summary: str,
    scope: models.Model | None = None,
) -> None:
    """Overwrite the personal data of ``obj`` with ``values`` and trace it, under ``scope``
    so that its erasure appears beside its creation. Call it in the erasure's transaction,
    with the record locked."""
    type(obj)._default_manager.filter(pk=obj.pk).update(**values)
    trace_erasure(obj, summary, scope)


def erase_account(user: Any, summary: str) -> None:
    """An erased account keeps its number and username (the trace's actor label), nothing
    that identifies the person, and can never sign in again."""
    user.email = ""
    user.display_name = ""
    user.first_name = user.last_name = ""
    user.is_active = False
    user.erased_at = timezone.now()
    user.set_unusable_password()
    user.save()
    trace_erasure(user, summary)


# The second factor of staff (``traza.accounts.second_factor`` reads it): one-time links to
# set it up, its reset by an administrator, and the set-up itself. Traced without the
# token, the key or the address.

SECOND_FACTOR_LINK_HOURS = 24
# A new link is not sent when the owner asked for one this recently (it is on its way).
SECOND_FACTOR_RESEND_MINUTES = 10
SECOND_FACTOR_PURPOSE = "second_factor_enrol"


def enrolment_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def has_second_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _trace_second_factor(actor: Any, user: Any, summary: str, fields: list[str]) -> None:
    record(actor, "update", user, summary=summary, changes={"fields": fields})


def issue_enrolment(user: Any, actor: Any, *, reset: bool = False, send: bool = True) -> str:
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
        _close_second_factor_links(user)
        if reset:
            TOTPDevice.objects.filter(user=user).delete()
        SecondFactorEnrolment.objects.create(
            user=user,
            token_hash=enrolment_token_hash(token),
            expires_at=timezone.now() + dt.timedelta(hours=SECOND_FACTOR_LINK_HOURS),
            issued_by=actor_label(actor)[:150],
        )
        if send:
            enqueue_rendered(
                user.email,
                lambda: _("Set up your second factor for Traza"),
                "accounts/email/second_factor.txt",
                {"link": link, "hours": SECOND_FACTOR_LINK_HOURS, "username": user.get_username()},
                purpose=SECOND_FACTOR_PURPOSE,
                about=user,
            )
        with trace_language():
            if reset:
                summary = _("Second factor reset; a one-time link to set it up again was issued")
            else:
                summary = _("A one-time link to set up the second factor was issued")
        _trace_second_factor(actor, user, summary, ["second_factor"])
    return link


def request_enrolment(user: Any) -> bool:
    """The owner, signed in with a password, asks for a link by e-mail. Nothing happens when
    the account already has a second factor (an administrator resets it), has no address, or
    was sent a link a moment ago. Returns whether a link is on its way to the address."""
    if not user.is_staff or not user.email or has_second_factor(user):
        return False
    recent = timezone.now() - dt.timedelta(minutes=SECOND_FACTOR_RESEND_MINUTES)
    if SecondFactorEnrolment.objects.filter(
        user=user, used_at__isnull=True, created_at__gte=recent
    ).exists():
        return True
    issue_enrolment(user, user)
    return True


def reset_second_factor(actor: Any, user: Any, *, send: bool = True) -> str:
    """An administrator removes ``user``'s second factor (a lost phone, a departure) and
    issues a new link. Needs the permission to change accounts."""
    if not isinstance(actor, SystemActor):
        require_perm(actor, "accounts.change_user")
    return issue_enrolment(user, actor, reset=True, send=send)


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
        _trace_second_factor(locked.user, locked.user, summary, ["second_factor"])
    return device


def _close_second_factor_links(user: Any) -> None:
    """Links not used yet stop working, with the keys they were setting up."""
    open_links = SecondFactorEnrolment.objects.filter(user=user, used_at__isnull=True)
    TOTPDevice.objects.filter(
        pk__in=open_links.exclude(device=None).values("device"), confirmed=False
    ).delete()
    open_links.delete()
