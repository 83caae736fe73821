"""iCalendar feeds of the co-creation calendar (RFC 5545, through the icalendar package)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as IcsEvent

from traza.cocreation.models import Event, EventStatus


def calendar_bytes(events: Iterable[Event], name: str, base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Traza//co-creation calendar//ES")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", " ".join(str(name).split()))  # unescaped: one line only
    for event in events:
        item = IcsEvent()
        item.add("uid", f"event-{event.pk}@{getattr(settings, 'TRAZA_MAIL_DOMAIN', 'traza.local')}")
        item.add("dtstamp", timezone.now())
        item.add("dtstart", event.starts_at)
        item.add("dtend", event.ends_at)
        item.add("summary", event.title)
        if event.description:
            item.add("description", event.description)
        location = ", ".join(p for p in (event.place, event.region) if p) or event.online_url
        if location:
            item.add("location", location)
        item.add("url", f"{base_url}{event.get_absolute_url()}")
        item.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
        cal.add_component(item)
    return cal.to_ical()
