"""The Merkle tree of the trace is RFC 9162's: the reference vectors of Certificate
Transparency (RFC 6962's test data, the same tree), every proof of every small tree verifies
with the RFC's algorithms, and nothing altered does; the standalone verifier agrees."""

import hashlib

import pytest

from tests.core.verifier import traza_verify
from traza.core.merkle import (
    EMPTY_ROOT,
    Frontier,
    Tree,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)

ENTRIES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = {
    (0, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (5, 8): [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
}
CONSISTENCY = {
    (2, 8): [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (6, 8): [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
}


def _reference_root(leaves: list[bytes]) -> bytes:
    """MTH as RFC 9162 2.1.1 writes it, recursively: the definition the tree must meet."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaves[0]
    k = 1 << ((n - 1).bit_length() - 1)
    left, right = _reference_root(leaves[:k]), _reference_root(leaves[k:])
    return hashlib.sha256(b"\x01" + left + right).digest()


def test_the_reference_roots_of_certificate_transparency():
    tree = Tree.of_entries(ENTRIES)
    assert tree.root(0) == EMPTY_ROOT == hashlib.sha256(b"").digest()
    for size, expected in enumerate(ROOTS, 1):
        assert tree.root(size).hex() == expected
        frontier = Frontier()
        for leaf in [tree.leaf(i) for i in range(size)]:
            frontier.append(leaf)
        assert frontier.root().hex() == expected


def test_the_reference_proofs():
    tree = Tree.of_entries(ENTRIES)
    root8 = bytes.fromhex(ROOTS[7])
    for (index, size), path in INCLUSION.items():
        assert [h.hex() for h in tree.inclusion_proof(index, size)] == path
        assert verify_inclusion(
            leaf_hash(ENTRIES[index]), index, size, tree.inclusion_proof(index, size), root8
        )
    for (first, second), path in CONSISTENCY.items():
        proof = tree.consistency_proof(first, second)
        assert [h.hex() for h in proof] == path
        old = bytes.fromhex(ROOTS[first - 1])
        assert verify_consistency(first, second, proof, old, root8)
        assert traza_verify.verify_consistency(first, second, proof, old, root8)


def _leaves(n: int) -> list[bytes]:
    return [leaf_hash(hashlib.sha256(str(i).encode()).digest()) for i in range(n)]


@pytest.mark.parametrize("verifier", [verify_inclusion, traza_verify.verify_inclusion])
def test_every_inclusion_proof_of_every_small_tree_verifies_and_a_changed_one_does_not(
    verifier,
):
    leaves = _leaves(40)
    tree = Tree(leaves)
    for size in range(1, 41):
        root = tree.root(size)
        assert root == _reference_root(leaves[:size])
        for index in range(size):
            proof = tree.inclusion_proof(index, size)
            assert verifier(leaves[index], index, size, proof, root)
            if size > 1:
                assert not verifier(leaves[(index + 1) % size], index, size, proof, root)
                flipped = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
                assert not verifier(leaves[index], index, size, flipped, root)
                assert not verifier(leaves[index], index, size, proof[:-1], root)
                assert not verifier(leaves[index], index, size, [*proof, root], root)


@pytest.mark.parametrize("verifier", [verify_consistency, traza_verify.verify_consistency])
def test_every_consistency_proof_of_every_small_tree_verifies_and_a_changed_one_does_not(
    verifier,
):
    leaves = _leaves(40)
    tree = Tree(leaves)
    other = Tree([*leaves[:17], leaf_hash(b"rewritten"), *leaves[18:]])
    for second in range(0, 41):
        for first in range(0, second + 1):
            proof = tree.consistency_proof(first, second)
            old, new = tree.root(first), tree.root(second)
            assert verifier(first, second, proof, old, new)
            if 0 < first < second:
                assert not verifier(first, second, proof[:-1], old, new)
                assert not verifier(first, second, [*proof, new], old, new)
                flipped = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
                assert not verifier(first, second, flipped, old, new)
            if first > 17:  # a rewritten leaf 17 cannot be hidden behind a proof
                assert not verifier(
                    first, second, other.consistency_proof(first, second), old, other.root(second)
                )
    assert not verifier(5, 4, [], tree.root(5), tree.root(4))
    assert not verifier(3, 8, [], tree.root(3), tree.root(8))
