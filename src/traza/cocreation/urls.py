from django.urls import path
from django.utils.translation import gettext_lazy as _

from traza.cocreation import views

app_name = "cocreation"

urlpatterns = [
    path(_("plans/<int:pk>/calendar/"), views.plan_calendar, name="calendar"),
    path(_("plans/<int:pk>/calendar.ics"), views.plan_ics, name="calendar-ics"),
    path(_("events/<int:pk>/"), views.event_detail, name="event"),
    path(_("events/<int:pk>.ics"), views.event_ics, name="event-ics"),
]
