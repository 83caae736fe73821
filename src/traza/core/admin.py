from django.contrib import admin

from traza.core.admin_base import ReadOnlyAdmin
from traza.core.models import TraceEvent


@admin.register(TraceEvent)
class TraceEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "occurred_at", "actor_label", "action", "object_type", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("summary", "object_label", "actor_label", "reason", "hash")
    date_hierarchy = "occurred_at"
