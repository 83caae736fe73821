from django.urls import path
from django.utils.translation import gettext_lazy as _

from traza.assessment import views

app_name = "assessment"

urlpatterns = [
    path(_("plans/<int:pk>/assessment/"), views.plan_assessment, name="plan"),
    path(_("plans/<int:pk>/process/"), views.process_health, name="process"),
]
