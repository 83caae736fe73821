"""The public contribution form. Spam protection needs no outside service: a hidden field
that people leave empty and a signed timestamp that must be a few seconds old."""

from __future__ import annotations

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from traza.plans.models import ActionPlan, Commitment, Theme

MIN_SECONDS = 3
MAX_SECONDS = 24 * 3600
SALT = "traza.contribution-form"


class ContributionForm(forms.Form):
    text = forms.CharField(
        label=_("Your contribution"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What do you propose or comment, and why?"),
    )
    commitment = forms.ModelChoiceField(
        label=_("About"),
        queryset=Commitment.objects.none(),
        required=False,
        empty_label=_("The plan in general"),
    )
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)
    author_name = forms.CharField(label=_("Your name"), max_length=200)
    author_email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_("We send you the reasoned response here. It is never published."),
    )
    author_organization = forms.CharField(
        label=_("Your organisation (optional)"), max_length=300, required=False
    )
    show_author = forms.BooleanField(
        label=_("Publish my name and organisation beside my contribution"), required=False
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my personal data are processed to answer my contribution, as the "
            "personal data protection law allows (Ley 29733)."
        ),
        error_messages={"required": _("We need your consent to process your contribution.")},
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = Commitment.objects.filter(plan=plan).order_by("number")
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

    def contribution_values(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in (
                "text",
                "commitment",
                "theme",
                "author_name",
                "author_email",
                "author_organization",
                "show_author",
            )
        }
