"""Month arithmetic for deadlines written as months and for the two-month response clock."""

from __future__ import annotations

import calendar
import datetime


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day if it is shorter; the last day of
    a month stays the last day (31 May → 31 July; 30 April → 30 June; 31 December → 28 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return datetime.date(year, month, last)
    return datetime.date(year, month, min(day.day, last))


RESPONSE_MONTHS = 2  # Local Government Act 2000, s9FE: respond within two months


def response_due(published_on: datetime.date) -> datetime.date:
    return add_months(published_on, RESPONSE_MONTHS)


# The bounds of a date typed into a record of the council (a meeting, a body's dates, a
# councillor's term, a membership, a post held): wide enough for anything a council could mean,
# narrow enough to catch a mistyped year (0216, 20216, 1916 for 2016, 9999); some calendar
# arithmetic and the iCalendar feeds cannot represent the wildest years at all.
YEARS_BACK = 60
YEARS_AHEAD = 10


def plausible_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last dates a record of the council may give, seen from ``today``."""
    return add_months(today, -12 * YEARS_BACK), add_months(today, 12 * YEARS_AHEAD)


def plausible(day: datetime.date, today: datetime.date) -> bool:
    earliest, latest = plausible_bounds(today)
    return earliest <= day <= latest


def check_plausible(day: datetime.date, *, field: str = "date", what: str = "The date") -> None:
    """Refuse a date outside ``plausible_bounds``, naming the field."""
    from django.core.exceptions import ValidationError

    from boards.formatting import long_date

    earliest, latest = plausible_bounds(datetime.date.today())
    if not earliest <= day <= latest:
        raise ValidationError(
            {
                field: f"{what} must be between {long_date(earliest)} and {long_date(latest)}: "
                "check the year."
            }
        )
