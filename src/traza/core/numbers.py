"""Small number helpers shared by the apps that print figures."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, whole: int) -> int:
    """Whole-number percentage, half up, as the IRM prints it (0 when ``whole`` is 0)."""
    if not whole:
        return 0
    return int((Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
