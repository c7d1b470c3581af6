"""The notice the 2012 Regulations require of a key decision, enumerated: 28 clear days in the
forward plan (regulation 9), counted in calendar days or (by the council's rules) working days;
the general exception (regulation 10: the scrutiny chair informed and the public notice, then 5
clear working days); special urgency (regulation 11: the chair's agreement on or before the
day); and none at all."""

import datetime

import pytest

from decisions import notices, rules
from decisions.models import CallInRules, ExecutiveDecision, ForwardPlanEntry

D = datetime.date
CALENDAR = CallInRules(pk=1, notice_working_days=False)
WORKING = CallInRules(pk=1, notice_working_days=True)


def check(decided_on, notice_on=None, *, working=False, **kwargs):
    return rules.check_notice(decided_on=decided_on, notice_on=notice_on, working=working, **kwargs)


# 28 clear days in the forward plan --------------------------------------------------------------


def test_exactly_28_clear_days_is_proper_notice():
    # 2 March to 31 March: the 28 days from 3 to 30 March lie between.
    assert rules.clear_days_between(D(2026, 3, 2), D(2026, 3, 31), working=False) == 28
    assert check(D(2026, 3, 31), D(2026, 3, 2)) == rules.NoticeCheck(True)
    assert rules.earliest_decision_after_notice(D(2026, 3, 2), working=False) == D(2026, 3, 31)


def test_27_clear_days_is_not():
    result = check(D(2026, 3, 30), D(2026, 3, 2))
    assert not result.proper
    assert result.problem == ("Only 27 clear days after notice in the forward plan; 28 are needed.")


def test_notice_on_the_day_of_the_decision_gives_no_clear_days():
    assert rules.clear_days_between(D(2026, 3, 2), D(2026, 3, 2), working=False) == 0
    result = check(D(2026, 3, 2), D(2026, 3, 2))
    assert not result.proper
    assert result.problem.startswith("Only 0 clear days")


def test_notice_after_the_decision_gives_no_clear_days():
    assert rules.clear_days_between(D(2026, 3, 9), D(2026, 3, 2), working=False) == 0
    assert not check(D(2026, 3, 2), D(2026, 3, 9)).proper


def test_one_clear_day_is_said_in_the_singular():
    assert check(D(2026, 3, 4), D(2026, 3, 2)).problem.startswith("Only 1 clear day after")


def test_28_clear_days_across_a_month_end():
    # 20 January to 18 February 2026: 11 days of January and 17 of February between.
    assert rules.earliest_decision_after_notice(D(2026, 1, 20), working=False) == D(2026, 2, 18)
    assert check(D(2026, 2, 18), D(2026, 1, 20)).proper
    assert not check(D(2026, 2, 17), D(2026, 1, 20)).proper


def test_28_clear_days_across_a_leap_day():
    # February 2028 has 29 days: notice on 1 February allows a decision on 1 March; in 2027, on
    # 2 March.
    assert rules.earliest_decision_after_notice(D(2028, 2, 1), working=False) == D(2028, 3, 1)
    assert rules.earliest_decision_after_notice(D(2027, 2, 1), working=False) == D(2027, 3, 2)
    assert check(D(2028, 3, 1), D(2028, 2, 1)).proper
    assert not check(D(2028, 2, 29), D(2028, 2, 1)).proper
    # The leap day itself as the day of the notice.
    assert rules.earliest_decision_after_notice(D(2028, 2, 29), working=False) == D(2028, 3, 29)
    assert not check(D(2028, 3, 28), D(2028, 2, 29)).proper


