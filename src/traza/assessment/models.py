"""IRM-style ratings of commitments, in both IRM methodologies (OGP-RULES.md §1).

What the IRM derives (relevant, potentially starred, starred) is never typed: see rules.py.
"""

from collections.abc import Callable, Sequence

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from traza.core.text import shorten
from traza.plans.models import ActionPlan, Commitment, Milestone


class Methodology(models.TextChoices):
    A_2014 = "A_2014", _("IRM 2014-2016")
    A_2017 = "A_2017", _("IRM 2017-2020")
    B_2021 = "B_2021", _("IRM Refresh (2021 and later)")


GENERATION_A = [Methodology.A_2014, Methodology.A_2017]


class ReportStage(models.TextChoices):
    DESIGN = "design", _("design report")
    PROGRESS = "progress", _("progress report")
    END_OF_TERM = "end_of_term", _("end-of-term report")
    IMPLEMENTATION = "implementation", _("implementation report")
    APR = "apr", _("action plan review")
    RESULTS = "results", _("results report")


STAGES_A = [
    ReportStage.DESIGN,
    ReportStage.PROGRESS,
    ReportStage.END_OF_TERM,
    ReportStage.IMPLEMENTATION,
]
STAGES_B = [ReportStage.APR, ReportStage.RESULTS]


class Verifiability(models.TextChoices):
    NOT_SPECIFIC = "not_specific", _("not specific enough to be verifiable")
    SPECIFIC = "specific", _("specific enough to be verifiable")


class PotentialImpact(models.TextChoices):
    NONE = "none", _("none")
    MINOR = "minor", _("minor")
    MODERATE = "moderate", _("moderate")
    TRANSFORMATIVE = "transformative", _("transformative")


class Completion(models.TextChoices):
    NO_EVIDENCE = "no_evidence", _("no evidence available")
    NOT_STARTED = "not_started", _("not started")
    LIMITED = "limited", _("limited")
    SUBSTANTIAL = "substantial", _("substantial")
    COMPLETE = "complete", _("complete")


class Diog(models.TextChoices):
    WORSENED = "worsened", _("worsened")
    DID_NOT_CHANGE = "did_not_change", _("did not change")
    MARGINAL = "marginal", _("marginal")
    MAJOR = "major", _("major")
    OUTSTANDING = "outstanding", _("outstanding")


class Verifiable(models.TextChoices):
    VERIFIABLE = "verifiable", _("verifiable")
    NOT_VERIFIABLE = "not_verifiable", _("not verifiable")


class PotentialForResults(models.TextChoices):
    UNCLEAR = "unclear", _("unclear")
    MODEST = "modest", _("modest")
    SUBSTANTIAL = "substantial", _("substantial")


class EarlyResults(models.TextChoices):
    NO_NOTABLE_RESULTS = "no_notable_results", _("no notable results")
    MARGINAL = "marginal", _("marginal")
    MODERATE = "moderate", _("moderate")
    SIGNIFICANT = "significant", _("significant")
    OUTSTANDING = "outstanding", _("outstanding")


# Indicators of each generation; a rating fills only those of its methodology.
INDICATORS_A = [
    "verifiability",
    "access_to_information",
    "civic_participation",
    "public_accountability",
    "technology_innovation",
    "potential_impact",
    "completion",
    "diog",
]
INDICATORS_B = [
    "verifiable",
    "open_government_lens",
    "potential_for_results",
    "promising",
    "completion",
    "early_results",
]


