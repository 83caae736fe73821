"""The frequently asked questions the secretariat answers once for everyone."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FaqEntry(models.Model):
    """A question the secretariat answers once for everyone (seed 000 asks for a FAQ)."""

    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")

    def __str__(self) -> str:
        return self.question
