from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from traza.api import services
from traza.api.models import ApiToken
from traza.core.admin_base import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are created with ``traza create-token`` (the key is shown once) and revoked here."""

    list_display = ("name", "user", "hint", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("api.change_apitoken")

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        n = services.revoke_tokens(request.user, queryset)
        self.message_user(request, _("%(n)d tokens revoked.") % {"n": n}, messages.SUCCESS)
