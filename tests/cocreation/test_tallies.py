"""The maintained counts of contributions (``cocreation.services.tallies``) always equal a
recount from the data, after every kind of write that moves a contribution from one count to
another; the figures read from them are those the data gives, in a number of queries that
does not grow with the plan."""

import datetime as dt
import statistics

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tests import factories
from traza.cocreation import queries, services
from traza.cocreation.models import (
    Contribution,
    ContributionTally,
    DiscussionPost,
    PlanTally,
    PostStatus,
    Response,
)
from traza.cocreation.services import tallies
from traza.core.services import SYSTEM, save_traced

RESPONSE = {
    "outcome": "adopted",
    "text": "Se incorpora en el compromiso.",
    "deciding_body": "secretariat",
    "decided_on": dt.date(2024, 4, 2),
}
RECEIVED = dt.datetime(2024, 3, 12, 16, tzinfo=dt.UTC)


def counts_are_right() -> None:
    assert tallies.differences() == []


def recounted_stats(plan) -> tuple:
    """The plan's figures computed the slow way, straight from the rows, with the figures'
    definitions (``public()``, ``unanswered_q``, ``outcome_key``, whole days)."""
    public = Contribution.objects.public().filter(plan=plan)
    answered = public.exclude(queries.unanswered_q())
    days = sorted(
        (c.response.published_at - c.received_at).days for c in answered.select_related("response")
    )
    outcomes = {}
    for key in public.annotate(k=queries.outcome_key()).values_list("k", flat=True):
        outcomes[key] = outcomes.get(key, 0) + 1
    median = statistics.median(days) if days else None
    return (
        public.count(),
        answered.count(),
        Contribution.objects.hidden().filter(plan=plan).count(),
        median,
        max(days) if days else None,
        outcomes,
    )


def origins_are_right(commitment) -> None:
    """The commitment page's counts by outcome equal those of its contributions' rows."""
    from traza.activity.queries import origin_contributions

    rows = origin_contributions(commitment).annotate(k=queries.outcome_key())
    expected: dict[str, int] = {}
    for key in rows.values_list("k", flat=True):
        expected[key] = expected.get(key, 0) + 1
    assert dict(queries.origin_outcome_counts(commitment)) == expected


def maintained_stats(plan) -> tuple:
    stats = queries.contribution_stats(plan)
    return (
        stats.total,
        stats.answered,
        stats.hidden,
        stats.median_days,
        stats.slowest_days,
        queries.outcome_counts(plan),
    )


def _contribution(plan, **values):
    return factories.ContributionFactory(plan=plan, **values)


@pytest.mark.django_db(transaction=True)
def test_every_kind_of_write_keeps_the_counts_equal_to_a_recount(client, draft, moderator, editor):
    """Outside a wrapping transaction, as in production: each service commits its own."""
    plan = draft.plan
    theme = factories.ThemeFactory(slug="otro", name="Otro tema")
    event = factories.EventFactory(plan=plan, key="mesa")
    counts_are_right()

    # contributions entered by staff, through several channels, themes, an event
    a = _contribution(plan, channel="email", received_at=RECEIVED)
    b = _contribution(plan, channel="event", event=event, theme=theme, received_at=RECEIVED)
    c = _contribution(plan, channel="letter", commitment=draft, received_at=RECEIVED)
    counts_are_right()
    assert maintained_stats(plan) == recounted_stats(plan)

    # a reasoned response published, revised to another outcome, and one marked pending
    services.publish_response(editor, a, RESPONSE, published_at=RECEIVED + dt.timedelta(days=3))
    counts_are_right()
    services.publish_response(
        editor,
        a,
        {**RESPONSE, "outcome": "not_adopted", "reason_category": "no_budget"},
        published_at=RECEIVED + dt.timedelta(days=9, hours=5),
    )
    services.publish_response(
        editor, b, {**RESPONSE, "outcome": "pending", "text": ""}, published_at=RECEIVED
    )
    counts_are_right()
    assert maintained_stats(plan) == recounted_stats(plan)

    # a response that changed a version of the commitment: an origin of it
    version = draft.versions.last()
    services.publish_response(
        editor, c, RESPONSE, versions=[version], published_at=RECEIVED + dt.timedelta(days=2)
    )
    counts_are_right()
    assert ContributionTally.objects.get(contribution_id=c.pk).origins == [draft.pk]
    origins_are_right(draft)

    # its classification changed (theme, commitment, channel)
    with transaction.atomic():  # as a service writes it
        save_traced(SYSTEM, a, {"theme": theme, "commitment": draft, "channel": "web_form"})
    counts_are_right()

    # a discussion message becomes a contribution; hidden by moderation, then published again
    from tests.cocreation.test_discussion import message, url

    assert client.post(url(draft), message(text="Propongo un padrón abierto.")).status_code == 302
    post = DiscussionPost.objects.get()
    if post.status == PostStatus.PENDING:
        services.moderate_post(moderator, post, PostStatus.PUBLISHED)
        post.refresh_from_db()
    counts_are_right()
    services.publish_response(editor, post.contribution, RESPONSE)
    services.moderate_post(moderator, post, PostStatus.HIDDEN, "Datos de terceros.", "other")
    counts_are_right()
    origins_are_right(draft)
    assert maintained_stats(plan) == recounted_stats(plan)
    assert queries.contribution_stats(plan).hidden == 1
    services.moderate_post(moderator, post, PostStatus.PUBLISHED)
    counts_are_right()
    assert maintained_stats(plan) == recounted_stats(plan)

    # a contribution deleted (retention, an admin) leaves the counts
    Response.objects.filter(contribution=c).delete()
    counts_are_right()
    c.delete()
    counts_are_right()
    origins_are_right(draft)
    assert maintained_stats(plan) == recounted_stats(plan)


