import datetime

import pytest

from boards.publication import (
    CLEAR_WORKING_DAYS,
    clear_working_days_between,
    is_late,
    is_working_day,
    publication_deadline,
    working_days_after,
    working_days_left,
)

D = datetime.date


def test_five_clear_working_days_are_required():
    assert CLEAR_WORKING_DAYS == 5


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2016, 3, 18), True),  # Friday
        (D(2016, 3, 19), False),  # Saturday
        (D(2016, 3, 20), False),  # Sunday
        (D(2016, 3, 25), False),  # Good Friday
        (D(2016, 3, 28), False),  # Easter Monday
        (D(2026, 12, 24), True),  # Christmas Eve is an ordinary working day
        (D(2026, 12, 25), False),  # Christmas Day, a Friday
        (D(2026, 12, 28), False),  # Boxing Day (Saturday) observed on Monday
        (D(2026, 12, 29), True),
        (D(2027, 12, 27), False),  # Christmas Day (Saturday) observed on Monday
        (D(2027, 12, 28), False),  # Boxing Day (Sunday) observed on Tuesday
        (D(2027, 5, 3), False),  # Early May bank holiday
        (D(2027, 5, 31), False),  # Spring bank holiday
        (D(2027, 8, 30), False),  # Summer bank holiday
    ],
)
def test_working_days_skip_weekends_and_bank_holidays_in_england(day, working):
    assert is_working_day(day) is working


def test_holidays_in_scotland_only_are_working_days():
    assert is_working_day(D(2027, 1, 4))  # 2 January holiday (substitute) in Scotland only
    assert is_working_day(D(2027, 8, 2))  # Scottish summer bank holiday
    assert is_working_day(D(2026, 11, 30))  # St Andrew's Day


def test_publication_deadline_for_an_ordinary_monday_meeting():
    assert publication_deadline(D(2016, 3, 21)) == D(2016, 3, 11)


def test_publication_deadline_skips_christmas_and_the_substitute_boxing_day():
    # 25 December 2026 is a Friday and Boxing Day is observed on Monday 28 December: the five clear
    # days before a Tuesday 29 December meeting are 24, 23, 22, 21 and 18 December.
    assert publication_deadline(D(2026, 12, 29)) == D(2026, 12, 17)
    assert clear_working_days_between(D(2026, 12, 17), D(2026, 12, 29)) == 5


def test_publication_deadline_skips_easter():
    # Good Friday 26 March and Easter Monday 29 March 2027: clear days 31, 30, 25, 24, 23 March.
    assert publication_deadline(D(2027, 4, 1)) == D(2027, 3, 22)


def test_publication_deadline_is_always_a_working_day():
    meeting = D(2026, 1, 1)
    while meeting < D(2028, 1, 1):
        assert is_working_day(publication_deadline(meeting))
        meeting += datetime.timedelta(days=1)


def test_publishing_on_the_deadline_is_on_time_and_the_next_working_day_is_late():
    meeting = D(2016, 3, 21)
    assert not is_late(D(2016, 3, 11), meeting)
    assert is_late(D(2016, 3, 14), meeting)


def test_publishing_earlier_than_the_deadline_is_on_time():
    assert not is_late(D(2016, 2, 1), D(2016, 3, 21))


def test_publishing_on_the_saturday_after_a_friday_deadline_is_still_on_time():
    # The weekend adds no working day, so five clear days still remain: the test is the count.
    meeting = D(2016, 3, 21)
    assert publication_deadline(meeting) == D(2016, 3, 11)
    assert clear_working_days_between(D(2016, 3, 12), meeting) == 5
    assert not is_late(D(2016, 3, 12), meeting)
    assert not is_late(D(2016, 3, 13), meeting)


def test_publishing_on_or_after_the_meeting_day_is_late():
    meeting = D(2016, 3, 21)
    assert is_late(meeting, meeting)
    assert is_late(D(2016, 3, 22), meeting)


@pytest.mark.parametrize(
    ("published_on", "meeting_on", "clear_days"),
    [
        (D(2016, 3, 11), D(2016, 3, 21), 5),
        (D(2016, 3, 18), D(2016, 3, 21), 0),  # only the weekend lies between
        (D(2016, 3, 17), D(2016, 3, 18), 0),  # consecutive days
        (D(2016, 3, 21), D(2016, 3, 21), 0),  # same day
        (D(2016, 3, 22), D(2016, 3, 21), 0),  # published after the meeting
        (D(2016, 3, 23), D(2016, 4, 1), 4),  # Good Friday and Easter Monday don't count
        (D(2026, 12, 24), D(2026, 12, 31), 2),  # 29 and 30 December; 25 and 28 don't count
    ],
)
def test_clear_working_days_between(published_on, meeting_on, clear_days):
    assert clear_working_days_between(published_on, meeting_on) == clear_days


def test_clear_days_span_the_turn_of_the_year():
    # 31 Dec 2026 is a working day; 1 Jan 2027 is New Year's Day; the meeting is on Monday 11 Jan.
    assert clear_working_days_between(D(2026, 12, 30), D(2027, 1, 11)) == 1 + 5


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (D(2016, 3, 21), 0, D(2016, 3, 21)),
        (D(2016, 3, 21), 1, D(2016, 3, 22)),
        (D(2016, 3, 21), 5, D(2016, 3, 30)),  # 22-24, then 29 and 30 after Easter
        (D(2016, 3, 18), 1, D(2016, 3, 21)),  # Friday to Monday
        (D(2016, 3, 19), 1, D(2016, 3, 21)),  # from a Saturday
        (D(2026, 12, 23), 5, D(2027, 1, 4)),  # 24, 29, 30, 31 Dec, 4 Jan
    ],
)
def test_working_days_after(start, count, expected):
    assert working_days_after(start, count) == expected


def test_working_days_after_refuses_a_negative_count():
    with pytest.raises(ValueError, match="negative"):
        working_days_after(D(2016, 3, 21), -1)


def test_every_meeting_in_2026_and_2027_has_a_deadline_on_the_boundary_of_lateness():
    meeting = D(2026, 1, 1)
    while meeting <= D(2027, 12, 31):
        deadline = publication_deadline(meeting)
        assert not is_late(deadline, meeting), meeting
        assert is_late(working_days_after(deadline, 1), meeting), meeting
        assert clear_working_days_between(deadline, meeting) == CLEAR_WORKING_DAYS, meeting
        meeting += datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("today", "left"),
    [
        # A meeting on Monday 21 March 2016: the deadline is Friday 11 March.
        (D(2016, 3, 4), 5),  # the Friday before: five more working days, the last the deadline
        (D(2016, 3, 10), 1),
        (D(2016, 3, 11), 0),  # the deadline itself: due today
        (D(2016, 3, 12), 0),  # the Saturday after: still on time, the last chance
        (D(2016, 3, 13), 0),  # the Sunday too
        (D(2016, 3, 14), None),  # Monday: late
        (D(2016, 3, 21), None),  # the meeting day
    ],
)
def test_working_days_left_to_publish_count_down_to_the_deadline_then_none(today, left):
    assert working_days_left(today, D(2016, 3, 21)) == left


def test_working_days_left_never_count_bank_holidays():
    # A meeting on Tuesday 5 January 2027: the deadline skips Christmas and New Year.
    deadline = publication_deadline(D(2027, 1, 5))
    assert deadline == D(2026, 12, 23)
    assert working_days_left(D(2026, 12, 18), D(2027, 1, 5)) == 3  # 21, 22, 23 December
