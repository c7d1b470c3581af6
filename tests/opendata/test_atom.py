"""Atom feeds of newly published agendas, supplements, approved minutes and statements: all,
per board and per inquiry, parsed back with Python's XML parser."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boards import services
from boards.models import AgendaItem
from inquiries import services as inquiry_services
from minutes.models import MinutesRecord
from tests.conftest import CANARY, meeting_with_exempt_item
from tests.factories import BoardFactory, MeetingFactory, StatementFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
ALL = reverse("opendata:feed-all")


def board_feed(board) -> str:
    return reverse("opendata:feed-board", kwargs={"slug": board.slug})


def inquiry_feed(inquiry) -> str:
    return reverse("opendata:feed-inquiry", kwargs={"slug": inquiry.slug})


def fetch(url: str, client: Client | None = None) -> ET.Element:
    response = (client or Client()).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test


def entries(feed: ET.Element) -> dict[str, ET.Element]:
    return {entry.findtext(f"{ATOM}title"): entry for entry in feed.iter(f"{ATOM}entry")}


def links(feed: ET.Element) -> list[str]:
    """Each entry's link, as a path, in the feed's order."""
    return [
        entry.find(f"{ATOM}link").get("href").removeprefix("http://testserver")
        for entry in feed.iter(f"{ATOM}entry")
    ]


def summary(entry: ET.Element) -> str:
    return entry.findtext(f"{ATOM}summary") or ""


def agenda_title(meeting) -> str:
    from boards.formatting import long_date

    return f"Agenda: {meeting.board.name}, {long_date(meeting.starts_at)}"


def publish(meeting, clerk):
    return services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")


def approve_minutes(meeting, at) -> MinutesRecord:
    return MinutesRecord.objects.create(
        meeting=meeting,
        status=MinutesRecord.Status.APPROVED,
        approved_at_meeting=at,
        approved_on=timezone.now(),
    )


def publish_statement(statement, on=datetime.date(2017, 5, 15)):
    statement.published_on = on
    statement.response_due_on = on + datetime.timedelta(days=61)
    statement.save()
    return statement


def test_a_published_agenda_is_an_entry_listing_its_items_and_papers(published_meeting):
    feed = fetch(ALL)

    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "http://testserver/feeds/published.atom"
    entry = entries(feed)[agenda_title(published_meeting)]
    link = entry.find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/meetings/{published_meeting.pk}/"
    text = summary(entry)
    assert "Open report on budgets" in text
    assert "Open purpose." in text
    assert "Budget report" in text
    assert "Staffing restructure" in text
    assert "Not for publication by virtue of paragraph 1" in text
    assert "Appendix A – supplier prices" in text  # an exempt paper's title is public
    assert "paragraph 3" in text
    assert entry.findtext(f"{ATOM}updated")
    assert entry.findtext(f"{ATOM}published")


def test_drafts_are_not_in_the_feed(published_meeting, board):
    unpublished = MeetingFactory(board=board)
    services.agenda_item_add(
        meeting=unpublished, item=AgendaItem(title="Not yet on any agenda", purpose="Draft.")
    )
    StatementFactory(inquiry__board=board, title="A draft statement")
    earlier = MeetingFactory(board=board, starts_at=published_meeting.starts_at.replace(year=2015))
    MinutesRecord.objects.create(meeting=earlier)  # draft minutes

    body = Client().get(ALL).content.decode()

    assert "Draft item not yet published" not in body
    assert "Not yet on any agenda" not in body
    assert f"/meetings/{unpublished.pk}/" not in body
    assert "A draft statement" not in body
    assert "Minutes:" not in body


def test_a_supplement_is_an_entry_of_its_own(published_meeting, clerk):
    publish(published_meeting, clerk)

    feed = fetch(ALL)

    found = entries(feed)
    supplement = next(e for title, e in found.items() if title.startswith("Supplementary papers"))
    assert "Draft item not yet published" in summary(supplement)
    assert "Draft paper" in summary(supplement)
    assert "Budget report" not in summary(supplement)  # it came with the agenda
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids)) == 2


def test_a_publication_recorded_afterwards_is_not_news_to_a_feed_reader(board, clerk):
    """A feed reader shows every entry it has not seen as new, whatever its date: an agenda
    that went out years ago, entered now, stays out of the feeds (its meeting page has it)."""
    held = MeetingFactory(
        board=board, starts_at=datetime.datetime(2016, 3, 21, 10, tzinfo=datetime.UTC)
    )
    services.agenda_item_add(meeting=held, item=AgendaItem(title="Entered afterwards"))
    services.agenda_record_published(
        meeting=held, published_on=datetime.date(2016, 3, 11), by=clerk
    )
    coming = MeetingFactory(board=board)
    services.agenda_item_add(meeting=coming, item=AgendaItem(title="Published here"))
    published_here = publish(coming, clerk)

    for url in (ALL, board_feed(board)):
        feed = fetch(url)
        assert list(entries(feed)) == [agenda_title(coming)], url
        [entry] = feed.iter(f"{ATOM}entry")
        assert entry.findtext(f"{ATOM}published") == published_here.published_at.isoformat()
        assert entry.findtext(f"{ATOM}updated") == published_here.published_at.isoformat()
        assert feed.findtext(f"{ATOM}updated") == published_here.published_at.isoformat()
        assert "Entered afterwards" not in ET.tostring(feed, encoding="unicode")

    # Papers published here after the meeting are news again, under their own date.
    services.agenda_item_add(meeting=held, item=AgendaItem(title="Presentation to the board"))
    supplement = services.agenda_publish(meeting=held, by=clerk, late_reason="After the meeting.")

    found = entries(fetch(ALL))
    [title] = [title for title in found if title.startswith("Supplementary papers")]
    assert "Presentation to the board" in summary(found[title])
    assert "Entered afterwards" not in summary(found[title])
    assert found[title].findtext(f"{ATOM}published") == supplement.published_at.isoformat()


def test_approved_minutes_and_published_statements_are_entries(board):
    held = MeetingFactory(board=board, starts_at=timezone.now() - datetime.timedelta(days=30))
    approve_minutes(held, at=MeetingFactory(board=board))
    statement = publish_statement(StatementFactory(inquiry__board=board))

    found = entries(fetch(ALL))

    minutes = next(e for title, e in found.items() if title.startswith("Minutes:"))
    assert minutes.find(f"{ATOM}link").get("href") == (
        f"http://testserver/meetings/{held.pk}/minutes/"
    )
    assert "approved as a correct record" in summary(minutes)
    entry = found[statement.title]
    assert entry.find(f"{ATOM}link").get("href") == (
        f"http://testserver/inquiries/{statement.inquiry.slug}/statement/"
    )
    assert "Monday, 15 May 2017" in summary(entry)


def test_newest_first(board, clerk):
    first = meeting_with_exempt_item(board)
    second = meeting_with_exempt_item(board)
    publish(first, clerk)
    publish(second, clerk)

    order = links(fetch(ALL))

    assert order.index(second.get_absolute_url()) < order.index(first.get_absolute_url())


def test_a_board_feed_has_only_that_board(published_meeting, board, clerk):
    other = BoardFactory()
    theirs = meeting_with_exempt_item(other)
    publish(theirs, clerk)
    ours_statement = publish_statement(StatementFactory(inquiry__board=board))
    their_statement = publish_statement(StatementFactory(inquiry__board=other))

    found = links(fetch(board_feed(board)))

    assert published_meeting.get_absolute_url() in found
    assert ours_statement.get_absolute_url() in found
    assert theirs.get_absolute_url() not in found
    assert their_statement.get_absolute_url() not in found
    assert theirs.get_absolute_url() in links(fetch(board_feed(other)))


def test_an_inquiry_feed_has_its_statement_and_the_meetings_that_took_it(board, clerk):
    inquiry = inquiry_services.inquiry_create(
        board=board, title="Inquiry into ICT capacity", on=datetime.date(2015, 6, 1)
    )
    session_meeting = MeetingFactory(board=board)
    inquiry_services.session_create(inquiry=inquiry, meeting=session_meeting)
    publish(session_meeting, clerk)
    unrelated = meeting_with_exempt_item(board)
    publish(unrelated, clerk)
    approve_minutes(session_meeting, at=unrelated)
    statement = publish_statement(StatementFactory(inquiry=inquiry))
    other_statement = publish_statement(StatementFactory(inquiry__board=board))

    found = links(fetch(inquiry_feed(inquiry)))

    assert session_meeting.get_absolute_url() in found
    assert reverse("minutes:minutes-detail", kwargs={"pk": session_meeting.pk}) in found
    assert statement.get_absolute_url() in found
    assert unrelated.get_absolute_url() not in found
    assert other_statement.get_absolute_url() not in found
    assert len(found) == 3


def test_unknown_boards_and_inquiries_have_no_feed():
    assert Client().get(reverse("opendata:feed-board", kwargs={"slug": "x"})).status_code == 404
    assert Client().get(reverse("opendata:feed-inquiry", kwargs={"slug": "x"})).status_code == 404


def test_no_feed_carries_exempt_information_whoever_asks(
    board, clerk, client_for, councillor, officer
):
    """Feeds are shared and read as the public, even when a member or an officer fetches them."""
    inquiry = inquiry_services.inquiry_create(
        board=board, title="Inquiry into staffing", on=datetime.date(2015, 6, 1)
    )
    meeting = meeting_with_exempt_item(board, subject=inquiry.subject)
    publish(meeting, clerk)
    services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(title="Draft item", purpose="Draft purpose.", subject=inquiry.subject),
    )
    urls = [ALL, board_feed(board), inquiry_feed(inquiry)]
    for client in (Client(), client_for(councillor), client_for(officer)):
        for url in urls:
            body = client.get(url).content.decode()
            feed = ET.fromstring(body)  # noqa: S314 - our own feed, in a test
            assert meeting.get_absolute_url() in links(feed), url
            assert CANARY not in body, url
            assert "Staffing restructure" in body
            assert "Draft purpose." not in body


def _publications(board, clerk, count: int) -> None:
    for _ in range(count):
        publish(meeting_with_exempt_item(board), clerk)
        held = MeetingFactory(board=board, starts_at=timezone.now() - datetime.timedelta(days=9))
        approve_minutes(held, at=held)
        publish_statement(StatementFactory(inquiry__board=board))


@pytest.mark.parametrize("count", [1, 5])
def test_feeds_take_the_same_number_of_queries_however_much_is_published(
    count, board, clerk, django_assert_max_num_queries
):
    _publications(board, clerk, count)
    for url in (ALL, board_feed(board)):
        with django_assert_max_num_queries(7):
            response = Client().get(url)
        assert response.content.decode().count("<entry>") == 3 * count


def test_the_pages_link_their_feeds(board):
    inquiry = inquiry_services.inquiry_create(
        board=board, title="Inq", on=datetime.date(2016, 1, 1)
    )

    listing = Client().get(reverse("boards:meeting-list")).content.decode()
    board_page = Client().get(reverse("boards:board-detail", kwargs={"slug": board.slug}))
    inquiry_page = Client().get(inquiry.get_absolute_url())

    assert f'href="{ALL}"' in listing
    assert f'href="{board_feed(board)}"' in board_page.content.decode()
    assert f'href="{inquiry_feed(inquiry)}"' in inquiry_page.content.decode()
