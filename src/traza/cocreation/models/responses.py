"""Reasoned responses: the written, public decision on each contribution, and its history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from traza.cocreation.models._common import HIDDEN
from traza.cocreation.models.contributions import Contribution
from traza.plans.models import Organization


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("adopted")
    PARTIALLY_ADOPTED = "partially_adopted", _("partially adopted")
    MERGED = "merged", _("merged with another proposal")
    NOT_ADOPTED = "not_adopted", _("not adopted")
    DUPLICATE = "duplicate", _("duplicate")
    OUT_OF_SCOPE = "out_of_scope", _("out of scope")
    FORWARDED = "forwarded", _("forwarded to another entity")
    PENDING = "pending", _("pending")


# Outcomes that change a commitment's text, and may link the versions they changed.
CHANGING_OUTCOMES = {Outcome.ADOPTED, Outcome.PARTIALLY_ADOPTED, Outcome.MERGED}


class ReasonCategory(models.TextChoices):
    OUTSIDE_COMPETENCE = "outside_competence", _("outside the entity's competence")
    ALREADY_DONE = "already_done", _("already carried out by another programme")
    LEGALLY_UNVIABLE = "legally_unviable", _("legally unviable")
    UNRELATED_TO_VALUES = "unrelated_to_values", _("unrelated to OGP values")
    NO_BUDGET = "no_budget", _("no budget")
    OTHER = "other", _("other reason")


class DecidingBody(models.TextChoices):
    THEMATIC_TABLE = "thematic_table", _("thematic table")
    REGIONAL_WORKSHOP = "regional_workshop", _("regional workshop")
    NATIONAL_TABLE = "national_table", _("national table")
    TECHNICAL_MEETING = "technical_meeting", _("technical meeting with the sector")
    SECRETARIAT = "secretariat", _("secretariat")
    FORUM = "forum", _("multi-stakeholder forum")


class ResponseQuerySet(models.QuerySet):
    def public(self):
        """Published responses to public contributions (the response to a hidden message is
        withheld with it: it may quote it)."""
        return self.filter(published_at__isnull=False).exclude(
            contribution__discussion_post__status=HIDDEN
        )


class Decision(models.Model):
    """What a reasoned response decides, shared by the published response and its draft."""

    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reason_category = models.CharField(
        _("reason"), max_length=30, choices=ReasonCategory.choices, blank=True
    )
    text = models.TextField(_("reasoned response"), blank=True)
    deciding_body = models.CharField(_("decided by"), max_length=30, choices=DecidingBody.choices)
    deciding_sector = models.ForeignKey(
        Organization,
        verbose_name=_("sector (technical meeting)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"))
    forwarded_to = models.CharField(
        _("forwarded to"),
        max_length=200,
        blank=True,
        help_text=_("The entity that received a forwarded contribution."),
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        errors = {}
        if self.outcome != Outcome.PENDING and not self.text.strip():
            errors["text"] = _("Every decision needs a written reason for the participant.")
        if self.outcome in (Outcome.NOT_ADOPTED, Outcome.OUT_OF_SCOPE) and not self.reason_category:
            errors["reason_category"] = _("Say why the contribution was not adopted.")
        if self.deciding_body == DecidingBody.TECHNICAL_MEETING and not self.deciding_sector_id:
            errors["deciding_sector"] = _("Name the sector of the technical meeting.")
        if self.outcome == Outcome.FORWARDED and not self.forwarded_to.strip():
            errors["forwarded_to"] = _("Name the entity the contribution was forwarded to.")
        if self.outcome != Outcome.FORWARDED and self.forwarded_to.strip():
            errors["forwarded_to"] = _("Only a forwarded contribution names a receiving entity.")
        if errors:
            raise ValidationError(errors)


class Response(Decision):
    """The written, public, reasoned decision on a contribution."""

    contribution = models.OneToOneField(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.PROTECT,
        related_name="response",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    changed_versions = models.ManyToManyField(
        "plans.CommitmentVersion",
        verbose_name=_("commitment versions it changed"),
        blank=True,
        related_name="responses",
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("reasoned response")
        verbose_name_plural = _("reasoned responses")
        permissions = [
            ("draft_response", _("Can draft reasoned responses in the workbench")),
            ("publish_response", _("Can publish reasoned responses from the workbench")),
        ]

    def __str__(self) -> str:
        return f"{self.contribution}: {self.get_outcome_display()}"


class ResponseDraft(Decision):
    """A reasoned response written in the workbench and not yet published: private to staff
    until it is published (by another account when the four-eyes rule is on). It remembers
    the published revision it was written against, so that publishing it over a response
    someone else changed in the meantime is refused instead of overwriting theirs."""

    contribution = models.OneToOneField(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="draft",
    )
    changed_versions = models.ManyToManyField(
        "plans.CommitmentVersion",
        verbose_name=_("commitment versions it changed"),
        blank=True,
        related_name="+",
    )
    base_revision = models.PositiveIntegerField(
        _("published revision it revises"), default=0, help_text=_("0: none was published.")
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("drafted"))
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Counts the saves: a stale form is refused.")
    )

    class Meta:
        verbose_name = _("draft response")
        verbose_name_plural = _("draft responses")

    def __str__(self) -> str:
        return _("Draft response to %(contribution)s") % {"contribution": self.contribution}


class ResponseRevision(models.Model):
    """Every published text of a response: editing keeps the history."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    snapshot = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("date"))
    reason = models.TextField(_("reason for the change"), blank=True)

    class Meta:
        ordering = ["response", "number"]
        verbose_name = _("response revision")
        verbose_name_plural = _("response revisions")
        constraints = [
            models.UniqueConstraint(fields=["response", "number"], name="response_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.response} r{self.number}"
