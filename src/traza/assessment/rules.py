"""What the IRM derives from its ratings (OGP-RULES.md §1.1). Never typed by anyone.

Two versions of the star rule exist: the 2014 one (moderate or transformative impact was
enough) and the stricter one the 2017-2019 reports apply (seed 000), which OGP's published data
also applies to every plan ("Starred (Current Formula)"). ``TRAZA_STAR_RULE`` chooses it.

Unknown is never a value: an indicator the IRM did not rate (OGP's ND, NR, NA; a blank in
Traza) makes every flag that needs it unknown (``None``, shown as "no data"), never false.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from traza.assessment.models import Completion, PotentialImpact, ReportStage, Verifiability
from traza.core.numbers import percent as percent  # the IRM's rounding, shared with monitoring

STAR_RULES = ("2014", "2017")
DONE = {Completion.SUBSTANTIAL, Completion.COMPLETE}
# the reports that rate completion and "did it open government?" at the end of the cycle; they
# rate relevance only when they say so (a value ticked, or the design indicators repeated)
FINAL_STAGES = (ReportStage.END_OF_TERM, ReportStage.IMPLEMENTATION)


def star_rule(methodology: str = "") -> str:
    rule = getattr(settings, "TRAZA_STAR_RULE", "2017")
    return rule if rule in STAR_RULES else "2017"


@dataclass(frozen=True)
class Derived:
    relevant: bool | None  # None: relevance not assessed
    potentially_starred: bool | None  # None: verifiability, relevance or impact not rated
    starred: bool | None  # None until completion is assessed (and while the above is unknown)
    rule_version: str


def is_relevant(rating) -> bool | None:
    """Technology and innovation alone does not make a commitment relevant. None when the
    rating does not assess relevance: the source said so (OGP's ND/NR), or it is an
    end-of-term or implementation rating that rated only completion and its results."""
    if not rating.relevance_assessed:
        return None
    values = rating.access_to_information or rating.civic_participation
    values = values or rating.public_accountability
    if getattr(rating, "stage", "") in FINAL_STAGES and not (
        values or rating.technology_innovation or rating.verifiability or rating.potential_impact
    ):
        return None
    return bool(values)


def derive(rating, completion: str | None = None, awards_stars: bool = True) -> Derived:
    """Flags of a generation-A rating. ``completion`` is the end-of-cycle completion ("" when
    not rated); without it, the rating's own (a progress report's mid-term stars).
    ``awards_stars`` is false when the report of that completion awarded no stars."""
    rule = star_rule(rating.methodology)
    impacts = (
        {PotentialImpact.MODERATE, PotentialImpact.TRANSFORMATIVE}
        if rule == "2014"
        else {PotentialImpact.TRANSFORMATIVE}
    )
    relevant = is_relevant(rating)
    potentially: bool | None = None
    if rating.verifiability and relevant is not None and rating.potential_impact:
        potentially = bool(
            rating.verifiability == Verifiability.SPECIFIC
            and relevant
            and rating.potential_impact in impacts
        )
    completion = rating.completion if completion is None else completion
    if potentially is None or not completion or not awards_stars:
        starred = None
    else:
        starred = potentially and completion in DONE
    return Derived(relevant, potentially, starred, rule)
