"""Writes of the IRM assessment: permission, validation and trace in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from traza.assessment.models import Rating, RecommendationFollowUp
from traza.core.services import save_traced


@transaction.atomic
def save_rating(
    actor: Any, rating: Rating | None, values: dict[str, Any], reason: str = ""
) -> Rating:
    """Record or change an assessor's rating; values outside their scale are refused."""
    rating = rating or Rating()
    commitment = values.get("commitment") or rating.commitment
    return save_traced(actor, rating, values, reason=reason, scope=commitment)[0]


@transaction.atomic
def save_followup(
    actor: Any, followup: RecommendationFollowUp | None, values: dict[str, Any], reason: str = ""
) -> RecommendationFollowUp:
    followup = followup or RecommendationFollowUp()
    plan = values.get("plan") or followup.plan
    return save_traced(actor, followup, values, reason=reason, scope=plan)[0]
