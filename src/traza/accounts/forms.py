import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from traza.core.forms import HumanCheckForm
from traza.notifications.services import enqueue

ACCOUNT_CONSENT = _(
    "I agree that Traza keeps my e-mail address and name to run my account (Ley 29733). "
    "My e-mail is never published; my name only where I choose to show it. I can download "
    "my data or ask for its erasure at any time."
)


class SignUpForm(HumanCheckForm):
    email = forms.EmailField(label=_("E-mail"))
    display_name = forms.CharField(
        label=_("Public name (optional)"),
        max_length=150,
        required=False,
        help_text=_("Shown beside what you publish, only when you choose to show your name."),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password_again = forms.CharField(
        label=_("Password, again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=ACCOUNT_CONSENT,
        error_messages={"required": _("We need your consent to open an account.")},
    )
    field_order = ["email", "display_name", "password", "password_again", "consent"]

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password and password != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        elif password:
            try:
                password_validation.validate_password(password)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


# The longest name anyone signs in with: an e-mail address (RFC 5321); account names are shorter.
MAX_LOGIN_NAME = 254


class LoginForm(AuthenticationForm):
    """Sign in with the account name or the e-mail address. A longer name is a form error
    before any password is checked (it could not be an account, nor fit the lock-out
    records)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.max_length = MAX_LOGIN_NAME
        username.widget.attrs["maxlength"] = MAX_LOGIN_NAME
        username.validators.append(MaxLengthValidator(MAX_LOGIN_NAME))


def _casefold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class OutboxPasswordResetForm(PasswordResetForm):
    """Password-reset e-mails go through the outbox like every other message, written in
    one transaction. An address without an account gets the same answer after the same
    work (the token made and the message composed, for nobody), so neither the page nor
    its timing tells whether the address has an account."""

    def get_users(self, email):
        """Active accounts, and accounts made by sign-up that still wait for their e-mail
        to be verified: setting a password from the link proves the person receives the
        address's mail, so the reset verifies the account too. Never a closed one."""
        candidates = get_user_model()._default_manager.filter(
            Q(is_active=True) | Q(awaiting_verification=True),
            email__iexact=email,
            erased_at__isnull=True,
        )
        wanted = _casefold(email)
        return (
            user
            for user in candidates
            if user.has_usable_password() and _casefold(user.email) == wanted
        )

    def save(self, *args, **kwargs):
        self._composed = 0
        with transaction.atomic():
            super().save(*args, **kwargs)
        if not self._composed:
            self._compose_for_nobody(**kwargs)  # Django's view passes everything by name

    def _compose_for_nobody(
        self,
        *,
        domain_override=None,
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.html",
        use_https=False,
        token_generator=default_token_generator,
        extra_email_context=None,
        **_unused,  # the sender, the request: nothing is sent
    ):
        nobody = get_user_model()(pk=0, email=self.cleaned_data["email"])
        nobody.set_unusable_password()
        context = {
            "email": nobody.email,
            "domain": domain_override or "",
            "site_name": domain_override or "",
            "uid": urlsafe_base64_encode(b"0"),
            "user": nobody,
            "token": token_generator.make_token(nobody),
            "protocol": "https" if use_https else "http",
            **(extra_email_context or {}),
        }
        self._compose(subject_template_name, email_template_name, context)

    def _compose(self, subject_template_name, email_template_name, context) -> tuple[str, str]:
        context = {**context, "base": settings.TRAZA_BASE_URL}  # never the request's Host
        with translation.override(settings.LANGUAGE_CODE):
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            body = render_to_string(email_template_name, context)
        return subject, body

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject, body = self._compose(subject_template_name, email_template_name, context)
        enqueue(to_email, subject, body, purpose="password_reset", about=context.get("user"))
        self._composed += 1


class OTPForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if not (code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("The code is six digits."))
        return code


class MyDataForm(HumanCheckForm):
    email = forms.EmailField(label=_("Your e-mail"))
    field_order = ["email"]


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand: my name and e-mail are removed from everything I sent; what I wrote stays, without my name."
        ),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
