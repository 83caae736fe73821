"""Atom feeds and following by e-mail: double opt-in, one-click unsubscribe, immediate or
weekly, through the outbox."""

import datetime as dt
import re
import time

from django.core import signing
from django.utils import timezone

from traza.cocreation import services as cocreation_services
from traza.cocreation.forms import SALT
from traza.notifications.models import OutboxMessage, Subscription
from traza.repository.following import send_updates


def follow_form(**overrides):
    data = {
        "email": "vecina@example.org",
        "frequency": "immediate",
        "consent": "on",
        "website": "",
        "started": signing.dumps(time.time() - 10, salt=SALT),
    }
    data.update(overrides)
    return data


def answer(editor, plan, text="Se incorporó al compromiso."):
    contribution = cocreation_services.record_contribution(
        editor,
        {"plan": plan, "channel": "email", "text": "Propuesta", "received_at": timezone.now()},
    )
    cocreation_services.publish_response(
        editor,
        contribution,
        {
            "outcome": "adopted",
            "text": text,
            "deciding_body": "secretariat",
            "decided_on": timezone.localdate(),
        },
    )
    return contribution


def link(body: str, part: str) -> str:
    return (
        re.search(rf"https?://[^\s]+/seguir/{part}/[^\s]+/", body)
        .group(0)
        .split("://", 1)[1]
        .split("/", 1)[1]
    )


def test_follow_confirm_receive_and_unsubscribe_in_one_click(client, make_plan, editor):
    plan = make_plan(n=1, m=1)
    url = f"/seguir/plan/{plan.pk}/"
    assert client.post(url, follow_form(consent="")).status_code == 400
    assert client.post(url, follow_form()).status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    answer(editor, plan)
    assert send_updates() == 0  # nothing before the confirmation
    confirm = OutboxMessage.objects.get(purpose="follow_confirm")
    assert confirm.to == "vecina@example.org"
    assert client.get("/" + link(confirm.body, "confirmar")).status_code == 200
    answer(editor, plan, "Segunda respuesta publicada.")
    assert send_updates() == 1 and send_updates() == 0  # once per news
    news = OutboxMessage.objects.get(purpose="follow_updates")
    assert "Segunda respuesta publicada." in news.body and "Se incorporó" not in news.body
    response = client.get("/" + link(news.body, "baja"))
    assert response.status_code == 200 and "Ya no sigue" in response.content.decode()
    answer(editor, plan, "Tercera.")
    assert send_updates() == 0
    assert client.get("/seguir/baja/no-such-token/").status_code == 404
    assert client.get("/seguir/planeta/1/").status_code == 404
    assert client.get("/seguir/plan/999999/").status_code == 404


def test_a_weekly_digest_waits_a_week(make_plan, editor):
    from traza.repository import following

    plan = make_plan(n=1, m=1)
    subscription = following.follow(
        {
            "email": "w@example.org",
            "target": "plan",
            "target_id": plan.pk,
            "frequency": "weekly",
            "consent_text": "ok",
        }
    )
    following.confirm(subscription.token)
    answer(editor, plan)
    assert send_updates() == 0
    assert send_updates(timezone.now() + dt.timedelta(days=8)) == 1


def test_the_plan_feed_lists_responses_progress_and_documents(client, make_plan, editor):
    plan = make_plan(n=1, m=1)
    answer(editor, plan, "Respuesta publicada para el canal.")
    response = client.get(f"/planes/{plan.pk}/canal/")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/atom+xml"
    )
    body = response.content.decode()
    assert "Respuesta publicada para el canal." in body and "<entry>" in body
    assert client.get("/planes/999999/canal/").status_code == 404
