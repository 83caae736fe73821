"""Which state of the data each generated document shows.

A generated document (the action plan in OGP's template, the co-creation report…) is stored
in the repository as a version of a typed ``Document``; this table says, for each version,
which report it is, in which format and language, the checksum of its content (the text and
tables, without the volatile metadata of the file) and the newest trace event of the plan
it reflects. Regenerating unchanged data finds the same content checksum and stores nothing."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from traza.plans.models import ActionPlan
from traza.repository.models import Document, DocumentVersion


class Report(models.TextChoices):
    ACTION_PLAN = "action_plan", _("action plan in OGP's template")
    CO_CREATION = "co_creation", _("co-creation report")
    SELF_ASSESSMENT = "self_assessment", _("self-assessment report")
    ASSESSOR_TABLES = "assessor_tables", _("assessor's tables")


class Format(models.TextChoices):
    DOCX = "docx", "DOCX"
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"


class GeneratedVersion(models.Model):
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.PROTECT,
        related_name="generated_versions",
    )
    report = models.CharField(_("document"), max_length=20, choices=Report.choices)
    format = models.CharField(_("format"), max_length=5, choices=Format.choices)
    language = models.CharField(_("language"), max_length=10)
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.OneToOneField(
        DocumentVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="generated",
    )
    content_sha256 = models.CharField(_("checksum of the content"), max_length=64)
    trace_event_id = models.BigIntegerField(
        _("newest trace event reflected"),
        null=True,
        blank=True,
        help_text=_("The newest event of the plan's trace when the document was generated."),
    )
    generated_at = models.DateTimeField(_("generated"))

    class Meta:
        ordering = ["plan", "report", "format", "language", "-generated_at", "-id"]
        verbose_name = _("generated document version")
        verbose_name_plural = _("generated document versions")
        indexes = [models.Index(fields=["plan", "report", "format", "language"])]

    def __str__(self) -> str:
        return f"{self.get_report_display()} · {self.format} · {self.language} · {self.version}"
