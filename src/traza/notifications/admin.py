from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from traza.core.admin_base import ReadOnlyAdmin
from traza.notifications import services
from traza.notifications.models import DeliveryAttempt, OutboxMessage


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("attempted_at", "succeeded", "error")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "to", "subject", "purpose", "status", "attempts", "sent_at")
    list_filter = ("status", "purpose")
    search_fields = ("to", "subject", "message_id")
    inlines = [DeliveryAttemptInline]
    actions = ["requeue"]

    @admin.action(
        description=_("Send again (failed or uncertain messages)"), permissions=["change"]
    )
    def requeue(self, request, queryset):
        for message in queryset:
            services.requeue(message)
        self.message_user(request, _("Queued again."), messages.SUCCESS)

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and request.user.has_perm("notifications.change_outboxmessage")
