from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account. Roles arrive as groups and object permissions."""

    email = models.EmailField(_("e-mail address"), blank=True)
    display_name = models.CharField(
        _("public name"),
        max_length=150,
        blank=True,
        help_text=_("The name shown publicly beside this person's contributions, if any."),
    )
    consent_text = models.TextField(_("consent given"), blank=True)
    consented_at = models.DateTimeField(_("consent date"), null=True, blank=True)
    erased_at = models.DateTimeField(
        _("erased"),
        null=True,
        blank=True,
        help_text=_("The person asked for erasure: their data was replaced by a pseudonym."),
    )
    awaiting_verification = models.BooleanField(
        _("e-mail address not verified yet"),
        default=False,
        help_text=_(
            "Made by sign-up and not activated from its e-mail yet. It does not reserve the "
            "address: whoever shows they receive its mail (a new sign-up's link, or a "
            "password reset) takes the account."
        ),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")


class SecondFactorEnrolment(models.Model):
    """A one-time link to set up a staff account's second factor, e-mailed to its owner (or
    issued by an administrator). Only the SHA-256 of the link's token is kept; the link works
    once, before it expires, and only in a session of the same account."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="second_factor_enrolments"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.CharField(max_length=150, blank=True)
    # the key being set up, shown only on the link's page (None until the owner opens it)
    device = models.ForeignKey(
        "otp_totp.TOTPDevice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("second-factor enrolment link")
        verbose_name_plural = _("second-factor enrolment links")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"


class PersonalDataLink(models.Model):
    """A link e-mailed to someone to see, download or erase the data held under an address.
    The link carries only a random token; just its SHA-256 is kept. It works for a day and
    goes with the data when they are erased."""

    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("link to one's data")
        verbose_name_plural = _("links to one's data")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"
