"""The trace at a glance and the flow (issue 17.5): every figure has one definition, every
band of the flow counts exactly the contributions of the list it opens, the work is bounded
whatever the plan's size, and unknown is never shown as 0."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.factories import ContributionFactory, EventFactory, ResponseFactory
from traza.cocreation import flow as flow_module
from traza.cocreation import queries
from traza.cocreation.flow import (
    BAND_OPACITY,
    COMMITMENT_COLOUR,
    OUTCOME_COLOURS,
    SOURCE_COLOUR,
    plan_flow,
    wrap,
)
from traza.core.services import SYSTEM
from traza.plans import services as plan_services

pytestmark = pytest.mark.django_db

NOT_ADOPTED = {"outcome": "not_adopted", "reason_category": "no_budget", "text": "No."}
FORWARDED = {"outcome": "forwarded", "forwarded_to": "Ministerio de Salud", "text": "Remitido."}


def answer(contribution, outcome="adopted", versions=(), **values):
    values = {"outcome": outcome, **values}
    return ResponseFactory(contribution=contribution, versions=list(versions), **values)


@pytest.fixture
def busy(make_plan, monkeypatch):
    """A plan whose flow names two events and one commitment, and groups the rest as
    "other events" and "other commitments" (the limits are lowered for the test)."""
    monkeypatch.setattr(queries, "FLOW_EVENT_LIMIT", 2)
    monkeypatch.setattr(queries, "FLOW_COMMITMENT_LIMIT", 1)
    plan = make_plan(n=4, m=1)
    commitments = list(plan.commitments.order_by("number"))
    versions = [c.versions.last() for c in commitments]
    events = [EventFactory(plan=plan, title=f"Mesa {i}") for i in range(4)]
    made = []
    # at events: 3, 2, 1 and 1 contributions (the last two are "other events")
    for event, n in zip(events, (3, 2, 1, 1), strict=True):
        made += [ContributionFactory(plan=plan, channel="event", event=event) for _ in range(n)]
    # not at an event: by e-mail (3), by letter (2), and one "at an event" with no event
    made += [ContributionFactory(plan=plan, channel="email") for _ in range(3)]
    made += [ContributionFactory(plan=plan, channel="letter") for _ in range(2)]
    made.append(ContributionFactory(plan=plan, channel="event"))
    # decisions: commitment 1 is changed by three, commitment 2 by two, 3 and 4 by one each
    answer(made[0], versions=[versions[0]])
    answer(made[1], versions=[versions[0], versions[1]])  # changed two: counts under each
    answer(made[3], "partially_adopted", versions=[versions[0]])
    answer(made[4], "merged", versions=[versions[1], versions[2]])
    answer(made[7], versions=[versions[3]])
    answer(made[8], **NOT_ADOPTED)
    answer(made[10], **FORWARDED)
    answer(made[11], "pending", text="")  # published as pending: still not answered
    return plan


def list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_every_node_and_band_counts_the_contributions_of_the_list_it_opens(client, busy):
    flow = plan_flow(busy)
    sources = {node.key: node.count for node in flow.columns[0]}
    outcomes = {node.key: node.count for node in flow.columns[1]}
    events = sorted(busy.events.all(), key=lambda e: e.title)
    assert sources == {
        "email": 3,
        "letter": 2,
        "event": 1,  # the channel "at an event", with no event recorded
        f"event:{events[0].pk}": 3,
        f"event:{events[1].pk}": 2,
        "event:0": 2,  # other events
    }
    assert outcomes == {
        "adopted": 3,
        "partially_adopted": 1,
        "merged": 1,
        "not_adopted": 1,
        "forwarded": 1,
        "unanswered": 6,  # five without a response and one published as pending
    }
    assert flow.total == sum(sources.values()) == sum(outcomes.values()) == 13
    assert outcomes == queries.outcome_counts(busy)  # one definition of each outcome
    first = busy.commitments.get(number="1")
    commitments = {node.key: node.count for node in flow.columns[2]}
    assert commitments == {f"commitment:{first.pk}": 3, "commitment:0": 3}
    # every node and every band: the list it opens holds exactly its count
    nodes = [node for column in flow.columns for node in column]
    for item in [*nodes, *flow.links]:
        assert list_count(client, item.url) == item.count, (item.url, item.count)
    assert len(flow.links) >= 15


def test_the_plan_page_outcome_counts_open_the_same_contributions(client, busy):
    html = client.get(f"/en/plans/{busy.pk}/").content.decode()
    section = html.split('id="responses-figures"', 1)[1].split("</section>", 1)[0]
    shown = re.findall(r'<a href="([^"]+)"><span class="n">(\d+)</span>', section)
    assert len(shown) == 6  # the five named outcomes and "not answered yet"
    for url, count in shown:
        assert list_count(client, url.replace("&amp;", "&")) == int(count)
    assert "5 of 4" not in section and "4 of 4" in section  # each commitment was changed


def test_the_flow_is_bounded_whatever_the_plan_size(
    client, make_plan, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure(plan) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as context:
            flow = client.get(f"/planes/{plan.pk}/flujo/").context["flow"]
        return len(context), sum(len(column) for column in flow.columns)

    small = make_plan(n=1, m=1, number=1)
    small_commitment = small.commitments.get()
    answer(ContributionFactory(plan=small), versions=[small_commitment.versions.last()])
    few, _nodes = measure(small)

    large = make_plan(n=14, m=1, number=2)
    versions = [c.versions.last() for c in large.commitments.all()]
    events = [EventFactory(plan=large) for _ in range(14)]
    for i, event in enumerate(events):
        for _ in range(2):
            contribution = ContributionFactory(plan=large, channel="event", event=event)
            answer(contribution, versions=[versions[i]])
    for channel in ("email", "letter", "web_form", "virtual_forum"):
        ContributionFactory(plan=large, channel=channel)
    # the same queries, and two more at most: the names of the events the flow names, and
    # the count of "other commitments" (the small plan has neither)
    with django_assert_max_num_queries(few + 2):
        _many, nodes = measure(large)
    with django_assert_max_num_queries(7):
        plan_flow(large)
    limit = queries.FLOW_EVENT_LIMIT + 1 + len(queries.LIST_OUTCOMES)
    limit += queries.FLOW_COMMITMENT_LIMIT + 1 + 7  # and at most seven channels
    assert nodes <= limit
    # the plan page, with its compact flow, is bounded the same way
    with django_assert_max_num_queries(25):
        assert client.get(f"/planes/{large.pk}/").status_code == 200


def _received(plan, days_ago: int):
    return ContributionFactory(plan=plan, received_at=timezone.now() - dt.timedelta(days=days_ago))


@pytest.mark.parametrize(
    ("delays", "median"),
    [([4], 4), ([2, 5, 9], 5), ([9, 2, 20, 5], 7), ([2, 5], 3.5), ([3, 3, 10, 10], 6.5)],
)
def test_median_days_to_answer_odd_and_even(make_plan, delays, median):
    plan = make_plan(n=1, m=1)
    for days in delays:
        answer(_received(plan, days))
    _received(plan, 100)  # not answered: not in the median
    answer(_received(plan, 200), "pending", text="")  # pending: not answered either
    stats = queries.contribution_stats(plan)
    assert stats.answered == len(delays) and stats.total == len(delays) + 2
    assert stats.median_days == median
    assert stats.slowest_days == max(delays)


def test_unknown_is_not_zero(client, make_plan):
    plan = make_plan(n=1, m=1)
    stats = queries.contribution_stats(plan)
    assert (stats.total, stats.median_days, stats.slowest_days) == (0, None, None)
    html = client.get(f"/en/plans/{plan.pk}/").content.decode()
    section = html.split('id="responses-figures"', 1)[1].split("</section>", 1)[0]
    figures = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section, re.S))
    assert figures["Days to answer (median)"] == "no data"
    assert figures["Answered"] == "no data"
    assert "<figure" not in section and "No contributions recorded yet" in section
    flow = client.get(f"/en/plans/{plan.pk}/flow/")
    assert flow.context["flow"].total == 0 and 'class="flow"' not in flow.content.decode()
    # contributions, none answered yet: the median is still unknown, the share is 0 %
    _received(plan, 3)
    html = client.get(f"/en/plans/{plan.pk}/").content.decode()
    section = html.split('id="responses-figures"', 1)[1].split("</section>", 1)[0]
    figures = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section, re.S))
    assert figures["Days to answer (median)"] == "no data"
    assert figures["Answered"] == "0 (0 %)"


def test_commitments_with_a_visible_origin_have_one_definition(make_plan):
    plan = make_plan(n=4, m=1)
    first, second, third, fourth = plan.commitments.order_by("number")
    event = EventFactory(plan=plan)
    plan_services.save_commitment(SYSTEM, first, {"origin_event": event})
    answer(ContributionFactory(plan=plan), versions=[second.versions.last()])
    unanswered = ContributionFactory(plan=plan, commitment=third)  # about it, not changing it
    assert unanswered.pk
    plan_services.set_commitment_status(SYSTEM, fourth, "proposal", reason="Borrador")
    origin = queries.commitments_with_origin(plan)
    assert (origin.with_origin, origin.total) == (2, 3)  # a draft is not in the plan yet


def test_the_list_filters_are_validated_and_labelled(busy):
    event = busy.events.order_by("title").first()
    commitment = busy.commitments.get(number="1")
    filters = queries.parse_contribution_filters(
        busy,
        {"event": str(event.pk), "changed": str(commitment.pk), "outcome": "unanswered"},
    )
    assert filters.params() == {
        "event": str(event.pk),
        "outcome": "unanswered",
        "changed": str(commitment.pk),
    }
    assert [label.content for label in filters.labels] == [True, False, True]
    other_plan_event = EventFactory()
    foreign = queries.parse_contribution_filters(busy, {"event": str(other_plan_event.pk)})
    assert foreign.params() == {} and foreign.labels == []


def test_band_colours_are_distinguishable_from_the_page():
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def on_white(colour: str, opacity: float) -> str:
        mixed = [
            round(opacity * int(colour[i : i + 2], 16) + (1 - opacity) * 255) for i in (1, 3, 5)
        ]
        return "#" + "".join(f"{c:02x}" for c in mixed)

    def contrast(a: str, b: str) -> float:
        high, low = sorted([luminance(a), luminance(b)], reverse=True)
        return (high + 0.05) / (low + 0.05)

    for colour in [*OUTCOME_COLOURS.values(), SOURCE_COLOUR, COMMITMENT_COLOUR]:
        assert contrast(colour, "#ffffff") >= 4.5, colour  # white labels in the boxes
        assert contrast(on_white(colour, BAND_OPACITY), "#ffffff") >= 3, colour  # bands
    assert len(set(OUTCOME_COLOURS.values())) == len(OUTCOME_COLOURS)


def test_labels_wrap_and_say_when_they_were_cut():
    assert wrap("Correo electrónico (12)", 16, 3) == ["Correo", "electrónico (12)"]
    lines = wrap("Mesa temática: transparencia e integridad en las compras (3)", 15, 2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(len(line) <= 15 for line in lines)
    assert wrap("Interinstitucionalidad", 10, 3) == ["Interinst-", "itucional-", "idad"]


def test_the_narrow_drawing_keeps_its_labels_legible(busy):
    flow = plan_flow(busy)
    assert flow.wide.width == 760 and all(d.width == 340 for d in flow.narrow)
    # drawn at 328 px at least (a 360 px phone), 13 units stay above 12 px
    assert all(d.font_size * 328 / d.width >= 12 for d in flow.narrow)
    # every label fits its side of the drawing by the estimate used to wrap it
    for drawing in flow.narrow:
        for shape in drawing.shapes:
            longest = max(len(text) for _y, text in shape.lines)
            width = longest * drawing.font_size * flow_module.CHAR_EM
            if shape.anchor == "end":
                assert shape.text_x - width >= 0
            else:
                assert shape.text_x + width <= drawing.width


def test_pages_of_a_filtered_list_keep_the_filters(client, make_plan):
    plan = make_plan(n=1, m=1)
    for _ in range(51):
        ContributionFactory(plan=plan, channel="email")
    ContributionFactory(plan=plan, channel="letter")
    answer(ContributionFactory(plan=plan, channel="email"), "pending", text="")
    url = f"/en/plans/{plan.pk}/contributions/?channel=email&event=none&outcome=unanswered"
    html = client.get(url).content.decode()
    assert re.search(r'<h2 id="results">\s*52 contributions', html)
    assert "channel=email&amp;event=none&amp;outcome=unanswered&amp;page=2" in html
    second = client.get(url + "&page=2")
    assert second.context["page"].paginator.count == 52
    assert len(second.context["page"].object_list) == 2
    # the published "pending" reads "not answered yet" in the list, as the flow counts it
    assert "Not answered yet" in second.content.decode() or "Not answered yet" in html
    assert ">Pending<" not in html + second.content.decode()
