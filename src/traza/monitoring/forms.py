from django import forms
from django.utils.translation import gettext_lazy as _

from traza.monitoring.models import MilestoneStatus
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

    def __init__(self, *args, commitment: Commitment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = commitment.milestones.order_by("number")

    def clean(self):
        data = super().clean()
        if (data.get("evidence_file") or data.get("evidence_link")) and not data.get(
            "evidence_title"
        ):
            self.add_error("evidence_title", _("Give the evidence a title."))
        return data

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
