"""Members, organisations, themes, action plans, commitments, milestones and versions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from traza.core.text import shorten


def check_date_order(start, end, start_field: str, end_field: str) -> None:
    if start and end and end < start:
        raise ValidationError({end_field: _("The end date cannot be before the start date.")})


class Member(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "national", _("national")
        LOCAL = "local", _("local")

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NATIONAL)
    member_since = models.PositiveSmallIntegerField(_("OGP member since"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("OGP member")
        verbose_name_plural = _("OGP members")

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    class Sector(models.TextChoices):
        PUBLIC = "public", _("public sector")
        CIVIL_SOCIETY = "civil_society", _("civil society")
        OTHER = "other", _("other")

    class CivilSocietyType(models.TextChoices):
        NGO = "ngo", _("NGO")
        ACADEMIA = "academia", _("academia")
        PRIVATE_COMPANY = "private_company", _("private company")
        INTERNATIONAL_COOPERATION = "international_cooperation", _("international cooperation")
        GRASSROOTS = "grassroots", _("grassroots organisation")
        OTHER = "other", _("other")

    slug = models.SlugField(_("key"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=300, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    civil_society_type = models.CharField(
        _("civil-society type"), max_length=30, choices=CivilSocietyType.choices, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(civil_society_type="") | Q(sector="civil_society"),
                name="organization_cs_type_only_for_civil_society",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.civil_society_type and self.sector != self.Sector.CIVIL_SOCIETY:
            raise ValidationError(
                {"civil_society_type": _("Only civil-society organisations have a type.")}
            )


class Officer(models.Model):
    """An account that reports progress and answers officially for an organisation (an
    institution officer). Its table keeps the name it had in monitoring."""

    # Declared on monitoring's progress reports (the codename lives in the database and in the
    # roles): whoever holds it speaks for every organisation.
    SPEAKS_FOR_ANY = "monitoring.report_for_any_organization"

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
        db_table = "monitoring_officer"
        verbose_name = _("institution officer")
        verbose_name_plural = _("institution officers")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="officer_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization}"

    @classmethod
    def speaks_for(cls, user, organization: Organization) -> bool:
        """Whether ``user`` may report and answer on behalf of ``organization``: one of its
        officers, or someone who speaks for every organisation (the secretariat)."""
        if user.has_perm(cls.SPEAKS_FOR_ANY):
            return True
        return cls.objects.filter(user=user, organization=organization).exists()


class Theme(models.Model):
    slug = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    PREPARATORY = "preparatory", _("preparatory")
    CO_CREATION = "co_creation", _("co-creation")
    APPROVAL = "approval", _("approval")
    IMPLEMENTATION = "implementation", _("implementation")
    CLOSED = "closed", _("closed")


class ActionPlan(models.Model):
    member = models.ForeignKey(
        Member, verbose_name=_("OGP member"), on_delete=models.PROTECT, related_name="plans"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.PREPARATORY
    )
    preparatory_starts_on = models.DateField(_("preparatory stage starts"), null=True, blank=True)
    co_creation_starts_on = models.DateField(_("co-creation starts"), null=True, blank=True)
    co_creation_ends_on = models.DateField(_("co-creation ends"), null=True, blank=True)
    implementation_starts_on = models.DateField(_("implementation starts"), null=True, blank=True)
    implementation_ends_on = models.DateField(_("implementation ends"), null=True, blank=True)
    approval_instrument = models.CharField(_("approval instrument"), max_length=200, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    reported_commitment_count = models.PositiveSmallIntegerField(
        _("reported number of commitments"),
        null=True,
        blank=True,
        help_text=_(
            "For plans kept as history without their commitments: the number the sources give."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)
    is_fictional = models.BooleanField(
        _("fictional demonstration data"),
        default=False,
        help_text=_(
            "Invented to show how Traza works (the living demo): every page of the plan and "
            "its objects says so, and the open data marks it."
        ),
    )

    class Meta:
        ordering = ["member__name", "number"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.UniqueConstraint(fields=["member", "number"], name="plan_number_unique"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="plan_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", args=[self.pk])

    @property
    def period(self) -> str:
        return f"{self.period_start}-{self.period_end}"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The last year cannot be before the first.")})
        check_date_order(
            self.co_creation_starts_on,
            self.co_creation_ends_on,
            "co_creation_starts_on",
            "co_creation_ends_on",
        )
        check_date_order(
            self.implementation_starts_on,
            self.implementation_ends_on,
            "implementation_starts_on",
            "implementation_ends_on",
        )


class OgpValue(models.TextChoices):
    ACCESS_TO_INFORMATION = "access_to_information", _("access to information")
    CIVIC_PARTICIPATION = "civic_participation", _("civic participation")
    PUBLIC_ACCOUNTABILITY = "public_accountability", _("public accountability")
    TECHNOLOGY_INNOVATION = (
        "technology_innovation",
        _("technology and innovation for transparency and accountability"),
    )


class CommitmentStatus(models.TextChoices):
    PROPOSAL = "proposal", _("proposal")
    DISCARDED = "discarded", _("discarded")
    APPROVED = "approved", _("approved")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CLOSED = "closed", _("closed")


# Commitments that made it into an approved plan (what "number of commitments" counts).
ADOPTED_STATUSES = [CommitmentStatus.APPROVED, CommitmentStatus.WITHDRAWN, CommitmentStatus.CLOSED]


class Commitment(models.Model):
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=400)
    summary = models.TextField(_("summary"), blank=True)
    problem = models.TextField(_("public problem"), blank=True)
    status_quo = models.TextField(_("status quo"), blank=True)
    change_sought = models.TextField(_("change sought"), blank=True)
    contribution = models.TextField(_("how it contributes to solving the problem"), blank=True)
    origin = models.TextField(_("origin"), blank=True)
    lead_organization = models.ForeignKey(
        Organization,
        verbose_name=_("lead institution"),
        on_delete=models.PROTECT,
        related_name="led_commitments",
        null=True,
        blank=True,
    )
    supporting_organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("supporting organisations"),
        related_name="supported_commitments",
        blank=True,
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        related_name="commitments",
        null=True,
        blank=True,
    )
    access_to_information = models.BooleanField(_("access to information"), default=False)
    civic_participation = models.BooleanField(_("civic participation"), default=False)
    public_accountability = models.BooleanField(_("public accountability"), default=False)
    technology_innovation = models.BooleanField(_("technology and innovation"), default=False)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.PROPOSAL,
        db_index=True,
    )
    notes = models.TextField(_("notes"), blank=True)
    origin_event = models.ForeignKey(
        "cocreation.Event",
        verbose_name=_("proposed at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        help_text=_("The thematic table or regional workshop where the proposal was born."),
    )
    ogp_id = models.CharField(
        _("OGP identifier"),
        max_length=40,
        blank=True,
        db_index=True,
        help_text=_("The commitment's identifier in OGP's data, e.g. PE0045."),
    )
    decision_reason = models.TextField(
        _("reasoned decision"),
        blank=True,
        help_text=_("Why the proposal was discarded. Discarded proposals stay public."),
    )

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="commitment_number_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="commitment_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("plans:commitment", args=[self.pk])

    def clean(self) -> None:
        check_date_order(self.starts_on, self.ends_on, "starts_on", "ends_on")
        if self.status == CommitmentStatus.DISCARDED and not self.decision_reason.strip():
            raise ValidationError(
                {"decision_reason": _("Write why the proposal is discarded: it stays public.")}
            )
        if self.origin_event_id and self.origin_event.plan_id != self.plan_id:
            raise ValidationError({"origin_event": _("The event belongs to another action plan.")})

    @property
    def values(self) -> list[OgpValue]:
        return [value for value in OgpValue if getattr(self, value.value)]


# The fields a version snapshot and the import format carry, in display order.
COMMITMENT_TEXT_FIELDS = [
    "title",
    "summary",
    "problem",
    "status_quo",
    "change_sought",
    "contribution",
    "origin",
    "notes",
]
COMMITMENT_FIELDS = [
    "number",
    *COMMITMENT_TEXT_FIELDS,
    "lead_organization",
    "theme",
    *[value.value for value in OgpValue],
    "starts_on",
    "ends_on",
    "status",
    "decision_reason",
]


class IndicatorLevel(models.TextChoices):
    ACTIVITY = "activity", _("activity")
    OUTPUT = "output", _("output")
    OUTCOME = "outcome", _("outcome")
    IMPACT = "impact", _("impact")


class Milestone(models.Model):
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("milestone"))
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    deliverable = models.TextField(_("deliverable"), blank=True)
    verification_means = models.TextField(_("means of verification"), blank=True)

    class Meta:
        ordering = ["commitment", "number"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "number"], name="milestone_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="milestone_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment.number}.{self.number} {shorten(self.text, 80)}"

    def clean(self) -> None:
        check_date_order(self.starts_on, self.ends_on, "starts_on", "ends_on")


MILESTONE_FIELDS = [
    "number",
    "text",
    "starts_on",
    "ends_on",
    "deliverable",
    "verification_means",
]


class VersionStep(models.TextChoices):
    PROPOSAL = "proposal", _("proposal")
    THEMATIC_TABLE = "thematic_table", _("thematic table")
    NATIONAL_TABLE = "national_table", _("national table")
    SECTOR_VALIDATION = "sector_validation", _("sector validation")
    PUBLIC_CONSULTATION = "public_consultation", _("public consultation")
    APPROVAL = "approval", _("approval")
    IMPLEMENTATION = "implementation", _("change during implementation")
    IMPORT = "import", _("import")
    EDIT = "edit", _("edit")


class CommitmentVersion(models.Model):
    """A snapshot of a commitment's text, taken on every change."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    step = models.CharField(_("step"), max_length=30, choices=VersionStep.choices)
    reason = models.TextField(_("reason"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_label = models.CharField(_("author (as recorded)"), max_length=200)
    source = models.CharField(
        _("imported from"),
        max_length=300,
        blank=True,
        help_text=_(
            "The file or data set this version was imported from; empty when a person wrote it."
        ),
    )
    created_at = models.DateTimeField(_("date"))
    snapshot = models.JSONField(_("text"))

    class Meta:
        ordering = ["commitment", "number"]
        verbose_name = _("commitment version")
        verbose_name_plural = _("commitment versions")
        constraints = [
            models.UniqueConstraint(fields=["commitment", "number"], name="version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.commitment} v{self.number}"
