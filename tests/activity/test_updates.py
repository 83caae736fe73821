"""News of a plan, commitment or event — for the e-mails to followers and the Atom feed: one
query on the plan's trace (since the last message), then one per kind of news found."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.activity.conftest import Busy, event_of, happen
from traza.activity import queries
from traza.activity.queries import updates
from traza.notifications.models import OutboxMessage
from traza.repository import following


def counted(target: str, target_id: int, **options) -> tuple[list, int]:
    with CaptureQueriesContext(connection) as captured:
        items = updates(target, target_id, **options)
    return items, len(captured)


def test_the_news_of_a_plan_a_commitment_and_an_event(busy):
    happen(busy)
    plan, commitment, event = busy.plan, busy.commitment, busy.event
    news = updates("plan", plan.pk)
    assert sorted(u.kind for u in news) == ["document"] * 3 + ["progress"] + ["response"] * 2
    assert [u.at for u in news] == sorted((u.at for u in news), reverse=True)
    about = updates("commitment", commitment.pk)
    assert sorted(u.kind for u in about) == ["document", "progress", "response"]
    assert "Propuesta" not in about[0].text and any("Se incorporó" in u.text for u in about)
    at_event = updates("event", event.pk)
    assert sorted(u.kind for u in at_event) == ["document", "response"]
    assert updates("commitment", plan.commitments.get(number=2).pk) == []
    assert updates("planet", plan.pk) == [] and updates("commitment", 999999) == []
    assert len(updates("plan", plan.pk, limit=2)) == 2


def test_nothing_new_is_one_query_on_the_trace(busy):
    happen(busy)
    since = timezone.now()
    for target, pk in (("plan", busy.plan.pk), ("commitment", busy.commitment.pk)):
        assert counted(target, pk, since=since) == ([], 1)
    later = counted("plan", busy.plan.pk, since=since - dt.timedelta(days=1))
    assert len(later[0]) == 6 and later[1] == 4


def test_no_query_per_item(make_plan):
    counts = []
    for times, number in ((1, 1), (3, 2)):
        plan = make_plan(n=1, m=1, number=number)
        busy = Busy(plan, plan.commitments.get(), event_of(plan))
        happen(busy, times)
        for target, pk, each in (
            ("plan", plan.pk, 6),
            ("commitment", busy.commitment.pk, 3),
            ("event", busy.event.pk, 2),
        ):
            items, n = counted(target, pk)
            assert len(items) == each * times
            counts.append(n)
    assert counts[:3] == counts[3:] == [4, 4, 3]  # the trace, then responses, progress, documents


def test_followers_get_them_through_the_activity(busy):
    assert following._updates_readers == [queries.updates]
    subscription = following.follow(
        {
            "email": "vecina@example.org",
            "target": "commitment",
            "target_id": busy.commitment.pk,
            "frequency": "immediate",
            "consent_text": "ok",
        }
    )
    following.confirm(subscription.token)
    assert following.send_updates() == 0
    happen(busy)
    assert following.send_updates() == 1 and following.send_updates() == 0
    body = OutboxMessage.objects.get(purpose="follow_updates").body
    assert "Se incorporó 0" in body and "Avance 0" in body and "Documento del compromiso" in body
    assert "Documento del plan" not in body and "No 0" not in body


def test_the_atom_feed(client, busy, django_assert_max_num_queries):
    happen(busy)
    with django_assert_max_num_queries(5):  # the plan, its trace, three kinds of news
        response = client.get(f"/planes/{busy.plan.pk}/canal/")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert body.count("<entry>") == 6 and "Se incorporó 0" in body
    assert client.get(f"/en/plans/{busy.plan.pk}/feed/").status_code == 200
    assert client.get("/planes/999999/canal/").status_code == 404
    assert [u.key for u in queries.feed_items(busy.plan)] == [
        u.key for u in updates("plan", busy.plan.pk)
    ]
