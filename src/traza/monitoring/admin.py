from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from traza.core.admin_base import ReadOnlyAdmin, TracedAdmin
from traza.monitoring import services
from traza.monitoring.models import (
    CompletionOverride,
    Indicator,
    Measurement,
    ProgressReport,
    Review,
    SelfAssessment,
)
from traza.plans.models import Officer


@admin.register(Officer)
class OfficerAdmin(TracedAdmin):
    service = services.save_officer
    list_display = ("user", "organization")
    autocomplete_fields = ("organization",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("plans.delete_officer")

    def delete_model(self, request, obj):
        services.remove_officer(request.user, obj)

    def delete_queryset(self, request, queryset):
        for officer in queryset:
            services.remove_officer(request.user, officer)


class ReviewForm(forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = ["review", "review_comment"]

    def clean(self):
        data = super().clean()
        if data.get("review") == Review.RETURNED and not (data.get("review_comment") or "").strip():
            self.add_error("review_comment", _("Say what to correct when you return a report."))
        return data

    def _post_clean(self):
        """review_progress validates the review in its transaction."""


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    """The secretariat reviews reports: accept (public) or return with a comment (change form)."""

    form = ReviewForm
    fields = (
        "milestone",
        "organization",
        "status",
        "percent",
        "narrative",
        "fact_date",
        "review",
        "review_comment",
    )
    readonly_fields = ("milestone", "organization", "status", "percent", "narrative", "fact_date")

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.review != Review.SUBMITTED:
            return False
        return request.user.has_perm("monitoring.review_progressreport")

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data["review"]
        if decision == Review.SUBMITTED:
            return
        stored = ProgressReport.objects.get(pk=obj.pk)
        services.review_progress(
            request.user, stored, decision == Review.ACCEPTED, form.cleaned_data["review_comment"]
        )

    def save_related(self, request, form, formsets, change):
        pass

    list_display = ("milestone", "organization", "percent", "fact_date", "review", "submitted_at")
    list_filter = ("review", "milestone__commitment__plan", "organization")
    list_select_related = ("milestone__commitment", "organization")
    actions = ["accept_selected"]

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(
            "monitoring.review_progressreport"
        ) or super().has_view_permission(request, obj)

    @admin.action(description=_("Accept the selected reports"), permissions=["change"])
    def accept_selected(self, request, queryset):
        done = 0
        for report in queryset.filter(review=Review.SUBMITTED):
            try:
                services.review_progress(request.user, report, True)
            except ValidationError:
                continue
            done += 1
        self.message_user(request, _("%(n)d reports accepted.") % {"n": done}, messages.SUCCESS)


@admin.register(Indicator)
class IndicatorAdmin(TracedAdmin):
    service = services.save_indicator
    list_display = ("name", "level", "commitment", "milestone", "baseline", "target")
    list_filter = ("level", "commitment__plan")
    search_fields = ("name",)
    autocomplete_fields = ("commitment", "milestone")


@admin.register(Measurement)
class MeasurementAdmin(TracedAdmin):
    service = services.save_measurement
    list_display = ("indicator", "measured_on", "value", "report")
    list_filter = ("indicator__level",)
    autocomplete_fields = ("indicator",)
    exclude = ("report",)


@admin.register(CompletionOverride)
class CompletionOverrideAdmin(TracedAdmin):
    list_display = ("commitment", "level", "decided_on")
    autocomplete_fields = ("commitment",)
    fields = ("commitment", "level", "reason", "decided_on")

    def get_fields(self, request, obj=None):
        return self.fields  # the reason field is the change reason

    def call_service(self, actor, stored, form, values):
        return services.override_completion(
            actor, values["commitment"], values["level"], values["reason"], values["decided_on"]
        )


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(TracedAdmin):
    """Generating (or regenerating) writes the report from the data of the day."""

    list_display = ("plan", "kind", "generated_at", "comments_open_on", "comments_close_on")
    fields = ("plan", "kind", "introduction", "comments_open_on", "comments_close_on")

    def get_fields(self, request, obj=None):
        return self.fields

    def call_service(self, actor, stored, form, values):
        return services.generate_self_assessment(
            actor,
            values["plan"],
            values["kind"],
            introduction=values.get("introduction", ""),
            opens_on=values["comments_open_on"],
            closes_on=values["comments_close_on"],
        )
