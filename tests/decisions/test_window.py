"""The call-in window: by default until 5pm on the fifth clear working day after the day of
publication (the day of publication not counted, whatever the hour; weekends and bank holidays
in England and Wales not counted), in local time on either side of a change of the clocks; or,
where the council counts calendar days, "midday on the eighth day". A window is worked out when
the decision is published and kept, whatever the rules become."""

import datetime
import zoneinfo

import pytest

from decisions import rules
from decisions.models import CallInRules, ExecutiveDecision
from decisions.services import call_in_rules_update, decision_publish, decision_update
from tests.factories import ExecutiveDecisionFactory, UserFactory

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.UTC
FIVE_PM = datetime.time(17)
MIDDAY = datetime.time(12)


def local(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), LONDON)


def closes(published_at: datetime.datetime, *, days=5, working=True, at=FIVE_PM):
    return rules.call_in_closes(published_at, days=days, working=working, closes_at=at, tz=LONDON)


def assert_closes_at_local(moment: datetime.datetime, day: datetime.date, time=FIVE_PM):
    local_moment = moment.astimezone(LONDON)
    assert (local_moment.date(), local_moment.time()) == (day, time)


# Every day of a week, at the first and last minute and in the day -----------------------------

# A week of GMT with no bank holiday: Monday 30 November to Sunday 6 December 2026.
GMT_WEEK = {
    D(2026, 11, 30): D(2026, 12, 7),  # Monday: Tue, Wed, Thu, Fri, Mon
    D(2026, 12, 1): D(2026, 12, 8),  # Tuesday
    D(2026, 12, 2): D(2026, 12, 9),  # Wednesday
    D(2026, 12, 3): D(2026, 12, 10),  # Thursday
    D(2026, 12, 4): D(2026, 12, 11),  # Friday: the weekend is not counted
    D(2026, 12, 5): D(2026, 12, 11),  # Saturday: counted from Monday, as from Friday
    D(2026, 12, 6): D(2026, 12, 11),  # Sunday: the same
}
# A week of BST with no bank holiday: Monday 1 June to Sunday 7 June 2026.
BST_WEEK = {
    D(2026, 6, 1): D(2026, 6, 8),
    D(2026, 6, 2): D(2026, 6, 9),
    D(2026, 6, 3): D(2026, 6, 10),
    D(2026, 6, 4): D(2026, 6, 11),
    D(2026, 6, 5): D(2026, 6, 12),
    D(2026, 6, 6): D(2026, 6, 12),
    D(2026, 6, 7): D(2026, 6, 12),
}
TIMES = [(0, 1), (10, 0), (23, 59)]


@pytest.mark.parametrize(
    ("published_on", "closes_on", "hour", "minute"),
    [
        (published, closing, hour, minute)
        for week in (GMT_WEEK, BST_WEEK)
        for published, closing in week.items()
        for hour, minute in TIMES
    ],
    ids=lambda value: str(value),
)
def test_the_window_closes_at_5pm_on_the_fifth_working_day_after_the_day_of_publication(
    published_on, closes_on, hour, minute
):
    closing = closes(local(published_on, hour, minute))

    assert_closes_at_local(closing, closes_on)


def test_every_day_of_the_weeks_is_tried():
    assert sorted(day.weekday() for day in GMT_WEEK) == list(range(7))
    assert sorted(day.weekday() for day in BST_WEEK) == list(range(7))


def test_the_day_of_publication_is_the_local_day_not_the_utc_one():
    # 00:01 on Tuesday 2 June in BST is 23:01 on Monday in UTC: published on the Tuesday.
    just_after_midnight = datetime.datetime(2026, 6, 1, 23, 1, tzinfo=UTC)
    # 23:59 on Monday 1 June in BST is still Monday in UTC (22:59): published on the Monday.
    just_before_midnight = datetime.datetime(2026, 6, 1, 22, 59, tzinfo=UTC)

    assert_closes_at_local(closes(just_after_midnight), D(2026, 6, 9))
    assert_closes_at_local(closes(just_before_midnight), D(2026, 6, 8))


