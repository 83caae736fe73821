import factory

from tests import factories


def test_plans_endpoint_lists_plans_with_commitment_counts(client, demo):
    response = client.get("/api/v1/plans/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["count"] == 4
    plans = {p["number"]: p for p in body["items"]}
    three = plans[3]
    assert three["title"] == "Plan de Acción Nacional de Gobierno Abierto 2017-2019"
    assert three["number_of_commitments"] == 18
    assert three["member"] == "Perú"
    assert three["period"] == "2017-2019"
    assert three["stage"] == "closed"
    assert three["id"] == demo.pk
    # history entries carry the count the sources report
    assert [plans[n]["number_of_commitments"] for n in (1, 2, 4)] == [47, 17, 21]


def test_plans_endpoint_paginates_and_rejects_bad_parameters(client, db):
    member = factories.MemberFactory()
    factories.PlanFactory.create_batch(4, member=member, number=factory.Iterator([1, 2, 3, 4]))
    page = client.get("/api/v1/plans/?limit=2&offset=1").json()
    assert [p["number"] for p in page["items"]] == [2, 3]
    bad = client.get("/api/v1/plans/?limit=abc")
    assert bad.status_code == 422
    assert bad["Content-Type"].startswith("application/json")


def test_openapi_document_describes_the_plans_endpoint(client, db):
    document = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/plans/" in document["paths"]


def test_api_documentation_page_uses_no_cdn(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    assert "cdn." not in html and "unpkg" not in html
