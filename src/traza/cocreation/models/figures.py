"""Figures of the process as a report printed them (the proposals funnel and others)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from traza.plans.models import ActionPlan


class Measure(models.TextChoices):
    PROPOSALS_THEMATIC_TABLES = "proposals_thematic_tables", _("proposals from thematic tables")
    PROPOSALS_REGIONAL_WORKSHOPS = (
        "proposals_regional_workshops",
        _("additional proposals from regional workshops"),
    )
    PROPOSALS_NATIONAL_TABLES = "proposals_national_tables", _("proposals kept at national tables")
    COMMITMENTS_IN_PLAN = "commitments_in_plan", _("commitments in the approved plan")
    PARTICIPANTS = "participants", _("persons who took part")
    ORGANISATIONS_BY_TYPE = "organisations_by_type", _("participating entities by type")
    CSO_BY_TYPE = "cso_by_type", _("civil-society organisations by type")
    CONSULTATION_VISITS = "consultation_visits", _("visits to the virtual consultation")
    CONSULTATION_CONTRIBUTIONS = (
        "consultation_contributions",
        _("contributions to the virtual consultation"),
    )
    FULFILMENT_PERCENT = "fulfilment_percent", _("fulfilment: share of milestones complete (%)")


# The stages of the proposals funnel, in order; the first two add up.
FUNNEL_MEASURES = [
    Measure.PROPOSALS_THEMATIC_TABLES,
    Measure.PROPOSALS_REGIONAL_WORKSHOPS,
    Measure.PROPOSALS_NATIONAL_TABLES,
    Measure.COMMITMENTS_IN_PLAN,
]


def validate_breakdown(value) -> None:
    ok = isinstance(value, list) and all(
        isinstance(row, list)
        and len(row) == 2
        and isinstance(row[0], str)
        and row[0].strip()
        and isinstance(row[1], int)
        and not isinstance(row[1], bool)
        and row[1] >= 0
        for row in value
    )
    if not ok:
        raise ValidationError(
            _("The breakdown is a list of [label, count] pairs with whole counts of zero or more.")
        )


class ReportedFigure(models.Model):
    """A figure of the process as a report printed it, when the records behind it are not
    in Traza (seed 002's tables, the IRM's counts). Its source is always named, and two
    sources that disagree are both kept."""

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="reported_figures",
    )
    key = models.SlugField(_("key"), max_length=120, help_text=_("Unique within the plan."))
    measure = models.CharField(_("measure"), max_length=40, choices=Measure.choices)
    total = models.PositiveIntegerField(_("total"))
    breakdown = models.JSONField(
        _("breakdown"), default=list, blank=True, validators=[validate_breakdown]
    )
    source = models.CharField(_("source"), max_length=300)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["plan", "measure", "key"]
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="reported_figure_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.total} ({self.source})"

    def clean(self) -> None:
        if isinstance(self.breakdown, list) and self.breakdown:
            try:
                parts = sum(row[1] for row in self.breakdown)
            except (TypeError, IndexError):
                return
            if parts != self.total:
                raise ValidationError(
                    {
                        "breakdown": _(
                            "The breakdown adds up to %(parts)s, not to the total %(total)s."
                        )
                        % {"parts": parts, "total": self.total}
                    }
                )

    def rows(self) -> list[tuple[str, int, float]]:
        """Label, count and share with one decimal, as seed 002 prints its tables."""
        return [
            (label, n, round(100 * n / self.total, 1) if self.total else 0.0)
            for label, n in self.breakdown
        ]
