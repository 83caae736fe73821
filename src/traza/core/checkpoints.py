"""Signed checkpoints of the trace: its Merkle tree (``core.merkle``) read from the database,
the signing key kept outside it, the signed text, and the proofs served to outsiders.

The key is an Ed25519 private key in a PEM file (``TRAZA_TRACE_SIGNING_KEY_FILE``, mode 0600,
``traza trace-key`` makes one); the database never holds it, so whoever controls the database
alone cannot sign a checkpoint. Local installations and the suite get one generated under
``var/`` when the setting is not given; production sets it and gets an error when it is
missing. The public key is published at ``/trace/public-key.pem`` and in the docs.

What a checkpoint signs (``signed_text``), one line each, ``\\n``-terminated::

    traza-trace-checkpoint/1
    <origin: the instance, e.g. traza.example.gob.pe>
    <size: the number of events>
    <root: RFC 9162 Merkle tree hash over the events' SHA-256, hexadecimal>
    <time: UTC, ISO 8601, seconds, Z>

The writes (``write_checkpoint``) are in ``core.services``; this module only reads.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from traza.core.merkle import Frontier, Tree, leaf_hash
from traza.core.models import TraceCheckpoint, TraceSeal

FORMAT = "traza-trace-checkpoint/1"


# --- the key -----------------------------------------------------------------------------


def key_path() -> Path:
    return Path(settings.TRAZA_TRACE_SIGNING_KEY_FILE)


def generate_key(path: Path, *, overwrite: bool = False) -> Ed25519PrivateKey:
    """Write a new private key to ``path`` (0600), refusing to replace one unless told. The
    file appears whole or not at all (written beside it, then linked), so two processes that
    both find it missing never read half a key."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, staged = tempfile.mkstemp(dir=path.parent, prefix=".trace-key-")
    try:
        os.fchmod(handle, 0o600)
        os.write(handle, pem)
        os.close(handle)
        if overwrite:
            os.replace(staged, path)
        else:
            os.link(staged, path)  # FileExistsError when there is one already
    finally:
        if os.path.exists(staged):
            os.unlink(staged)
    return key


def signing_key() -> Ed25519PrivateKey:
    """The private key; generated under var/ on first use where the setting was not given
    (local use and tests), an error in production when the file is missing."""
    path = key_path()
    if not path.exists():
        if not settings.TRAZA_TRACE_SIGNING_KEY_AUTO:
            raise ImproperlyConfigured(
                f"TRAZA_TRACE_SIGNING_KEY_FILE={path} does not exist: create it with "
                "`traza trace-key` (docs/operations.md)."
            )
        try:
            return generate_key(path)
        except FileExistsError:  # another process made it meanwhile
            pass
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path} does not hold an Ed25519 private key.")
    return key


