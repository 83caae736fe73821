"""The workbench's way in and its queue: who gets in, the plans with what waits, the queue's
filters with their counts, pagination with a bounded number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories
from traza.cocreation import services as cocreation
from traza.cocreation.models import Second
from traza.core.services import SYSTEM
from traza.notifications.models import OutboxMessage

PASSWORD = "x-Strong-pass-1"


def staff_account(django_user_model, name: str, role: str | None):
    return factories.account(name, role)


@pytest.fixture
def drafter(django_user_model):
    return staff_account(django_user_model, "redactora", "response_drafter")


@pytest.fixture
def publisher(django_user_model):
    return staff_account(django_user_model, "secretaria", "secretariat")


@pytest.fixture
def second_publisher(django_user_model):
    return staff_account(django_user_model, "coordinador", "secretariat")


def received(days_ago: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


@pytest.fixture
def plan(db):
    """A plan of three commitments with a thematic table and six contributions: two
    overdue, one drafted, one answered (adopted), one forwarded, one recent."""
    plan = factories.plan_with_commitments(n=3, m=1)
    plan = factories.PlanFactory._meta.model.objects.get(pk=plan.pk)
    water = factories.ThemeFactory(slug="agua", name="Agua y saneamiento")
    event = factories.EventFactory(plan=plan, key="mesa-agua", title="Mesa temática de agua")
    first = plan.commitments.get(number=1)
    rows = [
        ("event", event, water, first, 45, "Publicar en datos abiertos la calidad del agua."),
        (
            "email",
            None,
            water,
            first,
            40,
            "Que la SUNASS publique los cortes de agua por distrito.",
        ),
        ("letter", None, None, None, 20, "Pido que me respondan por carta sobre mi reclamo."),
        ("web_form", None, water, None, 10, "Mapa de pozos y reservorios con datos abiertos."),
        ("email", None, None, plan.commitments.get(number=2), 5, "Presupuesto participativo."),
        ("web_form", None, None, None, 1, "Capacitación en transparencia para municipios."),
    ]
    made = []
    for channel, ev, theme, commitment, days, text in rows:
        made.append(
            factories.ContributionFactory(
                plan=plan,
                channel=channel,
                event=ev,
                theme=theme,
                commitment=commitment,
                received_at=received(days),
                text=text,
                author_name="Rosa Mamani",
                show_author=channel == "event",
            )
        )
    Second.objects.create(contribution=made[0], name="Luis", email="luis@example.org")
    Second.objects.create(contribution=made[0], name="Eva", email="eva@example.org")
    decision = {
        "outcome": "adopted",
        "text": "Se incorpora.",
        "deciding_body": "secretariat",
        "decided_on": dt.date.today(),
    }
    cocreation.publish_response(SYSTEM, made[3], decision)
    cocreation.save_draft(SYSTEM, made[2], {**decision, "text": "Borrador."})
    cocreation.publish_response(
        SYSTEM,
        made[4],
        {**decision, "outcome": "forwarded", "forwarded_to": "Ministerio de Economía"},
    )
    plan.made = made
    plan.event = event
    plan.water = water
    return plan


def english(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def queue_url(plan, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("workbench:queue", args=[plan.pk]) + (f"?{query}" if query else "")


# --- who gets in -------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, plan):
    response = client.get(queue_url(plan))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_participants_and_staff_without_the_permission_are_refused(
    client, plan, outsider, django_user_model
):
    client.force_login(outsider)
    assert client.get(reverse("workbench:index")).status_code == 403
    bare_staff = staff_account(django_user_model, "soporte", None)
    client.force_login(bare_staff)
    assert client.get(queue_url(plan)).status_code == 403
    assert client.get(reverse("workbench:contribution", args=[plan.made[0].pk])).status_code == 403


@pytest.mark.django_db
def test_a_drafter_gets_in(client, plan, drafter):
    client.force_login(drafter)
    assert client.get(reverse("workbench:index")).status_code == 200
    assert client.get(queue_url(plan)).status_code == 200
    assert client.get(reverse("workbench:drafts", args=[plan.pk])).status_code == 200
    assert client.get(reverse("workbench:templates")).status_code == 200


@pytest.mark.django_db
def test_staff_without_their_second_factor_are_sent_to_confirm_it(
    client, plan, publisher, settings
):
    settings.TRAZA_REQUIRE_STAFF_2FA = True
    client.force_login(publisher)
    response = client.get(queue_url(plan))
    assert response.status_code == 302
    assert reverse("accounts:otp") in response["Location"]


# --- the plans ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_index_counts_what_waits_in_one_aggregate(
    client, plan, publisher, django_assert_max_num_queries
):
    factories.plan_with_commitments(n=1, m=1, number=2)  # a plan with nothing to answer
    client.force_login(publisher)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("workbench:index"))
    rows = {row.plan.pk: row for row in response.context["rows"]}
    mine = rows[plan.pk]
    # 6 public: the adopted and the forwarded are answered; 4 unanswered (1 drafted);
    # received 45, 40 days ago are overdue (the default wait is 30 days)
    assert (mine.total, mine.unanswered, mine.drafted, mine.overdue) == (6, 4, 1, 2)
    assert len(rows) == 2
    assert reverse("workbench:queue", args=[plan.pk]) in response.content.decode()


# --- the queue ---------------------------------------------------------------------------


def shown(response) -> list[int]:
    return [row.contribution.pk for row in response.context["rows"]]


@pytest.mark.django_db
def test_the_queue_shows_full_text_seconds_and_overdue_in_words(client, plan, publisher):
    client.force_login(publisher)
    response = client.get(english("workbench:queue", plan.pk))
    body = response.content.decode()
    assert response.status_code == 200
    first = response.context["rows"][0]
    assert first.contribution == plan.made[0] and first.seconds == 2 and first.overdue
    assert first.days_waiting == 45
    assert plan.made[1].text in body  # the full text, not a summary
    assert body.count('class="overdue"') == 2  # the word, not a colour alone
    assert "Mesa temática de agua" in body
    statuses = [row.status for row in response.context["rows"]]
    assert statuses == ["unanswered", "unanswered", "drafted", "answered", "answered", "unanswered"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status": "unanswered"}, [0, 1, 2, 5]),
        ({"status": "drafted"}, [2]),
        ({"status": "overdue"}, [0, 1]),
        ({"status": "answered"}, [3, 4]),
        ({"channel": "email"}, [1, 4]),
        ({"outcome": "forwarded"}, [4]),
        ({"status": "unanswered", "channel": "web_form"}, [5]),
        ({"status": "bogus", "channel": "nope"}, [0, 1, 2, 3, 4, 5]),
    ],
)
def test_the_queue_filters(client, plan, publisher, params, expected):
    client.force_login(publisher)
    response = client.get(queue_url(plan, **params))
    assert response.status_code == 200
    assert shown(response) == [plan.made[i].pk for i in expected]


@pytest.mark.django_db
def test_the_queue_filters_by_theme_event_and_commitment(client, plan, publisher):
    client.force_login(publisher)
    made = plan.made
    by_theme = client.get(queue_url(plan, theme=plan.water.pk))
    assert shown(by_theme) == [made[0].pk, made[1].pk, made[3].pk]
    by_event = client.get(queue_url(plan, event=plan.event.pk))
    assert shown(by_event) == [made[0].pk]
    by_commitment = client.get(queue_url(plan, commitment=made[0].commitment_id))
    assert shown(by_commitment) == [made[0].pk, made[1].pk]


@pytest.mark.django_db
def test_each_filter_value_shows_its_count_with_the_other_filters_applied(client, plan, publisher):
    client.force_login(publisher)
    facets = client.get(queue_url(plan, channel="email")).context["facets"]
    status = {f.value: f.count for f in facets.status}
    assert status == {"unanswered": 1, "drafted": 0, "overdue": 1, "answered": 1}
    channels = {f.value: f.count for f in facets.channel}  # its own filter left out
    assert channels == {"email": 2, "event": 1, "letter": 1, "web_form": 2}
    assert {f.value: f.count for f in facets.outcome} == {"forwarded": 1}
    assert {f.label: f.count for f in facets.theme} == {"Agua y saneamiento": 1}


@pytest.mark.django_db
def test_the_queue_is_paginated_with_a_bounded_number_of_queries(
    client, plan, publisher, django_assert_max_num_queries
):
    for i in range(60):
        factories.ContributionFactory(
            plan=plan, theme=plan.water, received_at=received(i % 50), text=f"Aporte número {i}"
        )
    client.force_login(publisher)
    with django_assert_max_num_queries(20):
        first = client.get(queue_url(plan))
    assert len(first.context["rows"]) == 25 and first.context["page"].paginator.count == 66
    with django_assert_max_num_queries(20):
        last = client.get(queue_url(plan, page=3))
    assert len(last.context["rows"]) == 16
    assert 'rel="prev"' in last.content.decode()


@pytest.mark.django_db
def test_the_queue_offers_a_signed_filter_not_a_list_of_ids(client, plan, publisher):
    client.force_login(publisher)
    response = client.get(queue_url(plan, status="overdue"))
    body = response.content.decode()
    assert 'name="filter"' in body and 'name="scope" value="filter"' in body
    decided = client.post(
        reverse("workbench:decide", args=[plan.pk]),
        {"step": "choose", "scope": "filter", "filter": response.context["signed_filter"]},
    )
    assert decided.status_code == 200
    assert [c.pk for c in decided.context["contributions"]] == [
        plan.made[0].pk,
        plan.made[1].pk,
    ]
    tampered = client.post(
        reverse("workbench:decide", args=[plan.pk]),
        {"step": "choose", "scope": "filter", "filter": "status=answered"},
    )
    assert tampered.status_code == 302


@pytest.mark.django_db
def test_the_contribution_page_shows_what_privacy_allows(client, plan, publisher):
    client.force_login(publisher)
    shown_name = client.get(reverse("workbench:contribution", args=[plan.made[0].pk]))
    assert shown_name.status_code == 200
    assert "Rosa Mamani" in shown_name.content.decode()  # consented
    withheld = client.get(reverse("workbench:contribution", args=[plan.made[1].pk]))
    body = withheld.content.decode()
    assert "Rosa Mamani" not in body  # not consented: not even staff see it here
    assert plan.made[1].author_email not in body  # the address is never shown
    assert plan.made[1].text in body


@pytest.mark.django_db
def test_the_contribution_page_shows_its_draft_and_response(client, plan, publisher):
    client.force_login(publisher)
    drafted = client.get(english("workbench:contribution", plan.made[2].pk))
    assert "Borrador." in drafted.content.decode()
    assert "Draft awaiting publication" in drafted.content.decode()
    forwarded = client.get(english("workbench:contribution", plan.made[4].pk))
    assert "Ministerio de Economía" in forwarded.content.decode()


@pytest.mark.django_db
def test_the_workbench_is_linked_for_those_who_may_use_it(client, plan, publisher, outsider):
    client.force_login(publisher)
    assert reverse("workbench:index") in client.get(plan.get_absolute_url()).content.decode()
    client.force_login(outsider)
    assert reverse("workbench:index") not in client.get(plan.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True)
def test_triage_proposals_are_recomputed_shown_and_a_group_decided(client, plan, publisher):
    texts = [
        "Que publiquen en datos abiertos la calidad del agua potable de cada distrito.",
        "Publicar la calidad del agua potable por distrito en datos abiertos, por favor.",
        "Pedimos datos abiertos sobre la calidad del agua potable en los distritos.",
    ]
    for text in texts:
        factories.ContributionFactory(plan=plan, text=text, received_at=received(3))
    client.force_login(publisher)
    mails = OutboxMessage.objects.count()
    recomputed = client.post(reverse("workbench:triage", args=[plan.pk]))
    assert recomputed.status_code == 302
    assert OutboxMessage.objects.count() == mails  # proposals tell nobody anything
    page = client.get(queue_url(plan))
    triage = page.context["triage"]
    assert triage is not None and not triage.stale
    assert reverse("workbench:triage", args=[plan.pk]) in page.content.decode()
    if not triage.groups:
        pytest.skip("the engine proposed no group for these texts")
    group = triage.groups[0]
    by_group = client.get(queue_url(plan, group=group.key))
    assert sorted(shown(by_group)) == sorted(group.contribution_ids)
    chosen = client.post(
        reverse("workbench:decide", args=[plan.pk]),
        {"step": "choose", "scope": "group", "group": group.key},
    )
    assert chosen.status_code == 200
    assert sorted(c.pk for c in chosen.context["contributions"]) == sorted(group.contribution_ids)
    one = client.get(reverse("workbench:contribution", args=[group.contribution_ids[0]]))
    assert one.context["file"].proposals.group_key == group.key


@pytest.mark.django_db
def test_choosing_nothing_goes_back_to_the_filtered_queue(client, plan, publisher):
    client.force_login(publisher)
    page = client.get(queue_url(plan, status="overdue"))
    response = client.post(
        reverse("workbench:decide", args=[plan.pk]),
        {"step": "choose", "scope": "ids", "filter": page.context["signed_filter"]},
    )
    assert response.status_code == 302
    assert response["Location"] == queue_url(plan, status="overdue")
