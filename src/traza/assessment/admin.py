from django.contrib import admin

from traza.assessment import services
from traza.assessment.models import PublishedFigure, Rating, RecommendationFollowUp
from traza.core.admin_base import TracedAdmin


@admin.register(Rating)
class RatingAdmin(TracedAdmin):
    service = services.save_rating
    list_display = (
        "commitment",
        "milestone",
        "stage",
        "methodology",
        "verifiability",
        "potential_impact",
        "completion",
    )
    list_filter = ("commitment__plan", "stage", "methodology")
    list_select_related = ("commitment", "milestone")
    autocomplete_fields = ("commitment", "milestone")


@admin.register(RecommendationFollowUp)
class RecommendationFollowUpAdmin(TracedAdmin):
    service = services.save_followup
    list_display = ("plan", "number", "recommendation", "addressed", "integrated")
    list_filter = ("plan",)


@admin.register(PublishedFigure)
class PublishedFigureAdmin(TracedAdmin):
    service = services.save_published_figure
    list_display = ("plan", "table", "key", "value", "percent", "printed", "source")
    list_filter = ("plan", "table")