def public_key() -> Ed25519PublicKey | None:
    """The public key: ``TRAZA_TRACE_PUBLIC_KEY`` (PEM) when set, so that the web servers need
    not read the private key; else derived from the private key file; None when neither is
    there yet (nothing has been signed)."""
    pem = settings.TRAZA_TRACE_PUBLIC_KEY
    if pem:
        key = serialization.load_pem_public_key(pem.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ImproperlyConfigured("TRAZA_TRACE_PUBLIC_KEY is not an Ed25519 public key.")
        return key
    if not key_path().exists():
        return None
    return signing_key().public_key()


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def key_id(key: Ed25519PublicKey) -> str:
    """The first 8 bytes of the SHA-256 of the raw public key, hexadecimal."""
    return hashlib.sha256(raw_public_key(key)).hexdigest()[:16]


def origin() -> str:
    return settings.TRAZA_TRACE_ORIGIN


# --- the signed text ------------------------------------------------------------------------


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def signed_text(origin: str, size: int, root_hash: str, issued_at: datetime) -> bytes:
    return f"{FORMAT}\n{origin}\n{size}\n{root_hash}\n{timestamp(issued_at)}\n".encode()


def checkpoint_text(checkpoint: TraceCheckpoint) -> bytes:
    return signed_text(
        checkpoint.origin, checkpoint.size, checkpoint.root_hash, checkpoint.issued_at
    )


def sign(text: bytes) -> str:
    return base64.b64encode(signing_key().sign(text)).decode()


def signature_valid(checkpoint: TraceCheckpoint, key: Ed25519PublicKey) -> bool:
    try:
        key.verify(
            base64.b64decode(checkpoint.signature, validate=True), checkpoint_text(checkpoint)
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def as_json(checkpoint: TraceCheckpoint) -> dict[str, Any]:
    """A checkpoint as published: what is signed, the signature and the key that made it."""
    return {
        "format": FORMAT,
        "origin": checkpoint.origin,
        "size": checkpoint.size,
        "root_hash": checkpoint.root_hash,
        "issued_at": timestamp(checkpoint.issued_at),
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
    }


def from_json(data: dict[str, Any]) -> TraceCheckpoint:
    """A published checkpoint read back (not saved): what ``as_json`` wrote."""
    if data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} checkpoint")
    issued_at = datetime.strptime(data["issued_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    root_hash = str(data["root_hash"])
    if len(bytes.fromhex(root_hash)) != 32:
        raise ValueError("the root hash is not 32 bytes")
    return TraceCheckpoint(
        size=int(data["size"]),
        root_hash=root_hash,
        issued_at=issued_at,
        origin=str(data["origin"]),
        key_id=str(data["key_id"]),
        signature=str(data["signature"]),
    )


def frontier_of(checkpoint: TraceCheckpoint) -> Frontier | None:
    """The stored frontier of a checkpoint, when it still gives the signed root (it is not
    signed itself: a changed one is ignored, and the tree is rebuilt from the events)."""
    try:
        hashes = [bytes.fromhex(h) for h in checkpoint.frontier.split()]
        frontier = Frontier(checkpoint.size, hashes)
    except ValueError:
        return None
    return frontier if frontier.root().hex() == checkpoint.root_hash else None


def encode_frontier(frontier: Frontier) -> str:
    return " ".join(h.hex() for h in frontier.hashes)


# --- the tree, from the database -----------------------------------------------------------


def event_hashes(after: int = 0, upto: int | None = None, chunk: int = 20000):
    """``(position, hash)`` of the sealed events after position ``after`` (up to ``upto``),
    in order, in chunks; the hash in hexadecimal."""
    last = after
    while True:
        query = TraceSeal.objects.filter(position__gt=last).order_by("position")
        if upto is not None:
            query = query.filter(position__lte=upto)
        rows = list(query.values_list("position", "hash")[:chunk])
        if not rows:
            return
        for position, digest in rows:
            yield position, bytes(digest).hex()
        last = rows[-1][0]


class TraceMismatch(Exception):
    """The events in the database no longer give a signed checkpoint's root."""


_tree_cache: dict[str, Tree] = {}


def tree_for(checkpoint: TraceCheckpoint) -> Tree:
    """The Merkle tree of the first ``checkpoint.size`` events, checked against its signed
    root; the largest one built is kept in memory (a later, larger checkpoint extends it)."""
    cached = _tree_cache.get("tree")
    if (
        cached is not None
        and cached.size >= checkpoint.size
        and cached.root(checkpoint.size).hex() == checkpoint.root_hash
    ):
        return cached
    leaves = []
    expected = 1
    for event_id, digest in event_hashes(upto=checkpoint.size):
        if event_id != expected:
            raise TraceMismatch(f"event #{expected} is missing")
        leaves.append(leaf_hash(bytes.fromhex(digest)))
        expected += 1
    tree = Tree(leaves)
    if tree.size != checkpoint.size or tree.root().hex() != checkpoint.root_hash:
        raise TraceMismatch(f"the trace no longer gives the root of checkpoint {checkpoint.size}")
    _tree_cache["tree"] = tree
    return tree


def latest() -> TraceCheckpoint | None:
    return TraceCheckpoint.objects.order_by("-size").first()


@dataclass(frozen=True)
class Issued:
    """A checkpoint about to be written (see ``core.services.write_checkpoint``)."""

    size: int
    root_hash: str
    frontier: Frontier
