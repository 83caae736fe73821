from django.contrib import admin

from traza.cocreation import services
from traza.cocreation.models import AttendanceTally, Event, Timeline
from traza.core.admin_base import TracedAdmin


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
