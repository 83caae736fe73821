"""The words of the standards engine: statuses, levels of public influence, phases and the
subjects an assessor may override. Stored values (ProcessOverride.value, the API's fields) are
these enums' values, so they never change."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy


class Status(models.TextChoices):
    """Where a process stands against a standard (OGP-RULES.md §2.1)."""

    MET = "met", gettext_lazy("met")
    IN_PROGRESS = "in_progress", gettext_lazy("in progress")
    NOT_MET = "not_met", gettext_lazy("not met")


class InfluenceLevel(models.TextChoices):
    """The IAP2 spectrum as the IRM adapts it (OGP-RULES.md §3), lowest first."""

    NO_CONSULTATION = "no_consultation", gettext_lazy("no consultation")
    INFORM = "inform", gettext_lazy("inform")
    CONSULT = "consult", gettext_lazy("consult")
    INVOLVE = "involve", gettext_lazy("involve")
    COLLABORATE = "collaborate", gettext_lazy("collaborate")
    EMPOWER = "empower", gettext_lazy("empower")

    @classmethod
    def rank(cls, value: str) -> int:
        """The position of a level on the spectrum (0 = no consultation)."""
        return cls.values.index(value)


class Phase(StrEnum):
    """The two phases whose public influence the IRM rates separately."""

    DEVELOPMENT = "development"
    IMPLEMENTATION = "implementation"


class YesNo(StrEnum):
    """What an override of the "acted contrary" verdict says."""

    YES = "yes"
    NO = "no"


class Subject(StrEnum):
    """The kinds of override subject besides standards (``<edition>:<code>``)."""

    INFLUENCE = "influence"
    CONTRARY = "contrary"


def standard_subject(edition: str, code: str) -> str:
    """The override subject of a standard, e.g. ``2017:1a``."""
    return f"{edition}:{code}"


def influence_subject(phase: Phase) -> str:
    """The override subject of a level of influence, e.g. ``influence:development``."""
    return f"{Subject.INFLUENCE}:{phase}"


STATUS_LABELS = dict(Status.choices)
STATUSES = list(Status.values)
INFLUENCE_LEVELS = list(InfluenceLevel.values)
INFLUENCE_LABELS = dict(InfluenceLevel.choices)
