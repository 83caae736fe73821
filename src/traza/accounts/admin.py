from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from traza.accounts import services
from traza.accounts.models import User
from traza.core.admin_base import AccessibleAdminMixin
from traza.core.services import record, trace_language


@admin.register(User)
class TrazaUserAdmin(AccessibleAdminMixin, UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (None, {"fields": ("display_name",)}))
    list_display = ("username", "email", "display_name", "is_staff", "is_active")
    # plain labelled multiple selects: the admin's two-box filter widget adds aria-label to
    # spans without a role (axe: aria-prohibited-attr), and needs JavaScript
    filter_horizontal = ()
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


# --- The second factor's devices (django-otp) and sign-in protection (django-axes), in the
# site's language. django-otp names its model and fields in plain English strings: the
# labels are replaced here, at run time, on the model's options (not its fields: that would
# change the third-party migrations' state) and in the admin's form and columns.
TOTPDevice._meta.verbose_name = _lazy("TOTP device")
TOTPDevice._meta.verbose_name_plural = _lazy("TOTP devices (authenticator apps)")
apps.get_app_config("otp_totp").verbose_name = _lazy("Second factor")
apps.get_app_config("axes").verbose_name = _lazy("Sign-in protection")

TOTP_LABELS = {
    "user": _lazy("account"),
    "name": _lazy("device name"),
    "confirmed": _lazy("confirmed"),
    "key": _lazy("secret key"),
    "step": _lazy("time step (seconds)"),
    "t0": _lazy("start time (Unix)"),
    "digits": _lazy("digits"),
    "tolerance": _lazy("tolerance (time steps)"),
    "drift": _lazy("clock drift (time steps)"),
    "throttling_failure_timestamp": _lazy("last failed attempt"),
    "throttling_failure_count": _lazy("failed attempts in a row"),
}


class TrazaTOTPDeviceForm(forms.ModelForm):
    class Meta:
        model = TOTPDevice
        fields = list(TOTP_LABELS)  # the admin's fieldsets decide which are shown
        labels = TOTP_LABELS


class TrazaTOTPDeviceAdmin(AccessibleAdminMixin, TOTPDeviceAdmin):
    """django-otp's admin with translated section titles, columns and field labels."""

    form = TrazaTOTPDeviceForm
    list_display = ["user", "device_name", "created", "last_used", "is_confirmed"]

    def get_fieldsets(self, request, obj=None):
        # the section titles are django-otp's English; their msgids are in core.admin_messages
        return [
            (_(name) if name else name, options)
            for name, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description=_lazy("device name"), ordering="name")
    def device_name(self, device: TOTPDevice) -> str:
        return device.name

    @admin.display(description=_lazy("created"), ordering="created_at")
    def created(self, device: TOTPDevice):
        return device.created_at

    @admin.display(description=_lazy("last used"), ordering="last_used_at")
    def last_used(self, device: TOTPDevice):
        return device.last_used_at

    @admin.display(description=_lazy("confirmed"), boolean=True, ordering="confirmed")
    def is_confirmed(self, device: TOTPDevice) -> bool:
        return device.confirmed


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TrazaTOTPDeviceAdmin)
