"""The iCalendar feeds of meetings: all meetings and per board, parsed back with icalendar."""

import datetime

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boards import services
from boards.models import Meeting
from tests.conftest import CANARY
from tests.factories import BoardFactory, MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db


def fetch(url: str, client: Client | None = None) -> icalendar.Calendar:
    response = (client or Client()).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


ALL = reverse("opendata:calendar-all")


def test_a_meeting_is_an_event_with_its_venue_time_and_a_link_to_its_page():
    meeting = MeetingFactory(
        venue=VenueFactory(name="Civic Hall", address="Market Street\nAldermoor AM1 1AA")
    )
    meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=2, minutes=30)
    meeting.save()

    calendar = fetch(ALL)

    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    event = events_by_uid(calendar)[str(meeting.uid)]
    assert event.start == meeting.starts_at
    assert event.end == meeting.ends_at
    assert event.start.tzinfo is not None
    assert str(event["LOCATION"]) == "Civic Hall, Market Street, Aldermoor AM1 1AA"
    assert str(event["URL"]) == f"http://testserver/meetings/{meeting.pk}/"
    assert str(event["SUMMARY"]) == meeting.board.name
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert "Europe/London" in {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}


def test_a_moved_meeting_keeps_its_uid_and_raises_its_sequence():
    meeting = MeetingFactory()
    original_start = meeting.starts_at
    before = events_by_uid(fetch(ALL))[str(meeting.uid)]
    new_start = meeting.starts_at + datetime.timedelta(days=7, hours=4)

    services.meeting_move(meeting=meeting, starts_at=new_start, reason="Clash with budget council.")
    after = events_by_uid(fetch(ALL))[str(meeting.uid)]
    services.meeting_move(
        meeting=meeting, starts_at=new_start + datetime.timedelta(days=1), reason="Again."
    )
    again = events_by_uid(fetch(ALL))[str(meeting.uid)]

    assert before["SEQUENCE"] == 0
    assert after["SEQUENCE"] == 1
    assert again["SEQUENCE"] == 2
    assert after.start == new_start
    assert before.start == original_start
    assert "Clash with budget council." in str(after["DESCRIPTION"])
    assert "Moved from" in str(after["DESCRIPTION"])
    assert len(fetch(ALL).walk("VEVENT")) == 1  # the same event, not a second one


def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled_with_a_raised_sequence():
    meeting = MeetingFactory()

    services.meeting_cancel(meeting=meeting, reason="Not quorate.")
    event = events_by_uid(fetch(ALL))[str(meeting.uid)]

    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert str(event["SUMMARY"]).startswith("Cancelled: ")
    assert "Not quorate." in str(event["DESCRIPTION"])


def test_a_postponed_meeting_is_tentative():
    meeting = MeetingFactory()

    services.meeting_postpone(meeting=meeting, reason="Awaiting the report.")
    event = events_by_uid(fetch(ALL))[str(meeting.uid)]

    assert str(event["STATUS"]) == "TENTATIVE"
    assert event["SEQUENCE"] == 1


def test_a_board_calendar_has_only_that_boards_meetings():
    board, other = BoardFactory(), BoardFactory()
    ours = [MeetingFactory(board=board), MeetingFactory(board=board)]
    theirs = MeetingFactory(board=other)

    calendar = fetch(reverse("opendata:calendar-board", kwargs={"slug": board.slug}))

    assert set(events_by_uid(calendar)) == {str(meeting.uid) for meeting in ours}
    assert str(theirs.uid) in events_by_uid(fetch(ALL))
    assert board.name in str(calendar["X-WR-CALNAME"])


def test_the_calendar_uid_is_stable_so_subscribers_recognise_it():
    MeetingFactory()
    assert str(fetch(ALL)["UID"]) == str(fetch(ALL)["UID"])


def test_an_unknown_board_has_no_calendar():
    assert (
        Client().get(reverse("opendata:calendar-board", kwargs={"slug": "nope"})).status_code == 404
    )


def test_meetings_more_than_a_year_old_drop_out_of_the_feed():
    recent = MeetingFactory(starts_at=timezone.now() - datetime.timedelta(days=300))
    old = MeetingFactory(starts_at=timezone.now() - datetime.timedelta(days=400))

    uids = events_by_uid(fetch(ALL))

    assert str(recent.uid) in uids
    assert str(old.uid) not in uids


def test_calendars_carry_no_agenda_content_and_never_exempt_information(
    published_meeting, client_for, councillor
):
    """Calendars are public and the same for everyone, members included."""
    urls = [ALL, reverse("opendata:calendar-board", kwargs={"slug": published_meeting.board.slug})]
    for client in (Client(), client_for(councillor)):
        for url in urls:
            body = client.get(url).content.decode()
            assert CANARY not in body
            assert "Staffing restructure" not in body
            assert "Draft item not yet published" not in body
            assert str(published_meeting.uid) in body


def _meetings(count: int) -> None:
    for n in range(count):
        MeetingFactory(
            board=BoardFactory(),
            venue=VenueFactory(name=f"Room {n}"),
            starts_at=timezone.now() + datetime.timedelta(days=n + 1),
        )


@pytest.mark.parametrize("count", [2, 12])
def test_the_calendar_takes_the_same_number_of_queries_however_many_meetings(
    count, django_assert_max_num_queries
):
    _meetings(count)
    # The council's name, the meetings, and when the last to leave the feed left (Last-Modified).
    with django_assert_max_num_queries(3):
        response = Client().get(ALL)
    assert response.content.decode().count("BEGIN:VEVENT") == count


def test_the_calendar_pages_show_the_subscribable_addresses():
    board = BoardFactory()
    MeetingFactory(board=board)

    listing = Client().get(reverse("boards:meeting-list")).content.decode()
    board_page = Client().get(reverse("boards:board-detail", kwargs={"slug": board.slug}))
    filtered = Client().get(reverse("boards:meeting-list"), {"board": board.slug})

    assert "webcal://testserver/calendar/meetings.ics" in listing
    assert "http://testserver/calendar/meetings.ics" in listing
    board_calendar = f"/calendar/boards/{board.slug}.ics"
    assert f"webcal://testserver{board_calendar}" in board_page.content.decode()
    assert f"http://testserver{board_calendar}" in filtered.content.decode()


def test_every_status_has_a_calendar_status():
    from opendata.calendar import STATUS

    assert set(STATUS) == set(Meeting.Status.values)
