from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from traza.cocreation import services
from traza.cocreation.models import (
    AttendanceTally,
    Contribution,
    DiscussionPost,
    Event,
    Evidence,
    FaqEntry,
    PostStatus,
    Registration,
    ReportedFigure,
    Response,
    Timeline,
)
from traza.core.admin_base import ReasonForm, TracedAdmin
from traza.core.text import shorten
from traza.core.uploads import check_upload
from traza.plans.models import CommitmentVersion


def contribution_excerpt(contribution: Contribution, length: int = 90) -> str:
    return shorten(" ".join(contribution.text.split()), length)


@admin.register(Timeline)
class TimelineAdmin(TracedAdmin):
    service = services.save_timeline
    list_display = ("plan", "published_on", "where_published")
    list_select_related = ("plan",)


@admin.register(Event)
class EventAdmin(TracedAdmin):
    list_display = ("title", "plan", "kind", "starts_at", "region", "status", "announced_at")
    list_filter = ("plan", "kind", "status", "region")
    search_fields = ("title", "place", "region")
    list_select_related = ("plan",)
    date_hierarchy = "starts_at"
    prepopulated_fields = {"key": ("title",)}

    def call_service(self, actor, stored, form, values):
        return services.save_event(
            actor,
            stored,
            values,
            themes=form.cleaned_data.get("themes"),
            reason=form.cleaned_data.get("change_reason", ""),
        )


@admin.register(AttendanceTally)
class AttendanceTallyAdmin(TracedAdmin):
    service = services.save_tally
    list_display = ("event", "state", "civil_society", "others", "source")
    list_filter = ("event__plan", "event__kind")
    search_fields = ("event__title", "source")
    list_select_related = ("event",)


