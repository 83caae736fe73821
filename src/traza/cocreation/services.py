"""Writes of the co-creation calendar: permission, validation and trace in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from traza.cocreation.models import AttendanceTally, Event, Timeline
from traza.core.services import record, save_traced, trace_language
from traza.plans.models import Theme


@transaction.atomic
def save_timeline(
    actor: Any, timeline: Timeline | None, values: dict[str, Any], reason: str = ""
) -> Timeline:
    timeline = timeline or Timeline()
    plan = values.get("plan") or timeline.plan
    return save_traced(actor, timeline, values, reason=reason, scope=plan)[0]


@transaction.atomic
def save_event(
    actor: Any,
    event: Event | None,
    values: dict[str, Any],
    *,
    themes: Iterable[Theme] | None = None,
    reason: str = "",
) -> Event:
    event, _changes = save_traced(actor, event or Event(), values, reason=reason)
    if themes is not None:
        wanted = {t.pk: t for t in themes}
        current = {t.pk: t for t in event.themes.all()}
        if set(wanted) != set(current):
            event.themes.set(list(wanted.values()))
            with trace_language():
                summary = _("Changed the themes of “%(event)s”") % {"event": event}
            record(
                actor,
                "update",
                event,
                summary=summary,
                reason=reason,
                changes={
                    "themes": [
                        sorted(t.name for t in current.values()),
                        sorted(t.name for t in wanted.values()),
                    ]
                },
            )
    return event


@transaction.atomic
def save_tally(
    actor: Any, tally: AttendanceTally | None, values: dict[str, Any], reason: str = ""
) -> AttendanceTally:
    tally = tally or AttendanceTally()
    event = values.get("event") or tally.event
    return save_traced(actor, tally, values, reason=reason, scope=event)[0]
