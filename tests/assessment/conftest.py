"""The dated plan the standards tests judge (test_standards, test_standards_irm)."""

import datetime as dt

import pytest

from traza.core.services import SYSTEM
from traza.plans import services as plan_services

CO_CREATION = dt.date(2024, 3, 1)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


@pytest.fixture
def plan(make_plan):
    """A 2024-2026 plan (the 2021 minimum requirements in force) with its dates and nothing
    of its process recorded."""
    plan = make_plan(n=2, m=1)
    return plan_services.save_plan(
        SYSTEM,
        plan,
        {
            "co_creation_starts_on": CO_CREATION,
            "co_creation_ends_on": dt.date(2024, 5, 31),
            "implementation_starts_on": dt.date(2024, 7, 1),
            "implementation_ends_on": dt.date(2026, 6, 30),
            "approved_on": dt.date(2024, 6, 15),
        },
    )
