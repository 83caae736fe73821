"""Progress on milestones, reported by the institutions that carry them out, with evidence,
reviewed by the secretariat before it is public."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traza.plans.models import Milestone, Organization


class Officer(models.Model):
    """An account that reports progress for an organisation (an institution officer)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="officer_of",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="officers",
    )

    class Meta:
        verbose_name = _("institution officer")
        verbose_name_plural = _("institution officers")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="officer_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization}"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETE = "complete", _("complete")


class Review(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for review")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned")


class ProgressReport(models.Model):
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    status = models.CharField(_("status"), max_length=20, choices=MilestoneStatus.choices)
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    narrative = models.TextField(_("what was done"))
    fact_date = models.DateField(_("date of the fact"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("reporting organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), db_index=True)
    review = models.CharField(
        _("review"), max_length=12, choices=Review.choices, default=Review.SUBMITTED
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["milestone", "-fact_date", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        indexes = [models.Index(fields=["milestone", "review"])]
        permissions = [
            ("review_progressreport", _("Can review progress reports")),
            ("report_for_any_organization", _("Can report progress for any organisation")),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} · {self.percent} %"

    def clean(self) -> None:
        if self.fact_date and self.fact_date > timezone.localdate():
            raise ValidationError({"fact_date": _("The date of a fact cannot be in the future.")})
        if self.percent is not None and self.percent > 100:
            raise ValidationError({"percent": _("Progress is a percentage from 0 to 100.")})
        if self.status == MilestoneStatus.COMPLETE and self.percent != 100:
            raise ValidationError({"percent": _("A complete milestone is at 100 %.")})
        if self.status == MilestoneStatus.NOT_STARTED and self.percent:
            raise ValidationError({"percent": _("A milestone not started is at 0 %.")})
        if self.review == Review.RETURNED and not self.review_comment.strip():
            raise ValidationError(
                {"review_comment": _("Say what to correct when you return a report.")}
            )


class ProgressEvidence(models.Model):
    """A file (checked, with its SHA-256) or a link proving a progress report."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="progress/%Y/%m/", blank=True)
    url = models.URLField(_("link"), blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("progress evidence")
        verbose_name_plural = _("progress evidence")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if bool(self.file) == bool(self.url):
            raise ValidationError(_("Give either a file or a link."))
