from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from traza.accounts import services
from traza.accounts.models import User
from traza.core.services import record, trace_language


@admin.register(User)
class TrazaUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (None, {"fields": ("display_name",)}))
    list_display = ("username", "email", "display_name", "is_staff", "is_active")
    actions = ["reset_second_factor"]

    @admin.action(
        description=_lazy("Reset the second factor and e-mail a one-time link to set it up"),
        permissions=["change"],
    )
    def reset_second_factor(self, request, queryset):
        """A lost phone or a departure: the account's devices go (its open sessions are no
        longer verified) and its owner receives a new link. Traced by the service."""
        done, skipped = [], []
        for user in queryset.order_by("username"):
            if not user.is_staff or not user.email:
                skipped.append(user.get_username())
                continue
            services.reset_second_factor(request.user, user)
            done.append(user.get_username())
        if done:
            self.message_user(
                request,
                _("Second factor reset; a link was e-mailed to: %(users)s")
                % {"users": ", ".join(done)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                _("Not reset (not staff, or no e-mail address): %(users)s")
                % {"users": ", ".join(skipped)},
                messages.WARNING,
            )

    def save_model(self, request, obj, form, change):
        """Account changes are traced too: which fields changed, never their values."""
        services.save_account(request.user, obj, list(form.changed_data), creating=not change)

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