class BulkResponseForm(forms.ModelForm):
    contribution_id = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Response
        fields = [
            "outcome",
            "reason_category",
            "text",
            "deciding_body",
            "deciding_sector",
            "decided_on",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        """publish_response validates each response in its transaction."""


@admin.register(Contribution)
class ContributionAdmin(TracedAdmin):
    """Staff enter what arrived at events, by e-mail or letter; a contribution is never edited."""

    list_display = ("id", "plan", "channel", "theme", "received_at", "outcome")
    list_filter = ("plan", "channel", "theme", "response__outcome")
    search_fields = ("text", "author_name", "author_organization")
    list_select_related = ("plan", "theme", "response")
    # a plain, labelled select (select2's autocomplete fails WCAG: unlabelled search field)
    date_hierarchy = "received_at"
    change_form_template = "admin/cocreation/contribution/change_form.html"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "commitment":
            kwargs["queryset"] = db_field.related_model.objects.select_related("plan").order_by(
                "plan", "number"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The change page says how to answer: in the workbench, or here with the form."""
        if obj is not None:
            context["workbench_url"] = reverse("workbench:contribution", args=[obj.pk])
            context["may_answer_here"] = request.user.has_perm("cocreation.add_response")
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("outcome"))
    def outcome(self, obj):
        response = getattr(obj, "response", None)
        return response.get_outcome_display() if response else "—"

    actions = ["answer_selected"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [f.name for f in Contribution._meta.concrete_fields if f.editable]
        return ()

    def get_urls(self):
        extra = [
            path(
                "answer/",
                self.admin_site.admin_view(self.answer_view),
                name="cocreation_contribution_answer",
            )
        ]
        return extra + super().get_urls()

    @admin.action(description=_("Answer the selected contributions"), permissions=["answer"])
    def answer_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return redirect(f"{reverse('admin:cocreation_contribution_answer')}?ids={ids}")

    def has_answer_permission(self, request) -> bool:
        return request.user.has_perm("cocreation.add_response")

    def answer_view(self, request):
        """Answer many contributions at once; each keeps its own text. All or nothing."""
        if not self.has_answer_permission(request):
            raise PermissionDenied
        try:
            ids = [int(i) for i in request.GET.get("ids", "").split(",") if i]
        except ValueError:
            ids = []
        contributions = list(Contribution.objects.filter(pk__in=ids).order_by("pk"))
        ResponseFormSet = forms.formset_factory(BulkResponseForm, extra=0)
        initial = [{"contribution_id": c.pk} for c in contributions]
        formset = ResponseFormSet(request.POST or None, initial=initial)
        if request.method == "POST" and formset.is_valid():
            by_id = {c.pk: c for c in contributions}
            try:
                with transaction.atomic():
                    for form in formset:
                        contribution = by_id.get(form.cleaned_data["contribution_id"])
                        if contribution is None:
                            form.add_error(None, _("This contribution was not selected."))
                            raise ValidationError("unselected")
                        values = {
                            k: v for k, v in form.cleaned_data.items() if k != "contribution_id"
                        }
                        try:
                            services.publish_response(request.user, contribution, values)
                        except ValidationError as error:
                            form.add_error(None, error)
                            raise
            except ValidationError:
                pass
            else:
                self.message_user(
                    request,
                    _("%(n)d reasoned responses published.") % {"n": len(contributions)},
                    messages.SUCCESS,
                )
                return redirect("admin:cocreation_contribution_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Answer contributions"),
            "rows": list(zip(contributions, formset.forms, strict=False)),
            "formset": formset,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/cocreation/answer_contributions.html", context)

    def call_service(self, actor, stored, form, values):
        if stored is not None:
            return stored
        return services.record_contribution(
            actor, values, reason=form.cleaned_data.get("change_reason", "")
        )


class ContributionChoiceField(forms.ModelChoiceField):
    """Each choice says which contribution it is: its number, channel and a text excerpt."""

    def label_from_instance(self, obj: Contribution) -> str:
        return _("%(contribution)s (%(channel)s): %(excerpt)s") % {
            "contribution": obj,
            "channel": obj.get_channel_display(),
            "excerpt": contribution_excerpt(obj),
        }


class ResponseAdminForm(ReasonForm):
    """The reasoned-response form of the admin: plain, labelled selects (no select2: its
    search field has no label), the contribution named by its text, and only the versions of
    the contribution's plan offered when the contribution is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("contribution")
        if field is not None:
            unanswered = Contribution.objects.filter(response__isnull=True)
            field.queryset = unanswered.select_related("plan").order_by("plan", "pk")
        versions = self.fields.get("changed_versions")
        if versions is not None:
            queryset = CommitmentVersion.objects.select_related("commitment").order_by(
                "commitment__plan", "commitment__number", "number"
            )
            plan_id = self._plan_id()
            if plan_id is not None:
                queryset = queryset.filter(commitment__plan_id=plan_id)
            versions.queryset = queryset

    def _plan_id(self) -> int | None:
        if self.instance.pk:
            return self.instance.contribution.plan_id
        chosen = self.initial.get("contribution")
        try:
            return Contribution.objects.values_list("plan_id", flat=True).get(pk=int(chosen))
        except (TypeError, ValueError, Contribution.DoesNotExist):
            return None


@admin.register(Response)
class ResponseAdmin(TracedAdmin):
    form = ResponseAdminForm
    change_form_template = "admin/cocreation/response/change_form.html"
    list_display = (
        "contribution",
        "outcome",
        "reason_category",
        "deciding_body",
        "decided_on",
        "revision",
    )
    list_filter = ("outcome", "reason_category", "deciding_body", "contribution__plan")
    search_fields = ("text",)
    list_select_related = ("contribution",)
    exclude = ("published_at", "revision")

    def get_readonly_fields(self, request, obj=None):
        return ("contribution",) if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contribution":
            kwargs["form_class"] = ContributionChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "changed_versions":
            kwargs["widget"] = forms.SelectMultiple(attrs={"size": 8})
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def answered_contribution(self, request, obj) -> Contribution | None:
        """The contribution being answered: the response's, or the one chosen in the link."""
        if obj is not None:
            return obj.contribution
        try:
            pk = int(request.GET.get("contribution") or request.POST.get("contribution") or "")
        except ValueError:
            return None
        return Contribution.objects.select_related("plan", "event", "theme").filter(pk=pk).first()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["answered_contribution"] = self.answered_contribution(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def call_service(self, actor, stored, form, values):
        contribution = values.pop("contribution", None) or stored.contribution
        return services.publish_response(
            actor,
            contribution,
            values,
            versions=form.cleaned_data.get("changed_versions") or [],
            reason=form.cleaned_data.get("change_reason", ""),
        )


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Staff see registrations and record attendance; the person's data are not edited here."""

    list_display = ("event", "name", "organization", "sector", "status", "attended")
    list_filter = ("event__plan", "event", "status", "sector", "attended")
    search_fields = ("name", "organization", "email")
    list_select_related = ("event",)
    actions = ["mark_attended", "mark_absent"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Registration._meta.concrete_fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Mark as attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        for registration in queryset.select_related("event"):
            services.record_attendance(request.user, registration, True)

    @admin.action(description=_("Mark as absent"), permissions=["change"])
    def mark_absent(self, request, queryset):
        for registration in queryset.select_related("event"):
            services.record_attendance(request.user, registration, False)


class EvidenceForm(ReasonForm):
    class Meta:
        model = Evidence
        fields = ["event", "contribution", "kind", "title", "file", "url", "is_private"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "size") and not getattr(upload, "_committed", False):
            check_upload(upload)  # a clear message in the form, before the service
        return upload


@admin.register(Evidence)
class EvidenceAdmin(TracedAdmin):
    form = EvidenceForm
    list_display = ("title", "kind", "event", "contribution", "size", "is_private", "uploaded_at")
    list_filter = ("kind", "is_private")
    search_fields = ("title", "sha256")
    list_select_related = ("event", "contribution")
    readonly_fields = ("sha256", "size", "content_type")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # evidence is kept as it was added: its checksum proves it
            return [
                "event",
                "contribution",
                "kind",
                "title",
                "file",
                "url",
                "is_private",
                *self.readonly_fields,
            ]
        return self.readonly_fields

    def call_service(self, actor, stored, form, values):
        if stored is not None:
            return stored
        upload = values.pop("file", None) or None
        return services.add_evidence(
            actor, values, upload, reason=form.cleaned_data.get("change_reason", "")
        )


@admin.register(FaqEntry)
class FaqEntryAdmin(TracedAdmin):
    service = services.save_faq
    list_display = ("question", "position", "published")
    list_editable = ()
    search_fields = ("question", "answer")


@admin.register(ReportedFigure)
class ReportedFigureAdmin(TracedAdmin):
    service = services.save_reported_figure
    list_display = ("plan", "measure", "total", "source")
    list_filter = ("plan", "measure")
    list_select_related = ("plan",)


@admin.register(DiscussionPost)
class DiscussionPostAdmin(TracedAdmin):
    """Moderation: publish a waiting message, or hide one with a public reason."""

    list_display = ("id", "commitment", "status", "official", "created_at", "excerpt")
    list_filter = ("status", "official", "commitment__plan")
    search_fields = ("text",)
    list_select_related = ("commitment",)
    fields = (
        "commitment",
        "parent",
        "text",
        "public_author",
        "status",
        "moderation_category",
        "moderation_reason",
    )
    actions = ["publish_selected"]

    def get_readonly_fields(self, request, obj=None):
        return ("commitment", "parent", "text", "public_author")

    def has_add_permission(self, request) -> bool:
        return False  # messages come from the public page; official answers too

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("cocreation.moderate_discussion")

    @admin.display(description=_("message"))
    def excerpt(self, obj):
        return shorten(" ".join(obj.text.split()), 80)

    @admin.action(description=_("Publish the selected messages"), permissions=["change"])
    def publish_selected(self, request, queryset):
        published = 0
        for post in queryset.filter(status=PostStatus.PENDING, official=False):
            services.moderate_post(request.user, post, PostStatus.PUBLISHED)
            published += 1
        self.message_user(
            request, _("%(n)d messages published.") % {"n": published}, messages.SUCCESS
        )

    def call_service(self, actor, stored, form, values):
        if values["status"] in (stored.status, PostStatus.PENDING):
            return stored  # moderation only publishes or hides
        return services.moderate_post(
            actor,
            stored,
            values["status"],
            values.get("moderation_reason", ""),
            values.get("moderation_category", ""),
        )
