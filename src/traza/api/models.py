"""Tokens for staff integrations that write through the API (imports). Only a hash of the
token is stored; the token itself is shown once, when it is created."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PREFIX = "traza_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the integration is."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("last characters"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} (…{self.hint})"

    @classmethod
    def issue(cls, user, name: str, actor=None) -> tuple["ApiToken", str]:
        """A new token, traced: see :func:`traza.api.services.issue_token`."""
        from traza.api.services import issue_token

        return issue_token(user, name, actor)
