"""Empty states that teach (issue 17.7): a public section with no data says what goes there
and who fills it in (``templates/_empty.html``); "Nothing matches these filters", with a link
that clears them, only when a filter is set; a figure with no data says "no data", not 0."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests import factories
from traza.core.services import SYSTEM
from traza.forum import services as forum_services
from traza.monitoring import services as monitoring_services
from traza.repository import services as repository_services

pytestmark = pytest.mark.django_db

FILTERED = "Nothing matches these filters."


def english(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def teaching(html: str) -> list[str]:
    """The 'what goes here' line of every teaching empty state on the page."""
    return re.findall(r'<p class="empty-what">(.*?)</p>', html)


def assert_teaches(html: str, *messages: str) -> None:
    shown = teaching(html)
    for message in messages:
        assert message in shown, (message, shown)
    assert FILTERED not in html and "Clear the filters" not in html


@pytest.fixture
def empty_plan():
    """A plan in co-creation with nothing in it yet."""
    return factories.PlanFactory(stage="co_creation", title="Plan vacío")


def test_an_empty_plan_says_what_goes_in_each_section_and_who_fills_it(client, empty_plan):
    html = page(client, english("plans:plan", empty_plan.pk))
    assert_teaches(html, "No commitments yet.", "No proposals under discussion yet.")
    assert "the secretariat records each one here" in html  # who fills it in
    assert "kept as history" not in html  # an empty plan is not a history plan
    assert "Add a commitment" not in html  # the staff link is for staff only

    calendar = page(client, english("cocreation:calendar", empty_plan.pk))
    assert_teaches(calendar, "No events yet.")
    assert "The secretariat publishes each co-creation event here" in calendar
    month = page(client, english("cocreation:calendar", empty_plan.pk) + "?view=month")
    assert_teaches(month, "No events yet.")

    dashboard = page(client, english("monitoring:plan_dashboard", empty_plan.pk))
    assert_teaches(dashboard, "No commitments to follow yet.")
    # unknown is not zero: with no milestone, the fulfilment and the delays are "no data"
    facts = dashboard.split('<dl class="facts">')[1].split("</dl>")[0]
    assert facts.count("no data") == 2 and "0 of 0 milestones" not in facts
    assert 'id="chart-institution' not in dashboard  # no empty chart

    assessment = page(client, english("assessment:plan", empty_plan.pk))
    assert_teaches(assessment, "No IRM rating is recorded for this plan yet.")
    assert "Independent Reporting Mechanism" in assessment


def test_a_history_plan_is_not_an_empty_one(client):
    plan = factories.PlanFactory(stage="closed", reported_commitment_count=17)
    html = page(client, english("plans:plan", plan.pk))
    assert "kept as history" in html and "No commitments yet." not in teaching(html)
    assert "No proposals under discussion yet." not in teaching(html)  # closed: none expected
    assert_teaches(
        page(client, english("cocreation:calendar", plan.pk)),
        "No events were recorded for this plan.",
    )
    dashboard = page(client, english("monitoring:plan_dashboard", plan.pk))
    assert_teaches(dashboard, "This plan's commitments have not been loaded.")
    # unknown is not zero: the number its sources reported, said to be so, not 0
    assert "17 <small>(as reported; commitments not loaded)</small>" in dashboard


def test_a_bare_commitment_teaches_milestones_origin_progress_indicators_and_irm(client):
    commitment = factories.CommitmentFactory()
    html = page(client, english("plans:commitment", commitment.pk))
    assert_teaches(
        html,
        "No milestones yet.",
        "No contribution is linked to this commitment yet.",
        "No progress to show yet.",
        "No indicators yet.",
        "Not rated by the IRM yet.",
    )
    assert "The lead institution sets the milestones" in html


def test_a_proposal_says_progress_comes_after_approval_and_shows_no_irm_box(client):
    proposal = factories.CommitmentFactory(status="proposal")
    html = page(client, english("plans:commitment", proposal.pk))
    assert_teaches(html, "No progress: this is a proposal.", "No milestones yet.")
    shown = teaching(html)
    assert "Not rated by the IRM yet." not in shown and "No indicators yet." not in shown
    discussion = page(client, english("cocreation:discussion", proposal.pk))
    assert_teaches(discussion, "No messages.")


def test_progress_without_an_accepted_report_is_no_data_not_zero(client):
    commitment = factories.CommitmentFactory(milestones=2)
    html = page(client, english("plans:commitment", commitment.pk))
    progress = html.split('id="progress"')[1].split("</table>")[0]
    assert progress.count("no data") == 2 and ">0<" not in progress


def test_an_event_says_who_records_its_attendance_minutes_and_photos(client):
    event = factories.EventFactory()
    html = page(client, english("cocreation:event", event.pk))
    assert_teaches(html, "No attendance recorded yet.", "No minutes or photos yet.")
    cancelled = factories.EventFactory(plan=event.plan, status="cancelled")
    assert teaching(page(client, english("cocreation:event", cancelled.pk))) == []


def test_an_event_whose_minutes_are_in_the_repository_lists_them_instead(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    event = factories.EventFactory()
    repository_services.publish_document(
        SYSTEM,
        {
            "kind": "minutes",
            "title": "Acta de la mesa",
            "document_date": "2024-03-12",
            "plan": event.plan,
            "event": event,
        },
        SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"),
    )
    html = page(client, english("cocreation:event", event.pk))
    assert "Acta de la mesa" in html and "No minutes or photos yet." not in teaching(html)


def test_the_calendar_asks_for_attendance_once_there_are_events(client, empty_plan):
    factories.EventFactory(plan=empty_plan)
    html = page(client, english("cocreation:calendar", empty_plan.pk))
    assert_teaches(html, "No attendance recorded yet.")
    assert "No events yet." not in teaching(html)


def test_site_wide_lists_teach_when_empty(client):
    assert_teaches(page(client, english("plans:home")), "No action plans yet.")
    assert_teaches(page(client, english("cocreation:faq")), "No questions yet.")
    assert_teaches(
        page(client, english("forum:list")), "No multi-stakeholder forum is recorded yet."
    )
    network = page(client, english("forum:network"))
    assert_teaches(network, "No initiatives or actors recorded yet.")
    assert "0 results" not in network
    assert_teaches(
        page(client, english("forum:good_practices")), "No good practice is recorded yet."
    )
    assert_teaches(page(client, english("repository:documents")), "No documents yet.")
    assert_teaches(page(client, english("repository:search")), "Type the words to find.")


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("forum:network", "kind=network"),
        ("forum:network", "region=Cusco"),
        ("forum:good_practices", "criterion=transparency"),
        ("repository:documents", "kind=minutes"),
    ],
)
def test_a_filter_with_no_match_says_so_and_offers_to_clear_it(client, name, query):
    path = english(name)
    html = page(client, f"{path}?{query}")
    assert FILTERED in html and f'<a href="{path}">Clear the filters</a>' in html
    assert teaching(html) == []  # not the empty-list message: the list may not be empty


def test_a_filter_that_matches_nothing_in_a_non_empty_list(client):
    plan = factories.plan_with_commitments(n=1, m=0)
    forum_services.save_initiative(
        SYSTEM, None, {"name": "Red de datos", "kind": "network", "description": "Datos."}
    )
    path = english("forum:network")
    assert FILTERED not in page(client, path)
    html = page(client, f"{path}?kind=actor")
    assert FILTERED in html and "Red de datos" not in html
    assert plan  # the plan only makes the site non-empty


def test_a_search_with_no_hit_says_so_and_offers_to_drop_the_filters(client, empty_plan):
    path = english("repository:search")
    html = page(client, f"{path}?q=zzzqqq")
    assert "Nothing matches “zzzqqq”." in html and "Search everything" not in html
    html = page(client, f"{path}?q=zzzqqq&plan={empty_plan.pk}")
    assert 'href="?q=zzzqqq"' in html and "Search everything for these words" in html


def test_a_forum_with_nothing_recorded_teaches_members_rules_and_sessions(client, empty_plan):
    forum = forum_services.save_forum(
        SYSTEM,
        None,
        {"member": empty_plan.member, "name": "Foro", "established_on": dt.date(2024, 1, 10)},
    )
    html = page(client, english("forum:forum", forum.pk))
    assert_teaches(
        html,
        "No members recorded yet.",
        "No mandate or rules are published yet.",
        "No session is recorded yet.",
    )


def test_a_self_assessment_of_an_empty_plan_says_no_data(client, empty_plan):
    report = monitoring_services.generate_self_assessment(SYSTEM, empty_plan, "mid_term")
    html = page(client, english("monitoring:self_assessment", report.pk))
    assert_teaches(
        html, "No completion to report.", "No commitments in this report.", "No comments yet."
    )
    facts = html.split('<dl class="facts">')[1].split("</dl>")[0]
    assert facts.count("no data") == 2


def test_staff_allowed_to_add_get_a_link_in_the_empty_state(client, empty_plan):
    staff = factories.account("secretaria")
    client.force_login(staff)
    assert "Add an event" not in page(client, english("cocreation:calendar", empty_plan.pk))
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="add_event"))
    html = page(client, english("cocreation:calendar", empty_plan.pk))
    add = english("admin:cocreation_event_add")
    assert f'<a href="{add}">Add an event</a>' in html


def test_spanish_pages_carry_the_same_empty_states(client, empty_plan):
    html = page(client, empty_plan.get_absolute_url())
    assert len(teaching(html)) >= 2  # the commitments and the proposals, at least
    assert "Nada coincide con estos filtros" not in html
    network = page(client, reverse("forum:network"))
    assert "Nada coincide con estos filtros" not in network and 'class="empty"' in network
