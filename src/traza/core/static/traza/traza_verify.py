#!/usr/bin/env python3
"""Check a Traza trace without trusting the Traza that served it.

Needs Python 3.9+ and the ``cryptography`` package (``pip install cryptography``), nothing
else. Keep the instance's public key (``/trace/public-key.pem``) and, from time to time, its
newest checkpoint (``/trace/checkpoints/latest.json``): they are what a rewritten trace cannot
match.

    python traza_verify.py download traza-plan-3.json --public-key traza.pem \\
        [--checkpoint saved.json ...] [--site https://traza.example.org]
    python traza_verify.py instance --site https://traza.example.org --public-key traza.pem \\
        [--checkpoint saved.json ...] [--save newest.json]

``download`` checks a plan's trace download: the signature of the checkpoint it carries, each
event's hash against its content, and each event's inclusion proof against that checkpoint;
with ``--checkpoint``, that the checkpoints you saved earlier are prefixes of it (the proofs of
that are fetched from ``--site`` when the sizes differ). ``instance`` checks that the
instance's newest checkpoint extends the ones you saved. Exit status 0: verified; 1: not.

The Merkle tree is RFC 9162's (Certificate Transparency 2.0): leaf ``SHA-256(0x00 || event
hash)``, node ``SHA-256(0x01 || left || right)``; leaf ``i`` is the event at position ``i + 1``
(its ``id`` in the download). An event's hash is the SHA-256 of its canonical JSON (sorted
keys, UTF-8), which covers its position and the previous event's hash. A checkpoint signs, with Ed25519, the lines ``traza-trace-checkpoint/1``, origin, size,
root (hexadecimal) and time (UTC), each ending in a newline.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import urllib.request
from typing import Any

FORMAT = "traza-trace-checkpoint/1"
CANONICAL_FIELDS = (
    "id",
    "occurred_at",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "scope",
    "summary",
    "reason",
    "changes",
    "previous_hash",
)


class Failed(Exception):
    """The trace, a checkpoint or a proof does not verify."""


# --- RFC 9162 (the same functions as traza.core.merkle) ----------------------------------


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(leaf: bytes, index: int, size: int, proof: list, root: bytes) -> bool:
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(old_size: int, size: int, proof: list, old_root: bytes, root: bytes) -> bool:
    if not 0 <= old_size <= size:
        return False
    if old_size == size:
        return not proof and old_root == root
    if old_size == 0:
        return not proof
    if not proof:
        return False
    proof = list(proof)
    if old_size & (old_size - 1) == 0:
        proof.insert(0, old_root)
    fn, sn = old_size - 1, size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == root


# --- events and checkpoints --------------------------------------------------------------


def event_hash(event: dict) -> str:
    """The SHA-256 of an event's canonical payload (as ``TraceEvent.canonical_payload``)."""
    payload = {name: event[name] for name in CANONICAL_FIELDS}
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def signed_text(checkpoint: dict) -> bytes:
    return (
        f"{FORMAT}\n{checkpoint['origin']}\n{int(checkpoint['size'])}\n"
        f"{checkpoint['root_hash']}\n{checkpoint['issued_at']}\n"
    ).encode()


def load_public_key(path: str) -> Any:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    with open(path, "rb") as handle:
        key = load_pem_public_key(handle.read())
    if not isinstance(key, Ed25519PublicKey):
        raise Failed(f"{path} is not an Ed25519 public key")
    return key


def check_signature(checkpoint: dict, key: Any, what: str) -> None:
    from cryptography.exceptions import InvalidSignature

    if checkpoint.get("format") != FORMAT:
        raise Failed(f"{what} is not a {FORMAT} checkpoint")
    try:
        key.verify(
            base64.b64decode(checkpoint["signature"], validate=True), signed_text(checkpoint)
        )
    except (InvalidSignature, ValueError, KeyError):
        raise Failed(f"{what}: the signature does not verify with your public key") from None


def fetch_json(site: str | None, path: str) -> dict:
    if not site:
        raise Failed(f"{path} is needed: give --site")
    url = site.rstrip("/") + path
    with urllib.request.urlopen(url, timeout=60) as answer:
        return json.loads(answer.read().decode())


