"""Writes of the frequently asked questions."""

from __future__ import annotations

from traza.cocreation.models import (
    FaqEntry,
)
from traza.core.services import (
    saver,
)

save_faq = saver(FaqEntry, module=__name__)
