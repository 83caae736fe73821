from django.urls import path
from django.utils.translation import gettext_lazy as _

from traza.reports import views

app_name = "reports"

urlpatterns = [
    path(_("plans/<int:pk>/documents/"), views.plan_documents, name="plan_documents"),
    path(_("plans/<int:pk>/documents/generate/"), views.generate, name="generate"),
    path(
        _("plans/<int:pk>/documents/<str:report>.<str:language>.<str:fmt>"),
        views.download,
        name="download",
    ),
]
