"""The secretariat's admin writes through the services: validated, traced, versioned."""

from traza.core.models import TraceEvent
from traza.plans.models import Commitment


def _form(commitment, **overrides):
    data = {
        "plan": commitment.plan_id,
        "number": commitment.number,
        "title": commitment.title,
        "summary": "",
        "problem": "",
        "status_quo": "",
        "change_sought": "",
        "contribution": "",
        "origin": "",
        "lead_organization": commitment.lead_organization_id or "",
        "supporting_organizations": [o.pk for o in commitment.supporting_organizations.all()],
        "theme": commitment.theme_id or "",
        "civic_participation": "on",
        "starts_on": "2024-01-01",
        "ends_on": "2025-12-31",
        "status": commitment.status,
        "notes": "",
        "change_reason": "",
    }
    data.update(overrides)
    return data


def test_staff_change_through_admin_is_traced_with_its_reason(client, editor, commitment):
    client.force_login(editor)
    url = f"/admin/plans/commitment/{commitment.pk}/change/"
    response = client.post(url, _form(commitment, title="New title", change_reason="Sector asked"))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = TraceEvent.objects.order_by("-id").first()
    assert event.actor == editor
    assert event.reason == "Sector asked"
    assert event.changes["title"] == ["Commitment 1", "New title"]
    assert commitment.versions.order_by("-number").first().snapshot["title"] == "New title"


def test_admin_refuses_end_before_start_with_a_message(client, editor, commitment):
    client.force_login(editor)
    before = TraceEvent.objects.count()
    url = f"/admin/plans/commitment/{commitment.pk}/change/"
    response = client.post(url, _form(commitment, starts_on="2025-01-01", ends_on="2024-01-01"))
    assert response.status_code == 200
    assert "La fecha de fin no puede ser anterior a la de inicio." in response.content.decode()
    assert TraceEvent.objects.count() == before


def test_admin_refuses_unknown_status_and_duplicates(client, editor, commitment):
    client.force_login(editor)
    before = TraceEvent.objects.count()
    response = client.post(
        f"/admin/plans/commitment/{commitment.pk}/change/", _form(commitment, status="maybe")
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post("/admin/plans/commitment/add/", _form(commitment, title="Twin"))
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert TraceEvent.objects.count() == before
    assert Commitment.objects.count() == 1


def test_the_trace_is_read_only_in_admin(client, admin_user, commitment):
    client.force_login(admin_user)
    event = TraceEvent.objects.first()
    assert client.get("/admin/core/traceevent/").status_code == 200
    response = client.post(f"/admin/core/traceevent/{event.pk}/change/", {"reason": "x"})
    assert response.status_code in (302, 403) or "reason" not in response.content.decode()
    assert TraceEvent.objects.get(pk=event.pk).reason == event.reason
    assert client.get(f"/admin/core/traceevent/{event.pk}/delete/").status_code == 403


def test_people_without_staff_rights_cannot_reach_admin(client, outsider, commitment):
    client.force_login(outsider)
    response = client.get(f"/admin/plans/commitment/{commitment.pk}/change/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_admin_lists_and_searches_every_model(client, admin_user, sample_plan):
    client.force_login(admin_user)
    for model in (
        "member",
        "organization",
        "theme",
        "actionplan",
        "commitment",
        "milestone",
        "commitmentversion",
    ):
        response = client.get(f"/admin/plans/{model}/?q=a")
        assert response.status_code == 200, model


def test_account_changes_in_admin_are_traced_without_secrets(client, admin_user, outsider):
    client.force_login(admin_user)
    response = client.post(
        f"/admin/accounts/user/{outsider.pk}/password/",
        {
            "password1": "An0ther-Strong-pass",
            "password2": "An0ther-Strong-pass",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    response = client.get(f"/admin/accounts/user/{outsider.pk}/change/")
    form = response.context["adminform"].form
    data = {
        k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | tuple)
    }
    data.update(
        {"display_name": "Olga", "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00"}
    )
    data.pop("last_login", None)
    data.pop("date_joined", None)
    data.pop("password", None)
    response = client.post(f"/admin/accounts/user/{outsider.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = TraceEvent.objects.order_by("-id").first()
    assert event.object_type == "accounts.user" and event.actor == admin_user
    assert "display_name" in event.changes["fields"]
    assert "An0ther" not in str(event.changes)
