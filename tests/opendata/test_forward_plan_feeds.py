"""The forward plan as open data: an Atom feed with each published notice an entry, and an
iCalendar feed with each expected decision an all-day event whose UID stays the same when its
date moves. Both read as the public, whoever asks: drafts never appear."""

import datetime
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards.roles import Role
from decisions import services
from tests.factories import (
    ExecutiveFactory,
    ForwardPlanEntryFactory,
    PostFactory,
    UserFactory,
    WardFactory,
    sign_in,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = reverse("opendata:feed-forward-plan")
CALENDAR = reverse("opendata:calendar-forward-plan")
DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def notices(today):
    executive = ExecutiveFactory(name="Executive Board")
    leisure = ForwardPlanEntryFactory(
        decision_maker=executive,
        reference="FP/2026/014",
        title="The future of the leisure centres",
        maker_post=PostFactory(title="Executive Member for Leisure"),
        published_on=today - DAY,
        decision_due_on=today + 40 * DAY,
        private=True,
        private_paragraph=3,
        contact="Sam Kerr",
    )
    leisure.wards.add(WardFactory(name="Weetwood"))
    draft = ForwardPlanEntryFactory(
        decision_maker=executive, title="A draft notice", published_on=None
    )
    return {"executive": executive, "leisure": leisure, "draft": draft}


def atom(client: Client | None = None) -> ET.Element:
    response = (client or Client()).get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test


def atom_entries(feed: ET.Element) -> dict[str, ET.Element]:
    return {entry.findtext(f"{ATOM}title"): entry for entry in feed.iter(f"{ATOM}entry")}


def ical(client: Client | None = None) -> icalendar.Calendar:
    response = (client or Client()).get(CALENDAR)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def staff_client() -> Client:
    return sign_in(Client(), UserFactory(roles=[Role.CLERK]))


# Atom ---------------------------------------------------------------------------------------


def test_each_published_notice_is_an_entry_with_what_it_says(notices, today):
    feed = atom()
    assert feed.findtext(f"{ATOM}title").startswith("Forward plan of key decisions")
    entries = atom_entries(feed)
    assert list(entries) == ["FP/2026/014: The future of the leisure centres"]
    [entry] = entries.values()
    leisure = notices["leisure"]
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver{leisure.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}id") == f"http://testserver{leisure.get_absolute_url()}#notice"
    assert entry.findtext(f"{ATOM}published").startswith((today - DAY).isoformat())
    summary = entry.findtext(f"{ATOM}summary")
    assert (
        "<dt>Decision maker</dt><dd>Executive Member for Leisure (Executive Board)</dd>" in summary
    )
    assert "<dt>Earliest date of the decision</dt>" in summary
    assert "paragraph 3 of Part 1 of Schedule 12A" in summary
    assert "<dd>Weetwood</dd>" in summary


def test_the_feed_is_the_publics_whoever_asks(notices):
    assert list(atom_entries(atom(staff_client()))) == list(atom_entries(atom()))
    assert "A draft notice" not in str(ET.tostring(atom(staff_client())))


def test_a_withdrawn_notice_is_updated_to_say_so(notices):
    leisure = notices["leisure"]
    before = atom_entries(atom())["FP/2026/014: The future of the leisure centres"]
    services.forward_plan_entry_withdraw(entry=leisure, reason="The decision is deferred.")
    after = atom_entries(atom())["Withdrawn: FP/2026/014: The future of the leisure centres"]
    assert after.findtext(f"{ATOM}id") == before.findtext(f"{ATOM}id")
    assert after.findtext(f"{ATOM}updated") > before.findtext(f"{ATOM}updated")
    assert "The decision is deferred." in after.findtext(f"{ATOM}summary")


def test_the_feed_takes_the_same_number_of_queries_however_many_notices(
    notices, today, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        atom()
    for n in range(6):
        ForwardPlanEntryFactory(decision_due_on=today + (30 + n) * DAY).wards.add(WardFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(atom_entries(atom())) == 7


# iCalendar ------------------------------------------------------------------------------------


def test_each_expected_decision_is_an_all_day_event_on_its_day(notices, today):
    calendar = ical()
    [event] = events(calendar).values()
    leisure = notices["leisure"]
    assert (
        event["SUMMARY"] == "Key decision expected: FP/2026/014: The future of the leisure centres"
    )
    assert event.decoded("DTSTART") == leisure.decision_due_on
    assert not isinstance(event.decoded("DTSTART"), datetime.datetime)  # all day
    assert event.decoded("DTEND") == leisure.decision_due_on + DAY
    assert str(event["URL"]) == f"http://testserver{leisure.get_absolute_url()}"
    assert "Executive Member for Leisure" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "TENTATIVE"


def test_the_event_keeps_its_uid_when_the_date_moves_and_its_sequence_rises(notices, today):
    leisure = notices["leisure"]
    [(uid, before)] = events(ical()).items()
    leisure.decision_due_on = today + 50 * DAY
    services.forward_plan_entry_update(entry=leisure)
    [(uid_after, after)] = events(ical()).items()
    assert uid_after == uid
    assert after.decoded("DTSTART") == today + 50 * DAY
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


def test_uids_differ_between_notices_and_stay_the_same_between_fetches(notices, today):
    ForwardPlanEntryFactory(decision_due_on=today + 60 * DAY)
    first, second = events(ical()), events(ical())
    assert len(first) == 2
    assert set(first) == set(second)


def test_a_withdrawn_notice_is_a_cancelled_event(notices):
    services.forward_plan_entry_withdraw(entry=notices["leisure"], reason="Deferred.")
    [event] = events(ical()).values()
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]).startswith("Withdrawn: ")


def test_the_calendar_is_the_publics_and_leaves_out_decisions_over_a_year_ago(notices, today):
    ForwardPlanEntryFactory(
        title="Long ago", published_on=today - 500 * DAY, decision_due_on=today - 400 * DAY
    )
    public = ical()
    assert len(events(public)) == 1
    assert set(events(ical(staff_client()))) == set(events(public))
    assert not any("A draft notice" in str(event["SUMMARY"]) for event in events(public).values())


def test_the_calendar_takes_the_same_number_of_queries_however_many_notices(
    notices, today, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        ical()
    for n in range(6):
        ForwardPlanEntryFactory(decision_due_on=today + (30 + n) * DAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(events(ical())) == 7


# The open data page -------------------------------------------------------------------------


def test_the_open_data_page_lists_the_forward_plans_feed_and_calendar():
    page = Client().get(reverse("opendata:open-data")).content.decode()
    assert f'href="{FEED}"' in page
    assert f'href="{CALENDAR}"' in page
    assert f'href="{reverse("decisions:forward-plan")}"' in page
