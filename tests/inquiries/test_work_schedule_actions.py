"""Open actions from the board's minutes on its work schedule, page and PDF alike: each in the
month it is due, those with no date yet in a row of their own, as each visitor may read them."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards import services as board_services
from boards.models import AgendaItem, MunicipalYear
from boards.roles import Role
from minutes import services as minutes_services
from minutes.models import MinutesRecord
from tests.factories import PostFactory, UserFactory
from tests.pdfs import pdf_text, read_pdf

LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date
pytestmark = pytest.mark.django_db


def _meeting(board, day):
    return board_services.meeting_create(
        board=board, starts_at=datetime.datetime.combine(day, datetime.time(10), LONDON), venue=None
    )


def _minute(meeting, title="ICT capacity", **fields):
    item = board_services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title=title, purpose="To receive a report.", **fields)
    )
    return minutes_services.minute_take(meeting=meeting, agenda_item=item)


def _action(minute, text, **fields):
    return minutes_services.resolution_add(minute=minute, text=text, is_action=True, **fields)


def _release(meeting):
    minutes_services.minutes_release(
        minutes=MinutesRecord.objects.get(meeting=meeting), by=UserFactory()
    )


def _url(board, year, pdf=False):
    name = "inquiries:work-schedule-pdf" if pdf else "inquiries:work-schedule"
    return f"{reverse(name, args=[board.slug])}?year={year.pk}"


@pytest.fixture
def year():
    return MunicipalYear.objects.create(starts_on=D(2015, 5, 21))


@pytest.fixture
def actions(board, year):
    """September 2015's minutes, released, with actions due in November (a date), in January
    (the next meeting), in March (six months on), with no date, done, and next year."""
    september = _meeting(board, D(2015, 9, 21))
    _meeting(board, D(2016, 1, 25))
    minute = _minute(september)
    made = {
        "november": _action(
            minute,
            "That the Chief Digital Officer report on agency staff costs.",
            owner_post=PostFactory(title="Chief Digital Officer"),
            due_on=D(2015, 11, 30),
        ),
        "january": _action(
            minute,
            "That the Board's views be sent to the Executive Member.",
            owner_text="the Democratic Services Manager",
            due_next_meeting=True,
        ),
        "march": _action(minute, "That progress be reported.", due_months=6),
        "undated": _action(minute, "That a visit be arranged.", due_wording="in the spring"),
        "done": _action(minute, "That a letter be sent.", due_on=D(2015, 10, 1)),
        "next_year": _action(minute, "That the review be repeated.", due_on=D(2016, 9, 30)),
    }
    minutes_services.action_done(resolution=made["done"], on=D(2015, 9, 30))
    _release(september)
    return made


def _row(context, area="Actions from minutes"):
    return next(row for row in context["rows"] if row["area"] == area)


def test_open_actions_appear_in_the_months_they_are_due(board, year, actions):
    context = Client().get(_url(board, year)).context
    months = context["months"]
    row = _row(context)

    assert context["rows"][-1] is row
    assert {months[n]: cell for n, cell in enumerate(row["cells"]) if cell} == {
        D(2015, 11, 1): [actions["november"]],
        D(2016, 1, 1): [actions["january"]],
        D(2016, 3, 1): [actions["march"]],
    }
    assert context["undated_actions"] == [actions["undated"]]


def test_the_schedule_page_and_pdf_print_the_actions_in_their_months(board, year, actions):
    number = actions["november"].minute.number
    page = Client().get(_url(board, year)).text
    assert (
        f"Minute {number}(a)</a>: That the Chief Digital Officer report on agency staff costs."
    ) in page
    assert (
        f"Minute {number}(b)</a>: That the Board&#x27;s views be sent to the Executive Member. "
        "(the Democratic Services Manager)"
    ) in page

    # A narrow month's cell may break a long word anywhere: read the words without spaces.
    text = "".join(pdf_text(read_pdf(Client().get(_url(board, year, pdf=True)))).split())
    row = text.index("Actionsfromminutes")
    undated = text.index("Actionsfromminuteswithnodateyet")
    in_order = [
        f"Minute {number}(a): That the Chief Digital Officer report on agency",
        f"Minute {number}(b): That the Board's views be sent to the",
        "(the Democratic Services Manager)",
        f"Minute {number}(c): That progress be reported.",
    ]
    at = row
    for part in in_order:
        found = text.find("".join(part.split()), at)
        assert found > at, part
        at = found
    assert at < undated
    assert f"Minute{number}(d):Thatavisitbearranged.(inthespring)" in text[undated:]
    assert "Thataletterbesent." not in text  # done
    assert "Thatthereviewberepeated." not in text  # due next year


def test_the_public_sees_only_the_actions_of_minutes_it_may_read(board, year, client_for):
    march = _meeting(board, D(2016, 3, 21))
    _action(_minute(march), "That the DRAFT-ACTION be done.", due_on=D(2016, 4, 30))
    exempt = _minute(
        march,
        title="Contract",
        exempt=True,
        exempt_paragraph=3,
        public_interest_reasoning="Prices.",
    )
    _action(exempt, "That the EXEMPT-ACTION be renegotiated.", due_on=D(2016, 4, 30))
    officer = client_for(UserFactory(roles=[Role.CLERK]))

    public = Client().get(_url(board, year)).text
    assert "DRAFT-ACTION" not in public and "EXEMPT-ACTION" not in public
    staff = officer.get(_url(board, year)).text
    assert "DRAFT-ACTION" in staff and "EXEMPT-ACTION" in staff

    _release(march)
    public = Client().get(_url(board, year)).text
    assert "DRAFT-ACTION" in public
    assert "EXEMPT-ACTION" not in public
    assert "EXEMPT-ACTION" not in pdf_text(read_pdf(Client().get(_url(board, year, pdf=True))))


def test_the_schedule_reads_the_actions_in_one_query_however_many(
    board, year, actions, pdf_layout_skipped
):
    def count(url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url).status_code == 200
        return len(queries)

    page, pdf = count(_url(board, year)), count(_url(board, year, pdf=True))
    minute = actions["march"].minute
    for n in range(10):
        _action(minute, f"Next meeting {n}.", due_next_meeting=True, owner_post=PostFactory())
        _action(minute, f"Months {n}.", due_months=n % 6 + 1, owner_text="the clerk")
        _action(minute, f"Undated {n}.")
    assert (count(_url(board, year)), count(_url(board, year, pdf=True))) == (page, pdf)
