"""Statutory publication deadlines for agendas and reports.

Local Government Act 1972, s100B: the agenda and reports are open to inspection at least five
*clear* days before the meeting. Clear days exclude the day of publication, the day of the meeting,
weekends and bank holidays in England and Wales. Bank holidays come from the ``holidays`` library
(which knows the substitute days, e.g. Boxing Day observed on Monday 28 December 2026), never from a
list typed here.
"""

import datetime
import functools
from types import MappingProxyType

import holidays

CLEAR_WORKING_DAYS = 5

_ONE_DAY = datetime.timedelta(days=1)
_SATURDAY = 5


@functools.lru_cache(maxsize=64)
def _bank_holidays(year: int) -> MappingProxyType[datetime.date, str]:
    # A read-only copy: a ``holidays`` object quietly grows when asked about another year.
    return MappingProxyType(dict(holidays.UK(subdiv="ENG", years=year)))


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return day.weekday() < _SATURDAY and day not in _bank_holidays(day.year)


def non_working_day_note(day: datetime.date) -> str:
    """What to say about a date set for something due that is not a working day ("This is a
    Saturday", "This is a bank holiday (Christmas Day)"); empty for a working day. A warning,
    never a refusal: a council may well mean it."""
    if day.weekday() >= _SATURDAY:
        return f"This is a {day:%A}"
    name = _bank_holidays(day.year).get(day)
    return f"This is a bank holiday ({name})" if name else ""


def clear_working_days_between(published_on: datetime.date, meeting_on: datetime.date) -> int:
    """Working days strictly between publication and the meeting; 0 if published on or after it."""
    count = 0
    day = published_on + _ONE_DAY
    while day < meeting_on:
        count += is_working_day(day)
        day += _ONE_DAY
    return count


def working_days_after(start: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days after ``start`` (``start`` itself when ``count`` is 0)."""
    if count < 0:
        raise ValueError(f"count must not be negative, not {count}")
    day = start
    while count:
        day += _ONE_DAY
        count -= is_working_day(day)
    return day


def working_days_before(end: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days before ``end`` (``end`` itself when ``count`` is 0)."""
    day = end
    while count:
        day -= _ONE_DAY
        count -= is_working_day(day)
    return day


def publication_deadline(meeting_on: datetime.date) -> datetime.date:
    """The last working day on which publishing leaves the required clear working days.

    Publishing later on a non-working day can still be on time (a Saturday after a Friday deadline
    adds no working day), so decide lateness with ``is_late``, not by comparing with this date.
    """
    return working_days_before(meeting_on, CLEAR_WORKING_DAYS + 1)


def is_late(published_on: datetime.date, meeting_on: datetime.date) -> bool:
    """True when fewer than the required clear working days lie between publication and meeting."""
    return clear_working_days_between(published_on, meeting_on) < CLEAR_WORKING_DAYS


def working_days_left(today: datetime.date, meeting_on: datetime.date) -> int | None:
    """How many more working days after today the agenda can still go out on time: 0 when today
    is the last day (the deadline, or a weekend or bank holiday just after it), None once
    publishing today would be late."""
    if is_late(today, meeting_on):
        return None
    deadline = publication_deadline(meeting_on)
    left = 0
    day = today + _ONE_DAY
    while day <= deadline:
        left += is_working_day(day)
        day += _ONE_DAY
    return left


def earliest_recorded_publication(meeting_on: datetime.date) -> datetime.date:
    """The earliest date a publication recorded afterwards may give: a year before the meeting.

    Agendas go out days or weeks before a meeting, but one postponed after its agenda went out
    may be held months later; a year allows for that and still catches a mistyped year.
    """
    try:
        return meeting_on.replace(year=meeting_on.year - 1)
    except ValueError:  # 29 February
        return meeting_on.replace(year=meeting_on.year - 1, day=28)
