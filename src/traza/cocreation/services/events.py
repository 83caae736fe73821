"""Writes of the co-creation calendar: the timeline, its events and their attendance."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from traza.cocreation.models import (
    AttendanceTally,
    Event,
    Timeline,
)
from traza.core.services import (
    Saved,
    save_traced,
    saver,
    service,
    with_related,
)
from traza.plans.models import (
    Theme,
)

save_timeline = saver(Timeline, scope="plan", module=__name__)
save_tally = saver(AttendanceTally, scope="event", module=__name__)


@service
def save_event(
    actor: Any,
    event: Event | None,
    values: dict[str, Any],
    *,
    themes: Iterable[Theme] | None = None,
    reason: str = "",
) -> Saved[Event]:
    saved = save_traced(actor, event or Event(), values, reason=reason)
    return with_related(actor, saved, {"themes": themes}, reason=reason)
