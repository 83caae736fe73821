from django.contrib.auth.models import AbstractUser
from django.db import models
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

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
