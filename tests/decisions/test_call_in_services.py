"""Call-in as a workflow: the request and what refuses it, the officer's checks (eligibility
from real memberships on the day of the request), and each step's preconditions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boards.models import AgendaItem, Board, Membership
from decisions import services, status
from decisions.models import CallIn, CallInRules, ExecutiveDecision
from decisions.signals import call_in_changed
from tests.decisions.call_in_helpers import (
    CHECKED_ON,
    CLOSES,
    DUE_ON,
    MEETING,
    PUBLISHED,
    REQUESTED,
    at,
    executive_member,
    published_decision,
    referred,
    request,
    scheduled_call_in,
    scrutiny_board,
    seat,
    valid_call_in,
)
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    CallInFactory,
    ExecutiveDecisionFactory,
    ExecutiveFactory,
    MeetingFactory,
    PersonFactory,
    UserFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return (
        error.value.message_dict
        if hasattr(error.value, "error_dict")
        else {"__all__": error.value.messages}
    )


def refused(call, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return messages_of(error)


@pytest.fixture
def steps():
    """The steps ``call_in_changed`` announced, in order."""
    seen: list[str] = []

    def receiver(sender, *, call_in, step, **kwargs):
        seen.append(step)

    call_in_changed.connect(receiver, dispatch_uid="test-call-in-steps")
    yield seen
    call_in_changed.disconnect(dispatch_uid="test-call-in-steps")


# The request -----------------------------------------------------------------------------------


def test_a_request_is_recorded_with_its_signatories_and_suspends_the_decision(steps):
    board = scrutiny_board()
    signatories = [seat(board), seat(board)]
    user = UserFactory()
    call_in = request(board=board, signatories=signatories, by=user)
    assert set(call_in.signatories.all()) == set(signatories)
    assert call_in.requested_at == REQUESTED
    assert call_in.requested_by == user
    assert call_in.checked_on is None
    standing = status.standing(call_in.decision, [call_in], now=REQUESTED)
    assert standing.stage == status.Stage.CALL_IN_PENDING
    assert not standing.may_implement
    assert steps == ["requested"]


def test_a_request_one_minute_before_the_window_closes_is_in_time():
    assert request(at_=CLOSES - datetime.timedelta(minutes=1)).pk


@pytest.mark.parametrize("minutes", [0, 1])
def test_a_request_when_or_after_the_window_closes_is_refused_saying_when(minutes):
    errors = refused(request, at_=CLOSES + datetime.timedelta(minutes=minutes))
    assert errors == {"at": ["The call-in window closed at 5.00 pm on Monday, 9 November 2026."]}


def test_a_request_before_publication_is_refused():
    errors = refused(request, at_=PUBLISHED - datetime.timedelta(minutes=1))
    assert "before it is published" in errors["at"][0]


def test_a_request_from_the_future_is_refused():
    errors = refused(request, at_=at(2099, 1, 1))
    assert errors["at"] == ["A call-in cannot be received in the future."]


def test_an_unpublished_decision_cannot_be_called_in():
    errors = refused(request, decision=ExecutiveDecisionFactory())
    assert errors["decision"] == ["This decision is not published yet: it cannot be called in."]


def test_a_withdrawn_decision_cannot_be_called_in():
    decision = published_decision()
    ExecutiveDecision.objects.filter(pk=decision.pk).update(
        withdrawn_at=PUBLISHED, withdrawal_reason="Made in error."
    )
    errors = refused(request, decision=decision)
    assert "withdrawn" in errors["decision"][0]


@pytest.mark.parametrize(
    ("exclusion", "extra", "words"),
    [
        (
            ExecutiveDecision.Exclusion.URGENCY,
            {"urgency_consent_on": datetime.date(2026, 11, 2)},
            "urgent: the chair of scrutiny consented",
        ),
        (ExecutiveDecision.Exclusion.CONSTITUTION, {}, "excluded by the constitution"),
        (ExecutiveDecision.Exclusion.CALLED_IN_BEFORE, {}, "a reconsidered decision after call-in"),
    ],
)
def test_a_decision_not_subject_to_call_in_is_refused_saying_why(exclusion, extra, words):
    if "urgency_consent_on" in extra:
        extra["urgency_consent_by"] = PersonFactory()
    decision = published_decision(
        exclusion=exclusion, exclusion_reason="The reason given.", **extra
    )
    errors = refused(request, decision=decision)
    assert errors["decision"] == [
        f"This decision is not subject to call-in: {words}. The reason given."
    ]


def test_a_decision_can_be_called_in_only_once():
    call_in = valid_call_in()
    errors = refused(request, decision=call_in.decision)
    assert errors["decision"] == [
        "A decision can be called in only once: it was called in on Wednesday, 4 November 2026."
    ]


def test_a_second_request_while_the_first_is_checked_is_recorded_for_the_officer():
    first = request()
    second = request(decision=first.decision)
    assert second.pk != first.pk


def test_a_request_without_signatories_or_reasons_is_refused_naming_the_fields():
    errors = refused(
        services.call_in_request,
        decision=published_decision(),
        board=scrutiny_board(),
        signatories=[],
        reasons="  ",
        by=None,
        at=REQUESTED,
    )
    assert errors == {
        "signatories": ["Choose the councillors who sign the call-in."],
        "reasons": ["Give the reasons for calling the decision in."],
    }


@pytest.mark.parametrize(
    "kind", [Board.Kind.EXECUTIVE, Board.Kind.COUNCIL, Board.Kind.REGULATORY, Board.Kind.OTHER]
)
def test_only_a_scrutiny_board_may_consider_a_call_in(kind):
    board = BoardFactory(kind=kind, name="The Body")
    errors = refused(request, board=board, signatories=[PersonFactory()])
    assert errors["board"][0].startswith("Choose a scrutiny board: The Body is ")


def test_an_overview_and_scrutiny_committee_may_consider_a_call_in():
    assert request(board=BoardFactory(kind=Board.Kind.OVERVIEW)).pk


def test_a_dissolved_scrutiny_board_may_not():
    board = scrutiny_board(ends_on=datetime.date(2026, 1, 1))
    assert "still meets" in refused(request, board=board)["board"][0]


def test_ineligible_signatories_are_not_refused_at_the_request():
    call_in = request(signatories=[executive_member()])
    assert call_in.pk


# The officer's checks --------------------------------------------------------------------------


def checks_of(call_in) -> dict[str, services.Check]:
    return {check.label: check for check in services.call_in_checks(call_in)}


def test_every_check_passes_for_two_members_in_time():
    checks = checks_of(request())
    assert list(checks) == [
        "In time",
        "Not excluded",
        "Not already called in",
        "Eligible signatories",
    ]
    assert all(check.passed for check in checks.values())
    assert checks["Eligible signatories"].detail == "Eligible: 2 members of the scrutiny board."


def test_a_paper_request_received_after_the_window_fails_the_time_check():
    call_in = CallInFactory(
        decision=published_decision(), requested_at=CLOSES + datetime.timedelta(minutes=1)
    )
    check = checks_of(call_in)["In time"]
    assert not check.passed
    assert "after the window closed at 5.00 pm on Monday, 9 November 2026" in check.detail


def test_an_excluded_decision_fails_the_exclusion_check():
    decision = published_decision(
        exclusion=ExecutiveDecision.Exclusion.CONSTITUTION, exclusion_reason="Budget setting."
    )
    check = checks_of(CallInFactory(decision=decision, requested_at=REQUESTED))["Not excluded"]
    assert not check.passed
    assert check.detail == "Not subject to call-in: excluded by the constitution. Budget setting."


def test_a_second_request_fails_once_the_first_is_found_valid():
    first = request()
    second = request(decision=first.decision)
    services.call_in_check(call_in=first, valid=True, reasons="Valid.", on=CHECKED_ON, by=None)
    check = checks_of(second)["Not already called in"]
    assert not check.passed
    assert "only once" in check.detail


def eligibility_of(board, signatories, **rules) -> services.Check:
    if rules:
        CallInRules.objects.create(pk=1, **rules)
    call_in = CallInFactory(decision=published_decision(), board=board, requested_at=REQUESTED)
    call_in.signatories.set(signatories)
    return checks_of(call_in)["Eligible signatories"]


def test_the_chair_alone_is_eligible():
    board = scrutiny_board()
    check = eligibility_of(board, [seat(board, Membership.Role.CHAIR)])
    assert check.passed
    assert check.detail == "Eligible: the chair of the scrutiny board."


def test_the_chair_of_another_board_is_not():
    board = scrutiny_board()
    assert not eligibility_of(board, [seat(scrutiny_board(), Membership.Role.CHAIR)]).passed


def test_a_vice_chair_counts_as_a_member_not_as_the_chair():
    board = scrutiny_board()
    vice = seat(board, Membership.Role.VICE_CHAIR)
    assert not eligibility_of(board, [vice]).passed
    assert eligibility_of(board, [vice, seat(board)]).passed


def test_one_member_is_one_short_of_two():
    board = scrutiny_board()
    check = eligibility_of(board, [seat(board)])
    assert not check.passed
    assert "any 2 members of the scrutiny board" in check.detail


def test_three_non_executive_councillors_of_any_board_are_eligible_and_two_are_not():
    board = scrutiny_board()
    others = [seat(scrutiny_board()) for _ in range(3)]
    assert eligibility_of(board, others).passed
    assert not eligibility_of(board, others[:2]).passed


def test_members_of_the_executive_do_not_count():
    board = scrutiny_board()
    cabinet = executive_member()
    seat(board, person=cabinet)  # on the board as well as the executive
    check = eligibility_of(board, [seat(board), cabinet, seat(scrutiny_board())])
    assert not check.passed
    assert f"{cabinet.display_name} is a member of the executive." in check.detail


def test_someone_who_left_the_executive_before_the_request_counts():
    board = scrutiny_board()
    former = executive_member(ends_on=datetime.date(2026, 11, 3))
    assert eligibility_of(board, [seat(board), seat(board, person=former)]).passed


def test_people_who_are_not_councillors_do_not_count():
    board = scrutiny_board()
    coopted = seat(board, Membership.Role.COOPTED_VOTING, kind="coopted", ward=None, party=None)
    check = eligibility_of(board, [seat(board), coopted])
    assert not check.passed
    assert f"{coopted.display_name} is not a councillor." in check.detail


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "counts"),
    [
        (datetime.date(2026, 11, 4), None, True),  # joined on the day of the request
        (datetime.date(2026, 11, 5), None, False),  # joined the day after
        (datetime.date(2026, 5, 20), datetime.date(2026, 11, 4), True),  # left that day
        (datetime.date(2026, 5, 20), datetime.date(2026, 11, 3), False),  # left the day before
    ],
)
def test_membership_of_the_board_is_taken_on_the_day_of_the_request(starts_on, ends_on, counts):
    board = scrutiny_board()
    joiner = seat(board, starts_on=starts_on, ends_on=ends_on)
    assert eligibility_of(board, [seat(board), joiner]).passed is counts


def test_a_chair_whose_chairmanship_began_after_the_request_is_not_the_chair():
    board = scrutiny_board()
    chair = seat(board, Membership.Role.CHAIR, starts_on=datetime.date(2026, 11, 5))
    assert not eligibility_of(board, [chair]).passed


def test_routes_switched_off_by_the_council():
    board = scrutiny_board()
    chair = seat(board, Membership.Role.CHAIR)
    check = eligibility_of(
        board,
        [chair, seat(board), seat(board)],
        chair_may_call_in=False,
        board_members_needed=0,
        non_executive_needed=0,
    )
    assert not check.passed
    assert "no one (no route to call-in is open)" in check.detail


def test_the_ward_route_with_and_without_the_decisions_wards():
    board = scrutiny_board()
    ward = WardFactory(name="Weetwood")
    CallInRules.objects.create(
        pk=1,
        chair_may_call_in=False,
        board_members_needed=0,
        non_executive_needed=0,
        ward_councillor_may_call_in=True,
    )
    councillor = seat(scrutiny_board(), ward=ward)

    affecting = published_decision()
    affecting.wards.set([ward, WardFactory(name="Headingley")])
    call_in = CallInFactory(decision=affecting, board=board, requested_at=REQUESTED)
    call_in.signatories.set([councillor])
    check = checks_of(call_in)["Eligible signatories"]
    assert check.passed
    assert check.detail == "Eligible: a councillor for a ward the decision affects."

    elsewhere = published_decision()
    elsewhere.wards.set([WardFactory(name="Headingley")])
    call_in = CallInFactory(decision=elsewhere, board=board, requested_at=REQUESTED)
    call_in.signatories.set([councillor])
    assert not checks_of(call_in)["Eligible signatories"].passed

    no_wards = CallInFactory(decision=published_decision(), board=board, requested_at=REQUESTED)
    no_wards.signatories.set([councillor])
    assert not checks_of(no_wards)["Eligible signatories"].passed


def test_the_checks_take_a_fixed_number_of_queries_however_many_sign():
    def count(signatories: int) -> int:
        board = scrutiny_board()
        call_in = request(board=board, signatories=[seat(board) for _ in range(signatories)])
        call_in.decision.wards.set([WardFactory()])
        fresh = CallIn.objects.get(pk=call_in.pk)
        with CaptureQueriesContext(connection) as queries:
            services.call_in_checks(fresh)
        return len(queries)

    assert count(1) == count(8) <= 6


# The officer's finding -------------------------------------------------------------------------


def test_found_valid_the_decision_is_suspended_and_the_board_must_meet_in_time(steps):
    call_in = valid_call_in()
    assert call_in.valid is True
    assert call_in.checked_on == CHECKED_ON
    assert call_in.meeting_due_on == DUE_ON
    standing = status.standing(call_in.decision, [call_in], now=at(2026, 11, 10))
    assert standing.stage == status.Stage.CALLED_IN
    assert standing.suspended
    assert steps == ["requested", "checked"]


def test_the_meeting_due_date_skips_the_summer_bank_holiday():
    decision = published_decision(publish=at(2026, 8, 17), decided_on=datetime.date(2026, 8, 17))
    call_in = request(decision=decision, at_=at(2026, 8, 20))
    services.call_in_check(
        call_in=call_in, valid=True, reasons="Valid.", on=datetime.date(2026, 8, 21), by=None
    )
    call_in.refresh_from_db()
    assert call_in.meeting_due_on == datetime.date(2026, 9, 7)  # not 4 September


def test_the_councils_time_limit_sets_the_due_date():
    CallInRules.objects.create(pk=1, meeting_within_working_days=5)
    call_in = valid_call_in()
    assert call_in.meeting_due_on == datetime.date(2026, 11, 12)


def test_valid_is_refused_while_a_check_fails_naming_it():
    call_in = request(signatories=[executive_member()])
    errors = refused(
        services.call_in_check, call_in=call_in, valid=True, reasons="x", on=CHECKED_ON, by=None
    )
    assert errors["valid"][0].startswith(
        "The call-in cannot be found valid while a check fails: Eligible signatories:"
    )
    call_in.refresh_from_db()
    assert call_in.checked_on is None


def test_not_valid_is_recorded_with_reasons_and_the_decision_is_no_longer_held_up():
    call_in = request(signatories=[executive_member()])
    services.call_in_check(
        call_in=call_in,
        valid=False,
        reasons="Signed by a member of the executive.",
        on=CHECKED_ON,
        by=None,
    )
    call_in.refresh_from_db()
    assert call_in.valid is False
    assert call_in.meeting_due_on is None
    standing = status.standing(call_in.decision, [call_in], now=at(2026, 11, 20))
    assert standing.stage == status.Stage.MAY_BE_IMPLEMENTED


def test_a_finding_needs_reasons_a_date_after_the_request_and_not_in_the_future():
    call_in = request()

    def check(**kwargs):
        values = {"call_in": call_in, "valid": False, "reasons": "Late.", "on": CHECKED_ON}
        return refused(services.call_in_check, by=None, **(values | kwargs))

    assert check(reasons=" ") == {"reasons": ["Give the reasons for the finding."]}
    assert "before the request" in check(on=datetime.date(2026, 11, 3))["on"][0]
    assert check(on=datetime.date(2099, 1, 1)) == {
        "on": ["The date of the check cannot be in the future."]
    }


def test_a_call_in_is_checked_once():
    call_in = valid_call_in()
    errors = refused(
        services.call_in_check, call_in=call_in, valid=False, reasons="x", on=CHECKED_ON, by=None
    )
    assert "already found valid on Thursday, 5 November 2026" in errors["__all__"][0]


# The board's meeting ---------------------------------------------------------------------------


def test_scheduled_the_call_in_is_an_item_of_the_meeting_after_its_items(steps):
    call_in = valid_call_in()
    meeting = MeetingFactory(board=call_in.board, starts_at=MEETING)
    report = AgendaItemFactory(meeting=meeting, number=1)
    schedule = AgendaItemFactory(meeting=meeting, number=2, kind=AgendaItem.Kind.WORK_SCHEDULE)
    item = services.call_in_schedule(call_in=call_in, meeting=meeting, by=None)
    call_in.refresh_from_db()
    assert call_in.agenda_item == item
    assert item.kind == AgendaItem.Kind.CALL_IN
    assert item.title == f"Call-in: {call_in.decision.title}"
    assert not item.exempt
    assert [i.pk for i in meeting.agenda_items.order_by("number")] == [
        report.pk,
        item.pk,
        schedule.pk,
    ]
    assert "considered by Thursday, 19 November 2026" in item.purpose
    assert not services.meeting_is_late(call_in)
    assert steps[-1] == "scheduled"


def test_an_exempt_decisions_call_in_item_is_exempt_with_its_paragraph():
    decision = published_decision(
        exempt=True, exempt_paragraph=3, public_interest_reasoning="Commercial."
    )
    call_in = scheduled_call_in(decision=decision)
    item = call_in.agenda_item
    assert item.exempt
    assert item.exempt_paragraph == 3


def test_a_meeting_after_the_limit_needs_a_reason_and_is_flagged():
    call_in = valid_call_in()
    late = MeetingFactory(board=call_in.board, starts_at=at(2026, 11, 20))
    errors = refused(services.call_in_schedule, call_in=call_in, meeting=late, by=None)
    assert errors["late_reason"] == [
        "The meeting is after Thursday, 19 November 2026, the last day the constitution gives "
        "to consider the call-in: give the reason."
    ]
    item = services.call_in_schedule(
        call_in=call_in, meeting=late, by=None, late_reason="The chair is ill."
    )
    call_in.refresh_from_db()
    assert item.special_circumstances == "The chair is ill."
    assert "The chair is ill." in item.purpose
    assert services.meeting_is_late(call_in)


def test_a_meeting_on_the_last_day_is_in_time():
    call_in = valid_call_in()
    meeting = MeetingFactory(board=call_in.board, starts_at=at(2026, 11, 19, 18))
    services.call_in_schedule(call_in=call_in, meeting=meeting, by=None)
    call_in.refresh_from_db()
    assert not services.meeting_is_late(call_in)


def test_scheduling_needs_a_valid_call_in_and_a_meeting_of_its_board_after_the_finding():
    pending = request()
    meeting = MeetingFactory(board=pending.board, starts_at=MEETING)
    assert (
        "not been checked"
        in refused(services.call_in_schedule, call_in=pending, meeting=meeting, by=None)["__all__"][
            0
        ]
    )

    call_in = valid_call_in()
    other = MeetingFactory(starts_at=MEETING)
    assert refused(services.call_in_schedule, call_in=call_in, meeting=other, by=None) == {
        "meeting": [f"Choose a meeting of {call_in.board}."]
    }
    before = MeetingFactory(board=call_in.board, starts_at=at(2026, 11, 4))
    assert (
        "after the call-in was found valid"
        in refused(services.call_in_schedule, call_in=call_in, meeting=before, by=None)["meeting"][
            0
        ]
    )


def test_a_call_in_found_not_valid_goes_no_further():
    call_in = request(signatories=[executive_member()])
    services.call_in_check(call_in=call_in, valid=False, reasons="x", on=CHECKED_ON, by=None)
    meeting = MeetingFactory(board=call_in.board, starts_at=MEETING)
    errors = refused(services.call_in_schedule, call_in=call_in, meeting=meeting, by=None)
    assert errors == {"__all__": ["This call-in was found not valid: it goes no further."]}


def test_a_call_in_is_scheduled_once():
    call_in = scheduled_call_in()
    meeting = MeetingFactory(board=call_in.board, starts_at=at(2026, 11, 18))
    assert (
        "already on the agenda"
        in refused(services.call_in_schedule, call_in=call_in, meeting=meeting, by=None)["meeting"][
            0
        ]
    )


def test_a_cancelled_meeting_is_refused():
    call_in = valid_call_in()
    meeting = MeetingFactory(
        board=call_in.board, starts_at=MEETING, status="cancelled", status_reason="No quorum."
    )
    assert (
        "cancelled"
        in refused(services.call_in_schedule, call_in=call_in, meeting=meeting, by=None)["__all__"][
            0
        ]
    )


# The board's outcome ---------------------------------------------------------------------------


def outcome(call_in, outcome=CallIn.Outcome.RELEASE, on=None, reasons=""):
    return services.call_in_outcome(
        call_in=call_in, outcome=outcome, on=on or MEETING.date(), reasons=reasons, by=None
    )


def test_released_the_decision_may_be_implemented_from_the_meeting(steps):
    call_in = outcome(scheduled_call_in())
    standing = status.standing(call_in.decision, [call_in], now=at(2026, 11, 20))
    assert standing.stage == status.Stage.MAY_BE_IMPLEMENTED
    assert standing.implement_from == MEETING.date()
    assert steps[-1] == "outcome"


def test_the_outcome_needs_the_meeting_and_is_not_dated_before_it():
    assert "schedule it first" in refused(outcome, call_in=valid_call_in())["__all__"][0]
    errors = refused(outcome, call_in=scheduled_call_in(), on=datetime.date(2026, 11, 13))
    assert errors == {
        "on": [
            "The outcome cannot be dated before the board's meeting on Monday, 16 November 2026."
        ]
    }


def test_the_outcome_waits_for_the_meeting_to_begin():
    call_in = valid_call_in()
    starts_at = timezone.now() + datetime.timedelta(hours=2)
    meeting = MeetingFactory(board=call_in.board, starts_at=starts_at)
    services.call_in_schedule(
        call_in=call_in, meeting=meeting, by=None, late_reason="The board met later."
    )
    call_in.refresh_from_db()

    errors = refused(outcome, call_in=call_in, on=timezone.localdate())

    assert list(errors) == ["on"]
    assert errors["on"][0].startswith("The board has not met on it yet: its meeting is at ")


@pytest.mark.parametrize("choice", [CallIn.Outcome.REFER_BACK, CallIn.Outcome.REFER_TO_COUNCIL])
def test_referring_it_back_or_to_council_needs_reasons(choice):
    errors = refused(outcome, call_in=scheduled_call_in(), outcome=choice, reasons=" ")
    assert list(errors) == ["reasons"]


def test_the_outcome_is_recorded_once_and_must_be_one_of_the_three():
    call_in = scheduled_call_in()
    assert refused(outcome, call_in=call_in, outcome="approve") == {
        "outcome": ["Choose the board's outcome."]
    }
    outcome(call_in)
    assert "already recorded" in refused(outcome, call_in=call_in)["__all__"][0]


# Full council ----------------------------------------------------------------------------------


def council(call_in, choice=CallIn.CouncilOutcome.NO_OBJECTION, on=None, reasons=""):
    return services.call_in_council_outcome(
        call_in=call_in,
        outcome=choice,
        on=on or datetime.date(2026, 11, 25),
        reasons=reasons,
        by=None,
    )


def test_full_councils_outcome_comes_only_after_a_referral_to_council(steps):
    assert (
        "only after the board referred"
        in refused(council, call_in=referred(CallIn.Outcome.REFER_BACK))["__all__"][0]
    )
    call_in = council(referred(CallIn.Outcome.REFER_TO_COUNCIL))
    assert steps[-1] == "council"
    standing = status.standing(call_in.decision, [call_in], now=at(2026, 11, 26))
    assert standing.may_implement


def test_full_council_referring_it_back_needs_reasons_and_a_date_after_the_referral():
    call_in = referred(CallIn.Outcome.REFER_TO_COUNCIL)
    assert list(refused(council, call_in=call_in, choice="refer_back")) == ["reasons"]
    assert (
        "before the board referred it"
        in refused(council, call_in=call_in, on=datetime.date(2026, 11, 13))["on"][0]
    )


# The decision maker's reconsideration ----------------------------------------------------------


def conclude(call_in, final=CallIn.Final.CONFIRMED, text="", on=None, reasons="Considered."):
    return services.call_in_conclude(
        call_in=call_in,
        final=final,
        on=on or datetime.date(2026, 11, 27),
        reasons=reasons,
        decision_text=text,
        by=None,
    )


def test_amended_after_a_referral_back_a_new_decision_is_published_that_cannot_be_called_in(steps):
    call_in = conclude(referred(), CallIn.Final.AMENDED, text="To award a shorter contract.")
    original = call_in.decision
    new = ExecutiveDecision.objects.get(reconsiders=original)
    assert new.decision == "To award a shorter contract."
    assert new.exclusion == ExecutiveDecision.Exclusion.CALLED_IN_BEFORE
    assert new.exclusion_reason == "A decision can be called in only once."
    assert new.published_at is not None
    assert new.call_in_closes_at is None
    assert new.decided_on == datetime.date(2026, 11, 27)
    assert "not subject to call-in" in refused(request, decision=new)["decision"][0]
    assert steps[-1] == "concluded"


def test_amended_needs_the_amended_decision():
    errors = refused(conclude, call_in=referred(), final=CallIn.Final.AMENDED)
    assert errors == {"decision_text": ["Give the decision as amended."]}


def test_revoked_the_decision_stands_revoked():
    call_in = conclude(referred(), CallIn.Final.REVOKED)
    standing = status.standing(call_in.decision, [call_in], now=at(2026, 11, 28))
    assert standing.stage == status.Stage.REVOKED
    assert not ExecutiveDecision.objects.filter(reconsiders=call_in.decision).exists()


def test_reconsideration_only_after_a_referral_back_by_the_board_or_council():
    released = outcome(scheduled_call_in())
    assert "only a decision referred back" in refused(conclude, call_in=released)["__all__"][0]
    to_council = referred(CallIn.Outcome.REFER_TO_COUNCIL)
    assert "only a decision referred back" in refused(conclude, call_in=to_council)["__all__"][0]
    council(to_council, CallIn.CouncilOutcome.REFER_BACK, reasons="Think again.")
    assert conclude(to_council).final == CallIn.Final.CONFIRMED


def test_reconsideration_is_recorded_once_and_not_before_the_referral():
    call_in = referred()
    assert (
        "before the referral back"
        in refused(conclude, call_in=call_in, on=datetime.date(2026, 11, 13))["on"][0]
    )
    conclude(call_in)
    assert "already recorded" in refused(conclude, call_in=call_in)["__all__"][0]


# Withdrawal ------------------------------------------------------------------------------------


def withdraw(call_in, reason="The signatories are satisfied."):
    return services.call_in_withdraw(call_in=call_in, by=UserFactory(), reason=reason)


def test_withdrawn_before_the_check_the_decision_is_no_longer_held_up(steps):
    call_in = withdraw(request())
    assert call_in.withdrawn_at is not None
    standing = status.standing(call_in.decision, [call_in], now=at(2026, 11, 10))
    assert standing.stage == status.Stage.MAY_BE_IMPLEMENTED
    assert steps == ["requested", "withdrawn"]


def test_withdrawn_after_scheduling_its_unpublished_item_comes_off_the_agenda():
    call_in = scheduled_call_in()
    item_pk = call_in.agenda_item_id
    withdraw(call_in)
    call_in.refresh_from_db()
    assert call_in.agenda_item is None
    assert not AgendaItem.objects.filter(pk=item_pk).exists()


def test_withdrawn_after_the_agenda_was_published_its_item_is_withdrawn_with_the_reason(clerk):
    from boards import services as board_services

    call_in = scheduled_call_in()
    board_services.agenda_publish(
        meeting=call_in.agenda_item.meeting, by=clerk, late_reason="Recorded late in tests."
    )
    withdraw(call_in)
    call_in.refresh_from_db()
    item = call_in.agenda_item
    assert item.withdrawn_at is not None
    assert item.withdrawal_reason == "The call-in was withdrawn: The signatories are satisfied."


def test_withdrawal_needs_a_reason_and_comes_before_the_outcome():
    call_in = scheduled_call_in()
    assert refused(withdraw, call_in=call_in, reason=" ") == {
        "reason": ["Give the reason for withdrawing the call-in."]
    }
    outcome(call_in)
    assert "can no longer be withdrawn" in refused(withdraw, call_in=call_in)["__all__"][0]


def test_a_withdrawn_call_in_goes_no_further():
    call_in = withdraw(request())
    errors = refused(
        services.call_in_check, call_in=call_in, valid=False, reasons="x", on=CHECKED_ON, by=None
    )
    assert "withdrawn" in errors["__all__"][0]
    assert "withdrawn" in refused(withdraw, call_in=call_in)["__all__"][0]


def test_every_step_is_announced_in_order(steps):
    call_in = referred(CallIn.Outcome.REFER_TO_COUNCIL)
    council(call_in, CallIn.CouncilOutcome.AMEND, reasons="Outside the budget.")
    conclude(call_in, CallIn.Final.AMENDED, text="As council amended it.")
    assert steps == ["requested", "checked", "scheduled", "outcome", "council", "concluded"]


def test_the_executive_is_not_a_scrutiny_board():
    assert Board.Kind.EXECUTIVE not in services.SCRUTINY_KINDS
    assert ExecutiveFactory().kind == Board.Kind.EXECUTIVE
