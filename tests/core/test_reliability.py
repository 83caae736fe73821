"""Health check, a database outage answered with a clear 503 and recovered from by itself."""

from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection

from traza.notifications.models import OutboxMessage


def test_healthz_reports_database_outbox_and_storage(client, db):
    data = client.get("/healthz").json()
    assert data["status"] == "ok" and data["database"] == "ok" and data["storage"] == "ok"
    assert data["outbox"] == {"queued": 0, "failed": 0, "uncertain": 0, "oldest_queued_seconds": 0}


def test_healthz_says_when_storage_cannot_be_written(client, db, settings, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = str(blocked / "media")
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["storage"].startswith("error")


@contextmanager
def database_down():
    """A real outage on PostgreSQL (the server refuses: wrong port); on SQLite, whose test
    database lives in memory and would vanish with its connection, every statement fails
    with the error the driver raises when the file cannot be opened."""
    if connection.vendor == "postgresql":
        port = connection.settings_dict["PORT"]
        connection.close()
        connection.settings_dict["PORT"] = "1"
        try:
            yield
        finally:
            connection.settings_dict["PORT"] = port
            connection.close()
    else:

        def refuse(execute, sql, params, many, context):
            raise OperationalError("unable to open database file")

        with connection.execute_wrapper(refuse):
            yield


@pytest.mark.django_db(transaction=True)
def test_an_outage_is_a_clear_503_and_the_site_recovers_by_itself(client, make_plan):
    plan = make_plan(n=1, m=1)
    assert client.get(plan.get_absolute_url()).status_code == 200
    with database_down():
        response = client.get(plan.get_absolute_url())
        assert response.status_code == 503 and response["Retry-After"] == "30"
        assert "no está respondiendo" in response.content.decode()
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json()["database"].startswith("error")
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert client.get("/healthz").json()["status"] == "ok"
    assert OutboxMessage.objects.count() == 0