def test_5pm_is_local_time_in_summer_and_in_winter():
    summer = closes(local(D(2026, 6, 1)))
    winter = closes(local(D(2026, 11, 30)))

    assert summer.astimezone(UTC).time() == datetime.time(16)
    assert winter.astimezone(UTC).time() == datetime.time(17)


# Across the changes of the clocks ---------------------------------------------------------------


def test_a_window_across_the_start_of_summer_time_closes_at_5pm_bst():
    # Published on Thursday 26 March 2026 (GMT); the clocks go forward on Sunday 29 March.
    closing = closes(local(D(2026, 3, 26)))

    assert_closes_at_local(closing, D(2026, 4, 2))  # Fri, Mon, Tue, Wed, Thu
    assert closing.utcoffset() == datetime.timedelta(hours=1)
    assert closing == datetime.datetime(2026, 4, 2, 16, tzinfo=UTC)


def test_a_window_across_the_end_of_summer_time_closes_at_5pm_gmt():
    # Published on Wednesday 21 October 2026 (BST); the clocks go back on Sunday 25 October.
    closing = closes(local(D(2026, 10, 21), 23, 59))

    assert_closes_at_local(closing, D(2026, 10, 28))
    assert closing.utcoffset() == datetime.timedelta(0)
    assert closing == datetime.datetime(2026, 10, 28, 17, tzinfo=UTC)


def test_published_on_the_night_the_clocks_go_back():
    # 01:30 on Sunday 25 October 2026 happens twice; either way it is Sunday, counted from Monday.
    first = datetime.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=0)
    second = datetime.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=1)

    assert first.astimezone(UTC) != second.astimezone(UTC)  # an hour apart
    assert_closes_at_local(closes(first), D(2026, 10, 30))
    assert_closes_at_local(closes(second), D(2026, 10, 30))


# Across bank holidays ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("published_on", "closes_on"),
    [
        # Christmas 2026: Christmas Day Friday 25, Boxing Day Saturday 26 with its substitute
        # on Monday 28 December; New Year's Day Friday 1 January 2027.
        (D(2026, 12, 17), D(2026, 12, 24)),  # Thu: Fri 18, Mon 21 to Thu 24, before Christmas
        (D(2026, 12, 18), D(2026, 12, 29)),  # Fri: Mon 21 to Thu 24, (25, 28), Tue 29
        (D(2026, 12, 21), D(2026, 12, 30)),  # Mon: Tue, Wed, Thu, (25, 28), Tue, Wed
        (D(2026, 12, 22), D(2026, 12, 31)),  # Tue: Wed, Thu, Tue, Wed, Thu
        (D(2026, 12, 23), D(2027, 1, 4)),  # Wed: Thu, Tue, Wed, Thu, (1 Jan), Mon
        (D(2026, 12, 24), D(2027, 1, 5)),  # Christmas Eve is a working day
        (D(2026, 12, 25), D(2027, 1, 5)),  # published on Christmas Day: as from Thursday
        (D(2026, 12, 26), D(2027, 1, 5)),  # Boxing Day, a Saturday
        (D(2026, 12, 28), D(2027, 1, 5)),  # the substitute Boxing Day
        (D(2026, 12, 29), D(2027, 1, 6)),
        # New Year.
        (D(2026, 12, 31), D(2027, 1, 8)),  # Thu: (1 Jan), Mon 4 to Fri 8
        (D(2027, 1, 1), D(2027, 1, 8)),  # published on New Year's Day
        (D(2025, 12, 31), D(2026, 1, 8)),  # New Year's Day 2026 a Thursday: Fri, Mon–Thu
        # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
        (D(2026, 3, 31), D(2026, 4, 9)),  # Tue: Wed, Thu, (3, 6), Tue, Wed, Thu
        (D(2026, 4, 1), D(2026, 4, 10)),
        (D(2026, 4, 2), D(2026, 4, 13)),  # Maundy Thursday: Tue 7 to Mon 13
        (D(2026, 4, 3), D(2026, 4, 13)),  # Good Friday
        (D(2026, 4, 4), D(2026, 4, 13)),  # Easter Saturday
        (D(2026, 4, 6), D(2026, 4, 13)),  # Easter Monday
        (D(2026, 4, 7), D(2026, 4, 14)),
        # The early May bank holiday, Monday 4 May 2026.
        (D(2026, 4, 29), D(2026, 5, 7)),  # Wed: Thu 30, Fri 1, (4), Tue, Wed, Thu
        (D(2026, 5, 1), D(2026, 5, 11)),  # Fri: (4), Tue 5 to Mon 11
        (D(2026, 5, 4), D(2026, 5, 11)),  # published on the bank holiday
        # The spring bank holiday, Monday 25 May 2026.
        (D(2026, 5, 21), D(2026, 5, 29)),  # Thu: Fri 22, (25), Tue to Fri 29
        (D(2026, 5, 22), D(2026, 6, 1)),
        (D(2026, 5, 25), D(2026, 6, 1)),  # published on the bank holiday
    ],
    ids=lambda value: str(value),
)
def test_bank_holidays_in_england_and_wales_are_not_counted(published_on, closes_on):
    for hour, minute in TIMES:
        assert_closes_at_local(closes(local(published_on, hour, minute)), closes_on)


