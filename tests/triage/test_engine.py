"""Behaviour of the offline triage engine (``traza.triage``); no database, no Django."""

from __future__ import annotations

import importlib.util
import time
from dataclasses import replace
from pathlib import Path

import pytest

from traza.triage import (
    Config,
    Index,
    Target,
    Theme,
    group,
    near_duplicates,
    normalize,
    suggest_targets,
    suggest_theme,
)

ROOT = Path(__file__).resolve().parents[2]

THEMES = [
    Theme("salud", "Salud", "hospital posta médicos pacientes emergencia medicinas seguro"),
    Theme("seguridad-ciudadana", "Seguridad ciudadana", "delito robos policía serenazgo extorsión"),
    Theme("saneamiento", "Saneamiento", "agua potable desagüe alcantarillado"),
]
TARGETS = [
    Target(
        12,
        "Central de Información de los Servicios de Emergencia Hospitalaria",
        "Información transparente y oportuna en torno a la disponibilidad de camas operativas "
        "en los Servicios de Emergencia Hospitalaria.",
        "salud",
    ),
    Target(
        17,
        "Política de prevención contra las extorsiones en la Región La Libertad",
        "Información estadística sobre las características de la extorsión en la ciudad de "
        "Trujillo, para diseñar una política de prevención con participación ciudadana.",
        "seguridad-ciudadana",
    ),
    Target(
        14,
        "Sistema de información integral sobre proyectos de inversión en saneamiento",
        "Información sobre el financiamiento de proyectos, obras y expedientes de saneamiento "
        "por región y provincia, y la población beneficiada.",
        "saneamiento",
    ),
]

CAMAS = "Que se publique en internet cuántas camas libres hay en la emergencia de cada hospital."
CAMAS_COPY = (
    "RV: propuesta\n\nque se publique en internet cuantas camas libres hay en la emergencia "
    "de cada hospital!! Enviado desde mi teléfono"
)
CAMAS_OTHER_WORDS = "Una app para ver la disponibilidad de camas de emergencia en los hospitales."
EXTORSION = "En Trujillo nos cobran cupos; pedimos una política contra la extorsión en La Libertad."
EXTORSION_2 = (
    "Las extorsiones y el cobro de cupos en Trujillo: política de prevención con los vecinos."
)
AGUA = "Publiquen cuánto cuesta y en qué avance está la obra de agua y desagüe de mi distrito."
OFF_TOPIC = "Felicitaciones por el refrigerio del evento, estuvo muy rico."


def test_normalize_folds_case_and_accents_and_drops_stop_words():
    assert normalize("INFORMACIÓN Pública") == normalize("informacion publica")
    assert normalize("de la que y los por para") == []
    assert normalize("Señores, solicito por favor que 2019") == []


def test_stemming_joins_related_words_and_keeps_unrelated_apart():
    (a,) = normalize("transparencia")
    assert normalize("transparente transparentar transparenten") == [a, a, a]
    assert normalize("publicar") == normalize("publiquen")
    assert normalize("camas") != normalize("cámaras")


def test_copy_with_small_edits_is_a_near_duplicate_but_a_paraphrase_is_not():
    pairs = near_duplicates(
        [("a", CAMAS), ("b", CAMAS_COPY), ("c", CAMAS_OTHER_WORDS), ("d", EXTORSION)]
    )
    assert [(p.a, p.b) for p in pairs] == [("a", "b")]
    assert 0 < pairs[0].score <= 1


def test_same_request_grouped_unrelated_texts_not():
    groups = group(
        [
            ("a", CAMAS),
            ("b", CAMAS_OTHER_WORDS),
            ("c", EXTORSION),
            ("d", EXTORSION_2),
            ("e", AGUA),
            ("f", OFF_TOPIC),
        ]
    )
    assert sorted(g.ids for g in groups) == [("a", "b"), ("c", "d")]
    for g in groups:
        assert g.representative in g.ids
        assert 0 < g.score <= 1
        assert g.terms  # the shared words are shown
    assert {"cupos", "trujillo"} <= set(next(g for g in groups if "c" in g.ids).terms)


def test_threshold_one_groups_nothing_and_min_size_one_returns_everyone():
    items = [("a", CAMAS), ("b", CAMAS_OTHER_WORDS), ("c", EXTORSION)]
    assert group(items, threshold=1.01) == []
    assert sorted(i for g in group(items, min_size=1) for i in g.ids) == ["a", "b", "c"]


