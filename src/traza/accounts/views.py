import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from traza.accounts import privacy as privacy_services
from traza.accounts import second_factor as second_factor_services
from traza.accounts import services
from traza.accounts.forms import (
    ACCOUNT_CONSENT,
    EraseForm,
    LoginForm,
    MyDataForm,
    OTPForm,
    OutboxPasswordResetForm,
    SignUpForm,
)


def _next(request: HttpRequest, default: str) -> str:
    """Where to go after a step: only this site, never an open redirect."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.sign_up(
            {
                "email": form.cleaned_data["email"],
                "display_name": form.cleaned_data["display_name"],
                "password": form.cleaned_data["password"],
                "consent_text": str(ACCOUNT_CONSENT),
            }
        )
        return render(request, "accounts/signup_sent.html")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


def verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.verify_email(token)
    except ValidationError as error:
        return render(request, "accounts/verified.html", {"error": error.messages[0]}, status=400)
    return render(request, "accounts/verified.html", {})


class SiteNameMixin:
    """Django's sign-in and sign-out views put the host name (the "current site" without the
    sites framework) in ``site_name``, over the context processor's: put Traza's name back."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["site_name"] = settings.TRAZA_SITE_NAME
        return context


class LoginView(SiteNameMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(SiteNameMixin, auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/reset.txt"
    subject_template_name = "accounts/reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        with transaction.atomic():  # the password, and the verification it proves
            response = super().form_valid(form)
            services.verify_by_password_reset(form.user)
        messages.success(self.request, _("Your password was changed. You can sign in."))
        return response


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Enter the TOTP code that staff need for every page. A password alone never shows a
    key: an account without a second factor asks here for a one-time link by e-mail."""
    user = request.user
    if not user.is_staff:
        raise PermissionDenied
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True)
    enrolled = confirmed.exists()
    form = OTPForm(request.POST or None) if enrolled else None
    if request.method == "POST" and not enrolled:
        if "send_link" in request.POST and services.request_enrolment(user):
            messages.success(
                request,
                _(
                    "We sent a one-time link to the e-mail address of your account. Open it "
                    "while signed in to this account to set up your second factor."
                ),
            )
            return redirect(request.get_full_path())
    elif request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        matched = next((d for d in confirmed if d.verify_token(code)), None)
        if matched is not None:
            otp_login(request, matched)
            return redirect(_next(request, reverse("admin:index")))
        form.add_error("code", _("The code is not right. Check your phone's clock and try again."))
    context = {
        "form": form,
        "enrolled": enrolled,
        "has_email": bool(user.email),
        "next": _next(request, ""),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/otp.html", context, status=status)


@login_required
def enrol_second_factor(request: HttpRequest, token: str) -> HttpResponse:
    """The page of a one-time link: only here, in a session of the link's account, is the key
    of a new second factor shown; a code from the app confirms it and uses the link up."""
    enrolment = second_factor_services.open_enrolment(token, request.user)
    if enrolment is None:
        return render(request, "accounts/otp_enrol.html", {"invalid": True}, status=400)
    device = services.enrolment_device(enrolment)
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        matched = services.complete_enrolment(enrolment, form.cleaned_data["code"])
        if matched is not None:
            otp_login(request, matched)
            messages.success(request, _("Your second factor is set up."))
            return redirect(_next(request, reverse("admin:index")))
        form.add_error("code", _("The code is not right. Check your phone's clock and try again."))
    context = {
        "form": form,
        "next": _next(request, ""),
        "qr": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4)),
        "secret": _base32(device.bin_key),
    }
    status = 400 if request.method == "POST" else 200
    response = render(request, "accounts/otp_enrol.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _base32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


def privacy(request: HttpRequest) -> HttpResponse:
    """What is public about each person, and the way to see, download or erase one's data."""
    form = MyDataForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        privacy_services.request_link(form.cleaned_data["email"])
        return render(request, "accounts/my_data_sent.html")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/privacy.html", {"form": form}, status=status)


@never_cache
def my_data(request: HttpRequest, token: str) -> HttpResponse:
    email = privacy_services.email_from(token)
    if email is None:
        return render(request, "accounts/my_data.html", {"expired": True}, status=400)
    if request.GET.get("format") == "json":
        response = JsonResponse(
            privacy_services.personal_data(email),
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
        response["Content-Disposition"] = 'attachment; filename="mis-datos-traza.json"'
        return response
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        counts = privacy_services.named(privacy_services.erase(email))
        return render(request, "accounts/my_data.html", {"erased": counts})
    data = privacy_services.personal_data(email)
    counts = privacy_services.named({kind: len(rows) for kind, rows in data.items()})
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/my_data.html", {"counts": counts, "form": form}, status=status)
