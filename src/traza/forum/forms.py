from django import forms
from django.utils.translation import gettext_lazy as _

from traza.cocreation.forms import SelfAssessmentCommentForm
from traza.forum.models import Forum
from traza.plans.models import ActionPlan


class ForumInputForm(SelfAssessmentCommentForm):
    """An input to the forum from someone who is not a member (consent and spam checks of
    every public form)."""

    plan = forms.ModelChoiceField(
        label=_("Action plan it concerns"), queryset=ActionPlan.objects.none()
    )
    text = forms.CharField(
        label=_("Your input"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What should the forum consider, and why?"),
    )
    field_order = ["plan", *SelfAssessmentCommentForm.field_order]

    def __init__(self, *args, forum: Forum, **kwargs):
        super().__init__(*args, **kwargs)
        plans = ActionPlan.objects.filter(member=forum.member_id).order_by("-number")
        self.fields["plan"].queryset = plans
        self.fields["plan"].initial = plans.first()

    def contribution_values(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.field_order if k not in ("consent", "plan")}