def test_the_window_can_close_before_a_bank_holiday_and_implementation_start_on_it():
    closing = closes(local(D(2026, 12, 17)))

    assert_closes_at_local(closing, D(2026, 12, 24))
    # Implementing is the executive's business: from the next day, holiday or not.
    assert rules.implementation_from(closing) == D(2026, 12, 25)


# The calendar-day variant -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("published_at", "closes_on"),
    [
        (local(D(2026, 11, 30)), D(2026, 12, 8)),  # Monday: the eighth day is a Tuesday
        (local(D(2026, 12, 5), 0, 1), D(2026, 12, 13)),  # Saturday: it may close on a Sunday
        (local(D(2026, 12, 18), 23, 59), D(2026, 12, 26)),  # on Boxing Day: holidays count
        (local(D(2026, 3, 27)), D(2026, 4, 4)),  # across the clocks going forward and Easter
        (local(D(2026, 10, 23)), D(2026, 10, 31)),  # across the clocks going back
        (datetime.datetime(2026, 6, 1, 23, 1, tzinfo=UTC), D(2026, 6, 10)),  # 00:01 BST Tue
    ],
    ids=lambda value: str(value),
)
def test_midday_on_the_eighth_day_counts_calendar_days(published_at, closes_on):
    closing = closes(published_at, days=8, working=False, at=MIDDAY)

    assert_closes_at_local(closing, closes_on, MIDDAY)


def test_the_councils_rules_give_the_window_in_its_own_time_zone():
    default = CallInRules()
    calendar = CallInRules(window_days=8, window_working_days=False, window_closes_at=MIDDAY)
    published = datetime.datetime(2026, 12, 23, 9, 30, tzinfo=UTC)

    assert default.window_closes(published) == datetime.datetime(2027, 1, 4, 17, tzinfo=LONDON)
    assert calendar.window_closes(published) == datetime.datetime(2026, 12, 31, 12, tzinfo=LONDON)


def test_a_one_day_window():
    assert_closes_at_local(closes(local(D(2026, 12, 24)), days=1), D(2026, 12, 29))


# The window is kept --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_window_is_kept_when_the_rules_later_change():
    published = local(D(2026, 11, 30), 15, 47)
    decision = ExecutiveDecisionFactory(decided_on=D(2026, 11, 30), publish=published)
    kept = ExecutiveDecision.objects.get(pk=decision.pk).call_in_closes_at
    assert kept == datetime.datetime(2026, 12, 7, 17, tzinfo=LONDON)

    rules_ = CallInRules.load()
    rules_.window_days = 8
    rules_.window_working_days = False
    rules_.window_closes_at = MIDDAY
    call_in_rules_update(rules=rules_, by=UserFactory())
    decision_update(
        decision=decision,
        by=UserFactory(),
        reason="The title was misspelt.",
        changes={"title": "Corrected"},
    )
    later = ExecutiveDecisionFactory(decided_on=D(2026, 11, 30))
    decision_publish(decision=later, by=None, at=published)

    decision.refresh_from_db()
    later.refresh_from_db()
    assert (decision.title, decision.published_at) == ("Corrected", published)
    assert decision.call_in_closes_at == kept
    assert later.call_in_closes_at == datetime.datetime(2026, 12, 8, 12, tzinfo=LONDON)
