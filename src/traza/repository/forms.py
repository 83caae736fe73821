from django import forms
from django.utils.translation import gettext_lazy as _

from traza.core.forms import HumanCheckForm
from traza.notifications.models import Frequency

FOLLOW_CONSENT = _(
    "I agree that Traza keeps my e-mail address only to send me these messages; it is never "
    "published, and every message has a link to stop them."
)


class FollowForm(HumanCheckForm):
    email = forms.EmailField(label=_("Your e-mail"))
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=FOLLOW_CONSENT,
        error_messages={"required": _("We need your consent to send you messages.")},
    )
    field_order = ["email", "frequency", "consent"]
