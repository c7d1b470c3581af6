"""Who may call a decision in, when the window closes and when the board must meet: the rules
as plain functions, their edge cases enumerated (the same rules applied to real memberships are
in ``test_call_in_services``)."""

import datetime
import zoneinfo

import pytest

from decisions import rules

LONDON = zoneinfo.ZoneInfo("Europe/London")
WARD, OTHER_WARD = 11, 12
DEFAULTS = {
    "chair_may": True,
    "board_members_needed": 2,
    "non_executive_needed": 3,
    "ward_councillor_may": False,
}
NONE_OPEN = {
    "chair_may": False,
    "board_members_needed": 0,
    "non_executive_needed": 0,
    "ward_councillor_may": False,
}


def person(n: int = 1, **kwargs) -> rules.Signatory:
    values = {
        "person_id": n,
        "name": f"Councillor {n}",
        "is_councillor": True,
        "on_executive": False,
        "chairs_board": False,
        "on_board": False,
        "ward_id": None,
    }
    return rules.Signatory(**(values | kwargs))


def people(count: int, start: int = 1, **kwargs) -> list[rules.Signatory]:
    return [person(n, **kwargs) for n in range(start, start + count)]


def eligible(signatories, wards=(), **routes) -> rules.Eligibility:
    return rules.eligibility(signatories, decision_ward_ids=set(wards), **(NONE_OPEN | routes))


# Each route alone --------------------------------------------------------------------------------


def test_the_chair_of_the_board_alone_may_call_in():
    found = eligible([person(chairs_board=True, on_board=True)], chair_may=True)
    assert found.eligible
    assert found.route == "The chair of the scrutiny board"


def test_the_chair_route_switched_off_does_not_let_the_chair_call_in_alone():
    found = eligible([person(chairs_board=True, on_board=True)], chair_may=False)
    assert not found.eligible
    assert "no one (no route to call-in is open)" in found.problems[-1]


@pytest.mark.parametrize("needed", [1, 2, 3, 5])
def test_board_members_at_the_threshold_may_call_in_and_one_fewer_may_not(needed):
    assert eligible(people(needed, on_board=True), board_members_needed=needed).eligible
    fewer = eligible(people(needed - 1, on_board=True), board_members_needed=needed)
    assert not fewer.eligible
    members = "any member" if needed == 1 else f"any {needed} members"
    assert f"{members} of the scrutiny board" in fewer.problems[-1]


def test_board_members_route_switched_off_with_zero():
    assert not eligible(people(6, on_board=True), board_members_needed=0).eligible


def test_members_of_another_board_do_not_count_as_members_of_the_board():
    assert not eligible(people(3, on_board=False), board_members_needed=2).eligible


@pytest.mark.parametrize("needed", [1, 3, 4])
def test_non_executive_councillors_at_the_threshold_and_one_below(needed):
    assert eligible(people(needed), non_executive_needed=needed).eligible
    assert not eligible(people(needed - 1), non_executive_needed=needed).eligible


def test_non_executive_route_switched_off_with_zero():
    assert not eligible(people(10), non_executive_needed=0).eligible


def test_a_ward_councillor_may_call_in_a_decision_affecting_their_ward():
    found = eligible([person(ward_id=WARD)], wards=[WARD, OTHER_WARD], ward_councillor_may=True)
    assert found.eligible
    assert found.route == "A councillor for a ward the decision affects"


def test_a_councillor_for_another_ward_may_not_call_in_by_the_ward_route():
    assert not eligible(
        [person(ward_id=OTHER_WARD)], wards=[WARD], ward_councillor_may=True
    ).eligible


def test_the_ward_route_needs_the_decision_to_affect_a_ward():
    assert not eligible([person(ward_id=WARD)], wards=[], ward_councillor_may=True).eligible


def test_the_ward_route_switched_off():
    assert not eligible([person(ward_id=WARD)], wards=[WARD], ward_councillor_may=False).eligible


# Who never counts --------------------------------------------------------------------------------


def test_executive_members_do_not_count_towards_any_route():
    signatories = [*people(2), person(3, on_executive=True)]
    found = eligible(signatories, non_executive_needed=3)
    assert not found.eligible
    assert "Councillor 3 is a member of the executive." in found.problems


def test_a_chair_on_the_executive_does_not_count():
    chair = person(chairs_board=True, on_board=True, on_executive=True)
    assert not eligible([chair], chair_may=True).eligible


def test_an_executive_member_on_the_board_does_not_make_up_the_board_members():
    signatories = [person(1, on_board=True), person(2, on_board=True, on_executive=True)]
    assert not eligible(signatories, board_members_needed=2).eligible


