"""Staff sessions: signed out after a while without activity, and confirmed with a TOTP code
before they reach any page (not only the admin)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from traza.accounts.second_factor import is_verified_staff

# The moment of a session's last request (seconds since the epoch).
LAST_ACTIVITY_KEY = "traza_last_activity"
# What a staff session that has not confirmed its second factor may still reach: signing in
# and out, and the second factor's own pages. Everything else waits for the code.
SECOND_FACTOR_EXEMPT = frozenset(
    {"accounts:login", "accounts:logout", "accounts:otp", "accounts:otp_enrol", "admin:logout"}
)


@receiver(user_logged_in, dispatch_uid="traza-last-activity")
def start_the_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = time.time()


class StaffIdleTimeoutMiddleware:
    """A staff session idle for longer than TRAZA_STAFF_IDLE_MINUTES is signed out on its next
    request, which goes to the sign-in page with a message. (A staff session without a
    recorded last activity counts as idle.) Must come after the message middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY)
            minutes = settings.TRAZA_STAFF_IDLE_MINUTES
            if not isinstance(last, int | float) or now - last > minutes * 60:
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were signed out after %(minutes)d minutes without activity. "
                        "Sign in again."
                    )
                    % {"minutes": minutes},
                )
                return redirect_to_login(request.get_full_path())
            request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    """A staff session that has not confirmed its second factor reaches no page but those in
    SECOND_FACTOR_EXEMPT: it is sent to the second-factor page. One rule for the admin, the
    private files and any page added later; views that decide by staff status also ask
    :func:`traza.accounts.second_factor.is_verified_staff`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if (
            settings.TRAZA_REQUIRE_STAFF_2FA
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not is_verified_staff(user)
            and request.resolver_match.view_name not in SECOND_FACTOR_EXEMPT
        ):
            return redirect(
                f"{reverse('accounts:otp')}?{urlencode({'next': request.get_full_path()})}"
            )
        return None
