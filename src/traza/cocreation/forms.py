"""Public forms of co-creation, protected from spam by ``HumanCheckForm`` (core.forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from traza.cocreation.models import Registration, Second
from traza.core.forms import SALT as SALT  # tests and older imports read it here
from traza.core.forms import HumanCheckForm
from traza.plans.models import ActionPlan, Commitment, Organization, Theme

PERSONAL_DATA_CONSENT = _(
    "I agree that my personal data are processed to answer my contribution, as the "
    "personal data protection law allows (Ley 29733)."
)
REGISTRATION_CONSENT = _(
    "I agree that my personal data are processed to organise this event and to count its "
    "participation, as the personal data protection law allows (Ley 29733). They are never "
    "published."
)


class ContributionForm(HumanCheckForm):
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
        label=PERSONAL_DATA_CONSENT,
        error_messages={"required": _("We need your consent to process your contribution.")},
    )
    field_order = [
        "text",
        "commitment",
        "theme",
        "author_name",
        "author_email",
        "author_organization",
        "show_author",
        "consent",
    ]

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = Commitment.objects.filter(plan=plan).order_by("number")

    def contribution_values(self) -> dict:
        return {key: self.cleaned_data[key] for key in self.field_order if key != "consent"}


class RegistrationForm(HumanCheckForm, forms.ModelForm):
    consent = forms.BooleanField(
        label=REGISTRATION_CONSENT,
        error_messages={"required": _("We need your consent to register you.")},
    )

    class Meta:
        model = Registration
        fields = [
            "name",
            "email",
            "organization",
            "sector",
            "civil_society_type",
            "region",
            "access_needs",
        ]
        widgets = {"access_needs": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"access_needs": _("Interpretation, sign language, step-free access…")}

    field_order = [*Meta.fields, "consent"]

    def _post_clean(self):
        """The service validates the registration with its event, in its own transaction."""

    def registration_values(self) -> dict:
        values = {key: self.cleaned_data[key] for key in self.Meta.fields}
        values["consent_text"] = str(REGISTRATION_CONSENT)
        return values


class SecondForm(HumanCheckForm, forms.ModelForm):
    consent = forms.BooleanField(
        label=_(
            "I agree that my name and e-mail are kept to count my support (Ley 29733). "
            "Only the number of supporters is published."
        ),
        error_messages={"required": _("We need your consent to count your support.")},
    )

    class Meta:
        model = Second
        fields = ["name", "email", "organization"]

    field_order = [*Meta.fields, "consent"]

    def _post_clean(self):
        """The service validates the second with its contribution."""

    def second_values(self) -> dict:
        return {key: self.cleaned_data[key] for key in self.Meta.fields}


DISCUSSION_CONSENT = _(
    "I agree that my personal data are processed to moderate and answer my message, as the "
    "personal data protection law allows (Ley 29733). My e-mail is never published."
)


class DiscussionForm(HumanCheckForm):
    """A participant's message in the public discussion of a draft commitment."""

    text = forms.CharField(
        label=_("Your message"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )
    author_name = forms.CharField(label=_("Your name"), max_length=200)
    author_email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_("We tell you here how your message was answered. It is never published."),
    )
    author_organization = forms.CharField(
        label=_("Your organisation (optional)"), max_length=300, required=False
    )
    show_author = forms.BooleanField(
        label=_("Publish my name and organisation beside my message"), required=False
    )
    consent = forms.BooleanField(
        label=DISCUSSION_CONSENT,
        error_messages={"required": _("We need your consent to publish your message.")},
    )

    def post_values(self) -> dict:
        values = {
            key: self.cleaned_data[key]
            for key in ("text", "author_name", "author_email", "author_organization", "show_author")
        }
        values["consent_text"] = str(DISCUSSION_CONSENT)
        return values


class OfficialAnswerForm(forms.Form):
    """An answer on behalf of an institution; only accounts allowed to answer see it."""

    organization = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organization.objects.filter(sector="public")
    )
    text = forms.CharField(
        label=_("Official answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class SelfAssessmentCommentForm(ContributionForm):
    """A public comment on a self-assessment report; same consent and spam checks."""

    text = forms.CharField(
        label=_("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What is missing, wrong or well done in this report, and why?"),
    )

    commitment = None
    theme = None
    field_order = [n for n in ContributionForm.field_order if n not in ("commitment", "theme")]

    def __init__(self, *args, **kwargs):
        HumanCheckForm.__init__(self, *args, **kwargs)
