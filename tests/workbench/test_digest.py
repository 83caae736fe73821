"""The weekly digest to the secretariat: per plan with contributions awaiting a reasoned
response, one e-mail per ISO week per recipient, through the outbox, with the counts and the
links to the workbench's overdue queue."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import ContributionFactory
from traza.cocreation import services as cocreation_services
from traza.cocreation.queries import awaiting_response, overdue_contributions
from traza.core.services import SYSTEM
from traza.notifications.models import OutboxMessage
from traza.workbench.digest import digest_purpose, iso_week, plan_digest, recipients
from traza.workbench.services import send_weekly_digests

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def secretariat(django_user_model):
    person = django_user_model.objects.create_user("sec", "sec@example.org", "x-Pass-99z")
    person.groups.add(Group.objects.get(name="secretariat"))
    return person


@pytest.fixture
def waiting_plan(sample_plan, settings):
    """The sample plan (received 2024: its two unanswered contributions are overdue) plus a
    recent one with a draft."""
    settings.TRAZA_RESPONSE_WAIT_DAYS = 30
    recent = ContributionFactory(
        plan=sample_plan, text="Un aporte de esta semana.", received_at=timezone.now()
    )
    cocreation_services.save_draft(
        SYSTEM,
        recent,
        {
            "outcome": "pending",
            "text": "",
            "deciding_body": "secretariat",
            "decided_on": timezone.localdate(),
        },
    )
    return sample_plan


def test_the_digest_counts_with_the_one_definition(waiting_plan):
    now = timezone.now()
    digest = plan_digest(waiting_plan, now)
    assert digest.unanswered == awaiting_response(waiting_plan).count() == 3
    assert digest.overdue == overdue_contributions(waiting_plan, now).count() == 2
    assert digest.drafted == 1
    assert digest.oldest == awaiting_response(waiting_plan).order_by("received_at").first()
    assert digest.oldest_days >= 365


def test_no_digest_for_a_plan_without_waiting_contributions(make_plan, secretariat):
    plan = make_plan(n=1, m=1)
    assert plan_digest(plan) is None
    assert send_weekly_digests() == 0
    assert not OutboxMessage.objects.exists()


def test_remind_sends_one_digest_a_week_to_those_who_receive_process_warnings(
    waiting_plan, secretariat, django_user_model
):
    django_user_model.objects.create_user("nadie", "nadie@example.org", "x-Pass-99z")
    drafter = django_user_model.objects.create_user("red", "red@example.org", "x-Pass-99z")
    drafter.groups.add(Group.objects.get(name="response_drafter"))
    direct = django_user_model.objects.create_user("dir", "dir@example.org", "x-Pass-99z")
    direct.user_permissions.add(Permission.objects.get(codename="receive_process_warnings"))
    assert set(recipients().values_list("email", flat=True)) == {
        "sec@example.org",
        "dir@example.org",
    }

    call_command("remind", verbosity=0)
    digests = OutboxMessage.objects.filter(purpose=digest_purpose())
    assert sorted(digests.values_list("to", flat=True)) == ["dir@example.org", "sec@example.org"]
    mail = digests.get(to="sec@example.org")
    assert mail.object_type == "plans.actionplan" and mail.object_id == str(waiting_plan.pk)
    queue = reverse("workbench:queue", args=[waiting_plan.pk])
    assert f"{queue}?status=overdue" in mail.body
    assert waiting_plan.title in mail.subject or waiting_plan.title[:40] in mail.subject

    # a second run in the same week writes nothing
    call_command("remind", verbosity=0)
    assert send_weekly_digests() == 0
    assert OutboxMessage.objects.filter(purpose=digest_purpose()).count() == 2

    # next week, once more
    next_week = timezone.now() + dt.timedelta(days=7)
    assert iso_week(next_week) != iso_week()
    assert send_weekly_digests(next_week) == 2


def test_a_new_recipient_gets_this_weeks_digest_once(waiting_plan, secretariat, django_user_model):
    assert send_weekly_digests() == 1
    late = django_user_model.objects.create_user("nueva", "nueva@example.org", "x-Pass-99z")
    late.groups.add(Group.objects.get(name="secretariat"))
    assert send_weekly_digests() == 1
    assert send_weekly_digests() == 0


def test_the_digest_is_listed_by_purpose_in_the_outbox(waiting_plan, secretariat):
    from django.utils import translation

    send_weekly_digests()
    message = OutboxMessage.objects.get(purpose=digest_purpose())
    with translation.override("en"):
        assert message.purpose_label.startswith("weekly digest")
        assert iso_week() in message.purpose_label
