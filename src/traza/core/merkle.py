"""The Merkle tree of the trace, as RFC 9162 (Certificate Transparency 2.0, section 2.1) defines
it: leaf hash ``SHA-256(0x00 || entry)``, node hash ``SHA-256(0x01 || left || right)``, the
tree of ``n`` leaves split at the largest power of two below ``n``; inclusion proofs (an entry
is in the tree of size ``n``) and consistency proofs (the tree of size ``m`` is a prefix of the
tree of size ``n``), with the RFC's verification algorithms.

Written here rather than taken from a library (pymerkle was considered): the standalone
verifier (``tools/traza_verify.py``) must check proofs with the standard library alone, and
the tree is built from hashes read in order from the database, never kept whole in memory by a
library. This module uses only ``hashlib``; ``tools/traza_verify.py`` carries a copy of the
verification functions (a test keeps the two in agreement).

A trace event's entry is the 32 bytes of its SHA-256 (``TraceEvent.hash``), which covers its
content and the previous event's hash; leaf ``i`` is event ``i + 1``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _largest_power_of_two_below(n: int) -> int:
    """The ``k`` of RFC 9162: the largest power of two smaller than ``n`` (``n > 1``)."""
    return 1 << ((n - 1).bit_length() - 1)


class Tree:
    """Every level of the tree over ``leaves`` (leaf hashes), built bottom-up: a node without a
    right sibling is carried up unchanged, which gives exactly RFC 9162's tree (its left
    subtrees are the complete ones). Each level is kept as one ``bytes`` of 32-byte hashes
    (about 64 bytes per leaf in all, not a Python object per node)."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        level = b"".join(leaves)
        self._size = len(leaves)
        self.levels: list[bytes] = [level]
        count = self._size
        while count > 1:
            upper = bytearray()
            for i in range(0, count - 1, 2):
                upper += node_hash(level[i * 32 : i * 32 + 32], level[i * 32 + 32 : i * 32 + 64])
            if count % 2:
                upper += level[(count - 1) * 32 :]
            level = bytes(upper)
            self.levels.append(level)
            count = (count + 1) // 2

    def node(self, height: int, index: int) -> bytes:
        return self.levels[height][index * 32 : index * 32 + 32]

    def leaf(self, index: int) -> bytes:
        return self.node(0, index)

    @classmethod
    def of_entries(cls, entries: Iterable[bytes]) -> Tree:
        return cls([leaf_hash(e) for e in entries])

    @property
    def size(self) -> int:
        return self._size

    def root(self, size: int | None = None) -> bytes:
        """The root of the tree of the first ``size`` leaves (all of them by default)."""
        size = self.size if size is None else size
        if not 0 <= size <= self.size:
            raise ValueError(f"no tree of size {size} in a tree of {self.size} leaves")
        if size == 0:
            return EMPTY_ROOT
        return self._subtree(0, size)

    def _subtree(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range that RFC 9162's recursion visits: ``start`` is a
        multiple of the largest power of two not above ``end - start``."""
        n = end - start
        if n & (n - 1) == 0:  # a complete subtree: read it from its level
            height = n.bit_length() - 1
            return self.node(height, start >> height)
        k = _largest_power_of_two_below(n)
        return node_hash(self._subtree(start, start + k), self._subtree(start + k, end))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """The audit path of leaf ``index`` in the tree of the first ``size`` leaves
        (RFC 9162 2.1.3.1 PATH), nearest the leaf first."""
        size = self.size if size is None else size
        if not 0 <= index < size <= self.size:
            raise ValueError(f"leaf {index} is not in a tree of size {size}")
        return self._path(index, 0, size)

    def _path(self, m: int, start: int, end: int) -> list[bytes]:
        n = end - start
        if n == 1:
            return []
        k = _largest_power_of_two_below(n)
        if m < k:
            return [*self._path(m, start, start + k), self._subtree(start + k, end)]
        return [*self._path(m - k, start + k, end), self._subtree(start, start + k)]

    def consistency_proof(self, old_size: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 2.1.4.1 PROOF(m, D[0:n]): the tree of ``old_size`` leaves is a prefix of
        the tree of ``size`` leaves. Empty when the sizes are equal or ``old_size`` is 0."""
        size = self.size if size is None else size
        if not 0 <= old_size <= size <= self.size:
            raise ValueError(f"no consistency proof from {old_size} to {size}")
        if old_size in (0, size):
            return []
        return self._subproof(old_size, 0, size, True)

    def _subproof(self, m: int, start: int, end: int, complete: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if complete else [self._subtree(start, end)]
        k = _largest_power_of_two_below(n)
        if m <= k:
            return [*self._subproof(m, start, start + k, complete), self._subtree(start + k, end)]
        return [*self._subproof(m - k, start + k, end, False), self._subtree(start, start + k)]


class Frontier:
    """The right edge of a tree: the roots of its complete subtrees, largest first (at most
    log2(size) hashes). Enough to append leaves and to compute the root at every size on the
    way, so an incremental verification starts from a saved frontier instead of every leaf."""

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if len(hashes) != bin(size).count("1"):
            raise ValueError("a frontier holds one hash per bit set in its size")
        self.size = size
        self.hashes = list(hashes)

    def append(self, leaf: bytes) -> None:
        node = leaf
        size = self.size
        while size & 1:
            node = node_hash(self.hashes.pop(), node)
            size >>= 1
        self.hashes.append(node)
        self.size += 1

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        node = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            node = node_hash(left, node)
        return node


# --- verification (RFC 9162 2.1.3.2 and 2.1.4.2); tools/traza_verify.py holds a copy -------


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Whether ``proof`` shows the leaf hash ``leaf`` at ``index`` in the tree ``root`` of
    ``size`` leaves."""
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


def verify_consistency(
    old_size: int, size: int, proof: Sequence[bytes], old_root: bytes, root: bytes
) -> bool:
    """Whether ``proof`` shows the tree ``old_root`` of ``old_size`` leaves to be a prefix of
    the tree ``root`` of ``size`` leaves."""
    if not 0 <= old_size <= size:
        return False
    if old_size == size:
        return not proof and old_root == root
    if old_size == 0:
        return not proof  # the empty tree is a prefix of every tree
    if not proof:
        return False
    proof = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root starts the proof
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
