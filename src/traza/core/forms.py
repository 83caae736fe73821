"""Public forms need no outside service against spam: a hidden field that people leave
empty and a signed timestamp that must be a few seconds old. Every app's public forms
(co-creation, sign-up, following) build on ``HumanCheckForm``."""

from __future__ import annotations

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

MIN_SECONDS = 3
MAX_SECONDS = 24 * 3600
SALT = "traza.contribution-form"  # the name it always had: forms already open stay valid


class HumanCheckForm(forms.Form):
    """A hidden field people leave empty and a signed time the form was opened."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=SALT)

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def clean_started(self) -> float:
        try:
            started = float(
                signing.loads(self.cleaned_data["started"], salt=SALT, max_age=MAX_SECONDS)
            )
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(_("The form expired. Please send it again.")) from None
        if time.time() - started < MIN_SECONDS:
            raise forms.ValidationError(
                _("That was too fast. Please check your text and send it again.")
            )
        return started
