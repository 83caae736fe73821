from django.urls import path
from django.utils.translation import gettext_lazy as _

from traza.cocreation import views

app_name = "cocreation"

urlpatterns = [
    path(_("plans/<int:pk>/calendar/"), views.plan_calendar, name="calendar"),
    path(_("plans/<int:pk>/calendar.ics"), views.plan_ics, name="calendar-ics"),
    path(_("events/<int:pk>/"), views.event_detail, name="event"),
    path(_("plans/<int:pk>/contribute/"), views.contribute, name="contribute"),
    path(_("plans/<int:pk>/contributions/"), views.contribution_list, name="contributions"),
    path(_("plans/<int:pk>/flow/"), views.plan_flow, name="flow"),
    path(_("plans/<int:pk>/responses.csv"), views.responses_csv, name="responses-csv"),
    path(_("plans/<int:pk>/responses.xlsx"), views.responses_xlsx, name="responses-xlsx"),
    path(_("contributions/<int:pk>/"), views.contribution_detail, name="contribution"),
    path(_("events/<int:pk>.ics"), views.event_ics, name="event-ics"),
    path(_("events/<int:pk>/register/"), views.register, name="register"),
    path(_("evidence/<int:pk>/"), views.evidence_file, name="evidence"),
    path(_("faq/"), views.faq, name="faq"),
    path(_("commitments/<int:pk>/discussion/"), views.discussion, name="discussion"),
    path(
        _("registrations/cancel/<str:token>/"),
        views.cancel_registration,
        name="cancel-registration",
    ),
]
