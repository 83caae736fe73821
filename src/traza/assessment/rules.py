"""What the IRM derives from its ratings (OGP-RULES.md §1.1). Never typed by anyone.

Two versions of the star rule exist: the 2014 one (moderate or transformative impact was
enough) and the stricter one the 2017-2019 reports apply (seed 000), which OGP's published data
also applies to every plan ("Starred (Current Formula)"). ``TRAZA_STAR_RULE`` chooses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from traza.assessment.models import Completion, PotentialImpact, Verifiability
from traza.core.numbers import percent as percent  # the IRM's rounding, shared with monitoring

STAR_RULES = ("2014", "2017")
DONE = {Completion.SUBSTANTIAL, Completion.COMPLETE}


def star_rule(methodology: str = "") -> str:
    rule = getattr(settings, "TRAZA_STAR_RULE", "2017")
    return rule if rule in STAR_RULES else "2017"


@dataclass(frozen=True)
class Derived:
    relevant: bool | None  # None: relevance not assessed
    potentially_starred: bool
    starred: bool | None  # None until completion is assessed
    rule_version: str


def is_relevant(rating) -> bool | None:
    """Technology and innovation alone does not make a commitment relevant."""
    if not rating.relevance_assessed:
        return None
    return bool(
        rating.access_to_information or rating.civic_participation or rating.public_accountability
    )


def derive(rating, completion: str = "") -> Derived:
    """Flags of a generation-A rating; ``completion`` may come from a later report."""
    rule = star_rule(rating.methodology)
    impacts = (
        {PotentialImpact.MODERATE, PotentialImpact.TRANSFORMATIVE}
        if rule == "2014"
        else {PotentialImpact.TRANSFORMATIVE}
    )
    relevant = is_relevant(rating)
    potentially = (
        rating.verifiability == Verifiability.SPECIFIC
        and relevant
        and rating.potential_impact in impacts
    )
    completion = completion or rating.completion
    starred = None if not completion else potentially and completion in DONE
    return Derived(relevant, potentially, starred, rule)
