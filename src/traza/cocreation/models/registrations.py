"""Registrations for events, and who attended."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from traza.cocreation.models.events import Event
from traza.plans.models import Organization


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    WAITLISTED = "waitlisted", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


class Registration(models.Model):
    """A person's registration for an event. Personal data: never on a public page."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organization = models.CharField(_("organisation"), max_length=300, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Organization.Sector.choices)
    civil_society_type = models.CharField(
        _("civil-society type"),
        max_length=30,
        choices=Organization.CivilSocietyType.choices,
        blank=True,
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    access_needs = models.TextField(_("access needs"), blank=True)
    consent_text = models.TextField(_("consent given"))
    consented_at = models.DateTimeField(_("consent date"))
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    cancel_token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["event", "created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(status="cancelled"),
                name="one_live_registration_per_email",
                violation_error_message=_("This e-mail is already registered for this event."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.get_status_display()} #{self.pk}"

    def clean(self) -> None:
        if self.civil_society_type and self.sector != Organization.Sector.CIVIL_SOCIETY:
            raise ValidationError(
                {"civil_society_type": _("Only civil-society organisations have a type.")}
            )
