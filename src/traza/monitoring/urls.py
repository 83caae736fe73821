from django.urls import path
from django.utils.translation import gettext_lazy as _

from traza.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path(_("commitments/<int:pk>/progress/"), views.report_progress, name="report"),
]
