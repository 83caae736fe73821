from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from traza.core.admin_base import ReadOnlyAdmin
from traza.notifications import services
from traza.notifications.models import PURPOSE_LABELS, DeliveryAttempt, OutboxMessage


class PurposeFilter(admin.SimpleListFilter):
    """Filter on what a message is for, by its translated label (codes may carry a date)."""

    title = _("purpose")
    parameter_name = "purpose"

    def lookups(self, request, model_admin):
        return sorted(PURPOSE_LABELS.items(), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        kind = self.value()
        if not kind:
            return queryset
        return queryset.filter(Q(purpose=kind) | Q(purpose__startswith=f"{kind}:"))


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("attempted_at", "succeeded", "error")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "created_at",
        "to",
        "subject",
        "purpose_display",
        "status",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", PurposeFilter)
    readonly_fields = ("purpose_display",)
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

    @admin.display(description=_("purpose"), ordering="purpose")
    def purpose_display(self, obj: OutboxMessage) -> str:
        return obj.purpose_label

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and request.user.has_perm("notifications.change_outboxmessage")