def test_working_days_variant_leaves_out_christmas_boxing_day_and_new_year():
    # From Tuesday 1 December 2026: weekends, Christmas Day (Friday 25th), Boxing Day's substitute
    # (Monday 28th) and New Year's Day (Friday 1 January) are not counted. The 28th working day
    # is Wednesday 13 January 2027.
    notice_on = D(2026, 12, 1)
    assert rules.clear_days_between(notice_on, D(2027, 1, 14), working=True) == 28
    assert rules.earliest_decision_after_notice(notice_on, working=True) == D(2027, 1, 14)
    assert check(D(2027, 1, 14), notice_on, working=True).proper
    result = check(D(2027, 1, 13), notice_on, working=True)
    assert not result.proper
    assert result.problem == (
        "Only 27 clear working days after notice in the forward plan; 28 are needed."
    )
    # In calendar days the same notice allowed the decision before Christmas was over.
    assert rules.earliest_decision_after_notice(notice_on, working=False) == D(2026, 12, 30)


def test_the_councils_rules_choose_the_count():
    entry = ForwardPlanEntry(published_on=D(2026, 12, 1), decision_due_on=D(2027, 1, 5))
    assert entry.earliest_decision(CALENDAR) == D(2026, 12, 30)
    assert entry.earliest_decision(WORKING) == D(2027, 1, 14)
    assert entry.notice_check(D(2027, 1, 5), CALENDAR).proper
    assert not entry.notice_check(D(2027, 1, 5), WORKING).proper


@pytest.mark.parametrize("working", [False, True], ids=["calendar days", "working days"])
def test_the_earliest_date_is_the_first_the_check_accepts_every_day_of_three_years(working):
    day = D(2026, 1, 1)
    while day < D(2029, 1, 1):
        earliest = rules.earliest_decision_after_notice(day, working=working)
        assert check(earliest, day, working=working).proper, day
        assert not check(earliest - datetime.timedelta(days=1), day, working=working).proper, day
        general = rules.earliest_decision_after_general_exception(day)
        assert check(general, general_exception_on=day).proper, day
        assert not check(general - datetime.timedelta(days=1), general_exception_on=day).proper
        day += datetime.timedelta(days=1)


# The general exception: 5 clear working days -----------------------------------------------


def test_general_exception_with_5_clear_working_days_across_a_weekend_and_a_bank_holiday():
    # Notice on Thursday 21 May 2026: Friday 22nd, then the weekend and the spring bank holiday
    # (Monday 25th), then Tuesday 26th to Friday 29th: 5 clear working days before Saturday 30th.
    notice_on = D(2026, 5, 21)
    assert rules.clear_days_between(notice_on, D(2026, 6, 1), working=True) == 5
    assert check(D(2026, 6, 1), general_exception_on=notice_on).proper
    assert rules.earliest_decision_after_general_exception(notice_on) == D(2026, 5, 30)


def test_general_exception_with_4_clear_working_days_is_not_enough():
    # A decision on Friday 29 May has 22, 26, 27 and 28 May between: 4.
    result = check(D(2026, 5, 29), general_exception_on=D(2026, 5, 21))
    assert not result.proper
    assert result.problem == (
        "Only 4 clear working days after the general exception notice; 5 are needed."
    )


def test_general_exception_earliest_day_may_fall_on_a_saturday():
    # Notice on Friday 5 June 2026: the fifth clear working day is Friday 12th.
    assert rules.earliest_decision_after_general_exception(D(2026, 6, 5)) == D(2026, 6, 13)
    assert check(D(2026, 6, 13), general_exception_on=D(2026, 6, 5)).proper


def general_exception(published_on, chair_informed_on):
    return ForwardPlanEntry(
        notice=ForwardPlanEntry.Notice.GENERAL_EXCEPTION,
        published_on=published_on,
        chair_informed_on=chair_informed_on,
        decision_due_on=D(2026, 6, 1),
    )


def test_general_exception_counts_from_the_chair_informed_later_than_the_public_notice():
    entry = general_exception(published_on=D(2026, 5, 14), chair_informed_on=D(2026, 5, 21))
    assert entry.earliest_decision(CALENDAR) == D(2026, 5, 30)
    assert not entry.notice_check(D(2026, 5, 29), CALENDAR).proper
    assert entry.notice_check(D(2026, 6, 1), CALENDAR).proper


