"""Progress on milestones, reported by the institutions that carry them out, with evidence,
reviewed by the secretariat before it is public."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traza.plans.models import ActionPlan, Commitment, IndicatorLevel, Milestone, Organization


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
        blank=True,
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


class Indicator(models.Model):
    """What a commitment or one of its milestones is measured by: its level (activity, output,
    outcome, impact), where it started and where it should arrive, with dated measurements."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    key = models.SlugField(
        _("key"), max_length=80, help_text=_("Unique within its commitment or milestone.")
    )
    name = models.CharField(_("indicator"), max_length=500)
    level = models.CharField(_("level"), max_length=10, choices=IndicatorLevel.choices)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline = models.CharField(_("baseline"), max_length=300, blank=True)
    baseline_value = models.DecimalField(
        _("baseline (number)"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target = models.CharField(_("target"), max_length=300, blank=True)
    target_value = models.DecimalField(
        _("target (number)"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(commitment__isnull=True, milestone__isnull=False)
                | Q(commitment__isnull=False, milestone__isnull=True),
                name="indicator_has_one_owner",
            ),
            models.UniqueConstraint(
                fields=["commitment", "key"],
                condition=Q(commitment__isnull=False),
                name="indicator_key_per_commitment",
            ),
            models.UniqueConstraint(
                fields=["milestone", "key"],
                condition=Q(milestone__isnull=False),
                name="indicator_key_per_milestone",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner_commitment(self) -> Commitment:
        return self.commitment if self.commitment_id else self.milestone.commitment

    def clean(self) -> None:
        if bool(self.commitment_id) == bool(self.milestone_id):
            raise ValidationError(_("An indicator belongs to a commitment or to a milestone."))
        if self.baseline_date and self.target_date and self.target_date < self.baseline_date:
            raise ValidationError(
                {"target_date": _("The target date cannot be before the baseline date.")}
            )


class Measurement(models.Model):
    """A dated value of an indicator. Sent with a progress report it is public once the report
    is accepted; entered by the secretariat it is public at once."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="measurements",
    )

    class Meta:
        ordering = ["indicator", "measured_on", "id"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        indexes = [models.Index(fields=["indicator", "measured_on"])]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.measured_on}: {self.value.normalize():f}"

    def clean(self) -> None:
        if self.measured_on and self.measured_on > timezone.localdate():
            raise ValidationError({"measured_on": _("A measurement cannot be in the future.")})


class Completion(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    LIMITED = "limited", _("limited")
    SUBSTANTIAL = "substantial", _("substantial")
    COMPLETE = "complete", _("complete")


class CompletionOverride(models.Model):
    """The secretariat's reading of a commitment's completion when the computed suggestion
    does not tell the truth (a milestone dropped, a deliverable that exists but was not
    reported). The suggestion stays visible beside it, with the reason."""

    commitment = models.OneToOneField(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="completion_override",
    )
    level = models.CharField(_("completion"), max_length=12, choices=Completion.choices)
    reason = models.TextField(_("reason"))
    decided_on = models.DateField(_("decided on"))

    class Meta:
        verbose_name = _("completion override")
        verbose_name_plural = _("completion overrides")

    def __str__(self) -> str:
        return f"{self.commitment}: {self.get_level_display()}"

    def clean(self) -> None:
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Say why the computed completion is overridden.")})


class SelfAssessmentKind(models.TextChoices):
    MID_TERM = "mid_term", _("mid-term self-assessment")
    FINAL = "final", _("final self-assessment")


class SelfAssessment(models.Model):
    """The government's self-assessment report, generated from the data at a date and frozen,
    so that everyone comments on the same text; public comments are contributions that get
    reasoned responses."""

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.PROTECT,
        related_name="self_assessments",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SelfAssessmentKind.choices)
    generated_at = models.DateTimeField(_("generated"))
    content = models.JSONField(_("content"))
    introduction = models.TextField(_("introduction"), blank=True)
    comments_open_on = models.DateField(_("comments open"))
    comments_close_on = models.DateField(_("comments close"))

    class Meta:
        ordering = ["plan", "generated_at"]
        verbose_name = _("self-assessment report")
        verbose_name_plural = _("self-assessment reports")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="self_assessment_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.plan}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:self_assessment", args=[self.pk])

    @property
    def comment_days(self) -> int:
        return (self.comments_close_on - self.comments_open_on).days + 1

    def open_for_comments(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.comments_open_on <= today <= self.comments_close_on

    def clean(self) -> None:
        minimum = settings.TRAZA_SELF_ASSESSMENT_COMMENT_DAYS
        opens, closes = self.comments_open_on, self.comments_close_on
        if opens and closes and (closes - opens).days + 1 < minimum:
            raise ValidationError(
                {
                    "comments_close_on": _(
                        "The public comment period lasts at least %(days)d days."
                    )
                    % {"days": minimum}
                }
            )
