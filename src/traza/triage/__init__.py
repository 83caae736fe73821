"""Offline text engine behind the secretariat's triage of contributions.

Proposes groups of contributions that ask for the same thing, flags near-duplicates and
suggests the theme and the commitment (or proposal) each contribution most likely concerns,
each with a score and the words that matched. Nothing here is applied automatically: a person
decides. Spanish-aware (accent folding, Snowball stemming, stop words) and offline: no outside
service and no model fetched at run time. It imports nothing from Django, so it can be tested
and benchmarked alone (``bench/triage_quality.py``).
"""

from traza.triage.engine import (
    Config,
    Contribution,
    Group,
    Index,
    Pair,
    Suggestion,
    Suggestions,
    Target,
    Theme,
    group,
    near_duplicates,
    normalize,
    suggest_targets,
    suggest_theme,
)

__all__ = [
    "Config",
    "Contribution",
    "Group",
    "Index",
    "Pair",
    "Suggestion",
    "Suggestions",
    "Target",
    "Theme",
    "group",
    "near_duplicates",
    "normalize",
    "suggest_targets",
    "suggest_theme",
]
