"""Evidence: the files and links that prove what happened at an event or with a contribution."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from traza.cocreation.models._common import HIDDEN
from traza.cocreation.models.contributions import Contribution
from traza.cocreation.models.events import Event


class EvidenceKind(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    PHOTO = "photo", _("photo")
    AUDIO = "audio", _("audio")
    VIDEO = "video", _("video")
    DATA = "data", _("data (CSV)")
    PRESENTATION = "presentation", _("presentation")
    OTHER = "other", _("other document")


class EvidenceQuerySet(models.QuerySet):
    def public(self):
        """Not private, and not attached to a contribution whose message moderation hid."""
        return self.filter(is_private=False).exclude(contribution__discussion_post__status=HIDDEN)


class Evidence(models.Model):
    """A file or a link that proves what happened at an event or with a contribution."""

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True)
    url = models.URLField(_("link"), blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    is_private = models.BooleanField(
        _("private"), default=False, help_text=_("Private evidence is kept but never published.")
    )
    uploaded_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(event__isnull=False) & models.Q(contribution__isnull=True))
                | (models.Q(event__isnull=True) & models.Q(contribution__isnull=False)),
                name="evidence_belongs_to_one_object",
                violation_error_message=_("Attach the evidence to one event or one contribution."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The file through Traza's checked download, or the link as given."""
        return reverse("cocreation:evidence", args=[self.pk]) if self.file else self.url

    def clean(self) -> None:
        if bool(self.file) == bool(self.url):
            raise ValidationError(_("Give either a file or a link."))
