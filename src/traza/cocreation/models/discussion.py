"""The public discussion of draft commitments and its moderation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from traza.cocreation.models._common import HIDDEN, PublicAuthor
from traza.cocreation.models.contributions import Contribution
from traza.plans.models import Organization


class PostStatus(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    PUBLISHED = "published", _("published")
    HIDDEN = HIDDEN, _("hidden by moderation")


class ModerationCategory(models.TextChoices):
    """Why a message was hidden, as the trace records it (never the message's words)."""

    PERSONAL_DATA = "personal_data", _("personal data of others")
    OFFENSIVE = "offensive", _("insults, threats or discrimination")
    SPAM = "spam", _("advertising or spam")
    OFF_TOPIC = "off_topic", _("unrelated to the draft")
    UNLAWFUL = "unlawful", _("unlawful content")
    OTHER = "other", _("other reason")


class DiscussionPost(PublicAuthor):
    """A message in the public discussion of a draft commitment during a virtual
    consultation. Official answers are marked and signed by their institution; a
    participant's opening message also enters the plan as a contribution, so it gets a
    reasoned response like any other."""

    commitment = models.ForeignKey(
        "plans.Commitment",
        verbose_name=_("draft commitment"),
        on_delete=models.PROTECT,
        related_name="discussion",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    text = models.TextField(_("message"))
    consent_text = models.TextField(_("consent given"), blank=True)
    official = models.BooleanField(_("official answer"), default=False)
    official_organization = models.ForeignKey(
        Organization,
        verbose_name=_("answering institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    author_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PostStatus.choices, default=PostStatus.PENDING
    )
    moderation_reason = models.TextField(_("moderation reason"), blank=True)
    moderation_category = models.CharField(
        _("kind of reason"), max_length=20, choices=ModerationCategory.choices, blank=True
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    contribution = models.OneToOneField(
        Contribution,
        verbose_name=_("contribution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discussion_post",
    )
    created_at = models.DateTimeField(_("posted"), db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("discussion message")
        verbose_name_plural = _("discussion messages")
        indexes = [models.Index(fields=["commitment", "status"])]
        permissions = [
            ("moderate_discussion", _("Can moderate public discussions")),
            ("answer_officially", _("Can post official answers")),
        ]

    def __str__(self) -> str:
        return _("Message %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("cocreation:discussion", args=[self.commitment_id]) + f"#post-{self.pk}"

    def clean(self) -> None:
        if self.official and not self.official_organization_id:
            raise ValidationError(
                {"official_organization": _("An official answer names its institution.")}
            )
        if self.parent_id and self.parent.commitment_id != self.commitment_id:
            raise ValidationError({"parent": _("The reply belongs to another discussion.")})
        if self.status == PostStatus.HIDDEN and not self.moderation_reason.strip():
            raise ValidationError(
                {"moderation_reason": _("Say why the message is hidden: the reason is public.")}
            )
        if self.status == PostStatus.HIDDEN and not self.moderation_category:
            raise ValidationError(
                {"moderation_category": _("Choose the kind of reason for hiding the message.")}
            )

    @property
    def public_author(self) -> str:
        if self.official and self.official_organization_id:
            return self.official_organization.name
        return super().public_author
