"""Staff integrations write through the API with a token; anything else is a clear 4xx."""

import json
from pathlib import Path

from django.contrib.auth.models import Permission
from django.core.management import call_command

from traza.api.models import ApiToken
from traza.core.models import TraceEvent
from traza.plans.models import Commitment

BODY = (Path(__file__).resolve().parents[2] / "docs" / "data" / "example-import.json").read_text(
    encoding="utf-8"
)


def post(client, body, token=None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post("/api/v1/import", body, content_type="application/json", **headers, **extra)


def test_a_token_imports_and_a_bad_token_is_a_clear_401(client, django_user_model, capsys):
    staff = django_user_model.objects.create_user("integracion", "i@example.org", "x-Strong-1")
    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["plans", "monitoring", "cocreation", "assessment"]
        )
    )
    call_command("create_token", "integracion", "Sistema del ministerio")
    key = capsys.readouterr().out.strip()
    assert key.startswith("traza_") and ApiToken.objects.get().key_hash != key
    body = BODY
    for bad in (None, "nonsense", "traza_" + "x" * 40, "Bearer", key + "'; DROP TABLE"):
        response = post(client, body, bad)
        assert response.status_code == 401 and "detail" in response.json(), bad
    assert not Commitment.objects.exists()
    response = post(client, body, key)
    assert response.status_code == 200 and response.json()["changed"]["commitment"] == 1
    assert post(client, "{not json", key).status_code == 400
    broken = json.loads(body)
    broken["plans"][0]["commitments"][0]["title"] = ""
    problem = post(client, json.dumps(broken), key)
    assert problem.status_code == 400 and problem.json()["problems"][0][0].startswith("$.plans[0]")
    assert TraceEvent.objects.filter(object_type="api.apitoken", action="create").count() == 1
    admin = django_user_model.objects.create_superuser("jefa", "jefa@example.org", "x-Strong-1")
    client.force_login(admin)
    revoked = client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [ApiToken.objects.get().pk]},
    )
    assert revoked.status_code == 302 and ApiToken.objects.get().revoked_at is not None
    assert TraceEvent.objects.filter(object_type="api.apitoken", action="status").count() == 1
    client.logout()
    assert post(client, body, key).status_code == 401


def test_a_token_of_an_account_without_rights_is_refused(client, django_user_model):
    user = django_user_model.objects.create_user("curioso", "c@example.org", "x-Strong-1")
    _token, key = ApiToken.issue(user, "prueba")
    response = post(client, BODY, key)
    assert response.status_code == 403 and not Commitment.objects.exists()
