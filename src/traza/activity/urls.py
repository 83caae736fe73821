from django.urls import path
from django.utils.translation import gettext_lazy as _

from traza.activity import views
from traza.activity.feeds import PlanFeed

app_name = "activity"

# The same addresses as when these pages lived in plans, monitoring and repository.
urlpatterns = [
    path(_("plans/<int:pk>/trace.<str:fmt>"), views.plan_trace, name="plan_trace"),
    path(_("commitments/<int:pk>/timeline/"), views.commitment_timeline, name="timeline"),
    path(_("plans/<int:pk>/feed/"), PlanFeed(), name="plan_feed"),
]
