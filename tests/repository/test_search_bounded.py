"""A common word is answered by ranking a bounded set of matches: the page says "more than N
results" instead of counting every match, pages within that set, and costs two queries
whatever the number of matches (issue 15.2). Runs on SQLite (FTS5) and PostgreSQL (GIN)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from traza.repository import search
from traza.repository.models import SearchEntry


def _entries(n: int, start: int = 0, kind: str = "contribution", words: str = "") -> None:
    SearchEntry.objects.bulk_create(
        SearchEntry(
            kind=kind,
            object_id=start + i,
            title=f"Aporte {start + i}",
            body=f"Propuesta sobre el presupuesto participativo número {start + i}. {words}",
            url=f"/aportes/{start + i}/",
        )
        for i in range(n)
    )


def _queries(**kwargs) -> tuple[int, search.Results]:
    with CaptureQueriesContext(connection) as captured:
        results = search.search("presupuesto", **kwargs)
    return len(captured.captured_queries), results


def test_below_the_bound_the_count_is_exact_and_every_match_is_ranked(db):
    _entries(45)
    _entries(1, start=100, words="presupuesto presupuesto presupuesto")
    queries, results = _queries()
    assert queries == 2
    assert (results.total, results.more) == (46, False)
    assert results.hits[0].title == "Aporte 100"  # the word three more times ranks first
    seen = []
    for page in (1, 2, 3):
        seen += [h.url for h in search.search("presupuesto", page=page).hits]
    assert len(seen) == len(set(seen)) == 46
    assert search.search("presupuesto", page=4).hits == []


def test_above_the_bound_it_says_more_than_n_and_pages_within_them(db, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 30)
    _entries(80)
    queries, results = _queries()
    assert queries == 2
    assert (results.total, results.more) == (30, True)
    seen = []
    for page in (1, 2):
        seen += [h.url for h in search.search("presupuesto", page=page).hits]
    assert len(seen) == len(set(seen)) == 30
    assert search.search("presupuesto", page=3).hits == []
    # a filter narrows the matches under the bound: exact again
    _entries(3, start=500, kind="event")
    narrowed = search.search("presupuesto", kind="event")
    assert (narrowed.total, narrowed.more) == (3, False)


def test_the_cost_does_not_grow_with_the_matches(db, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 20)
    _entries(10)
    small, _results = _queries(page=2)  # past the matches: no second query
    assert small == 1
    _entries(200, start=10)
    large, results = _queries(page=1)
    assert large == 2 and results.more and len(results.hits) == search.PAGE_SIZE


def test_the_page_says_more_than_n_results(client, db, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 25)
    _entries(40)
    from django.urls import reverse
    from django.utils import translation

    with translation.override("en"):
        response = client.get(reverse("repository:search"), {"q": "presupuesto"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "More than 25 results" in html and "40" not in html.split("<ol")[0]
    assert response.context["more"] is True and response.context["pages"] == 2
    spanish = client.get("/buscar/", {"q": "presupuesto", "page": 2})
    assert len(spanish.context["hits"]) == 5
