"""Files that hold personal data are readable only by the account Traza runs as: the SQLite
database and its journal files are made 0600 whenever Traza opens them (so a database created
by `traza migrate`, or one created before this rule, does not stay world-readable). Backups
are written 0600 by traza.ops.backup; var/ is created 0700 by the settings."""

from __future__ import annotations

import os
import stat
from contextlib import suppress

from django.db.backends.signals import connection_created
from django.dispatch import receiver

SQLITE_FILES = ("", "-wal", "-shm", "-journal")


def make_private(path: str | os.PathLike) -> None:
    """Take away the group's and others' access to ``path`` (if it exists and is ours)."""
    with suppress(OSError):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)


@receiver(connection_created, dispatch_uid="traza.core.filemodes.private_sqlite")
def private_sqlite(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    name = str(connection.settings_dict["NAME"])
    for suffix in SQLITE_FILES:
        make_private(name + suffix)
