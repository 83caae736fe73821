"""Health check, a database outage answered with a clear 503 and recovered from by itself."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from traza.notifications.models import MessageStatus, OutboxMessage
from traza.notifications.services import enqueue

TOKEN = "health-0123456789abcdef"


@pytest.fixture
def health_token(settings):
    settings.TRAZA_HEALTH_TOKEN = TOKEN
    return {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


def queue(status: str = MessageStatus.QUEUED, age_minutes: float = 0) -> OutboxMessage:
    with transaction.atomic():
        message = enqueue("ana@example.org", "Asunto", "Texto", purpose="test")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=status, created_at=timezone.now() - dt.timedelta(minutes=age_minutes)
    )
    return message


def test_healthz_answers_the_public_with_its_status_only(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_shows_details_to_staff_and_to_the_health_token(
    client, db, health_token, django_user_model
):
    data = client.get("/healthz", **health_token).json()
    assert data["status"] == "ok" and data["database"] == "ok" and data["storage"] == "ok"
    assert data["outbox"] == {
        "queued": 0,
        "sending": 0,
        "failed": 0,
        "uncertain": 0,
        "oldest_queued_seconds": 0,
    }
    staff = django_user_model.objects.create_user("ops", "ops@example.org", "x", is_staff=True)
    client.force_login(staff)
    assert client.get("/healthz").json()["outbox"]["queued"] == 0


@pytest.mark.parametrize(
    "authorization",
    ["Bearer wrong-token", f"Bearer {TOKEN}x", TOKEN, f"Basic {TOKEN}", "Bearer ", ""],
)
def test_healthz_hides_details_without_the_right_token(client, db, health_token, authorization):
    response = client.get("/healthz", HTTP_AUTHORIZATION=authorization)
    assert response.json() == {"status": "ok"}


def test_an_empty_health_token_setting_opens_nothing(client, db, settings):
    settings.TRAZA_HEALTH_TOKEN = ""
    assert client.get("/healthz", HTTP_AUTHORIZATION="Bearer ").json() == {"status": "ok"}


def test_a_participant_account_sees_status_only(client, db, outsider):
    client.force_login(outsider)
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.parametrize(
    "status, age_minutes, problem",
    [
        (MessageStatus.UNCERTAIN, 0, "outbox_uncertain"),
        (MessageStatus.FAILED, 0, "outbox_failed"),
        (MessageStatus.QUEUED, 31, "outbox_waiting"),
    ],
)
def test_mail_in_trouble_makes_the_site_degraded(
    client, db, settings, health_token, status, age_minutes, problem
):
    settings.TRAZA_HEALTH_QUEUE_MINUTES = 30
    queue(status, age_minutes)
    public = client.get("/healthz")
    assert public.status_code == 200 and public.json() == {"status": "degraded"}
    details = client.get("/healthz", **health_token).json()
    assert details["status"] == "degraded" and details["problems"] == [problem]


def test_mail_waiting_less_than_the_threshold_is_ok(client, db, settings):
    settings.TRAZA_HEALTH_QUEUE_MINUTES = 30
    queue(MessageStatus.QUEUED, 29)
    queue(MessageStatus.SENT, 600)
    assert client.get("/healthz").json() == {"status": "ok"}


def test_a_message_stuck_sending_past_its_lease_counts_as_uncertain(
    client, db, settings, health_token
):
    settings.TRAZA_MAIL_LEASE_SECONDS = 600
    message = queue(MessageStatus.SENDING)
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=timezone.now())
    assert client.get("/healthz").json() == {"status": "ok"}  # being sent right now
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_at=timezone.now() - dt.timedelta(minutes=11)
    )
    details = client.get("/healthz", **health_token).json()
    assert details["status"] == "degraded" and details["outbox"]["uncertain"] == 1


def test_healthz_does_not_write_a_file_on_every_call(client, db, monkeypatch):
    saved = []
    original = default_storage.save

    def counting_save(name, content, **kwargs):
        saved.append(name)
        return original(name, content, **kwargs)

    monkeypatch.setattr(default_storage, "save", counting_save)
    for _ in range(10):
        assert client.get("/healthz").status_code == 200
    assert len(saved) <= 1
    monkeypatch.setattr("traza.ops.health.time.monotonic", lambda: 10**9)  # a while later
    client.get("/healthz")
    assert len(saved) <= 2 and saved


def test_healthz_says_when_storage_cannot_be_written(client, db, settings, tmp_path, health_token):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = str(blocked / "media")
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json() == {"status": "down"}
    assert client.get("/healthz", **health_token).json()["storage"].startswith("error")


def test_healthz_is_rate_limited_except_with_the_token(client, db, settings, health_token):
    settings.TRAZA_RATE_LIMITS = True
    settings.TRAZA_HEALTH_RATE = "3/m"
    cache.clear()
    try:
        statuses = [client.get("/healthz").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = client.get("/healthz")
        assert limited["Retry-After"] == "60" and limited.json()["status"] == "limited"
        assert client.get("/healthz", **health_token).status_code == 200
    finally:
        cache.clear()


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
def test_an_outage_is_a_clear_503_and_the_site_recovers_by_itself(client, make_plan, settings):
    settings.TRAZA_HEALTH_TOKEN = "outage-token"
    plan = make_plan(n=1, m=1)
    assert client.get(plan.get_absolute_url()).status_code == 200
    with database_down():
        response = client.get(plan.get_absolute_url())
        assert response.status_code == 503 and response["Retry-After"] == "30"
        assert "no está respondiendo" in response.content.decode()
        health = client.get("/healthz")
        assert health.status_code == 503 and health["Retry-After"] == "30"
        assert health.json() == {"status": "down"}
        detailed = client.get("/healthz", HTTP_AUTHORIZATION="Bearer outage-token")
        assert detailed.status_code == 503 and detailed.json()["database"].startswith("error")
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert client.get("/healthz").json() == {"status": "ok"}
    assert OutboxMessage.objects.count() == 0
