"""The public repository of the process's documents (OGP standards 5a and 2.2) and the search
index over everything public."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from traza.core.text import shorten
from traza.plans.models import ActionPlan, Commitment


class DocumentKind(models.TextChoices):
    ACTION_PLAN = "action_plan", _("action plan")
    SELF_ASSESSMENT = "self_assessment", _("self-assessment")
    IRM_REPORT = "irm_report", _("IRM report")
    CONSULTATION = "consultation", _("consultation document")
    MINUTES = "minutes", _("minutes")
    METHODOLOGY = "methodology", _("methodology")
    RESOLUTION = "resolution", _("resolution")
    EVIDENCE = "evidence", _("evidence")
    OTHER = "other", _("other")


class Document(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    document_date = models.DateField(_("date of the document"), db_index=True)
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    event = models.ForeignKey(
        "cocreation.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )

    class Meta:
        ordering = ["-document_date", "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["plan", "kind"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("repository:document", args=[self.pk])

    def clean(self) -> None:
        """A document of an event or commitment belongs to that object's plan."""
        for related in (
            self.event if self.event_id else None,
            self.commitment if self.commitment_id else None,
        ):
            if related is None:
                continue
            if self.plan_id is None:
                self.plan_id = related.plan_id
            elif related.plan_id != self.plan_id:
                raise ValidationError(_("The event or commitment belongs to another action plan."))


class TextStatus(models.TextChoices):
    """Where a version's text stands: it is extracted after the upload, within limits
    (repository/text.py); a refused extraction keeps the file and says why."""

    PENDING = "pending", _("text not extracted yet")
    EXTRACTED = "extracted", _("text extracted")
    NO_TEXT = "no_text", _("no text is extracted from this type of file")
    TOO_LARGE = "too_large", _("text not extracted: the file needs more memory than allowed")
    TOO_SLOW = "too_slow", _("text not extracted: it took longer than allowed")
    UNREADABLE = "unreadable", _("text not extracted: the file could not be read")


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    text_status = models.CharField(
        _("text"),
        max_length=12,
        choices=TextStatus.choices,
        default=TextStatus.PENDING,
        editable=False,
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("added"), db_index=True)

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class SearchEntry(models.Model):
    """One public thing as the search sees it; kept current by signals (repository/signals.py)
    and rebuilt by ``traza reindex``. The full-text index lives beside it: a GIN-indexed
    tsvector on PostgreSQL, an FTS5 table on SQLite (migration 0002)."""

    kind = models.CharField(_("type"), max_length=20, db_index=True)
    object_id = models.PositiveBigIntegerField()
    plan = models.ForeignKey(
        ActionPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    theme = models.ForeignKey(
        "plans.Theme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=500)
    keywords = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")
        ]
        indexes = [models.Index(fields=["plan", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {shorten(self.title, 60)}"