def test_an_executive_ward_councillor_does_not_count():
    signatory = person(ward_id=WARD, on_executive=True)
    assert not eligible([signatory], wards=[WARD], ward_councillor_may=True).eligible


def test_people_who_are_not_councillors_do_not_count():
    signatories = [*people(2), person(3, is_councillor=False, on_board=True)]
    found = eligible(signatories, non_executive_needed=3)
    assert not found.eligible
    assert "Councillor 3 is not a councillor." in found.problems


def test_an_ineligible_signatory_is_noted_but_does_not_spoil_an_eligible_call_in():
    signatories = [*people(3), person(4, on_executive=True)]
    found = eligible(signatories, non_executive_needed=3)
    assert found.eligible
    assert found.problems == ("Councillor 4 is a member of the executive.",)


def test_with_every_route_switched_off_no_one_may_call_in():
    everyone = people(5, chairs_board=True, on_board=True, ward_id=WARD)
    found = eligible(everyone, wards=[WARD])
    assert not found.eligible


def test_default_routes_are_the_chair_two_members_or_three_non_executive_councillors():
    assert rules.routes_text(**DEFAULTS) == (
        "the chair of the scrutiny board, or any 2 members of the scrutiny board, or any 3 "
        "non-executive councillors"
    )
    assert eligible(people(2, on_board=True), **DEFAULTS).eligible
    assert eligible(people(3), **DEFAULTS).eligible
    assert not eligible([person(1, on_board=True), person(2)], **DEFAULTS).eligible


# The window --------------------------------------------------------------------------------------


def closes(published: datetime.datetime, *, days=5, working=True, hour=17) -> datetime.datetime:
    return rules.call_in_closes(
        published, days=days, working=working, closes_at=datetime.time(hour), tz=LONDON
    )


def test_window_closes_at_five_on_the_fifth_clear_working_day():
    monday = datetime.datetime(2026, 11, 2, 10, tzinfo=LONDON)
    assert closes(monday) == datetime.datetime(2026, 11, 9, 17, tzinfo=LONDON)


def test_the_day_of_publication_is_not_counted_whatever_the_hour():
    late_friday = datetime.datetime(2026, 11, 6, 23, 30, tzinfo=LONDON)
    saturday = datetime.datetime(2026, 11, 7, 9, tzinfo=LONDON)
    assert (
        closes(late_friday)
        == closes(saturday)
        == datetime.datetime(2026, 11, 13, 17, tzinfo=LONDON)
    )


def test_window_skips_christmas_boxing_day_substitute_and_new_year():
    christmas_eve = datetime.datetime(2026, 12, 24, 10, tzinfo=LONDON)
    # 25 Dec, the weekend, 28 Dec (Boxing Day observed) and 1 Jan are not counted.
    assert closes(christmas_eve) == datetime.datetime(2027, 1, 5, 17, tzinfo=LONDON)


def test_window_in_calendar_days_closes_at_midday_on_the_eighth_day():
    monday = datetime.datetime(2026, 12, 21, 10, tzinfo=LONDON)
    assert closes(monday, days=8, working=False, hour=12) == datetime.datetime(
        2026, 12, 29, 12, tzinfo=LONDON
    )


def test_window_is_in_london_time_across_the_clock_change():
    # Published on the Friday before the clocks go back (25 October 2026).
    published = datetime.datetime(2026, 10, 23, 9, tzinfo=LONDON)
    closing = closes(published)
    assert closing == datetime.datetime(2026, 10, 30, 17, tzinfo=LONDON)
    assert closing.utcoffset() == datetime.timedelta(0)


def test_implementation_from_the_day_after_the_window_closes():
    assert rules.implementation_from(datetime.datetime(2026, 11, 9, 17, tzinfo=LONDON)) == (
        datetime.date(2026, 11, 10)
    )


# The time limit for the board's meeting ----------------------------------------------------------


def test_meeting_due_counts_working_days_from_the_finding():
    assert rules.call_in_meeting_due(datetime.date(2026, 11, 5), within_working_days=10) == (
        datetime.date(2026, 11, 19)
    )


def test_meeting_due_skips_christmas_and_new_year_bank_holidays():
    # 25 and 28 December (Boxing Day observed) and 1 January are not working days.
    assert rules.call_in_meeting_due(datetime.date(2026, 12, 18), within_working_days=10) == (
        datetime.date(2027, 1, 6)
    )


def test_meeting_due_skips_the_summer_bank_holiday():
    assert rules.call_in_meeting_due(datetime.date(2026, 8, 21), within_working_days=10) == (
        datetime.date(2026, 9, 7)
    )
