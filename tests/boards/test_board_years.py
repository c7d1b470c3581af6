"""A board's page has an end: the meetings, inquiries and past members of the current and
previous municipal years (and the meetings to come), each earlier year on a page of its own,
linked from it; in the same number of queries however many years the board has held."""

import datetime
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boards import formatting
from boards.models import Membership, MunicipalYear
from boards.services import municipal_year_on, recent_years_start
from inquiries import services as inquiry_services
from inquiries.models import Inquiry
from tests.factories import MeetingFactory, PersonFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date


def this_years_start() -> datetime.date:
    today = timezone.localdate()
    return D(today.year if today >= D(today.year, 5, 20) else today.year - 1, 5, 20)


@pytest.fixture
def years():
    """Eleven municipal years recorded, each from 20 May: ten years ago to this one."""
    first = this_years_start().year - 10
    return [
        MunicipalYear.objects.create(starts_on=D(year, 5, 20)) for year in range(first, first + 11)
    ]


def meeting_in(board, year: MunicipalYear, month: int = 9):
    starts = datetime.datetime(year.starts_on.year + (month < 5), month, 15, 10, tzinfo=LONDON)
    return MeetingFactory(board=board, municipal_year=year, starts_at=starts)


def inquiry(board, title: str, began: datetime.date, closed: datetime.date | None = None):
    found = inquiry_services.inquiry_create(board=board, title=title, on=began)
    if closed is not None:
        inquiry_services.inquiry_move_stage(inquiry=found, stage=Inquiry.Stage.CLOSED, on=closed)
    return found


def page_of(board, **query) -> str:
    response = Client().get(reverse("boards:board-detail", args=[board.slug]), query)
    assert response.status_code == 200
    return response.text


@pytest.fixture
def decade(board, years):
    """A meeting in each year; inquiries closed ten years ago, last year, and one begun ten
    years ago still being monitored; a member who left ten years ago, and one who left last
    year."""
    old, last, this = years[0], years[-2], years[-1]
    meetings = {year.starts_on.year: meeting_in(board, year) for year in years}
    inquiry(board, "Inquiry closed long ago", old.starts_on, old.starts_on.replace(month=12))
    inquiry(board, "Inquiry closed last year", last.starts_on, last.starts_on.replace(month=12))
    inquiry(board, "Inquiry monitored for years", old.starts_on)
    left_long_ago = Membership.objects.create(
        board=board,
        person=PersonFactory(given_name="Agatha", family_name="Longgone"),
        starts_on=old.starts_on,
        ends_on=old.starts_on.replace(month=12),
    )
    Membership.objects.create(
        board=board,
        person=PersonFactory(given_name="Basil", family_name="Lastyear"),
        starts_on=last.starts_on,
        ends_on=this.starts_on - datetime.timedelta(days=1),
    )
    Membership.objects.create(  # a member today, until the next election
        board=board,
        person=PersonFactory(given_name="Carla", family_name="Current"),
        starts_on=this.starts_on,
        ends_on=this.starts_on.replace(year=this.starts_on.year + 2),
    )
    return meetings, left_long_ago


def when(meeting) -> str:
    return formatting.long_datetime(meeting.starts_at)


def test_the_page_shows_the_current_and_previous_years_and_links_to_each_earlier_one(
    board, years, decade
):
    meetings, _left = decade
    old, previous, current = years[0], years[-2], years[-1]

    page = page_of(board)

    assert when(meetings[current.starts_on.year]) in page
    assert when(meetings[previous.starts_on.year]) in page
    assert when(meetings[old.starts_on.year]) not in page
    assert "Inquiry closed last year" in page and "Inquiry monitored for years" in page
    assert "Inquiry closed long ago" not in page
    assert "Basil Lastyear" in page and "Agatha Longgone" not in page
    assert "Carla Current" in page
    # Each earlier year linked, the years shown not.
    assert "Earlier years" in page
    for year in years[:-2]:
        assert f'href="{board.get_absolute_url()}?year={year.starts_on.year}"' in page
    assert f'href="{board.get_absolute_url()}?year={previous.starts_on.year}"' not in page


def test_an_earlier_years_page_shows_that_year(board, years, decade):
    meetings, _left = decade
    old = years[0]

    page = page_of(board, year=old.starts_on.year)

    assert f"<title>{board.name}: {old.label}" in page
    assert when(meetings[old.starts_on.year]) in page
    assert when(meetings[years[1].starts_on.year]) not in page
    assert when(meetings[years[-1].starts_on.year]) not in page
    assert "Inquiry closed long ago" in page and "Inquiry monitored for years" in page
    assert "Inquiry closed last year" not in page
    assert "Agatha Longgone" in page
    assert "Carla Current" in page  # the members today, whichever year is shown
    assert f'<link rel="canonical" href="http://testserver/boards/{board.slug}/?year=' in page
    assert f'href="{board.get_absolute_url()}">The current and previous years' in page


def test_a_year_the_board_did_not_meet_in_shows_the_current_years_saying_so(board, years, decade):
    response = Client().get(
        reverse("boards:board-detail", args=[board.slug]), {"year": "1066"}, follow=True
    )
    assert response.status_code == 200
    assert "The board has no meetings in that municipal year" in response.text
    assert "Inquiry closed last year" in response.text


def test_the_page_runs_the_same_queries_for_two_years_or_eleven(
    board, years, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("boards:board-detail", args=[board.slug])

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(url)
        return len(queries), len(response.content)

    for year in years[-2:]:
        meeting_in(board, year)
        inquiry(board, f"Inquiry of {year.label}", year.starts_on)
    recent = count()
    for year in years[:-2]:
        for month in (6, 9, 11, 2):
            meeting_in(board, year, month)
        inquiry(board, f"Inquiry of {year.label}", year.starts_on, year.starts_on.replace(month=12))

    queries, size = count()
    assert queries == recent[0]
    # Only the links to the nine earlier years were added.
    assert size - recent[1] < 9 * 200


def test_the_current_and_previous_years_begin_as_recorded_or_on_1_may():
    today = D(2026, 11, 30)
    assert recent_years_start(today) == D(2025, 5, 1)  # none recorded
    MunicipalYear.objects.create(starts_on=D(2025, 5, 22))
    MunicipalYear.objects.create(starts_on=D(2026, 5, 21))
    assert recent_years_start(today) == D(2025, 5, 22)
    assert recent_years_start(D(2026, 5, 20)) == D(2024, 5, 1)  # before this year's meeting
    assert municipal_year_on(D(2026, 5, 20)).starts_on == D(2025, 5, 22)
    assert municipal_year_on(D(2027, 5, 3)).starts_on == D(2026, 5, 21)  # a year lasts a year
    assert municipal_year_on(D(2027, 5, 25)).starts_on == D(2027, 5, 1)  # not recorded yet
