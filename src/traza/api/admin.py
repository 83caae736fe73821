from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from traza.api.models import ApiToken
from traza.core.admin_base import ReadOnlyAdmin
from traza.core.services import record, trace_language


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are created with ``traza create-token`` (the key is shown once) and revoked here."""

    list_display = ("name", "user", "hint", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("api.change_apitoken")

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        n = 0
        with transaction.atomic():
            for token in queryset.filter(revoked_at__isnull=True).select_for_update():
                token.revoked_at = timezone.now()
                token.save(update_fields=["revoked_at"])
                with trace_language():
                    summary = gettext("API token revoked: %(token)s") % {"token": token}
                record(
                    request.user,
                    "status",
                    token,
                    summary=summary,
                    changes={"revoked_at": [None, token.revoked_at]},
                )
                n += 1
        self.message_user(request, _("%(n)d tokens revoked.") % {"n": n}, messages.SUCCESS)
