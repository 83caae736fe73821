"""Backup and restore of the whole instance: the database (Django's JSON serialization with
timestamps to the microsecond, so the trace's hashes still verify) and every stored
file, with a manifest of SHA-256 checksums. Restoring needs an empty, migrated database.
The backup file is private (0600) and holds no second-factor secret. Apps leave derived data
out and rebuild it after a restore through ``traza.core.hooks``."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traza.core import hooks
from traza.core.models import TraceEvent
from traza.core.services import verify_trace
from traza.plans.models import ActionPlan

# Rebuilt by migrations (content types, permissions) or short-lived (sessions, lock-outs);
# the apps add their derived data (e.g. the search index) through hooks.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]

# The database dump in the archive: JSON Lines since version 2 (read a line at a time); a
# version 1 backup holds one JSON document, data.trazajson, read whole.
DUMP = "data.trazajsonl"
DUMP_V1 = "data.trazajson"

# Models that moved to another app since older backups were written: old label → new label.
# Content types and permissions follow the model, so natural keys that name it are renamed too.
MOVED_MODELS = {"monitoring.officer": "plans.officer"}  # 2026-12: beside its organisation


def excluded() -> list[str]:
    """What a backup leaves out: the fixed list, the apps' derived data, the secrets."""
    return EXCLUDED + hooks.backup_exclusions() + secret_models()


def secret_models() -> list[str]:
    """Second-factor devices hold their TOTP secrets in clear: they never leave the instance
    in a backup, nor does anything that points at them (e.g. pending set-up links). After a
    restore, staff set up their second factor again."""
    from django.apps import apps

    devices = {
        model for model in apps.get_models() if model._meta.app_config.name.startswith("django_otp")
    }
    linked = {
        model
        for model in apps.get_models()
        if any(
            field.is_relation and field.concrete and field.related_model in devices
            for field in model._meta.get_fields()
        )
    }
    return sorted(model._meta.label_lower for model in devices | linked)


class RestoreError(Exception):
    pass


def _renamed(data: bytes) -> bytes:
    """The dump with the labels of moved models (``MOVED_MODELS``) brought up to date: a
    backup written before a model moved still restores. Unchanged when nothing moved."""
    return json.dumps(
        [new for obj in json.loads(data) for new in _upgraded(_renamed_object(obj))]
    ).encode()


def _upgraded(obj: dict) -> list[dict]:
    """An object of an older backup in today's models. A trace event written before sealing
    existed (its hash on the event, 2026-12) becomes the event and its seal, at the position
    of its id (``core`` migration 0004); one written before the compact trace (its scope one
    text, ``"app_label.model:id"``) has its scope's model and id apart (migration 0005)."""
    fields = obj.get("fields", {})
    if obj.get("model") != "core.traceevent":
        return [obj]
    if "scope" in fields:
        fields["scope_type"], _sep, fields["scope_id"] = fields.pop("scope").rpartition(":")
    if "hash" not in fields:
        return [obj]
    digest = bytes.fromhex(fields.pop("hash"))
    fields.pop("previous_hash", None)
    seal = {
        "model": "core.traceseal",
        "pk": obj["pk"],
        "fields": {"event": obj["pk"], "hash": base64.b64encode(digest).decode()},
    }
    return [obj, seal]


def _renamed_object(obj: dict) -> dict:
    moved = {tuple(old.split(".")): tuple(new.split(".")) for old, new in MOVED_MODELS.items()}
    obj["model"] = MOVED_MODELS.get(obj["model"], obj["model"])
    for name, value in obj.get("fields", {}).items():
        obj["fields"][name] = _renamed_keys(value, moved)
    return obj


def _renamed_keys(value: Any, moved: dict[tuple, tuple]) -> Any:
    """Natural keys of permissions ([codename, app_label, model]) and content types
    ([app_label, model]) that name a moved model, renamed; anything else as it is."""
    if isinstance(value, list):
        if len(value) in (2, 3) and all(isinstance(part, str) for part in value):
            *head, app_label, model = value
            if (app_label, model) in moved:
                return [*head, *moved[(app_label, model)]]
            return value
        return [_renamed_keys(item, moved) for item in value]
    return value


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


BLOCK = 1 << 20  # files and the dump are read and hashed a megabyte at a time


def _file_digest(handle) -> str:
    """SHA-256 of an open file, read in blocks (constant memory)."""
    digest = hashlib.sha256()
    while block := handle.read(BLOCK):
        digest.update(block)
    return digest.hexdigest()


class _Hashing:
    """A file opened for reading that hashes what is read from it: the archive reads each
    stored file once, and its checksum comes from that same read."""

    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        block = self.handle.read(size)
        self.digest.update(block)
        return block


