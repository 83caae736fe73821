from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.utils.translation import gettext as _

from traza.accounts.models import User
from traza.core.services import record, trace_language

# Fields whose values never enter the trace (only the fact that they changed).
SECRET_FIELDS = {"password", "password1", "password2"}


@admin.register(User)
class TrazaUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (None, {"fields": ("display_name",)}))
    list_display = ("username", "email", "display_name", "is_staff", "is_active")

    def save_model(self, request, obj, form, change):
        """Account changes are traced too: which fields changed, never their values."""
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changed = sorted(
                "password" if field in SECRET_FIELDS else field for field in set(form.changed_data)
            )
            with trace_language():
                summary = (
                    _("Changed account “%(user)s”: %(fields)s")
                    if change
                    else _("Created account “%(user)s”")
                ) % {"user": obj.get_username(), "fields": ", ".join(changed)}
            record(
                request.user,
                "update" if change else "create",
                obj,
                summary=summary,
                changes={"fields": changed},
            )

    def user_change_password(self, request, id, form_url=""):
        """A password set in the admin is traced too (the fact, never the value)."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=id)
                with trace_language():
                    summary = _("Changed account “%(user)s”: %(fields)s") % {
                        "user": user.get_username(),
                        "fields": "password",
                    }
                record(
                    request.user, "update", user, summary=summary, changes={"fields": ["password"]}
                )
        return response