def test_general_exception_counts_from_the_public_notice_later_than_the_chair_was_told():
    entry = general_exception(published_on=D(2026, 5, 21), chair_informed_on=D(2026, 5, 14))
    assert entry.earliest_decision(CALENDAR) == D(2026, 5, 30)
    assert not entry.notice_check(D(2026, 5, 29), CALENDAR).proper


def test_general_exception_without_the_chair_informed_is_no_notice():
    entry = general_exception(published_on=D(2026, 5, 1), chair_informed_on=None)
    assert entry.earliest_decision(CALENDAR) is None
    result = entry.notice_check(D(2026, 6, 1), CALENDAR)
    assert result == rules.NoticeCheck(
        False, "The general exception needs the scrutiny chair to be informed."
    )


def test_general_exception_not_yet_published_is_no_notice():
    entry = general_exception(published_on=None, chair_informed_on=D(2026, 5, 1))
    assert entry.earliest_decision(CALENDAR) is None
    assert entry.notice_check(D(2026, 6, 1), CALENDAR).problem == (
        "Taken without notice in the forward plan."
    )


# Special urgency: the chair's agreement on or before the day ---------------------------------


def urgent(agreed_on):
    return ForwardPlanEntry(
        notice=ForwardPlanEntry.Notice.SPECIAL_URGENCY,
        published_on=agreed_on,
        urgency_agreed_on=agreed_on,
        decision_due_on=D(2026, 6, 10),
    )


@pytest.mark.parametrize(
    ("agreed_on", "proper"),
    [(D(2026, 6, 9), True), (D(2026, 6, 10), True), (D(2026, 6, 11), False)],
    ids=["the day before", "the day itself", "the day after"],
)
def test_special_urgency_agreed_before_on_or_after_the_day(agreed_on, proper):
    result = urgent(agreed_on).notice_check(D(2026, 6, 10), CALENDAR)
    assert result.proper is proper
    if not proper:
        assert result.problem == (
            "The scrutiny chair agreed to special urgency after the decision was taken."
        )


def test_special_urgency_allows_the_decision_from_the_day_of_the_agreement():
    assert urgent(D(2026, 6, 9)).earliest_decision(CALENDAR) == D(2026, 6, 9)


def test_special_urgency_without_the_agreement_is_no_notice():
    entry = urgent(None)
    assert entry.earliest_decision(CALENDAR) is None
    assert not entry.notice_check(D(2026, 6, 10), CALENDAR).proper


def test_the_kind_of_notice_decides_which_date_counts():
    # A forward plan notice counts its publication, whatever dates of urgency it holds.
    entry = ForwardPlanEntry(
        notice=ForwardPlanEntry.Notice.FORWARD_PLAN,
        published_on=D(2026, 6, 1),
        urgency_agreed_on=D(2026, 6, 1),
        chair_informed_on=D(2026, 5, 1),
    )
    assert not entry.notice_check(D(2026, 6, 10), CALENDAR).proper


# No notice ----------------------------------------------------------------------------------


def test_a_key_decision_with_no_notice_is_flagged():
    decision = ExecutiveDecision(key_decision=True, decided_on=D(2026, 6, 10), notice=None)
    assert notices.notice_check(decision, CALENDAR) == rules.NoticeCheck(
        False, "Taken without notice in the forward plan."
    )
    assert check(D(2026, 6, 10)).problem == "Taken without notice in the forward plan."


def test_a_decision_that_is_not_key_needs_no_notice():
    decision = ExecutiveDecision(key_decision=False, decided_on=D(2026, 6, 10), notice=None)
    assert notices.notice_check(decision, CALENDAR) is None


def test_a_key_decision_is_checked_against_its_notice():
    notice = ForwardPlanEntry(published_on=D(2026, 3, 2))
    on_time = ExecutiveDecision(key_decision=True, decided_on=D(2026, 3, 31), notice=notice)
    early = ExecutiveDecision(key_decision=True, decided_on=D(2026, 3, 30), notice=notice)
    assert notices.notice_check(on_time, CALENDAR).proper
    assert not notices.notice_check(early, CALENDAR).proper
