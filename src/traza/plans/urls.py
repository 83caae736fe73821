from django.urls import path
from django.utils.translation import gettext_lazy as _

from traza.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path(_("plans/<int:pk>/"), views.plan_detail, name="plan"),
    path(_("commitments/<int:pk>/"), views.commitment_detail, name="commitment"),
]
