from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from traza.core.admin_base import ReadOnlyAdmin
from traza.monitoring import services
from traza.monitoring.models import Officer, ProgressReport, Review


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ("user", "organization")
    autocomplete_fields = ("organization",)


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    """The secretariat reviews reports: accept (public) or return with a comment (change form)."""

    list_display = ("milestone", "organization", "percent", "fact_date", "review", "submitted_at")
    list_filter = ("review", "milestone__commitment__plan", "organization")
    list_select_related = ("milestone__commitment", "organization")
    actions = ["accept_selected"]

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(
            "monitoring.review_progressreport"
        ) or super().has_view_permission(request, obj)

    @admin.action(description=_("Accept the selected reports"))
    def accept_selected(self, request, queryset):
        done = 0
        for report in queryset.filter(review=Review.SUBMITTED):
            try:
                services.review_progress(request.user, report, True)
            except ValidationError:
                continue
            done += 1
        self.message_user(request, _("%(n)d reports accepted.") % {"n": done}, messages.SUCCESS)
