"""Seconds: participants supporting a contribution."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from traza.cocreation.models.contributions import Contribution


class Second(models.Model):
    """A participant seconds ("secunda") a contribution. Only the count is public."""

    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="seconds",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organization = models.CharField(_("organisation"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        ordering = ["contribution", "created_at"]
        verbose_name = _("second")
        verbose_name_plural = _("seconds")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "email"],
                name="one_second_per_person",
                violation_error_message=_("You have already seconded this contribution."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.contribution} +1"
