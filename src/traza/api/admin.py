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
        return request.user.has_perm("api.change_apitoken")  # for the action

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in ApiToken._meta.concrete_fields]

    def save_model(self, request, obj, form, change):
        """Nothing to save: a token is only revoked, through the action (traced)."""

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        n = services.revoke_tokens(request.user, queryset)
        self.message_user(request, _("%(n)d tokens revoked.") % {"n": n}, messages.SUCCESS)
