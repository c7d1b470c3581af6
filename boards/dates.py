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


# Dates a council's record can hold: from the first councils' papers to a few years ahead.
# Outside them is a typing mistake (0001, 9999), and some of the calendar arithmetic and the
# iCalendar feeds cannot represent such dates at all.
EARLIEST_YEAR = 1900
YEARS_AHEAD = 10


def check_plausible(day: datetime.date, *, field: str = "date", what: str = "The date") -> None:
    """Refuse a date outside the years a council's record can hold, naming the field."""
    from django.core.exceptions import ValidationError

    latest_year = datetime.date.today().year + YEARS_AHEAD
    if not EARLIEST_YEAR <= day.year <= latest_year:
        raise ValidationError(
            {field: f"{what} must be between {EARLIEST_YEAR} and {latest_year}: check the year."}
        )
