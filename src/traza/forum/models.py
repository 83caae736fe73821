"""The multi-stakeholder forum: members, mandate and rules, sessions, minutes and decisions;
and the network of open-government initiatives and the catalogue of good practices."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traza.core.text import shorten
from traza.plans.models import (
    ActionPlan,
    Commitment,
    Member,
    Organization,
    Theme,
    check_date_order,
)


class Forum(models.Model):
    member = models.ForeignKey(
        Member, verbose_name=_("OGP member"), on_delete=models.PROTECT, related_name="forums"
    )
    name = models.CharField(_("name"), max_length=300)
    established_on = models.DateField(_("established on"))
    instrument = models.CharField(
        _("legal instrument"),
        max_length=300,
        blank=True,
        help_text=_("The decree or resolution that created it, if any."),
    )
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["member", "established_on"]
        verbose_name = _("multi-stakeholder forum")
        verbose_name_plural = _("multi-stakeholder forums")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:forum", args=[self.pk])

    def clean(self) -> None:
        check_date_order(self.established_on, self.dissolved_on, "established_on", "dissolved_on")

    def active_on(self, day) -> bool:
        return self.established_on <= day and (
            self.dissolved_on is None or day <= self.dissolved_on
        )


class RulesKind(models.TextChoices):
    MANDATE = "mandate", _("mandate")
    PARTICIPATION_RULES = "participation_rules", _("rules of participation")


class ForumRules(models.Model):
    """The mandate or the rules of participation, one row per published version."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="rules"
    )
    kind = models.CharField(_("document"), max_length=30, choices=RulesKind.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"))
    published_on = models.DateField(_("published on"))
    developed_jointly = models.BooleanField(
        _("developed jointly by the members"),
        default=False,
        help_text=_("Government and civil-society members wrote or approved it together."),
    )
    url = models.URLField(_("link"), blank=True)

    class Meta:
        ordering = ["forum", "kind", "version"]
        verbose_name = _("mandate or rules version")
        verbose_name_plural = _("mandate and rules versions")
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "kind", "version"], name="forum_rules_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("government")
    NON_GOVERNMENT = "non_government", _("non-government")


class Subsector(models.TextChoices):
    EXECUTIVE = "executive", _("executive")
    LEGISLATIVE = "legislative", _("legislative")
    JUDICIARY = "judiciary", _("judiciary")
    SUBNATIONAL = "subnational", _("regional or local government")
    AUTONOMOUS = "autonomous", _("autonomous body")
    CIVIL_SOCIETY = "civil_society", _("civil society")
    ACADEMIA = "academia", _("academia")
    PRIVATE_SECTOR = "private_sector", _("private sector")
    OTHER = "other", _("other")


GOVERNMENT_SUBSECTORS = {
    Subsector.EXECUTIVE,
    Subsector.LEGISLATIVE,
    Subsector.JUDICIARY,
    Subsector.SUBNATIONAL,
    Subsector.AUTONOMOUS,
}


class Role(models.TextChoices):
    CO_CHAIR = "co_chair", _("co-chair")
    MEMBER = "member", _("member")
    ALTERNATE = "alternate", _("alternate")


class Selection(models.TextChoices):
    OPEN_CALL = "open_call", _("open public call")
    ELECTION = "election", _("election among peers")
    APPOINTMENT = "appointment", _("appointment by the institution")
    INVITATION = "invitation", _("invitation")


# How non-government members are chosen "through a fair and transparent process" (2c).
FAIR_SELECTIONS = {Selection.OPEN_CALL, Selection.ELECTION}


