from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from traza.core.admin_base import ReasonForm, TracedAdmin
from traza.forum import services
from traza.forum.models import (
    Criterion,
    Decision,
    Forum,
    ForumRules,
    GoodPractice,
    Initiative,
    Membership,
    Session,
)


@admin.register(Forum)
class ForumAdmin(TracedAdmin):
    service = services.save_forum
    list_display = ("name", "member", "established_on", "dissolved_on")
    search_fields = ("name",)


@admin.register(ForumRules)
class ForumRulesAdmin(TracedAdmin):
    """Each save publishes a new version; published versions are never edited."""

    list_display = ("forum", "kind", "version", "published_on", "developed_jointly")
    list_filter = ("kind",)
    fields = ("forum", "kind", "text", "published_on", "developed_jointly", "url")

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def call_service(self, actor, stored, form, values):
        forum = values.pop("forum")
        return services.publish_rules(
            actor, forum, values, reason=form.cleaned_data.get("change_reason", "")
        )


@admin.register(Membership)
class MembershipAdmin(TracedAdmin):
    service = services.save_membership
    list_display = ("person", "organization", "forum", "sector", "role", "starts_on", "ends_on")
    list_filter = ("forum", "sector", "role")
    search_fields = ("person", "organization__name")
    autocomplete_fields = ("organization",)


@admin.register(Session)
class SessionAdmin(TracedAdmin):
    service = services.save_session
    m2m_fields = ("attendees",)
    list_display = ("forum", "held_on", "modality", "minutes_published_on")
    list_filter = ("forum", "modality")
    filter_horizontal = ("attendees",)
    date_hierarchy = "held_on"


@admin.register(Decision)
class DecisionAdmin(TracedAdmin):
    service = services.save_decision
    list_display = ("text", "session", "plan", "commitment", "binding")
    list_filter = ("binding",)
    autocomplete_fields = ("commitment",)


@admin.register(Initiative)
class InitiativeAdmin(TracedAdmin):
    service = services.save_initiative
    m2m_fields = ("themes", "commitments", "forum_members")
    list_display = ("name", "kind", "regions")
    list_filter = ("kind", "themes")
    search_fields = ("name", "description")
    autocomplete_fields = ("organization", "commitments", "forum_members")
    filter_horizontal = ("themes",)


class GoodPracticeForm(ReasonForm):
    criteria = forms.MultipleChoiceField(
        label=_("criteria met"), choices=Criterion.choices, widget=forms.CheckboxSelectMultiple
    )


@admin.register(GoodPractice)
class GoodPracticeAdmin(TracedAdmin):
    form = GoodPracticeForm
    service = services.save_good_practice
    list_display = ("title", "commitment", "initiative", "identified_on")
    search_fields = ("title", "description")
    autocomplete_fields = ("commitment", "initiative")
