"""Grouping that does not chain single requests onto a group, and the fallback theme.

No database, no Django; each test builds a small index (well under a second)."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import replace
from pathlib import Path

import pytest

from traza.triage import Config, Index, Theme, group
from traza.triage.engine import sector_keywords

ROOT = Path(__file__).resolve().parents[2]

TITLES = {
    "g1": "Consulta en internet de los títulos de los institutos tecnológicos.",
    "g2": "Que los títulos técnicos de los institutos se puedan verificar en una web nacional.",
    "g3": "Un registro en línea de títulos de institutos tecnológicos para las empresas.",
}
# a different request: school certificates, close to g2 ("que ... se puedan ... en una web")
CERTIFICATES = "Que los certificados de estudios del colegio se puedan sacar en una web."
SCHOOL = {
    "d": "El techo del colegio de mi hijo se está cayendo, que lo reparen.",
    "e": "A mi hijo le hacen bullying en el colegio y nadie hace nada.",
}
OTHERS = {
    "n1": "En Trujillo nos cobran cupos; pedimos una política contra la extorsión.",
    "n2": "Publiquen cuánto cuesta la obra de agua y desagüe de mi distrito.",
    "n3": "Más patrullaje de serenazgo en las noches, roban en el paradero.",
    "n4": "Los cortes de agua en mi sector son diarios y sin aviso.",
    "n5": "El río está contaminado por una minera, sancionen a la empresa.",
    "n6": "Felicitaciones por el taller, estuvo muy bien organizado.",
}
ITEMS = [*TITLES.items(), ("s", CERTIFICATES), *SCHOOL.items(), *OTHERS.items()]

#: the grouping of the previous round: plain average linkage at one threshold for every size
PLAIN = replace(Config(), group_threshold=0.10, group_size_penalty=0.0)


def _cosine(index: Index, a: str, b: str) -> float:
    X = index._X
    pa, pb = index._position[a], index._position[b]
    return float((X[pa] @ X[pb].T).toarray()[0, 0])


def test_two_single_texts_sharing_one_word_are_not_a_group():
    """ "agua" alone (a cut in supply, the cost of a works) does not make one request."""
    index = Index(ITEMS)
    cosine = _cosine(index, "n2", "n4")
    # the precondition: above the old bar, below the bar for two single texts
    assert PLAIN.group_threshold <= cosine < Config().group_threshold + Config().group_size_penalty
    assert ("n2", "n4") in [g.ids for g in group(ITEMS, config=PLAIN)]
    assert all({"n2", "n4"} - set(g.ids) for g in index.groups())


def test_a_chain_through_a_single_request_does_not_join_two_requests():
    """titles ~ certificates (one member close) ~ school complaints: the titles stay one group
    of their own, and nothing joins a titles request with a school complaint."""
    index = Index(ITEMS)
    # the chain exists: certificates is close to one title request and to the school texts,
    # while the title requests and the school texts share nothing
    assert _cosine(index, "s", "g2") > 0.2
    assert _cosine(index, "s", "d") > 0.1
    assert _cosine(index, "g1", "d") == 0.0
    groups = [set(g.ids) for g in index.groups()]
    assert set(TITLES) in groups
    for g in groups:
        assert not (g & set(TITLES) and g & set(SCHOOL))
        assert not ({"s"} <= g and g & set(TITLES))


def test_paraphrases_of_one_request_are_still_grouped():
    groups = [g.ids for g in Index(ITEMS).groups()]
    assert tuple(sorted(TITLES)) in groups


THEMES = [
    Theme("salud", "Salud", "hospital posta médicos pacientes emergencia medicinas seguro"),
    Theme("saneamiento", "Saneamiento", "agua potable desagüe alcantarillado"),
    Theme("transversal", "Transversal", "transparencia participación ciudadana gobierno abierto"),
]
RENIEC = "Llevo un mes esperando mi DNI en RENIEC y no me lo entregan, necesito viajar."
CAMAS = "Que se publique en internet cuántas camas libres hay en la emergencia de cada hospital."


def _themes(themes, text: str, config: Config | None = None):
    index = Index([("x", text), *OTHERS.items()], themes=themes, config=config)
    return next(s for s in index.suggestions() if s.id == "x")


def test_text_matching_no_theme_gets_the_fallback_theme_first():
    s = _themes(THEMES, RENIEC)
    assert s.theme_fallback
    assert s.themes[0].key == "transversal"
    assert len({t.key for t in s.themes}) == len(s.themes)  # listed once


def test_text_about_a_theme_keeps_its_theme():
    s = _themes(THEMES, CAMAS)
    assert not s.theme_fallback
    assert s.themes[0].key == "salud"
    assert s.themes[0].score >= Config().theme_fallback_below


def test_fallback_theme_found_by_flag_or_name_and_can_be_turned_off():
    # a plan without a "transversal" theme: the ranking is left as it is
    s = _themes(THEMES[:2], RENIEC)
    assert not s.theme_fallback
    assert all(t.key != "transversal" for t in s.themes)
    # a plan that marks another theme as its catch-all (key and name unrelated)
    marked = [*THEMES[:2], Theme("7", "Gobierno abierto", fallback=True)]
    s = _themes(marked, RENIEC)
    assert s.theme_fallback and s.themes[0].key == "7"
    # the workbench passes themes by primary key and name: the name is enough
    by_name = [*THEMES[:2], Theme("42", "Transversal")]
    assert _themes(by_name, RENIEC).themes[0].key == "42"
    # cutoff 0 turns the rule off
    off = _themes(THEMES, RENIEC, replace(Config(), theme_fallback_below=0.0))
    assert not off.theme_fallback


def test_suggest_text_applies_the_fallback_too():
    index = Index(list(OTHERS.items()), themes=THEMES)
    assert index.suggest_text(RENIEC).themes[0].key == "transversal"
    posta = index.suggest_text("Faltan médicos y medicinas en la posta, los pacientes esperan.")
    assert posta.themes[0].key == "salud" and not posta.theme_fallback


@pytest.mark.parametrize("name", ["TEST2", "TEST3", "TEST4", "TEST5"])
def test_blind_test_sets_are_fictional_well_formed_and_apart(name):
    """test2 … test5 (blind sets written before an engine change; the targets are judged on
    the latest, test5) are labelled like the others and share no text or group name with the
    earlier sets; checked without running the engine on them."""
    spec = importlib.util.spec_from_file_location(
        "triage_quality", ROOT / "bench" / "triage" / ".." / "triage_quality.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = getattr(bench, name)
    first = json.loads(path.read_text("utf-8").splitlines()[0])
    assert "FICTIONAL" in first["_comment"]
    blind = bench.load_items(path)
    assert len(blind) >= 150
    by_id = {i["id"]: i for i in blind}
    assert len(by_id) == len(blind)
    assert 0.25 * len(blind) <= sum(i["commitment"] is None for i in blind) <= 0.45 * len(blind)
    themes, targets = bench.load_targets()
    assert {i["theme"] for i in blind} == {t.key for t in themes}
    assert {i["commitment"] for i in blind} - {None} == {t.id for t in targets}
    copies = [i for i in blind if i["duplicate_of"]]
    assert len(copies) >= 8
    for item in copies:
        assert by_id[item["duplicate_of"]]["group"] == item["group"]
        assert item["text"] != by_id[item["duplicate_of"]]["text"]
    earlier = bench.load_items() + bench.load_items(bench.TEST)
    if name in ("TEST3", "TEST4"):
        earlier += bench.load_items(bench.TEST2)
    if name in ("TEST4", "TEST5"):
        earlier += bench.load_items(bench.TEST3)
    if name == "TEST5":
        earlier += bench.load_items(bench.TEST4)
    assert not {i["text"] for i in earlier} & {i["text"] for i in blind}
    assert not {i["group"] for i in earlier} & {i["group"] for i in blind}


def test_a_theme_named_after_a_sector_gets_its_vocabulary():
    """The workbench passes themes by key and name only; a name such as "Salud" or "Seguridad
    Ciudadana" brings the sector's words, so a text about "camas UCI" or "cupos" finds it."""
    named = [
        Theme("7", "Salud"),
        Theme("9", "Seguridad Ciudadana"),
        Theme("3", "Transversal"),
    ]
    assert "UCI" in sector_keywords(named[0])
    assert sector_keywords(Theme("x", "Pesca artesanal")) == ""
    assert sector_keywords(Theme("7", "Salud", "hospitales")) == "hospitales"
    index = Index(list(OTHERS.items()), themes=named)
    uci = index.suggest_text("Faltan camas UCI pediátricas en el norte, los niños graves viajan.")
    assert uci.themes[0].key == "7" and not uci.theme_fallback
    robos = index.suggest_text("Hay asaltos y robos en el paradero, que patrulle el serenazgo.")
    assert robos.themes[0].key == "9"
    off = Index(list(OTHERS.items()), themes=named, config=Config(sector_keywords=False))
    assert off.suggest_text("Faltan camas UCI pediátricas en el norte.").theme_fallback
