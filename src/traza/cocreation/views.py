from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify

from traza.cocreation import queries
from traza.cocreation.ical import calendar_bytes
from traza.cocreation.models import Event


def plan_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    cal = queries.plan_calendar(pk)
    context = {"cal": cal, "attendance": queries.attendance_by_kind(cal)}
    if request.GET.get("view") == "month":
        context["month"] = queries.month_grid(cal, request.GET.get("month"))
    return render(request, "cocreation/calendar.html", context)


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event, notice, rows = queries.event_page(pk)
    return render(
        request, "cocreation/event_detail.html", {"event": event, "notice": notice, "rows": rows}
    )


def _ics(request: HttpRequest, events, name: str, filename: str) -> HttpResponse:
    body = calendar_bytes(events, name, request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


def plan_ics(request: HttpRequest, pk: int) -> HttpResponse:
    cal = queries.plan_calendar(pk)
    events = [item.event for item in cal.events]
    return _ics(request, events, cal.plan.title, f"traza-plan-{pk}")


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    return _ics(request, [event], event.title, slugify(event.title)[:60] or f"event-{pk}")
