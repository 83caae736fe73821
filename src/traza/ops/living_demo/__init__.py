"""The living demo: a fictional municipal action plan whose dates follow the day it is
loaded, so that every feature of Traza is seen working (``traza load-demo``; see
docs/data/demo-data.md). Orchestration across apps, so it lives in the top layer; every
write goes through the apps' services."""

from traza.ops.living_demo.builder import (
    LOAD_REASON,
    REFRESH_REASON,
    Result,
    find_plan,
    load_living_demo,
)

__all__ = ["LOAD_REASON", "REFRESH_REASON", "Result", "find_plan", "load_living_demo"]
