"""API lists page by keyset (an opaque cursor) and never count a large table whole: the count
is exact up to a cap, then an estimate or a lower bound, and says which (issue 15.2)."""

import pytest
from django.db import connection

from traza.api import pagination
from traza.cocreation import services as cocreation_services


def _contributions(editor, plan, n, start=0):
    for i in range(start, start + n):
        cocreation_services.record_contribution(
            editor,
            {
                "plan": plan,
                "channel": "email",
                "text": f"Aporte número {i}",
                "received_at": "2025-01-01T10:00:00Z",
            },
        )


def _walk(client, address):
    """Every page from ``address`` on, following next; returns the ids and the pages."""
    ids, pages = [], []
    while address:
        body = client.get(address).json()
        pages.append(body)
        ids += [row.get("id") for row in body["items"]]
        address = body["next"]
    return ids, pages


def test_following_next_reads_every_row_once_in_order(client, make_plan, editor):
    plan = make_plan(n=1, m=0)
    _contributions(editor, plan, 7)
    ids, pages = _walk(client, f"/api/v1/contributions/?plan={plan.pk}&limit=3")
    assert len(ids) == 7 and ids == sorted(ids) and len(set(ids)) == 7
    assert [len(p["items"]) for p in pages] == [3, 3, 1]
    assert all(p["count"] == 7 and p["count_is"] == "exact" for p in pages)
    # the filters and the limit travel in next; the last page has none
    assert f"plan={plan.pk}" in pages[0]["next"] and "limit=3" in pages[0]["next"]
    assert pages[0]["next"].startswith("http://testserver/api/v1/contributions/?")
    assert pages[-1]["next"] is None and pages[-1]["next_cursor"] is None
    # the cursor alone gives the same page as the next address
    second = client.get(f"/api/v1/contributions/?plan={plan.pk}&limit=3&cursor=")
    assert second.status_code == 200  # an empty cursor is the first page
    by_cursor = client.get(
        "/api/v1/contributions/",
        {"plan": plan.pk, "limit": 3, "cursor": pages[0]["next_cursor"]},
    ).json()
    assert by_cursor["items"] == pages[1]["items"]


def test_a_row_added_while_paging_is_neither_skipped_nor_repeated(client, make_plan, editor):
    plan = make_plan(n=1, m=0)
    _contributions(editor, plan, 4)
    first = client.get(f"/api/v1/contributions/?plan={plan.pk}&limit=2").json()
    _contributions(editor, plan, 1, start=4)  # an offset would now shift; a cursor does not
    ids, _pages = _walk(client, first["next"])
    assert [row["id"] for row in first["items"]] + ids == sorted(
        [row["id"] for row in first["items"]] + ids
    )
    assert len(set([row["id"] for row in first["items"]] + ids)) == 5


def test_offset_still_works_and_leads_on_by_cursor(client, make_plan):
    plan = make_plan(n=12, m=0)
    page = client.get(f"/api/v1/commitments/?plan={plan.pk}&limit=5&offset=5").json()
    assert page["count"] == 12 and [r["number"] for r in page["items"]] == [6, 7, 8, 9, 10]
    assert "offset" not in page["next"]
    after = client.get(page["next"]).json()
    assert [r["number"] for r in after["items"]] == [11, 12] and after["next"] is None


def test_a_forged_or_foreign_cursor_is_a_400(client, make_plan):
    plan = make_plan(n=3, m=0)
    themes = client.get("/api/v1/commitments/?limit=1").json()
    for cursor in ("abc", "x" * 200, themes["next_cursor"] + "x", "eyJkIjoiY29tbWl0bWVudHMifQ:"):
        response = client.get("/api/v1/commitments/", {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert "cursor" in response.json()["detail"]
    # a cursor of one list is refused by another
    foreign = client.get("/api/v1/milestones/", {"cursor": themes["next_cursor"]})
    assert foreign.status_code == 400
    both = client.get("/api/v1/commitments/", {"cursor": themes["next_cursor"], "offset": 1})
    assert both.status_code == 400
    assert client.get(f"/api/v1/commitments/?plan={plan.pk}").status_code == 200


def test_computed_datasets_page_by_position(client, make_plan):
    make_plan(n=1, m=0)
    everything = client.get("/api/v1/standards/?limit=500").json()["items"]
    _ids, pages = _walk(client, "/api/v1/standards/?limit=7")
    assert sum(len(p["items"]) for p in pages) == len(everything) > 7
    assert [row for p in pages for row in p["items"]] == everything


def test_above_the_cap_the_count_is_an_estimate_or_a_lower_bound(
    client, make_plan, editor, monkeypatch
):
    plan = make_plan(n=1, m=0)
    _contributions(editor, plan, 6)
    monkeypatch.setattr(pagination, "COUNT_CAP", 4)
    body = client.get(f"/api/v1/contributions/?plan={plan.pk}&limit=2").json()
    if connection.vendor == "postgresql":
        assert body["count_is"] in ("estimate", "more_than")
        assert body["count"] >= 4 if body["count_is"] == "more_than" else body["count"] > 4
    else:
        assert (body["count"], body["count_is"]) == (4, "more_than")
    monkeypatch.setattr(pagination, "COUNT_CAP", 6)
    body = client.get(f"/api/v1/contributions/?plan={plan.pk}&limit=2").json()
    assert (body["count"], body["count_is"]) == (6, "exact")


@pytest.mark.parametrize("cap", [4, 10_000])
def test_a_page_costs_the_same_queries_for_10_or_60_rows(
    client, make_plan, editor, monkeypatch, cap
):
    """The count reads at most the cap, the page reads limit + 1 rows: the number of queries
    does not grow with the table, on the first page or deep in it."""
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(pagination, "COUNT_CAP", cap)
    plan = make_plan(n=1, m=0)
    _contributions(editor, plan, 10)

    def cost():
        first = client.get("/api/v1/contributions/?limit=3").json()
        with CaptureQueriesContext(conn) as captured:
            client.get(first["next"])
        return len(captured.captured_queries)

    small = cost()
    _contributions(editor, plan, 50, start=10)
    large = cost()
    assert large == small <= 4