def test_suggestions_rank_themes_and_targets_with_matched_words():
    result = suggest_targets([("a", CAMAS), ("b", EXTORSION), ("c", AGUA)], TARGETS, THEMES, k=2)
    assert [result[i].targets[0].key for i in "abc"] == [12, 17, 14]
    assert "camas" in result["a"].targets[0].words
    assert "trujillo" in result["b"].targets[0].words
    # "cupos" counts as "extorsión" through the synonym classes
    assert {"extorsión", "cupos"} & set(result["b"].targets[0].words)
    # "desagüe" reaches "saneamiento" through the synonym classes
    assert "desagüe" in result["c"].targets[0].words
    themes = suggest_theme([("a", CAMAS), ("b", EXTORSION), ("c", AGUA)], THEMES, TARGETS)
    assert [themes[i][0].key for i in "abc"] == ["salud", "seguridad-ciudadana", "saneamiento"]
    for s in result.values():
        scores = [t.score for t in s.targets]
        assert scores == sorted(scores, reverse=True)


def test_abstains_on_an_off_topic_text():
    result = suggest_targets([("a", CAMAS), ("z", OFF_TOPIC)], TARGETS, THEMES)
    assert result["z"].abstained
    assert result["z"].targets == ()
    assert not result["a"].abstained


SHORT_CAMAS = "camas"
LONG_CAMAS = (
    "Mi hijo necesita una cama en la emergencia del hospital y no hay; no hay información de "
    "cuántas camas quedan, llamamos a cinco hospitales y nadie sabe. Que publiquen la "
    "disponibilidad de camas."
)


def test_a_word_shared_by_chance_is_not_evidence():
    """The evidence weighs the best target score against the text's length: one word shared
    with a commitment gives a short text a high cosine by chance (the null model), while a long
    text about the commitment is diluted by its other words. So a one-word message scoring like
    a real request is not taken as one, and a long request with the same score is."""
    index = Index([("a", CAMAS), ("s", SHORT_CAMAS), ("l", LONG_CAMAS)], THEMES, TARGETS)
    by_id = {s.id: s for s in index.suggestions()}
    short, long_ = by_id["s"], by_id["l"]
    # similar best scores (within 30 %)...
    assert short.best_target_score == pytest.approx(long_.best_target_score, rel=0.3)
    # ...very different evidence, and a text of fewer than three content words abstains
    # whatever its evidence (``abstain_min_words``)
    assert short.evidence < long_.evidence and long_.evidence > 0.5
    assert short.abstained and short.targets == ()
    assert not long_.abstained and long_.targets[0].key == 12
    assert not by_id["a"].abstained


def test_evidence_is_a_probability_and_decides_abstention():
    items = [("a", CAMAS), ("b", CAMAS_OTHER_WORDS), ("s", SHORT_CAMAS), ("z", OFF_TOPIC)]
    index = Index(items, THEMES, TARGETS)
    results = index.suggestions()
    for s in results:
        assert 0.0 <= s.evidence <= 1.0
        # "camas" alone has one content word: it abstains whatever its evidence
        short = s.id == "s"
        assert s.abstained is (short or s.evidence < Config().abstain_threshold)
        assert s.abstained == (s.targets == ())
    # switched off: every contribution with any matching word gets its targets
    never = Index(items, THEMES, TARGETS, replace(Config(), abstain_threshold=-1.0))
    assert not any(s.abstained for s in never.suggestions())
    # a text typed outside the index is judged by the same rule
    assert index.suggest_text(OFF_TOPIC).abstained
    assert not index.suggest_text(LONG_CAMAS).abstained


def test_abstention_can_be_pooled_over_a_group():
    """With ``abstain_by_group`` a group (it asks for one thing) gets one evidence, between its
    members' own: the one-word member borrows the others' evidence."""
    items = [("a", CAMAS), ("b", CAMAS_OTHER_WORDS), ("s", SHORT_CAMAS), ("z", OFF_TOPIC)]
    alone = {s.id: s for s in Index(items, THEMES, TARGETS).suggestions()}
    pooled_index = Index(items, THEMES, TARGETS, replace(Config(), abstain_by_group=True))
    pooled = {s.id: s for s in pooled_index.suggestions()}
    grouped = [set(g.ids) for g in pooled_index.groups()]
    assert {"a", "b", "s"} in grouped
    assert pooled["a"].evidence == pooled["b"].evidence == pooled["s"].evidence
    own = [alone[i].evidence for i in "abs"]
    assert min(own) <= pooled["a"].evidence <= max(own)
    assert alone["s"].abstained and not pooled["s"].abstained
    assert pooled["z"].evidence == alone["z"].evidence and pooled["z"].abstained


def test_groups_are_computed_once_per_threshold():
    index = Index([("a", CAMAS), ("b", CAMAS_OTHER_WORDS), ("c", EXTORSION)])
    assert index.groups() is not index.groups()  # a fresh list each time...
    assert index.groups() == index.groups()
    assert list(index._groups_cache) == [index.config.group_threshold]  # ...from one clustering
    assert [g.ids for g in index.groups(min_size=1)][-1] == ("c",)


def test_suggest_text_outside_the_index():
    index = Index([("a", CAMAS), ("b", EXTORSION)], THEMES, TARGETS)
    s = index.suggest_text("faltan datos de camas libres en emergencias", ident="new")
    assert s.id == "new"
    assert s.targets[0].key == 12
    assert s.themes[0].key == "salud"


