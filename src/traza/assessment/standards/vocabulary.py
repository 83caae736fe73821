"""The words of the standards engine: statuses, levels of public influence, phases and the
subjects an assessor may override. Stored values (ProcessOverride.value, the API's fields) are
these enums' values, so they never change."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy


class Status(models.TextChoices):
    """Where a process stands against a standard (OGP-RULES.md §2.1), and "no data" when
    Traza holds no record to judge it by: a missing record is never read as a failure."""

    MET = "met", gettext_lazy("met")
    IN_PROGRESS = "in_progress", gettext_lazy("in progress")
    NOT_MET = "not_met", gettext_lazy("not met")
    NO_DATA = "no_data", gettext_lazy("no data")

    @classmethod
    def rank(cls, value: str) -> int | None:
        """How far a status goes (not met 0, in progress 1, met 2; no data: None)."""
        order = [cls.NOT_MET.value, cls.IN_PROGRESS.value, cls.MET.value]
        return order.index(value) if value in order else None


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
# What an assessor may set: the IRM's three colours (green, yellow, red), never "no data".
STATUSES = [Status.MET.value, Status.IN_PROGRESS.value, Status.NOT_MET.value]
# "In progress" once the plan is closed: actions were taken but the standard was not met.
PARTLY_MET = gettext_lazy("partly met")


def status_label(status: str, closed: bool = False) -> str:
    """The words for a status; "partly met" rather than "in progress" for a closed plan."""
    if closed and status == Status.IN_PROGRESS:
        return str(PARTLY_MET)
    return str(STATUS_LABELS[status])


INFLUENCE_LEVELS = list(InfluenceLevel.values)
INFLUENCE_LABELS = dict(InfluenceLevel.choices)
