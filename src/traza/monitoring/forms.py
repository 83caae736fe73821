from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from traza.core.uploads import check_upload
from traza.monitoring.models import Indicator, MilestoneStatus
from traza.plans.models import Commitment, Milestone


class ProgressForm(forms.Form):
    milestone = forms.ModelChoiceField(label=_("Milestone"), queryset=Milestone.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=MilestoneStatus.choices)
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    narrative = forms.CharField(
        label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    fact_date = forms.DateField(
        label=_("Date of the fact"), widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence_file = forms.FileField(
        label=_("Evidence file (optional)"),
        required=False,
        help_text=_("Minutes, photos, audio, video, CSV, presentations."),
    )
    evidence_link = forms.URLField(
        label=_("Evidence link (optional)"), required=False, assume_scheme="https"
    )
    evidence_title = forms.CharField(
        label=_("Title of the evidence"), max_length=300, required=False
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator measured (optional)"),
        queryset=Indicator.objects.none(),
        required=False,
    )
    measured_value = forms.DecimalField(
        label=_("Value measured"), required=False, max_digits=16, decimal_places=4
    )
    measured_on = forms.DateField(
        label=_("Measured on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, commitment: Commitment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = commitment.milestones.order_by("number")
        self.fields["indicator"].queryset = Indicator.objects.filter(
            Q(commitment=commitment) | Q(milestone__commitment=commitment)
        )
        if not self.fields["indicator"].queryset.exists():
            for name in ("indicator", "measured_value", "measured_on"):
                del self.fields[name]

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            check_upload(upload)  # the message on the field, before the service checks again
        return upload

    def clean(self):
        data = super().clean()
        if (data.get("evidence_file") or data.get("evidence_link")) and not data.get(
            "evidence_title"
        ):
            self.add_error("evidence_title", _("Give the evidence a title."))
        if data.get("indicator"):
            for name in ("measured_value", "measured_on"):
                if data.get(name) is None:
                    self.add_error(name, _("Give the value and the date of the measurement."))
        return data

    def measurements(self) -> list[tuple]:
        data = self.cleaned_data
        if not data.get("indicator"):
            return []
        return [(data["indicator"], data["measured_value"], data["measured_on"])]

    def report_values(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("status", "percent", "narrative", "fact_date")}

    def evidence(self) -> tuple[list, list]:
        title = self.cleaned_data.get("evidence_title", "")
        files = (
            [(title, self.cleaned_data["evidence_file"])]
            if self.cleaned_data.get("evidence_file")
            else []
        )
        links = (
            [(title, self.cleaned_data["evidence_link"])]
            if self.cleaned_data.get("evidence_link")
            else []
        )
        return files, links