class Membership(models.Model):
    """A seat in the forum: who holds it, for which organisation and sector, and how they got
    it. Forum members are public figures of the process: their names are published."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.CharField(_("person"), max_length=200)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="forum_memberships",
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    subsector = models.CharField(_("subsector"), max_length=20, choices=Subsector.choices)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    decision_power = models.BooleanField(
        _("has decision-making power"),
        default=False,
        help_text=_(
            "For government members: a high-level official who can commit the institution."
        ),
    )
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"), null=True, blank=True)
    selection = models.CharField(_("selected by"), max_length=20, choices=Selection.choices)
    selection_call_url = models.URLField(_("call for members"), blank=True)
    selection_evidence = models.TextField(_("evidence of the selection"), blank=True)

    class Meta:
        ordering = ["forum", "sector", "organization__name", "person"]
        verbose_name = _("forum member")
        verbose_name_plural = _("forum members")
        indexes = [models.Index(fields=["forum", "starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="membership_term_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.organization}"

    def clean(self) -> None:
        check_date_order(self.starts_on, self.ends_on, "starts_on", "ends_on")
        if self.subsector:
            government = self.subsector in GOVERNMENT_SUBSECTORS
            if self.sector and government != (self.sector == Sector.GOVERNMENT):
                raise ValidationError(
                    {"subsector": _("The subsector belongs to the other sector.")}
                )
        if self.decision_power and self.sector != Sector.GOVERNMENT:
            raise ValidationError(
                {"decision_power": _("Decision-making power is recorded for government members.")}
            )
        if self.forum_id and self.starts_on and self.starts_on < self.forum.established_on:
            raise ValidationError(
                {"starts_on": _("The term cannot start before the forum was established.")}
            )

    def serving_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    REMOTE = "remote", _("remote")
    HYBRID = "hybrid", _("hybrid")


class Session(models.Model):
    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("date"), db_index=True)
    modality = models.CharField(_("modality"), max_length=10, choices=Modality.choices)
    agenda = models.TextField(_("agenda"))
    agenda_co_set = models.BooleanField(
        _("agenda set with civil society"),
        default=False,
        help_text=_("Civil-society members proposed or approved the agenda."),
    )
    open_to_non_members = models.BooleanField(_("open to non-members"), default=False)
    attendees = models.ManyToManyField(
        Membership, verbose_name=_("members present"), blank=True, related_name="sessions"
    )
    other_attendance = models.PositiveIntegerField(
        _("other participants"), default=0, help_text=_("Non-members present (a count).")
    )
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_url = models.URLField(_("minutes (link)"), blank=True)
    minutes_published_on = models.DateField(_("minutes published on"), null=True, blank=True)

    class Meta:
        ordering = ["forum", "-held_on"]
        verbose_name = _("forum session")
        verbose_name_plural = _("forum sessions")

    def __str__(self) -> str:
        return f"{self.forum} · {self.held_on}"

    def clean(self) -> None:
        if self.forum_id and self.held_on:
            if self.held_on < self.forum.established_on:
                raise ValidationError(
                    {"held_on": _("The session cannot be dated before the forum was established.")}
                )
            if self.forum.dissolved_on and self.held_on > self.forum.dissolved_on:
                raise ValidationError(
                    {"held_on": _("The session cannot be dated after the forum was dissolved.")}
                )
        if self.minutes_published_on and self.held_on and self.minutes_published_on < self.held_on:
            raise ValidationError(
                {"minutes_published_on": _("Minutes cannot be published before the session.")}
            )
        if self.minutes_published_on and not (self.minutes.strip() or self.minutes_url):
            raise ValidationError(_("Published minutes need their text or a link."))

    @property
    def minutes_public(self) -> bool:
        return bool(self.minutes_published_on and self.minutes_published_on <= timezone.localdate())


class Decision(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(_("decision"))
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_decisions",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_decisions",
    )
    binding = models.BooleanField(
        _("binding"),
        default=False,
        help_text=_("The government committed to carry out what the forum decided."),
    )

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("forum decision")
        verbose_name_plural = _("forum decisions")

    def __str__(self) -> str:
        return shorten(self.text, 80)

    def clean(self) -> None:
        if self.commitment_id and self.plan_id and self.commitment.plan_id != self.plan_id:
            raise ValidationError(
                {"commitment": _("The commitment belongs to another action plan.")}
            )


class InitiativeKind(models.TextChoices):
    INITIATIVE = "initiative", _("initiative")
    NETWORK = "network", _("network")
    ACTOR = "actor", _("actor")


class Initiative(models.Model):
    """Someone or something working on open government (seeds 001/003, recommendation 4)."""

    name = models.CharField(_("name"), max_length=300, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=InitiativeKind.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    description = models.TextField(_("description"))
    regions = models.CharField(
        _("regions"),
        max_length=300,
        blank=True,
        help_text=_("Separated by commas; empty: national."),
    )
    url = models.URLField(_("website"), blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    commitments = models.ManyToManyField(
        Commitment, verbose_name=_("commitments"), blank=True, related_name="initiatives"
    )
    forum_members = models.ManyToManyField(
        Membership, verbose_name=_("forum members"), blank=True, related_name="initiatives"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("initiative or actor")
        verbose_name_plural = _("initiatives and actors")

    def __str__(self) -> str:
        return self.name

    @property
    def region_list(self) -> list[str]:
        return [r.strip() for r in self.regions.split(",") if r.strip()]


class Criterion(models.TextChoices):
    """What makes a practice good, in the terms of seed 004 and OGP's values."""

    TRANSPARENCY = "transparency", _("opens information")
    PARTICIPATION = "participation", _("involves citizens in decisions")
    ACCOUNTABILITY = "accountability", _("makes someone answerable")
    RESULTS = "results", _("shows results beyond activities")
    TERRITORIAL = "territorial", _("built from the territories")
    REPLICABLE = "replicable", _("can be replicated by other entities")
    SUSTAINED = "sustained", _("lasted beyond one plan")


class GoodPractice(models.Model):
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    criteria = models.JSONField(_("criteria met"), default=list)
    evidence = models.TextField(_("evidence"))
    evidence_url = models.URLField(_("evidence (link)"), blank=True)
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="good_practices",
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="good_practices",
    )
    identified_on = models.DateField(_("identified on"))

    class Meta:
        ordering = ["-identified_on", "title"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")

    def __str__(self) -> str:
        return self.title

    @property
    def criteria_labels(self) -> list[str]:
        return [Criterion(c).label for c in self.criteria if c in Criterion.values]

    def clean(self) -> None:
        if not isinstance(self.criteria, list) or not self.criteria:
            raise ValidationError({"criteria": _("Say which criteria the practice meets.")})
        unknown = [c for c in self.criteria if c not in Criterion.values]
        if unknown:
            raise ValidationError(
                {
                    "criteria": _("Unknown criteria: %(codes)s")
                    % {"codes": ", ".join(map(str, unknown))}
                }
            )
        if not (self.commitment_id or self.initiative_id):
            raise ValidationError(_("A good practice comes from a commitment or an initiative."))