def backup(target: Path) -> dict:
    """Write ``target`` (a .tar.gz) and return its manifest."""
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / DUMP
        call_command(
            "dumpdata",
            format="trazajsonl",
            natural_foreign=True,
            natural_primary=True,  # groups exist already (roles): matched by name
            exclude=excluded(),
            output=str(dump),
            verbosity=0,
        )
        names = sorted(n for n in stored_files() if not n.startswith("healthz/"))
        manifest: dict[str, Any] = {
            "format": "traza-backup",
            "version": 2,
            "created_at": timezone.now().isoformat(),
            "data_sha256": "",
            "files": {},
        }
        with dump.open("rb") as handle:
            manifest["data_sha256"] = _file_digest(handle)
        with _private_file(target) as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(dump, arcname=DUMP)  # copied in blocks by tarfile
            for name in names:
                info = tarfile.TarInfo(f"media/{name}")
                info.size = default_storage.size(name)
                with default_storage.open(name, "rb") as handle:
                    hashing = _Hashing(handle)
                    archive.addfile(info, hashing)
                manifest["files"][name] = hashing.digest.hexdigest()
            raw = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))
    return manifest


def _private_file(target: Path):
    """``target`` opened for writing, readable only by its owner (0600) whatever the umask,
    also when an older file of that name was world-readable."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
    except OSError:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "wb")


def stored_files(folder: str = "") -> list[str]:
    """Every file in the storage (the local folder or an object store), by name."""
    try:
        directories, files = default_storage.listdir(folder)
    except FileNotFoundError:  # nothing stored yet
        return []
    names = [f"{folder}{name}" for name in files]
    for directory in directories:
        names += stored_files(f"{folder}{directory}/")
    return names


def restore(source: Path) -> dict:
    """Load a backup into this (empty, migrated) instance; every checksum is checked first."""
    if TraceEvent.objects.exists() or ActionPlan.objects.exists():
        raise RestoreError(_("The database is not empty: restore into an empty instance."))
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 (closed below)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise RestoreError(_("This is not a Traza backup: %(error)s") % {"error": error}) from None
    with archive:
        return _restore(archive)


def _read_member(archive: tarfile.TarFile, name: str) -> bytes:
    member = archive.extractfile(name)  # KeyError when absent
    if member is None:
        raise KeyError(f"{name} is not a file")
    return member.read()


def _copy_member(archive: tarfile.TarFile, name: str, target: Path, rename=None) -> str:
    """Copy the archive's member ``name`` to ``target`` a block at a time and return the
    SHA-256 of what the archive held (``rename``: applied to each line of a JSON Lines
    dump after hashing, for models that moved)."""
    member = archive.extractfile(name)  # KeyError when absent
    if member is None:
        raise KeyError(f"{name} is not a file")
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    with member, target.open("wb") as out:
        if rename is None:
            while block := member.read(BLOCK):
                digest.update(block)
                out.write(block)
        else:
            for line in member:
                digest.update(line)
                out.write(rename(line))
    return digest.hexdigest()


def _renamed_line(line: bytes) -> bytes:
    if not line.strip():
        return line
    return b"".join(
        json.dumps(obj, ensure_ascii=False).encode() + b"\n"
        for obj in _upgraded(_renamed_object(json.loads(line)))
    )


def _restore(archive: tarfile.TarFile) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        try:
            manifest = json.loads(_read_member(archive, "manifest.json"))
            names = archive.getnames()
            if DUMP in names:
                dump = Path(tmp) / DUMP
                dump_digest = _copy_member(archive, DUMP, dump, rename=_renamed_line)
            else:  # version 1: one JSON document, read whole
                data = _read_member(archive, DUMP_V1)
                dump_digest = _digest(data)
                dump = Path(tmp) / DUMP_V1
                dump.write_bytes(_renamed(data))
        except (KeyError, AttributeError, ValueError, tarfile.TarError, EOFError) as error:
            raise RestoreError(
                _("This is not a Traza backup: %(error)s") % {"error": error}
            ) from None
        if dump_digest != manifest["data_sha256"]:
            raise RestoreError(_("The database dump does not match its checksum."))
        staged = Path(tmp) / "media"
        for name, expected in manifest["files"].items():
            target = (staged / name).resolve()
            if staged.resolve() not in target.parents:
                raise RestoreError(_("The backup names a file outside the media folder."))
            try:
                found = _copy_member(archive, f"media/{name}", target)
            except KeyError:
                found = ""
            if found != expected:
                raise RestoreError(
                    _("The file %(name)s does not match its checksum.") % {"name": name}
                )
        with transaction.atomic():
            call_command("loaddata", str(dump), verbosity=0)
        for path in staged.rglob("*"):
            if path.is_file():
                name = str(path.relative_to(staged))
                if default_storage.exists(name):
                    default_storage.delete(name)
                with path.open("rb") as handle:
                    saved = default_storage.save(name, File(handle))
                if saved != name:
                    raise RestoreError(
                        _("The file %(name)s could not keep its name.") % {"name": name}
                    )
        for callback in hooks.after_restore():
            callback()
    problem = verify_trace()
    if problem is not None:
        raise RestoreError(
            _("The restored trace does not verify: %(problem)s") % {"problem": problem}
        )
    return manifest
