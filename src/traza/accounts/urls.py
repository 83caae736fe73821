from django.urls import path
from django.utils.translation import gettext_lazy as _

from traza.accounts import views

app_name = "accounts"

urlpatterns = [
    path(_("account/sign-up/"), views.sign_up, name="signup"),
    path(_("account/verify/<str:token>/"), views.verify, name="verify"),
    path(_("account/sign-in/"), views.LoginView.as_view(), name="login"),
    path(_("account/sign-out/"), views.LogoutView.as_view(), name="logout"),
    path(_("account/password/"), views.PasswordResetView.as_view(), name="password_reset"),
    path(
        _("account/password/sent/"),
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        _("account/password/<uidb64>/<token>/"),
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(_("account/second-factor/"), views.second_factor, name="otp"),
    path(
        _("account/second-factor/set-up/<str:token>/"),
        views.enrol_second_factor,
        name="otp_enrol",
    ),
    path(_("privacy/"), views.privacy, name="privacy"),
    path(_("privacy/my-data/<str:token>/"), views.my_data, name="my_data"),
]
