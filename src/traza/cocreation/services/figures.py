"""Writes of the figures a report printed."""

from __future__ import annotations

from traza.cocreation.models import (
    ReportedFigure,
)
from traza.core.services import (
    saver,
)

save_reported_figure = saver(ReportedFigure, scope="plan", module=__name__)
