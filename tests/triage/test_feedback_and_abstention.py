"""Pseudo-relevance feedback on the targets, the abstention features, the bar for merging two
groups, and the vectorised neighbour edges and near-duplicate overlaps (second round of
2026-12-07). No database, no Django; each index is small."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from traza.triage import Config, Index, Target, Theme

ROOT = Path(__file__).resolve().parents[2]

THEMES = [
    Theme("salud", "Salud", "hospital posta médicos pacientes emergencia medicinas seguro"),
    Theme("seguridad-ciudadana", "Seguridad ciudadana", "delito robos policía extorsión"),
    Theme("saneamiento", "Saneamiento", "agua potable desagüe alcantarillado"),
]
TARGETS = [
    Target(
        12,
        "Central de Información de los Servicios de Emergencia Hospitalaria",
        "Disponibilidad de camas operativas en los Servicios de Emergencia Hospitalaria.",
        "salud",
    ),
    Target(
        17,
        "Política de prevención contra las extorsiones en la Región La Libertad",
        "Información estadística sobre la extorsión en Trujillo, con participación ciudadana.",
        "seguridad-ciudadana",
    ),
    Target(
        14,
        "Sistema de información integral sobre proyectos de inversión en saneamiento",
        "Financiamiento de proyectos, obras y expedientes de saneamiento por región.",
        "saneamiento",
    ),
]
# three contributions clearly about commitment 12, in words its text lacks ("tablero",
# "ocupación", "actualizado cada hora")
BEDS = [
    ("c1", "Tablero con la ocupación de camas en la emergencia de cada hospital."),
    ("c2", "Que se publique la ocupación de camas de emergencia en un tablero en línea."),
    ("c3", "Un tablero público de ocupación de camas de emergencia, actualizado cada hora."),
]
OTHERS = [
    ("e1", "En Trujillo nos cobran cupos; pedimos una política contra la extorsión."),
    ("e2", "Las extorsiones en Trujillo: política de prevención con los vecinos."),
    ("w1", "Publiquen cuánto cuesta y en qué avance está la obra de agua y desagüe."),
]
# says none of commitment 12's words: only the words its clear matches lent it
ONLY_LENT = ("q", "Quiero ver el tablero de ocupación actualizado cada hora, por favor.")


def _targets_of(index: Index, ident: str) -> tuple:
    return next(s for s in index.suggestions() if s.id == ident).targets


def test_feedback_lends_a_target_the_words_of_its_clearest_matches():
    items = [*BEDS, *OTHERS, ONLY_LENT]
    on = Index(items, THEMES, TARGETS, replace(Config(), abstain_threshold=-1.0))
    off = Index(
        items, THEMES, TARGETS, replace(Config(), abstain_threshold=-1.0, feedback_weight=0.0)
    )
    with_feedback = _targets_of(on, "q")
    without = _targets_of(off, "q")
    assert with_feedback[0].key == 12
    assert with_feedback[0].score > 5 * max(t.score for t in without if t.key == 12)
    # the words shown are those the target borrowed, since it shares none of its own
    assert {"tablero", "ocupación"} <= set(with_feedback[0].words)
    # a text typed outside the index meets the same expanded targets
    typed = on.suggest_text("tablero de ocupación actualizado cada hora").targets
    assert typed[0].key == 12


def test_feedback_reads_the_collection_not_the_input_order():
    items = [*BEDS, *OTHERS, ONLY_LENT]

    def run(order):
        index = Index(order, THEMES, TARGETS)
        return [(s.id, s.targets, s.evidence) for s in index.suggestions()]

    assert run(items) == run(list(reversed(items)))


def test_feedback_off_leaves_the_targets_as_written():
    index = Index([*BEDS, *OTHERS], THEMES, TARGETS, replace(Config(), feedback_weight=0.0))
    assert (index._feedback_targets != index._specific(index._T)).nnz == 0


def test_abstention_features_with_and_without_themes():
    items = [*BEDS, *OTHERS]
    themed = Index(items, THEMES, TARGETS)
    bare = Index(items, (), TARGETS)
    for index, columns in ((themed, 4), (bare, 2)):
        best_target, best_theme, _ = index._best_scores
        features = index.abstention_features(
            best_target, index._content_words(index._X), best_theme
        )
        assert features.shape == (len(items), columns)
        assert np.all(np.isfinite(features))
    # each kind of index reads its own coefficients
    other = replace(Config(), abstain_coefficients_without_themes=(5.0, 0.0, 0.0))
    assert all(s.evidence > 0.99 for s in Index(items, (), TARGETS, other).suggestions())
    assert Index(items, THEMES, TARGETS, other).suggestions()[0].evidence < 0.99
    wrong = replace(Config(), abstain_coefficients=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError):
        Index(items, THEMES, TARGETS, wrong).suggestions()


def test_a_text_matching_no_theme_weighs_against_a_commitment():
    """The fourth feature: a text whose words say no sector (no theme's score reaches the
    fallback cutoff) is less likely to concern a commitment, other things equal."""
    items = [*BEDS, *OTHERS]
    index = Index(items, THEMES, TARGETS)
    best_target, best_theme, _ = index._best_scores
    words = index._content_words(index._X)
    features = index.abstention_features(best_target, words, best_theme)
    flagged = features.copy()
    flagged[:, 3] = 1.0
    assert np.all(index._probability(flagged) < index._probability(features) + 1e-12)


def test_fewer_than_three_content_words_abstain_unless_turned_off():
    items = [*BEDS, *OTHERS, ("s", "camas emergencia")]
    strict = {s.id: s for s in Index(items, THEMES, TARGETS).suggestions()}
    assert strict["s"].abstained and strict["s"].targets == ()
    assert not strict["c1"].abstained
    lenient = Index(
        items, THEMES, TARGETS, replace(Config(), abstain_min_words=0, abstain_threshold=0.0)
    )
    assert _targets_of(lenient, "s")[0].key == 12


def test_two_groups_need_more_than_a_text_and_a_group_to_merge():
    """``group_merge_penalty``: the bar for merging two clusters that both have two members
    or more is higher than for joining a single text to a group."""
    items = [
        ("a1", "Tablero en línea de camas libres en la emergencia de cada hospital."),
        ("a2", "Un tablero en línea con las camas libres de la emergencia de los hospitales."),
        ("b1", "Camas de emergencia neonatal e incubadoras libres en cada hospital."),
        ("b2", "Que se informe de las incubadoras y camas neonatales libres del hospital."),
        *OTHERS,
    ]
    index = Index(items)
    G = index._G
    pos = index._position
    sims = (G @ G.T).toarray()
    a = [pos["a1"], pos["a2"]]
    b = [pos["b1"], pos["b2"]]
    cross = float(sims[np.ix_(a, b)].mean())
    within = min(float(sims[a[0], a[1]]), float(sims[b[0], b[1]]))
    assert within > cross > 0.05
    # a bar the cross average clears (4 pairs: threshold + penalty / 2), with and without
    # the extra bar for two groups
    threshold = cross - 0.01
    plain = replace(Config(), group_size_penalty=0.0, group_merge_penalty=0.0)
    strict = replace(plain, group_merge_penalty=0.02)
    merged = {frozenset(g.ids) for g in Index(items, config=plain).groups(threshold)}
    apart = {frozenset(g.ids) for g in Index(items, config=strict).groups(threshold)}
    assert frozenset({"a1", "a2", "b1", "b2"}) in merged
    assert {frozenset({"a1", "a2"}), frozenset({"b1", "b2"})} <= apart


def _bench():
    spec = importlib.util.spec_from_file_location(
        "triage_quality", ROOT / "bench" / "triage_quality.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def labelled_index():
    bench = _bench()
    themes, targets = bench.load_targets()
    items = bench.load_items()
    return Index(((i["id"], i["text"]) for i in items), themes, targets)


def test_vectorised_edges_match_the_plain_loop(labelled_index):
    """``_edges`` (numpy) gives what the loop it replaced gave: each undirected pair once,
    sorted by (i, j), with the similarity of the later row when found from both ends."""
    idx, sim = labelled_index._neighbours
    for threshold in (0.1, 0.55):
        best: dict[tuple[int, int], float] = {}
        rows, cols = np.nonzero((sim >= threshold) & (idx >= 0))
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            j = int(idx[r, c])
            best[(r, j) if r < j else (j, r)] = float(sim[r, c])
        expected = [(s, i, j) for (i, j), s in sorted(best.items())]
        assert labelled_index._edges(threshold) == expected


def test_vectorised_overlaps_match_the_pairwise_score(labelled_index):
    pairs = labelled_index.near_duplicates(threshold=0.0)
    assert pairs
    position = labelled_index._position
    for pair in pairs:
        i, j = sorted((position[pair.a], position[pair.b]))
        score, overlap = labelled_index.duplicate_score(i, j, pair.cosine)
        assert pair.overlap == pytest.approx(overlap, abs=1e-6)
        assert pair.score == pytest.approx(score, abs=2e-6)
