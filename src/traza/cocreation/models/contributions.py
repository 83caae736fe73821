"""Contributions: anything a participant proposes or comments, from any channel."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from traza.cocreation.models._common import HIDDEN, PublicAuthor
from traza.cocreation.models.events import Event
from traza.plans.models import ActionPlan, Theme

if TYPE_CHECKING:
    from traza.cocreation.models.discussion import DiscussionPost


class Channel(models.TextChoices):
    EVENT = "event", _("at an event")
    VIRTUAL_FORUM = "virtual_forum", _("virtual forum")
    EMAIL = "email", _("e-mail")
    WEB_FORM = "web_form", _("web form")
    LETTER = "letter", _("letter")
    FORUM_MEMBER = "forum_member", _("forum member")
    FORUM_INPUT = "forum_input", _("input to the multi-stakeholder forum")


class ContributionQuerySet(models.QuerySet):
    """Every public reader of contributions goes through ``public()``: a contribution that
    came from a discussion message hidden by moderation is kept (nothing is lost) but is not
    public anywhere — page, lists, downloads, search, feeds, counts."""

    def public(self):
        return self.exclude(discussion_post__status=HIDDEN)

    def hidden(self):
        return self.filter(discussion_post__status=HIDDEN)


class Contribution(PublicAuthor):
    """Anything a participant proposes or comments, from any channel."""

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commitment = models.ForeignKey(
        "plans.Commitment",
        verbose_name=_("about the proposal or commitment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    self_assessment = models.ForeignKey(
        "monitoring.SelfAssessment",
        verbose_name=_("comment on the self-assessment report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    text = models.TextField(_("contribution"))
    received_at = models.DateTimeField(_("received"), db_index=True)
    consent_text = models.TextField(_("consent given"), blank=True)
    consented_at = models.DateTimeField(_("consent date"), null=True, blank=True)
    key = models.SlugField(
        _("key"),
        max_length=120,
        blank=True,
        help_text=_("Optional; an import uses it to recognise the contribution again."),
    )

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        indexes = [
            models.Index(fields=["plan", "channel"]),
            # a plan's list, newest first: one page read in order, not the plan sorted
            models.Index(fields=["plan", "-received_at", "-id"], name="contribution_plan_newest"),
            # a commitment's origin, oldest first: its page read in order from the index
            models.Index(
                fields=["commitment", "received_at", "id"], name="contribution_commitment_order"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "key"],
                condition=~models.Q(key=""),
                name="contribution_key_unique",
            )
        ]

    def __str__(self) -> str:
        return _("Contribution %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("cocreation:contribution", args=[self.pk])

    @property
    def hidden_post(self) -> "DiscussionPost | None":
        """The discussion message it came from, when moderation hid it."""
        from traza.cocreation.models.discussion import DiscussionPost  # defined after this

        try:
            post = self.discussion_post
        except DiscussionPost.DoesNotExist:
            return None
        return post if post.status == HIDDEN else None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_post is not None

    def clean(self) -> None:
        for name in ("event", "commitment", "self_assessment"):
            related = getattr(self, name) if getattr(self, f"{name}_id") else None
            if related is not None and related.plan_id != self.plan_id:
                raise ValidationError({name: _("It belongs to another action plan.")})
