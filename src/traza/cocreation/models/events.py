"""The co-creation calendar: the published timeline, its events and their attendance."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from traza.plans.models import ActionPlan, Organization, Theme


def notice_days_setting() -> int:
    return getattr(settings, "TRAZA_NOTICE_DAYS", 14)


class Timeline(models.Model):
    """The plan's co-creation timeline, published as a whole on a given date."""

    plan = models.OneToOneField(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.PROTECT, related_name="timeline"
    )
    published_on = models.DateField(_("published on"))
    where_published = models.CharField(_("where it was published"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("co-creation timeline")
        verbose_name_plural = _("co-creation timelines")

    def __str__(self) -> str:
        return f"{self.plan} ({self.published_on})"


class EventKind(models.TextChoices):
    THEMATIC_TABLE = "thematic_table", _("thematic table")
    REGIONAL_WORKSHOP = "regional_workshop", _("regional workshop")
    NATIONAL_TABLE = "national_table", _("national table")
    VIRTUAL_CONSULTATION = "virtual_consultation", _("virtual consultation")
    TECHNICAL_MEETING = "technical_meeting", _("technical meeting with the sector")
    INDUCTION = "induction", _("induction workshop")
    PRESENTATION = "presentation", _("presentation of results")
    FORUM_SESSION = "forum_session", _("forum session")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class Event(models.Model):
    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.PROTECT, related_name="events"
    )
    key = models.SlugField(_("key"), max_length=120, help_text=_("Unique within the plan."))
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    region = models.CharField(_("region"), max_length=100, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    organiser = models.ForeignKey(
        Organization,
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    announced_at = models.DateTimeField(
        _("announced"),
        null=True,
        blank=True,
        help_text=_("When this event was made public. Empty: when the timeline was published."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["plan", "starts_at"])]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="event_key_unique")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cocreation:event", args=[self.pk])

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The end cannot be before the start.")})
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes < opens:
            raise ValidationError(
                {"registration_closes_at": _("Registration cannot close before it opens.")}
            )


class AttendanceTally(models.Model):
    """Attendance counted by category, when only a signed sheet or a report exists."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="tallies"
    )
    state = models.PositiveIntegerField(_("State"), default=0)
    civil_society = models.PositiveIntegerField(_("civil society"), default=0)
    others = models.PositiveIntegerField(_("others"), default=0)
    source = models.CharField(_("source"), max_length=300)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("attendance count")
        verbose_name_plural = _("attendance counts")
        constraints = [
            models.UniqueConstraint(fields=["event", "source"], name="tally_one_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.total} ({self.source})"

    @property
    def total(self) -> int:
        return self.state + self.civil_society + self.others
