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


class PublicAuthor(models.Model):
    """Who wrote something, and whether they agreed to have their name published. The e-mail
    is only for answering them; it is never published."""

    author_name = models.CharField(_("author's name"), max_length=200, blank=True)
    author_email = models.EmailField(_("author's e-mail"), blank=True)
    author_organization = models.CharField(_("author's organisation"), max_length=300, blank=True)
    show_author = models.BooleanField(_("the author agreed to publish their name"), default=False)

    class Meta:
        abstract = True

    @property
    def public_author(self) -> str:
        """What the public sees: the name only with the author's consent."""
        if self.show_author and (self.author_name or self.author_organization):
            return ", ".join(p for p in (self.author_name, self.author_organization) if p)
        return str(_("A participant"))


class Channel(models.TextChoices):
    EVENT = "event", _("at an event")
    VIRTUAL_FORUM = "virtual_forum", _("virtual forum")
    EMAIL = "email", _("e-mail")
    WEB_FORM = "web_form", _("web form")
    LETTER = "letter", _("letter")
    FORUM_MEMBER = "forum_member", _("forum member")
    FORUM_INPUT = "forum_input", _("input to the multi-stakeholder forum")


HIDDEN = "hidden"  # PostStatus.HIDDEN, named before the class


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
        indexes = [models.Index(fields=["plan", "channel"])]
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


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("adopted")
    PARTIALLY_ADOPTED = "partially_adopted", _("partially adopted")
    MERGED = "merged", _("merged with another proposal")
    NOT_ADOPTED = "not_adopted", _("not adopted")
    DUPLICATE = "duplicate", _("duplicate")
    OUT_OF_SCOPE = "out_of_scope", _("out of scope")
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


class Response(models.Model):
    """The written, public, reasoned decision on a contribution."""

    contribution = models.OneToOneField(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.PROTECT,
        related_name="response",
    )
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

    def __str__(self) -> str:
        return f"{self.contribution}: {self.get_outcome_display()}"

    def clean(self) -> None:
        errors = {}
        if self.outcome != Outcome.PENDING and not self.text.strip():
            errors["text"] = _("Every decision needs a written reason for the participant.")
        if self.outcome in (Outcome.NOT_ADOPTED, Outcome.OUT_OF_SCOPE) and not self.reason_category:
            errors["reason_category"] = _("Say why the contribution was not adopted.")
        if self.deciding_body == DecidingBody.TECHNICAL_MEETING and not self.deciding_sector_id:
            errors["deciding_sector"] = _("Name the sector of the technical meeting.")
        if errors:
            raise ValidationError(errors)


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


class EvidenceKind(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    PHOTO = "photo", _("photo")
    AUDIO = "audio", _("audio")
    VIDEO = "video", _("video")
    DATA = "data", _("data (CSV)")
    PRESENTATION = "presentation", _("presentation")
    OTHER = "other", _("other document")


class EvidenceQuerySet(models.QuerySet):
    def public(self):
        """Not private, and not attached to a contribution whose message moderation hid."""
        return self.filter(is_private=False).exclude(contribution__discussion_post__status=HIDDEN)


class Evidence(models.Model):
    """A file or a link that proves what happened at an event or with a contribution."""

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True)
    url = models.URLField(_("link"), blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    is_private = models.BooleanField(
        _("private"), default=False, help_text=_("Private evidence is kept but never published.")
    )
    uploaded_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(event__isnull=False) & models.Q(contribution__isnull=True))
                | (models.Q(event__isnull=True) & models.Q(contribution__isnull=False)),
                name="evidence_belongs_to_one_object",
                violation_error_message=_("Attach the evidence to one event or one contribution."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The file through Traza's checked download, or the link as given."""
        return reverse("cocreation:evidence", args=[self.pk]) if self.file else self.url

    def clean(self) -> None:
        if bool(self.file) == bool(self.url):
            raise ValidationError(_("Give either a file or a link."))


class FaqEntry(models.Model):
    """A question the secretariat answers once for everyone (seed 000 asks for a FAQ)."""

    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")

    def __str__(self) -> str:
        return self.question


class Second(models.Model):
    """A participant seconds ("secunda") a contribution. Only the count is public."""

    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="seconds",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organization = models.CharField(_("organisation"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        ordering = ["contribution", "created_at"]
        verbose_name = _("second")
        verbose_name_plural = _("seconds")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "email"],
                name="one_second_per_person",
                violation_error_message=_("You have already seconded this contribution."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.contribution} +1"


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
