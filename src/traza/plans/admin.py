from django.contrib import admin

from traza.core.admin_base import ReadOnlyAdmin, TracedAdmin
from traza.plans import services
from traza.plans.models import (
    ActionPlan,
    Commitment,
    CommitmentVersion,
    Member,
    Milestone,
    Organization,
    Theme,
)


@admin.register(Member)
class MemberAdmin(TracedAdmin):
    service = services.save_member
    list_display = ("name", "kind", "member_since")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Organization)
class OrganizationAdmin(TracedAdmin):
    service = services.save_organization
    list_display = ("name", "acronym", "sector", "civil_society_type")
    list_filter = ("sector", "civil_society_type")
    search_fields = ("name", "acronym", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Theme)
class ThemeAdmin(TracedAdmin):
    service = services.save_theme
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ActionPlan)
class ActionPlanAdmin(TracedAdmin):
    service = services.save_plan
    list_display = ("title", "member", "number", "period_start", "period_end", "stage")
    list_filter = ("member", "stage")
    search_fields = ("title", "approval_instrument")
    list_select_related = ("member",)


@admin.register(Commitment)
class CommitmentAdmin(TracedAdmin):
    list_display = ("number", "title", "plan", "theme", "lead_organization", "status")
    list_filter = ("plan", "status", "theme")
    search_fields = ("title", "summary", "lead_organization__name")
    list_select_related = ("plan", "theme", "lead_organization")
    autocomplete_fields = ("lead_organization", "supporting_organizations")
    ordering = ("plan", "number")

    def call_service(self, actor, stored, form, values):
        return services.save_commitment(
            actor,
            stored,
            values,
            supporting=form.cleaned_data.get("supporting_organizations"),
            reason=form.cleaned_data.get("change_reason", ""),
        )


@admin.register(Milestone)
class MilestoneAdmin(TracedAdmin):
    list_display = ("commitment", "number", "text", "starts_on", "ends_on")
    list_filter = ("commitment__plan",)
    search_fields = ("text", "deliverable")
    list_select_related = ("commitment",)
    autocomplete_fields = ("commitment",)

    def call_service(self, actor, stored, form, values):
        return services.save_milestone(
            actor, stored, values, reason=form.cleaned_data.get("change_reason", "")
        )


@admin.register(CommitmentVersion)
class CommitmentVersionAdmin(ReadOnlyAdmin):
    list_display = ("commitment", "number", "step", "author_label", "source", "created_at")
    list_filter = ("step",)
    search_fields = ("commitment__title", "reason")
    list_select_related = ("commitment",)
