"""Response templates: the reusable texts of the workbench, with placeholders filled in for
each person (see :mod:`traza.workbench.templating`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from traza.cocreation.models import Outcome


class ResponseTemplate(models.Model):
    """A reusable response text; its placeholders are filled in for each contribution."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    outcome = models.CharField(
        _("for the outcome"),
        max_length=20,
        choices=Outcome.choices,
        blank=True,
        help_text=_("Offered first for this outcome; empty: for any."),
    )
    body = models.TextField(
        _("text"),
        help_text=_(
            "Placeholders: {nombre} (the author's name when they agreed to show it), "
            "{cita} (a quote of the contribution), {enlace_compromiso} (the commitment's "
            "link), {compromiso} (its title), {entidad} (the entity it was forwarded to), "
            "{enlace_aporte} (the contribution's public page)."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")

    def __str__(self) -> str:
        return self.name


class TriageRun(models.Model):
    """The latest proposals of the triage engine for a plan (groups, near-duplicates, theme
    and commitment suggestions), computed on request and stored, so the workbench reads
    them instead of recomputing them on every page. Nothing in it is applied: a person
    decides. ``fingerprint`` tells whether the plan's contributions changed since."""

    plan = models.OneToOneField(
        "plans.ActionPlan",
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="triage_run",
    )
    computed_at = models.DateTimeField(_("computed"))
    contributions = models.PositiveIntegerField(_("contributions read"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    seconds = models.FloatField(_("seconds taken"))
    result = models.JSONField(_("result"), default=dict)

    class Meta:
        verbose_name = _("triage run")
        verbose_name_plural = _("triage runs")

    def __str__(self) -> str:
        return f"{self.plan} @ {self.computed_at:%Y-%m-%d %H:%M}"


class MatrixImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("uploaded")
    CHECKED = "checked", _("checked (dry run)")
    IMPORTED = "imported", _("imported")
    REFUSED = "refused", _("refused")


class MatrixImport(models.Model):
    """A secretariat's spreadsheet of contributions and responses, on its way in: uploaded,
    its columns mapped, checked by a dry run, then imported all at once (or refused). The
    file is kept with its checksum, so what was imported can be shown later."""

    plan = models.ForeignKey(
        "plans.ActionPlan",
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="matrix_imports",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    file = models.FileField(_("file"), upload_to="matrices/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MatrixImportStatus.choices,
        default=MatrixImportStatus.UPLOADED,
    )
    report = models.JSONField(_("dry-run report"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("matrix import")
        verbose_name_plural = _("matrix imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
