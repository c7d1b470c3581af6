"""Month arithmetic: month deadlines and the two-month response clock (LGA 2000 s9FE)."""

import calendar
import datetime

import pytest

from boards.dates import add_months, month_end, response_due

D = datetime.date


@pytest.mark.parametrize(
    ("published", "due"),
    [
        (D(2017, 5, 31), D(2017, 7, 31)),
        (D(2017, 4, 30), D(2017, 6, 30)),
        (D(2026, 12, 31), D(2027, 2, 28)),
        (D(2027, 12, 31), D(2028, 2, 29)),
        (D(2017, 3, 15), D(2017, 5, 15)),
        (D(2026, 11, 15), D(2027, 1, 15)),
    ],
)
def test_response_is_due_two_calendar_months_after_publication(published, due):
    assert response_due(published) == due


@pytest.mark.parametrize(
    ("day", "expected"),
    [(D(2027, 1, 31), D(2027, 2, 28)), (D(2028, 1, 31), D(2028, 2, 29))],
)
def test_one_month_after_31_january_is_the_last_day_of_february(day, expected):
    assert add_months(day, 1) == expected


def test_the_last_day_of_a_short_month_moves_to_the_last_day_of_the_later_month():
    assert add_months(D(2027, 2, 28), 2) == D(2027, 4, 30)
    assert add_months(D(2017, 6, 30), 1) == D(2017, 7, 31)


def test_adding_twelve_months_keeps_the_day_in_the_next_year():
    assert add_months(D(2017, 5, 15), 12) == D(2018, 5, 15)


def test_month_end_knows_leap_years():
    assert month_end(2028, 2) == D(2028, 2, 29)
    assert month_end(2027, 2) == D(2027, 2, 28)
    assert month_end(2017, 9) == D(2017, 9, 30)


def _two_months_on(day: datetime.date) -> datetime.date:
    """An independent statement of the rule: the same day two months on, the last day of the
    month if that month is shorter, and the last day of a month stays the last day."""
    year, month = (day.year + 1, day.month - 10) if day.month > 10 else (day.year, day.month + 2)
    last = calendar.monthrange(year, month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return D(year, month, last)
    return D(year, month, min(day.day, last))


def test_every_day_of_2026_to_2028_gets_a_response_date_two_calendar_months_on():
    day = D(2026, 1, 1)
    checked = 0
    while day <= D(2028, 12, 31):
        due = response_due(day)
        assert due == _two_months_on(day), day
        assert due >= day + datetime.timedelta(days=59), day
        assert (due.year * 12 + due.month) - (day.year * 12 + day.month) == 2, day
        day += datetime.timedelta(days=1)
        checked += 1
    assert checked == 365 + 365 + 366
