"""Public forms need no outside service against spam: a hidden field that people leave
empty and a signed timestamp that must be a few seconds old. Every app's public forms
(co-creation, sign-up, following) build on ``HumanCheckForm``."""

from __future__ import annotations

import time
from typing import cast

from django import forms
from django.core import signing
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

MIN_SECONDS = 3
MAX_SECONDS = 24 * 3600
SALT = "traza.contribution-form"  # the name it always had: forms already open stay valid

TOO_FAST_MESSAGE = _(
    "You sent it very quickly: wait a few seconds and send it again. Nothing you wrote was lost."
)
EXPIRED_MESSAGE = _(
    "This form was open too long and expired. Nothing you wrote was lost: send it again."
)
HONEYPOT_MESSAGE = _(
    "It was not sent: a hidden field that people leave empty was filled in (some browsers "
    "fill it automatically). Nothing you wrote was lost: send it again."
)


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

    def _renew_started(self) -> None:
        """Give the re-shown form a fresh signed time, so that sending it again works."""
        data = cast(QueryDict, self.data).copy()  # bound: a QueryDict, immutable
        data[self.add_prefix("started")] = signing.dumps(time.time(), salt=SALT)
        self.data = data

    def clean_website(self) -> str:
        # Browsers that fill forms automatically sometimes fill the hidden field too: say so
        # at the top (the field itself is hidden), empty it and keep what the person wrote.
        if self.cleaned_data.get("website"):
            data = cast(QueryDict, self.data).copy()
            data[self.add_prefix("website")] = ""
            self.data = data
            self.add_error(None, HONEYPOT_MESSAGE)
        return ""

    def clean_started(self) -> float | None:
        # The errors of this hidden field go at the top in plain words; what the person
        # typed stays in the re-shown form.
        try:
            started = float(
                signing.loads(self.cleaned_data["started"], salt=SALT, max_age=MAX_SECONDS)
            )
        except (signing.BadSignature, TypeError, ValueError):
            self._renew_started()
            self.add_error(None, EXPIRED_MESSAGE)
            return None
        if time.time() - started < MIN_SECONDS:
            self.add_error(None, TOO_FAST_MESSAGE)
            return None
        return started