class Rating(models.Model):
    """The IRM's judgement of one commitment (or one of its milestones) in one report."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="ratings"
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    methodology = models.CharField(_("methodology"), max_length=10, choices=Methodology.choices)
    stage = models.CharField(_("report"), max_length=20, choices=ReportStage.choices)
    # generation A
    verifiability = models.CharField(
        _("verifiability"), max_length=20, choices=Verifiability.choices, blank=True
    )
    access_to_information = models.BooleanField(_("access to information"), default=False)
    civic_participation = models.BooleanField(_("civic participation"), default=False)
    public_accountability = models.BooleanField(_("public accountability"), default=False)
    technology_innovation = models.BooleanField(_("technology and innovation"), default=False)
    relevance_assessed = models.BooleanField(
        _("relevance assessed"),
        default=True,
        help_text=_("Off when the source left relevance unassessed (OGP's ND, NR, NA)."),
    )
    potential_impact = models.CharField(
        _("potential impact"), max_length=20, choices=PotentialImpact.choices, blank=True
    )
    diog = models.CharField(
        _("did it open government?"), max_length=20, choices=Diog.choices, blank=True
    )
    # generation B
    verifiable = models.CharField(
        _("verifiable"), max_length=20, choices=Verifiable.choices, blank=True
    )
    open_government_lens = models.BooleanField(_("open-government lens"), null=True, blank=True)
    potential_for_results = models.CharField(
        _("potential for results"), max_length=20, choices=PotentialForResults.choices, blank=True
    )
    promising = models.BooleanField(_("promising"), null=True, blank=True)
    early_results = models.CharField(
        _("early results"), max_length=30, choices=EarlyResults.choices, blank=True
    )
    # both
    completion = models.CharField(
        _("completion"), max_length=20, choices=Completion.choices, blank=True
    )
    awards_stars = models.BooleanField(
        _("the report awards stars"),
        default=True,
        help_text=_(
            "Off when the report awarded no stars (OGP's data leaves the star ND or NR, as for "
            "the transitional results reports): the star is then unknown, not false."
        ),
    )
    narratives = models.JSONField(
        _("narratives"), default=dict, blank=True, help_text=_("One text per indicator.")
    )
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("Links or references."))
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["commitment", "milestone", "stage"]
        verbose_name = _("IRM rating")
        verbose_name_plural = _("IRM ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "stage", "methodology"],
                condition=Q(milestone__isnull=True),
                name="one_commitment_rating_per_report",
            ),
            models.UniqueConstraint(
                fields=["milestone", "stage", "methodology"],
                condition=Q(milestone__isnull=False),
                name="one_milestone_rating_per_report",
            ),
        ]
        indexes = [models.Index(fields=["stage", "methodology"])]

    def __str__(self) -> str:
        target = self.milestone or self.commitment
        return f"{target} · {self.get_stage_display()}"

    def clean(self) -> None:
        errors = {}
        if self.milestone_id and self.milestone.commitment_id != self.commitment_id:
            errors["milestone"] = _("The milestone belongs to another commitment.")
        generation_a = self.methodology in GENERATION_A
        if self.stage and self.methodology:
            if generation_a and self.stage not in STAGES_A:
                errors["stage"] = _("This report does not exist in the 2014-2020 methodology.")
            if not generation_a and self.stage not in STAGES_B:
                errors["stage"] = _("This report does not exist in the 2021 methodology.")
        foreign = INDICATORS_B if generation_a else INDICATORS_A
        for name in foreign:
            if name == "completion":
                continue
            value = getattr(self, name)
            if value not in ("", None, False):
                errors[name] = _("This indicator belongs to the other IRM methodology.")
        if (
            generation_a
            and self.completion == Completion.NO_EVIDENCE
            and self.methodology != Methodology.A_2017
        ):
            errors["completion"] = _("“No evidence” exists only from 2017 on.")
        if not generation_a and self.verifiable == Verifiable.NOT_VERIFIABLE:
            # the IRM does not assess a commitment it cannot verify any further
            for name in ("open_government_lens", "potential_for_results", "promising"):
                if getattr(self, name) not in ("", None):
                    errors[name] = _("A commitment that is not verifiable is not assessed further.")
        if not isinstance(self.narratives, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in (self.narratives or {}).items()
        ):
            errors["narratives"] = _("Narratives are texts by indicator.")
        if errors:
            raise ValidationError(errors)


class RecommendationFollowUp(models.Model):
    """Whether an earlier IRM recommendation was addressed and integrated (seed 000, Table 5.2)."""

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="recommendation_followups",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    recommendation = models.TextField(_("recommendation"))
    addressed = models.BooleanField(_("addressed"))
    integrated = models.BooleanField(_("integrated into the plan"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("follow-up of an IRM recommendation")
        verbose_name_plural = _("follow-up of IRM recommendations")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="followup_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {shorten(self.recommendation, 80)}"


OverrideVocabulary = Callable[[str], Sequence[str] | None]
_override_vocabulary: list[OverrideVocabulary] = []


def set_override_vocabulary(vocabulary: OverrideVocabulary) -> None:
    """Tell ProcessOverride what an override of a subject may say (None: unknown subject).

    The standards engine reads this model, so the model does not import the engine: the
    engine's vocabulary is set here once, from AssessmentConfig.ready()."""
    _override_vocabulary[:] = [vocabulary]


def override_values(subject: str) -> Sequence[str] | None:
    if not _override_vocabulary:
        raise ImproperlyConfigured("The standards engine has not set the override vocabulary.")
    return _override_vocabulary[0](subject)