def test_output_is_deterministic_and_independent_of_input_order():
    items = [
        ("a", CAMAS),
        ("b", CAMAS_COPY),
        ("c", CAMAS_OTHER_WORDS),
        ("d", EXTORSION),
        ("e", EXTORSION_2),
        ("f", AGUA),
    ]

    def run(batch):
        index = Index(batch, THEMES, TARGETS)
        return index.groups(min_size=1), index.near_duplicates(), index.suggestions()

    first = run(items)
    assert run(items) == first
    assert run(list(reversed(items))) == first
    assert run(items[3:] + items[:3]) == first


def test_empty_and_single_inputs():
    assert group([]) == []
    assert near_duplicates([("a", CAMAS)]) == []
    assert group([("a", CAMAS)], min_size=1)[0].ids == ("a",)
    assert suggest_targets([("a", "")], TARGETS, THEMES)["a"].abstained


def test_ids_must_be_unique():
    with pytest.raises(ValueError):
        Index([("a", CAMAS), ("a", AGUA)])


# -- the labelled set ---------------------------------------------------------------------------


def _bench():
    spec = importlib.util.spec_from_file_location(
        "triage_quality", ROOT / "bench" / "triage_quality.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _bench()


def test_labelled_set_is_marked_fictional_and_well_formed(bench):
    first = (
        (ROOT / "bench" / "triage" / "contributions_es.jsonl").read_text("utf-8").splitlines()[0]
    )
    assert "FICTIONAL" in first
    items = bench.load_items()
    assert len(items) >= 300
    ids = {i["id"] for i in items}
    assert len(ids) == len(items)
    assert sum(i["commitment"] is None for i in items) >= 0.15 * len(items)
    for item in items:
        assert item["duplicate_of"] is None or item["duplicate_of"] in ids


def test_blind_test_set_is_fictional_well_formed_and_apart(bench):
    """The test set (judged by the benchmark, never tuned on) is labelled like the other and
    shares no text with it; checked without running the engine on it."""
    assert "FICTIONAL" in bench.TEST.read_text("utf-8").splitlines()[0]
    test = bench.load_items(bench.TEST)
    assert len(test) >= 150
    by_id = {i["id"]: i for i in test}
    assert len(by_id) == len(test)
    assert 0.25 * len(test) <= sum(i["commitment"] is None for i in test) <= 0.45 * len(test)
    themes, targets = bench.load_targets()
    assert {i["theme"] for i in test} == {t.key for t in themes}
    assert {i["commitment"] for i in test} - {None} == {t.id for t in targets}
    copies = [i for i in test if i["duplicate_of"]]
    assert len(copies) >= 8
    for item in copies:
        assert by_id[item["duplicate_of"]]["group"] == item["group"]
    dev_texts = {i["text"] for i in bench.load_items()}
    assert not dev_texts & {i["text"] for i in test}
    assert not {i["group"] for i in bench.load_items()} & {i["group"] for i in test}


def test_quality_floor_on_the_labelled_set(bench):
    """Each half of the labelled set, as the benchmark measures it (a floor, not the targets).

    Abstention is fitted on all six development sets since the second round of 2026-12-07 (a
    rule fitted on these two halves alone abstained too often on later sets); on these halves
    it abstains less: 0.53 and 0.36 (bench/README.md), so its floor here is lower than the
    target."""
    started = time.perf_counter()
    themes, targets = bench.load_targets()
    for half in bench.split(bench.load_items()):
        m = bench.evaluate(half, themes, targets, Config())
        assert m["group_f1"] >= 0.75
        assert m["duplicate_f1"] >= 0.90
        assert m["theme_top1"] >= 0.85
        assert m["commitment_top1"] >= 0.85
        assert m["ranking_top3"] >= 0.95
        assert m["commitment_top3"] >= 0.95
        assert m["abstain_rate"] >= 0.30
    assert time.perf_counter() - started < 20


def test_blocking_keeps_scores_exact(bench):
    """Leaving frequent stems out of the candidate search must not change any score found."""
    items = bench.load_items()
    pairs = [(i["id"], i["text"]) for i in items]
    exact = Index(pairs, config=Config())
    blocked = Index(pairs, config=replace(Config(), blocking_min_rows=0, blocking_max_df=0.0))
    for ident in [i["id"] for i in items[:60]]:
        want = dict(exact.neighbours(ident, k=5))
        got = dict(blocked.neighbours(ident, k=5))
        for other in want.keys() & got.keys():
            assert got[other] == pytest.approx(want[other], abs=1e-9)
        # the best neighbour shares a rare word, so blocking finds it too
        assert next(iter(got)) == next(iter(want))


def test_engine_imports_nothing_from_django():
    import subprocess
    import sys

    code = "import sys, traza.triage; sys.exit('django' in sys.modules)"
    env_path = str(ROOT / "src")
    result = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": env_path}, capture_output=True
    )
    assert result.returncode == 0, result.stderr
