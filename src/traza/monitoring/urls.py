from django.urls import path
from django.utils.translation import gettext_lazy as _

from traza.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path(_("commitments/<int:pk>/progress/"), views.report_progress, name="report"),
    path(_("plans/<int:pk>/dashboard/"), views.plan_dashboard, name="plan_dashboard"),
    path(_("institutions/<slug:slug>/"), views.institution_dashboard, name="institution"),
    path(_("themes/<slug:slug>/"), views.theme_dashboard, name="theme"),
    path(_("self-assessments/<int:pk>/"), views.self_assessment, name="self_assessment"),
    path(_("progress-evidence/<int:pk>/"), views.evidence_file, name="evidence"),
]
