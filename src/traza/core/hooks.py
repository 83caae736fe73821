"""Hooks through which each app lends the operations (``traza.ops``: backup, restore, the
health check) what only it knows, without the core importing any app above it.

Apps fill them in their ``AppConfig.ready()``::

    from traza.core import hooks

    hooks.register_after_restore(reindex_all)           # repository: rebuild the search index
    hooks.register_backup_exclusion("repository.searchentry")  # derived data, not backed up
    hooks.register_health_probe("outbox", outbox_health)  # notifications: mail queue health

Registering the same callback (or name) twice keeps one, so a repeated ``ready()`` is harmless.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: A health probe returns its details (shown to staff and to the health token's bearer) and
#: the names of its problems (any problem makes the status "degraded"). It runs only once the
#: database has answered; a ``DatabaseError`` it raises counts as the database being down.
HealthProbe = Callable[[], tuple[Any, list[str]]]

_after_restore: list[Callable[[], Any]] = []
_backup_exclusions: list[str] = []
_health_probes: dict[str, HealthProbe] = {}


def register_after_restore(callback: Callable[[], Any]) -> Callable[[], Any]:
    """Run ``callback`` once a restore has loaded the database and the files, before the
    trace is verified (e.g. rebuild derived data). Usable as a decorator."""
    if callback not in _after_restore:
        _after_restore.append(callback)
    return callback


def after_restore() -> list[Callable[[], Any]]:
    """The callbacks to run after a restore, in the order they were registered."""
    return list(_after_restore)


def register_backup_exclusion(label: str) -> None:
    """Leave the model ``app_label.model_name`` (or a whole app) out of backups: data that
    is derived and rebuilt after a restore."""
    if label not in _backup_exclusions:
        _backup_exclusions.append(label)


def backup_exclusions() -> list[str]:
    """What the apps asked to leave out of backups."""
    return list(_backup_exclusions)


def register_health_probe(name: str, probe: HealthProbe) -> None:
    """Add ``probe`` to the health check, its details shown under ``name``."""
    _health_probes[name] = probe


def health_probes() -> dict[str, HealthProbe]:
    """The registered probes by name, in the order they were registered."""
    return dict(_health_probes)
