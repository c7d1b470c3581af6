"""The public's way through the demo council, signed out: from the home page, find a
recommendation by searching for a word in it, open its inquiry, then subscribe to the board's
meetings calendar; every page visited passes axe."""

import datetime

import icalendar
from django.utils import timezone
from playwright.sync_api import expect

from boards import formatting
from boards.models import Board, Meeting
from tests.factories import MeetingFactory


def test_the_public_finds_a_recommendation_opens_its_inquiry_and_subscribes_to_the_calendar(
    page, demo, assert_accessible
):
    board = Board.objects.get(slug="strategy-and-resources")
    # The demo's year is 2015/16: a meeting next month gives the calendar something to hold.
    upcoming = MeetingFactory(
        board=board, starts_at=timezone.now().replace(microsecond=0) + datetime.timedelta(days=30)
    )

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Scrutiny at Aldermoor City Council")
    expect(
        page.get_by_role("link", name=formatting.long_datetime(upcoming.starts_at), exact=True)
    ).to_be_visible()
    expect(page.locator("link[rel=canonical]")).to_have_attribute("href", f"{page.url}")
    assert_accessible(page)

    # Search for a word that is only in a recommendation's text.
    search = page.get_by_label("Search agendas, papers, minutes, inquiries and recommendations")
    search.fill("decommissioned")
    search.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    result = page.get_by_role("link", name="Recommendation 3: Inquiry into people's commissioning")
    expect(result).to_be_visible()
    assert_accessible(page)

    result.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recommendation 3")
    expect(page.get_by_text("where services are decommissioned").first).to_be_visible()
    assert_accessible(page)

    # Its inquiry, from the breadcrumb.
    page.locator(".breadcrumb").get_by_role(
        "link", name="Inquiry into people's commissioning"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inquiry into people's commissioning")
    assert_accessible(page)

    # The board's page, with its meetings calendar to subscribe to.
    page.locator(".breadcrumb").get_by_role("link", name=board.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(board.name)
    subscribe = page.get_by_role("link", name=f"Subscribe to the meetings of {board.name}")
    expect(subscribe).to_be_visible()
    assert_accessible(page)

    address = subscribe.get_attribute("href")
    assert address.startswith("webcal://")
    response = page.request.get("http://" + address.removeprefix("webcal://"))
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.body())
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    event = events[str(upcoming.uid)]
    assert str(event["SUMMARY"]) == board.name
    assert event.decoded("DTSTART") == upcoming.starts_at

    # The whole council's calendar, from the meetings page.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
    everything = page.get_by_role("link", name="Subscribe to the meetings calendar")
    assert_accessible(page)
    response = page.request.get("http://" + everything.get_attribute("href").split("://", 1)[1])
    assert response.ok
    calendar = icalendar.Calendar.from_ical(response.body())
    assert (
        len(calendar.walk("VEVENT"))
        == Meeting.objects.filter(
            starts_at__gte=timezone.now() - datetime.timedelta(days=366)
        ).count()
    )

    # The accessibility statement, from the footer.
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
    expect(page.get_by_role("link", name="scrutiny@aldermoor.example").last).to_be_visible()
    assert_accessible(page)
    assert page.console_errors == []
