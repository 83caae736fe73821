"""Staff confirm each session with a TOTP code before they reach the admin."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.TRAZA_REQUIRE_STAFF_2FA
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not user.is_verified()
            and "/admin/" in request.path
            and not request.path.endswith(("/admin/login/", "/admin/logout/"))
        ):
            return redirect(
                f"{reverse('accounts:otp')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)
