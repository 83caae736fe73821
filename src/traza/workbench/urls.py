from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from traza.workbench import views

app_name = "workbench"

urlpatterns: list = [
    path("", views.index, name="index"),
    path(_("plans/<int:pk>/"), views.queue, name="queue"),
    path(_("plans/<int:pk>/decide/"), views.decide, name="decide"),
    path(_("plans/<int:pk>/drafts/"), views.drafts, name="drafts"),
    path(_("plans/<int:pk>/triage/"), views.triage, name="triage"),
    path(_("contributions/<int:pk>/"), views.contribution, name="contribution"),
    path(_("templates/"), views.templates, name="templates"),
    path(_("templates/<int:pk>/"), views.templates, name="template"),
    path("", include("traza.workbench.matrix.urls")),
]