@pytest.mark.django_db
def test_drafts_published_keep_the_counts(sample_plan, editor):
    waiting = sample_plan.contributions.filter(response__isnull=True).first()
    draft = services.save_draft(editor, waiting, {**RESPONSE, "outcome": "partially_adopted"})
    counts_are_right()  # a draft is private: nothing moves
    services.publish_draft(editor, draft)
    counts_are_right()
    assert maintained_stats(sample_plan) == recounted_stats(sample_plan)


@pytest.mark.django_db
@pytest.mark.parametrize("answered", [1, 4, 5])
def test_the_median_from_the_days_histogram_is_the_median_of_whole_days(
    make_plan, editor, answered
):
    """Odd and even numbers of answers, delays of fractional days: the histogram of whole
    days gives the median of ``timedelta.days``, x.5 included."""
    plan = make_plan(n=1, m=1)
    delays = [dt.timedelta(days=d, hours=h) for d, h in [(0, 5), (2, 23), (7, 1), (9, 0), (30, 6)]]
    for delay in delays[:answered]:
        contribution = _contribution(plan, received_at=RECEIVED)
        services.publish_response(editor, contribution, RESPONSE, published_at=RECEIVED + delay)
    _contribution(plan, received_at=RECEIVED)  # one waiting: not in the figures of days
    stats = queries.contribution_stats(plan)
    whole = sorted(d.days for d in delays[:answered])
    assert stats.median_days == statistics.median(whole)
    assert stats.slowest_days == whole[-1]
    assert maintained_stats(plan) == recounted_stats(plan)


@pytest.mark.django_db
def test_the_list_counts_from_the_tallies_equal_the_filtered_rows(sample_plan):
    plan = sample_plan
    for params in [
        {},
        {"channel": "email"},
        {"outcome": "adopted"},
        {"outcome": queries.UNANSWERED},
        {"event": queries.NO_EVENT},
        {"event": queries.ANY_EVENT},
        {"event": queries.OTHER},
        {"channel": "event", "outcome": queries.UNANSWERED},
    ]:
        filters = queries.parse_contribution_filters(plan, params)
        expected = queries.plan_contributions(plan, filters).count()
        assert queries.count_contributions(plan, filters) == expected, params
    assert queries.count_contributions(plan, queries.ContributionFilters(changed="other")) is None
    assert queries.overdue_count(plan) == queries.overdue_contributions(plan).count()
    later = timezone.now() + dt.timedelta(days=400)
    assert queries.overdue_count(plan, later) == queries.overdue_contributions(plan, later).count()


@pytest.mark.django_db
def test_bulk_writes_are_seen_by_the_check_and_repaired_by_the_rebuild(sample_plan, capsys):
    """A write that bypasses the signals (``bulk_create``, as the benchmark's generator
    does) leaves the counts wrong until ``traza tallies --rebuild``."""
    Contribution.objects.bulk_create(
        [
            Contribution(plan=sample_plan, channel="letter", text="Carta", received_at=RECEIVED)
            for _ in range(3)
        ]
    )
    assert tallies.differences()
    differ = _("The counts differ from the data (run with --rebuild): %(what)s").split("(")[0]
    with pytest.raises(CommandError, match=differ.strip()):
        call_command("tallies")
    call_command("tallies", "--rebuild")
    counts_are_right()
    call_command("tallies")
    assert _("The counts equal a recount from the data.") in capsys.readouterr().out
    assert maintained_stats(sample_plan) == recounted_stats(sample_plan)


@pytest.mark.django_db
def test_figures_cost_the_same_queries_whatever_the_plan_size(make_plan, editor):
    plan = make_plan(n=1, m=1)

    def queries_of(read) -> int:
        with CaptureQueriesContext(connection) as captured:
            read()
        return len(captured.captured_queries)

    def reads():
        return {
            "stats": queries_of(lambda: queries.contribution_stats(plan)),
            "outcomes": queries_of(lambda: queries.outcome_counts(plan)),
            "flow": queries_of(lambda: queries.flow_counts(plan)),
            "overdue": queries_of(lambda: queries.overdue_count(plan)),
        }

    _contribution(plan)
    small = reads()
    for n in range(12):
        contribution = _contribution(plan, channel=["email", "letter", "web_form"][n % 3])
        if n % 2:
            services.publish_response(editor, contribution, RESPONSE)
    assert reads() == small
    assert small == {"stats": 3, "outcomes": 1, "flow": 3, "overdue": 1}
    # one write of a contribution costs a fixed number of queries to count
    with CaptureQueriesContext(connection) as captured:
        tallies.refresh([contribution.pk])
    statements = [q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 3  # nothing moved: the data (two reads) and what was counted


@pytest.mark.django_db
def test_the_plan_page_and_the_list_agree(client, sample_plan):
    stats = queries.contribution_stats(sample_plan)
    page = client.get(reverse("cocreation:contributions", args=[sample_plan.pk]))
    assert page.status_code == 200
    assert page.context["page"].paginator.count == stats.total
    assert PlanTally.objects.filter(plan_id=sample_plan.pk).exists()