class ProcessOverride(models.Model):
    """An assessor's reading of a standard, of the level of public influence or of the
    "acted contrary to process" verdict, when the computed one is wrong; always justified,
    shown beside the computed value."""

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="process_overrides",
    )
    subject = models.CharField(
        _("what is overridden"),
        max_length=40,
        help_text=_(
            "A standard (2017:1a … 2017:5a, 2021:1.1 … 2021:5.1), influence:development, "
            "influence:implementation or contrary."
        ),
    )
    value = models.CharField(_("value"), max_length=20)
    justification = models.TextField(_("justification"))
    decided_on = models.DateField(_("decided on"))

    class Meta:
        ordering = ["plan", "subject"]
        verbose_name = _("assessor's override")
        verbose_name_plural = _("assessor's overrides")
        constraints = [
            models.UniqueConstraint(fields=["plan", "subject"], name="process_override_once")
        ]
        permissions = [
            ("receive_process_warnings", _("Receives warnings when a requirement is at risk")),
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.value}"

    def clean(self) -> None:
        if not (self.justification or "").strip():
            raise ValidationError(
                {"justification": _("An override needs a written justification.")}
            )
        allowed = override_values(self.subject)
        if allowed is None:
            raise ValidationError(
                {
                    "subject": _("Unknown standard or verdict: %(subject)s")
                    % {"subject": self.subject}
                }
            )
        if self.value not in allowed:
            raise ValidationError(
                {"value": _("Choose one of: %(values)s") % {"values": ", ".join(allowed)}}
            )


class PublishedTable(models.TextChoices):
    """The IRM's tables whose printed figures an assessor can record (Annex I verdicts are
    recorded as the assessor's verdicts on the process page: ``ProcessOverride``)."""

    DESIGN = "design", _("at a glance, design report")
    IMPLEMENTATION = "implementation", _("at a glance, implementation or end-of-term report")
    APR = "apr", _("action plan review")
    RESULTS = "results", _("results report")


AT_A_GLANCE_KEYS = (
    "commitments",
    "relevant",
    "transformative",
    "potentially_starred",
    "starred",
    "completed",
    "diog_major",
    "diog_outstanding",
)
PUBLISHED_KEYS: dict[str, tuple[str, ...]] = {
    PublishedTable.DESIGN: AT_A_GLANCE_KEYS,
    PublishedTable.IMPLEMENTATION: AT_A_GLANCE_KEYS,
    PublishedTable.APR: (
        "commitments",
        "verifiable",
        "open_government_lens",
        "potential_substantial",
        "potential_modest",
        "potential_unclear",
        "promising",
    ),
    PublishedTable.RESULTS: (
        "commitments",
        *(f"completion_{level}" for level in reversed(Completion.values)),
        *(f"early_results_{level}" for level in reversed(EarlyResults.values)),
    ),
}


class PublishedFigure(models.Model):
    """One cell of a table the IRM published, as printed, with its source: Traza shows it
    beside the figure it computes from the ratings and says why they differ."""

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="irm_published_figures",
    )
    table = models.CharField(_("IRM table"), max_length=20, choices=PublishedTable.choices)
    key = models.CharField(
        _("row"),
        max_length=40,
        help_text=_(
            "At a glance: commitments, relevant, transformative, potentially_starred, starred, "
            "completed, diog_major, diog_outstanding. Action plan review: commitments, "
            "verifiable, open_government_lens, potential_substantial, potential_modest, "
            "potential_unclear, promising. Results report: commitments, completion_<level>, "
            "early_results_<level>."
        ),
    )
    value = models.PositiveIntegerField(
        _("number"), null=True, blank=True, help_text=_("Empty when the IRM printed “N/A”.")
    )
    percent = models.PositiveSmallIntegerField(
        _("percentage"), null=True, blank=True, help_text=_("As printed, when printed.")
    )
    printed = models.CharField(
        _("as printed"), max_length=60, blank=True, help_text=_("The cell's text, e.g. “16 (89%)”.")
    )
    star_rule = models.CharField(
        _("star rule of the report"),
        max_length=4,
        blank=True,
        choices=[("2014", "2014"), ("2017", "2017")],
        help_text=_("The edition of the star rule the report applied, when it says."),
    )
    source = models.CharField(_("source"), max_length=300)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["plan", "table", "id"]
        verbose_name = _("figure published by the IRM")
        verbose_name_plural = _("figures published by the IRM")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "table", "key"], name="published_figure_once_per_table"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_table_display()} · {self.key}"

    def clean(self) -> None:
        errors = {}
        keys = PUBLISHED_KEYS.get(self.table)
        if keys is not None and self.key not in keys:
            errors["key"] = _("Choose one of: %(values)s") % {"values": ", ".join(keys)}
        if self.percent is not None and self.percent > 100:
            errors["percent"] = _("A percentage is at most 100.")
        if self.percent is not None and self.value is None:
            errors["percent"] = _("A percentage needs its number.")
        if not (self.source or "").strip():
            errors["source"] = _("Name the report the figure is printed in.")
        if errors:
            raise ValidationError(errors)
