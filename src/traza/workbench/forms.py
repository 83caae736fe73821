"""Forms of the workbench: one decision for the chosen contributions, and response
templates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traza.cocreation.models import (
    CHANGING_OUTCOMES,
    Contribution,
    DecidingBody,
    Outcome,
    ReasonCategory,
    ResponseDraft,
)
from traza.plans.models import ActionPlan, CommitmentVersion, Organization
from traza.workbench import templating
from traza.workbench.models import ResponseTemplate
from traza.workbench.queries import plan_versions


class VersionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CommitmentVersion) -> str:
        return _("%(number)s. %(title)s · version %(version)s") % {
            "number": obj.commitment.number,
            "title": obj.commitment.title,
            "version": obj.number,
        }


class DecisionForm(forms.Form):
    """One decision for every contribution chosen; the text comes from a template or is
    written here, with placeholders filled in for each person on the next step."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reason_category = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", "—"), *ReasonCategory.choices],
        required=False,
        help_text=_("Required when the contribution is not adopted or out of scope."),
    )
    forwarded_to = forms.CharField(
        label=_("Forwarded to"),
        max_length=200,
        required=False,
        help_text=_("Only for the outcome “forwarded”: the entity that received it."),
    )
    deciding_body = forms.ChoiceField(label=_("Decided by"), choices=DecidingBody.choices)
    deciding_sector = forms.ModelChoiceField(
        label=_("Sector (technical meeting)"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        help_text=_("Required when a technical meeting with the sector decided."),
    )
    decided_on = forms.DateField(
        label=_("Decided on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Year-month-day."),
    )
    versions = VersionChoiceField(
        label=_("Commitment versions it changed"),
        queryset=CommitmentVersion.objects.none(),
        required=False,
        help_text=_("Only for adopted, partly adopted or merged contributions."),
    )
    template = forms.ModelChoiceField(
        label=_("Response template"),
        queryset=ResponseTemplate.objects.order_by("name"),
        required=False,
        empty_label=_("(none: write the text below)"),
    )
    body = forms.CharField(
        label=_("Text of the response"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_(
            "Leave it empty to use the template. Placeholders: {nombre}, {cita}, "
            "{compromiso}, {enlace_compromiso}, {entidad}, {enlace_aporte}; "
            "write {{ or }} for a brace. Each text can be edited on the next step."
        ),
    )

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("decided_on", timezone.localdate())
        kwargs["initial"].setdefault("deciding_body", DecidingBody.SECRETARIAT)
        super().__init__(*args, **kwargs)
        self.plan = plan
        versions = self.fields["versions"]
        assert isinstance(versions, forms.ModelMultipleChoiceField)
        versions.queryset = plan_versions(plan)
        versions.widget.attrs["size"] = 6

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.errors:
            return data
        body = (data.get("body") or "").strip()
        template = data.get("template")
        if not body and template is not None:
            body = template.body
        if not body and data.get("outcome") != Outcome.PENDING:
            self.add_error(
                "body", _("Choose a response template or write the text of the response.")
            )
        data["text_template"] = body
        if data.get("versions") and data.get("outcome") not in CHANGING_OUTCOMES:
            self.add_error(
                "versions",
                _("Only an adopted, partly adopted or merged contribution changes a commitment."),
            )
        probe = ResponseDraft(**{**self.decision_values(data), "text": body or "-"})
        try:
            probe.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return data

    def decision_values(self, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """The decision's values (text aside: each person has their own)."""
        data = self.cleaned_data if data is None else data
        return {
            "outcome": data.get("outcome"),
            "reason_category": data.get("reason_category") or "",
            "deciding_body": data.get("deciding_body"),
            "deciding_sector": data.get("deciding_sector"),
            "decided_on": data.get("decided_on"),
            "forwarded_to": (data.get("forwarded_to") or "").strip(),
        }

    def check_placeholders(self, contributions: Sequence[Contribution]) -> bool:
        """Add an error naming each placeholder that cannot be filled, and for whom."""
        problems = templating.check(
            self.cleaned_data.get("text_template", ""),
            contributions,
            versions=list(self.cleaned_data.get("versions") or []),
            forwarded_to=self.cleaned_data.get("forwarded_to", ""),
        )
        for message in problems.messages():
            self.add_error("body", message)
        return not problems


class TemplateForm(forms.ModelForm):
    class Meta:
        model = ResponseTemplate
        fields = ["name", "outcome", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        try:
            names = templating.placeholders_in(body)
        except templating.TemplateSyntaxProblem as error:
            raise ValidationError(str(error)) from error
        unknown = templating.PlaceholderProblems(
            unknown=[n for n in names if n not in templating.PLACEHOLDERS]
        )
        if unknown:
            raise ValidationError(unknown.messages())
        return body
