"""Which action plan a trace event belongs to.

Every event has a scope: the object whose public timeline shows it (a commitment, a
contribution…). The activity of a plan (its trace download, the news of its followers) is every
event whose scope belongs to the plan. The core cannot tell which scopes those are: it sits
below the apps that define them. So the app that reads a plan's activity declares them here in
its ``AppConfig.ready()``::

    from traza.core.scopes import register_plan_scope

    register_plan_scope(ActionPlan, None)      # the plan itself
    register_plan_scope(Commitment, "plan")    # a commitment: the plan it belongs to

:func:`traza.core.services.record` then stores the plan beside each event
(``TraceEvent.plan_id``, outside the hashed payload), so a plan's activity is one indexed query.
A scope of a model nobody registered has no plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from django.db import models


class PlanField(NamedTuple):
    model: type[models.Model]
    name: str | None  # the foreign key to the plan, None for the plan itself
    attname: str  # where its value is read: "plan_id", or "pk" for the plan itself


_plan_fields: dict[str, PlanField] = {}  # by the model's label_lower


def register_plan_scope(model: type[models.Model], plan_field: str | None) -> None:
    """Events scoped to a ``model`` object belong to the plan in its ``plan_field`` (a foreign
    key's name), or to the object itself when ``plan_field`` is None (the plan model).
    Registering a model again replaces its field, so a repeated ``ready()`` is harmless."""
    if plan_field is None:
        entry = PlanField(model, None, "pk")
    else:
        field = model._meta.get_field(plan_field)
        entry = PlanField(model, plan_field, field.attname)  # type: ignore[union-attr]
    _plan_fields[model._meta.label_lower] = entry


def plan_scopes() -> dict[str, PlanField]:
    """Every registered scope model (by label, "app.model") with the field of its plan."""
    return dict(_plan_fields)


def plan_of(scope: models.Model) -> int | None:
    """The plan that the events scoped to ``scope`` belong to, or None."""
    entry = _plan_fields.get(scope._meta.label_lower)
    return None if entry is None else getattr(scope, entry.attname)


def moves_plan(obj: models.Model, changes: Mapping[str, Any]) -> bool:
    """Whether ``changes`` (field name → [old, new]) move the scope ``obj`` to another plan:
    then its earlier events go with it, as its plan is read from the scope."""
    entry = _plan_fields.get(obj._meta.label_lower)
    if entry is None or entry.name is None:
        return False
    change = changes.get(entry.name)
    # [old, new] as services write it; a creation ([None, plan]) has no earlier events
    return isinstance(change, list | tuple) and len(change) == 2 and change[0] is not None