def check_extends(saved: dict, newer: dict, site: str | None) -> None:
    """The checkpoint ``saved`` (kept earlier) is a prefix of ``newer``, or the other way."""
    old, new = (saved, newer) if saved["size"] <= newer["size"] else (newer, saved)
    if old["size"] == new["size"]:
        if old["root_hash"] != new["root_hash"]:
            raise Failed(
                f"two signed checkpoints of {old['size']} events with different roots: "
                "the trace was forked"
            )
        return
    answer = fetch_json(site, f"/trace/proofs/consistency/{old['size']}/{new['size']}.json")
    proof = [bytes.fromhex(h) for h in answer["proof"]]
    if not verify_consistency(
        int(old["size"]),
        int(new["size"]),
        proof,
        bytes.fromhex(old["root_hash"]),
        bytes.fromhex(new["root_hash"]),
    ):
        raise Failed(
            f"the checkpoint of {old['size']} events is not a prefix of the checkpoint of "
            f"{new['size']} events: the trace was rewritten"
        )


def verify_download(data: dict, key: Any, saved: list, site: str | None) -> str:
    checkpoint = data.get("checkpoint")
    events = data.get("events")
    if not isinstance(events, list):
        raise Failed("this is not a Traza plan trace download (no events)")
    if checkpoint is None:
        raise Failed("the download carries no checkpoint: nothing signed to check it against")
    check_signature(checkpoint, key, "the download's checkpoint")
    size = int(checkpoint["size"])
    root = bytes.fromhex(checkpoint["root_hash"])
    proven = later = 0
    for event in events:
        number = event.get("id")
        if event_hash(event) != event.get("hash"):
            raise Failed(f"event #{number}: its content does not match its hash (altered)")
        proof = event.get("inclusion_proof")
        if number <= size:
            if proof is None:
                raise Failed(f"event #{number} is in the checkpoint but has no inclusion proof")
            if not verify_inclusion(
                leaf_hash(bytes.fromhex(event["hash"])),
                number - 1,
                size,
                [bytes.fromhex(h) for h in proof],
                root,
            ):
                raise Failed(
                    f"event #{number} is not in the signed checkpoint of {size} events "
                    "(altered, moved or invented)"
                )
            proven += 1
        else:
            later += 1  # recorded after the checkpoint: its hash is checked, not its place
    for number, other in enumerate(saved, 1):
        check_signature(other, key, f"saved checkpoint {number}")
        check_extends(other, checkpoint, site)
    return (
        f"verified: {proven} events proven in the checkpoint of {size} events signed at "
        f"{checkpoint['issued_at']}; {later} later events with valid hashes, not yet in a "
        f"checkpoint; {len(saved)} saved checkpoints consistent with it"
    )


def verify_instance(site: str, key: Any, saved: list) -> tuple[str, dict]:
    newest = fetch_json(site, "/trace/checkpoints/latest.json")
    check_signature(newest, key, "the instance's newest checkpoint")
    for number, other in enumerate(saved, 1):
        check_signature(other, key, f"saved checkpoint {number}")
        check_extends(other, newest, site)
    return (
        f"verified: the newest checkpoint ({newest['size']} events, signed at "
        f"{newest['issued_at']}) extends the {len(saved)} checkpoints you saved",
        newest,
    )


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["download", "instance"])
    parser.add_argument("file", nargs="?", help="the plan's trace download (download mode)")
    parser.add_argument("--public-key", required=True, help="the instance's key, saved earlier")
    parser.add_argument("--checkpoint", action="append", default=[], help="a saved checkpoint")
    parser.add_argument("--site", help="the instance's address, to fetch proofs")
    parser.add_argument("--save", help="instance mode: save the newest checkpoint here")
    args = parser.parse_args(argv)
    try:
        key = load_public_key(args.public_key)
        saved = []
        for name in args.checkpoint:
            with open(name, encoding="utf-8") as handle:
                saved.append(json.load(handle))
        if args.mode == "download":
            if not args.file:
                raise Failed("give the download's file")
            with open(args.file, encoding="utf-8") as handle:
                data = json.load(handle)
            print(verify_download(data, key, saved, args.site))
        else:
            if not args.site:
                raise Failed("give --site")
            message, newest = verify_instance(args.site, key, saved)
            if args.save:
                with open(args.save, "w", encoding="utf-8") as handle:
                    json.dump(newest, handle, indent=2)
            print(message)
    except Failed as problem:
        print(f"NOT VERIFIED: {problem}", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"NOT VERIFIED: unreadable input ({error})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
