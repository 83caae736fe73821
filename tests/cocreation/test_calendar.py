import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from traza.cocreation import services
from traza.cocreation.models import Event
from traza.core.models import TraceEvent


def calendar_url(plan) -> str:
    return f"/planes/{plan.pk}/calendario/"


def test_the_2017_calendar_shows_a_three_day_notice_flagged(client, demo):
    response = client.get(calendar_url(demo))
    assert response.status_code == 200
    cal = response.context["cal"]
    assert cal.timeline.published_on == dt.date(2017, 9, 8)
    assert cal.process_notice.starts_on == dt.date(2017, 9, 11)
    assert cal.process_notice.days == 3 and cal.process_notice.short
    html = response.content.decode()
    assert "3 días de anticipación" in html
    first = cal.events[0]
    assert first.event.kind == "thematic_table"
    assert first.notice.days == 3 and first.notice.short
    assert len(cal.events) == 12


@override_settings(TRAZA_NOTICE_DAYS=2)
def test_the_notice_threshold_is_a_setting(client, demo):
    cal = client.get(calendar_url(demo)).context["cal"]
    assert cal.process_notice.days == 3 and not cal.process_notice.short


def test_attendance_tables_keep_both_sources_with_percentages(client, demo):
    response = client.get(calendar_url(demo))
    tables = {t.kind.value: t for t in response.context["attendance"]}
    workshops = tables["regional_workshop"].totals
    irm = next(row for source, row in workshops.items() if "MRI" in source)
    government = next(row for source, row in workshops.items() if "Gobierno" in source)
    assert (irm.state, irm.civil_society, irm.others, irm.total) == (62, 81, 7, 150)
    assert (government.state, government.civil_society, government.total) == (63, 82, 145)
    assert government.percents[:2] == (43.4, 56.6)
    national = tables["national_table"].totals
    assert sum(row.total for row in national.values()) == 52 + 66


def test_month_view_and_bad_month_never_fail(client, demo):
    response = client.get(calendar_url(demo) + "?view=month&month=2017-09")
    assert response.status_code == 200
    grid = response.context["month"]
    assert (grid.year, grid.month) == (2017, 9)
    days_with_events = {d.day for week in grid.weeks for d, items in week if d and items}
    assert {11, 21, 22, 28} <= days_with_events
    assert grid.previous == "2017-08" and grid.next == "2017-10"
    for bad in ("2017-13", "abc", "9999999-1"):
        assert client.get(calendar_url(demo) + f"?view=month&month={bad}").status_code == 200


def test_month_view_heads_all_seven_weekdays_with_their_full_names(client, demo):
    # September 2017 starts on a Friday: Monday to Thursday of its first week are empty cells
    with translation.override("en"):
        url = reverse("cocreation:calendar", args=[demo.pk])
    page = client.get(url + "?view=month&month=2017-09").content.decode()
    head = re.search(r"<thead>(.*?)</thead>", page.split('class="data month"')[1], re.S)
    assert head is not None
    cells = re.findall(r'<th scope="col"><abbr title="([^"]+)">([^<]+)</abbr></th>', head[1])
    assert cells == [
        ("Monday", "Mon"),
        ("Tuesday", "Tue"),
        ("Wednesday", "Wed"),
        ("Thursday", "Thu"),
        ("Friday", "Fri"),
        ("Saturday", "Sat"),
        ("Sunday", "Sun"),
    ]
    spanish = client.get(calendar_url(demo) + "?view=month&month=2017-09").content.decode()
    assert '<abbr title="Lunes">Lun</abbr>' in spanish


def test_icalendar_feeds_parse(client, demo):
    response = client.get(f"/planes/{demo.pk}/calendario.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    feed = Calendar.from_ical(response.content)
    events = list(feed.walk("VEVENT"))
    assert len(events) == 12
    assert {str(e["summary"]) for e in events} >= {"Taller regional descentralizado: Arequipa"}
    event = Event.objects.get(plan=demo, key="taller-regional-arequipa")
    single = Calendar.from_ical(client.get(f"/eventos/{event.pk}.ics").content)
    (item,) = single.walk("VEVENT")
    assert item.decoded("dtstart") == event.starts_at


def test_event_page_shows_notice_and_attendance(client, demo):
    event = Event.objects.get(plan=demo, key="taller-regional-arequipa")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Arequipa" in html and "54" in html and "53" in html
    english = client.get(f"/en/events/{event.pk}/").content.decode()
    assert "days of notice" in english


def test_an_event_ending_before_it_starts_is_refused(make_plan, editor):
    plan = make_plan(n=0)
    before = TraceEvent.objects.count()
    start = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as error:
        services.save_event(
            editor,
            None,
            {
                "plan": plan,
                "key": "x",
                "kind": "thematic_table",
                "title": "X",
                "starts_at": start,
                "ends_at": start - dt.timedelta(hours=1),
            },
        )
    assert "ends_at" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.save_event(
            editor,
            None,
            {
                "plan": plan,
                "key": "y",
                "kind": "party",
                "title": "Y",
                "starts_at": start,
                "ends_at": start,
            },
        )
    assert TraceEvent.objects.count() == before


def test_calendar_runs_a_fixed_number_of_queries(client, sample_plan, editor):
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(calendar_url(sample_plan)).status_code == 200
        return len(context)

    first = count()
    start = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    for index in range(5):
        services.save_event(
            editor,
            None,
            {
                "plan": sample_plan,
                "key": f"extra-{index}",
                "kind": "technical_meeting",
                "title": f"Extra {index}",
                "starts_at": start,
                "ends_at": start,
            },
        )
    assert count() == first <= 10  # 8, and the call to take part (events, comment periods)


def test_faq_shows_only_published_answers_and_is_traced(client, editor, db):
    services.save_faq(
        editor, None, {"question": "¿Qué es un compromiso?", "answer": "Una promesa verificable."}
    )
    services.save_faq(editor, None, {"question": "Borrador", "answer": "x", "published": False})
    html = client.get("/preguntas-frecuentes/").content.decode()
    assert "¿Qué es un compromiso?" in html and "Borrador" not in html
    assert TraceEvent.objects.filter(object_type="cocreation.faqentry").count() == 2
    assert client.get("/en/faq/").status_code == 200
