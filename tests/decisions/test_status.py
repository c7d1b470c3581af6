"""Where a decision stands (``decisions.status.standing``), at every stage: a draft, withdrawn,
not subject to call-in, open to call-in, a request being checked, called in and suspended,
referred back or to full council, released, concluded, revoked; and its timeline."""

import datetime
import zoneinfo

import pytest

from boards.models import Membership
from decisions import services
from decisions.models import CallIn, CallInRules, ExecutiveDecision
from decisions.status import Stage, standing, timeline
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    CallInFactory,
    ExecutiveDecisionFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.UTC
PUBLISHED = datetime.datetime(2026, 11, 30, 15, 47, tzinfo=LONDON)  # a Monday
CLOSES = datetime.datetime(2026, 12, 7, 17, tzinfo=LONDON)  # the fifth working day, 5pm
BEFORE_CLOSE = CLOSES - datetime.timedelta(seconds=1)


def published(**fields) -> ExecutiveDecision:
    return ExecutiveDecisionFactory(decided_on=D(2026, 11, 30), publish=PUBLISHED, **fields)


def call_ins(decision) -> list[CallIn]:
    return list(decision.call_ins.all())


def stand(decision, now=BEFORE_CLOSE):
    decision = ExecutiveDecision.objects.get(pk=decision.pk)  # as the database has it
    return standing(decision, call_ins(decision), now=now)


@pytest.fixture
def scrutiny():
    return BoardFactory(name="Scrutiny Board (Resources)")


def call_in(decision, scrutiny, **fields) -> CallIn:
    return CallInFactory(
        decision=decision,
        board=scrutiny,
        requested_at=datetime.datetime(2026, 12, 2, 11, tzinfo=LONDON),
        **fields,
    )


VALID = {"checked_on": D(2026, 12, 3), "valid": True, "check_reasons": "In time; three signed."}


# Before and outside call-in ---------------------------------------------------------------------


def test_a_draft_is_not_yet_published():
    result = stand(ExecutiveDecisionFactory())

    assert result.stage == Stage.DRAFT
    assert result.headline == "Not yet published"
    assert (result.may_implement, result.implement_from, result.suspended) == (False, None, False)


def test_a_withdrawn_decision_stands_withdrawn_whatever_its_call_ins(scrutiny):
    decision = published()
    call_in(decision, scrutiny, **VALID)
    services.decision_withdraw(decision=decision, by=UserFactory(), reason="Superseded.")

    result = stand(decision)

    assert (result.stage, result.headline, result.may_implement) == (
        Stage.WITHDRAWN,
        "Withdrawn",
        False,
    )


def test_an_urgent_decision_may_be_implemented_once_published(scrutiny):
    chair = PersonFactory()
    MembershipFactory(board=scrutiny, person=chair, role=Membership.Role.CHAIR)
    decision = ExecutiveDecisionFactory(decided_on=D(2026, 11, 30))
    services.decision_exclude(
        decision=decision,
        exclusion=ExecutiveDecision.Exclusion.URGENCY,
        reason="The grant must be accepted by Friday.",
        consent_by=chair,
        consent_on=D(2026, 11, 30),
        by=UserFactory(),
    )
    # Published at 00:30 on a Tuesday in summer time would be Monday in UTC: here it is a
    # winter Monday evening, and the local day is what counts.
    services.decision_publish(decision=decision, by=None, at=PUBLISHED)

    result = stand(decision, now=PUBLISHED + datetime.timedelta(minutes=1))

    assert result.stage == Stage.NOT_SUBJECT
    assert result.headline == "Not subject to call-in: urgent: the chair of scrutiny consented"
    assert (result.may_implement, result.implement_from) == (True, D(2026, 11, 30))
    assert ExecutiveDecision.objects.get(pk=decision.pk).call_in_closes_at is None


def test_a_decision_the_constitution_excludes_may_be_implemented_from_its_local_day():
    decision = ExecutiveDecisionFactory(decided_on=D(2026, 6, 1))
    services.decision_exclude(
        decision=decision,
        exclusion=ExecutiveDecision.Exclusion.CONSTITUTION,
        reason="Decisions on the treasury management strategy are excluded.",
        by=UserFactory(),
    )
    # 00:30 on Tuesday 2 June in BST is 23:30 on Monday in UTC.
    services.decision_publish(
        decision=decision, by=None, at=datetime.datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
    )

    result = stand(decision)

    assert result.stage == Stage.NOT_SUBJECT
    assert result.headline == "Not subject to call-in: excluded by the constitution"
    assert result.implement_from == D(2026, 6, 2)


# The window -----------------------------------------------------------------------------------


def test_open_to_call_in_until_5pm_on_the_fifth_working_day():
    result = stand(published(), now=PUBLISHED)

    assert result.stage == Stage.WINDOW_OPEN
    assert result.headline == "Open to call-in until 5.00 pm on Monday, 7 December 2026"
    assert (result.may_implement, result.implement_from) == (False, D(2026, 12, 8))
    assert not result.suspended


def test_open_until_the_last_second_and_closed_at_5pm():
    decision = published()

    assert stand(decision, now=BEFORE_CLOSE).stage == Stage.WINDOW_OPEN
    closed = stand(decision, now=CLOSES)
    assert closed.stage == Stage.MAY_BE_IMPLEMENTED
    assert closed.headline == "Not called in: may be implemented from Tuesday, 8 December 2026"
    assert (closed.may_implement, closed.implement_from, closed.call_in) == (
        True,
        D(2026, 12, 8),
        None,
    )


def test_the_window_is_compared_as_instants_whatever_the_time_zone_of_now():
    decision = published()

    assert stand(decision, now=CLOSES.astimezone(UTC) - datetime.timedelta(minutes=1)).stage == (
        Stage.WINDOW_OPEN
    )
    assert stand(decision, now=datetime.datetime(2026, 12, 7, 17, tzinfo=UTC)).stage == (
        Stage.MAY_BE_IMPLEMENTED
    )


# Call-in ---------------------------------------------------------------------------------------


def test_a_request_being_checked_stops_implementation_even_after_the_window(scrutiny):
    decision = published()
    request = call_in(decision, scrutiny)

    for now in (BEFORE_CLOSE, CLOSES + datetime.timedelta(days=3)):
        result = stand(decision, now=now)
        assert result.stage == Stage.CALL_IN_PENDING
        assert result.headline == (
            "Called in: the request is being checked; the decision may not be implemented"
        )
        assert (result.may_implement, result.suspended, result.call_in) == (False, True, request)


@pytest.mark.parametrize("when", [BEFORE_CLOSE, CLOSES])
def test_a_request_found_not_valid_or_withdrawn_leaves_the_window_as_it_was(scrutiny, when):
    decision = published()
    call_in(decision, scrutiny, checked_on=D(2026, 12, 3), valid=False, check_reasons="Late.")
    call_in(
        decision,
        scrutiny,
        withdrawn_at=datetime.datetime(2026, 12, 3, 9, tzinfo=LONDON),
        withdrawal_reason="The signatories withdrew it.",
    )

    expected = Stage.WINDOW_OPEN if when < CLOSES else Stage.MAY_BE_IMPLEMENTED
    assert stand(decision, now=when).stage == expected


def test_a_valid_call_in_suspends_the_decision(scrutiny):
    decision = published()
    call_in(decision, scrutiny, checked_on=D(2026, 12, 3), valid=False, check_reasons="Two.")
    valid = call_in(decision, scrutiny, **VALID)

    result = stand(decision, now=CLOSES + datetime.timedelta(days=10))

    assert result.stage == Stage.CALLED_IN
    assert result.headline == "Called in: suspended until the scrutiny board has considered it"
    assert (result.may_implement, result.suspended, result.call_in) == (False, True, valid)


def test_a_released_decision_may_be_implemented_from_the_boards_meeting(scrutiny):
    decision = published()
    call_in(
        decision,
        scrutiny,
        **VALID,
        outcome=CallIn.Outcome.RELEASE,
        outcome_on=D(2026, 12, 14),
        outcome_reasons="The board was satisfied.",
    )

    result = stand(decision)

    assert result.stage == Stage.MAY_BE_IMPLEMENTED
    assert result.headline == (
        "Released by the scrutiny board: may be implemented from Monday, 14 December 2026"
    )
    assert (result.may_implement, result.implement_from) == (True, D(2026, 12, 14))


def test_referred_back_to_the_decision_maker(scrutiny):
    decision = published()
    call_in(
        decision,
        scrutiny,
        **VALID,
        outcome=CallIn.Outcome.REFER_BACK,
        outcome_on=D(2026, 12, 14),
        outcome_reasons="Consult the ward councillors.",
    )

    result = stand(decision)

    assert result.stage == Stage.REFERRED_BACK
    assert result.headline == (
        "Called in and referred back to the decision maker: suspended until reconsidered"
    )
    assert (result.may_implement, result.suspended) == (False, True)


REFERRED_TO_COUNCIL = {
    **VALID,
    "outcome": CallIn.Outcome.REFER_TO_COUNCIL,
    "outcome_on": D(2026, 12, 14),
    "outcome_reasons": "Outside the budget framework.",
}


def test_referred_to_full_council(scrutiny):
    decision = published()
    call_in(decision, scrutiny, **REFERRED_TO_COUNCIL)

    result = stand(decision)

    assert result.stage == Stage.REFERRED_TO_COUNCIL
    assert result.headline == "Called in and referred to full council: suspended"
    assert (result.may_implement, result.suspended) == (False, True)


def test_full_council_raising_no_objection_releases_it(scrutiny):
    decision = published()
    call_in(
        decision,
        scrutiny,
        **REFERRED_TO_COUNCIL,
        council_outcome=CallIn.CouncilOutcome.NO_OBJECTION,
        council_outcome_on=D(2027, 1, 13),
    )

    result = stand(decision)

    assert result.stage == Stage.MAY_BE_IMPLEMENTED
    assert result.headline == (
        "Full council raised no objection: may be implemented from Wednesday, 13 January 2027"
    )
    assert result.implement_from == D(2027, 1, 13)


@pytest.mark.parametrize(
    "council_outcome", [CallIn.CouncilOutcome.REFER_BACK, CallIn.CouncilOutcome.AMEND]
)
def test_full_council_referring_it_back_or_amending_it_awaits_the_decision_maker(
    scrutiny, council_outcome
):
    decision = published()
    call_in(
        decision,
        scrutiny,
        **REFERRED_TO_COUNCIL,
        council_outcome=council_outcome,
        council_outcome_on=D(2027, 1, 13),
    )

    assert stand(decision).stage == Stage.REFERRED_BACK


@pytest.mark.parametrize("final", [CallIn.Final.CONFIRMED, CallIn.Final.AMENDED])
def test_the_final_decision_may_be_implemented_from_the_day_it_is_made(scrutiny, final):
    decision = published()
    call_in(
        decision,
        scrutiny,
        **VALID,
        outcome=CallIn.Outcome.REFER_BACK,
        outcome_on=D(2026, 12, 14),
        final=final,
        concluded_on=D(2026, 12, 21),
        final_reasons="Reconsidered with the board's recommendations.",
    )

    result = stand(decision)

    assert result.stage == Stage.MAY_BE_IMPLEMENTED
    assert result.headline == (
        f"Call-in concluded: {final.label.lower()}; may be implemented"
        f"{' as amended' if final == CallIn.Final.AMENDED else ''} from Monday, 21 December 2026"
    )
    assert (result.may_implement, result.implement_from) == (True, D(2026, 12, 21))


def test_a_decision_revoked_after_call_in(scrutiny):
    decision = published()
    call_in(
        decision,
        scrutiny,
        **VALID,
        outcome=CallIn.Outcome.REFER_BACK,
        outcome_on=D(2026, 12, 14),
        final=CallIn.Final.REVOKED,
        concluded_on=D(2026, 12, 21),
    )

    result = stand(decision)

    assert (result.stage, result.headline, result.may_implement) == (
        Stage.REVOKED,
        "Revoked after call-in",
        False,
    )


def test_every_stage_is_tested():
    tested = {
        Stage.DRAFT,
        Stage.WITHDRAWN,
        Stage.NOT_SUBJECT,
        Stage.WINDOW_OPEN,
        Stage.CALL_IN_PENDING,
        Stage.CALLED_IN,
        Stage.REFERRED_BACK,
        Stage.REFERRED_TO_COUNCIL,
        Stage.MAY_BE_IMPLEMENTED,
        Stage.REVOKED,
    }
    assert tested == set(Stage)


# The timeline ---------------------------------------------------------------------------------


def test_the_timeline_dates_every_step_oldest_first(scrutiny):
    decision = published()
    item = AgendaItemFactory(
        meeting=MeetingFactory(
            board=scrutiny, starts_at=datetime.datetime(2026, 12, 14, 10, tzinfo=LONDON)
        )
    )
    call_in(
        decision,
        scrutiny,
        **VALID,
        agenda_item=item,
        outcome=CallIn.Outcome.REFER_BACK,
        outcome_on=D(2026, 12, 14),
        outcome_reasons="Consult the ward councillors.",
        final=CallIn.Final.AMENDED,
        concluded_on=D(2026, 12, 21),
    )
    decision = ExecutiveDecision.objects.get(pk=decision.pk)

    steps = timeline(decision, call_ins(decision), CallInRules.load())

    assert [step.title for step in steps] == [
        "Decision made",
        "Decision published",
        "Call-in requested",
        "Call-in found valid",
        f"Considered by {scrutiny}",
        "Referred back to the decision maker with recommendations",
        "Final decision: Amended",
    ]
    assert steps[-2].detail == "Consult the ward councillors."


@pytest.mark.parametrize(
    ("outcome", "council_outcome", "said"),
    [
        (CallIn.Outcome.RELEASE, "", "Released by the board for implementation"),
        (
            CallIn.Outcome.REFER_BACK,
            "",
            "Referred back to the decision maker with recommendations",
        ),
        (CallIn.Outcome.REFER_TO_COUNCIL, "", "Referred to full council"),
        (
            CallIn.Outcome.REFER_TO_COUNCIL,
            CallIn.CouncilOutcome.NO_OBJECTION,
            "Full council raised no objection: the decision takes effect",
        ),
        (
            CallIn.Outcome.REFER_TO_COUNCIL,
            CallIn.CouncilOutcome.REFER_BACK,
            "Full council referred it back to the decision maker",
        ),
        (
            CallIn.Outcome.REFER_TO_COUNCIL,
            CallIn.CouncilOutcome.AMEND,
            "Full council amended the decision",
        ),
    ],
)
def test_the_timeline_says_what_the_board_and_full_council_did(
    scrutiny, outcome, council_outcome, said
):
    """In the past tense, as done: not the officer's choice ("Refer it back …")."""
    decision = published()
    council = {"council_outcome": council_outcome, "council_outcome_on": D(2027, 1, 13)}
    call_in(
        decision,
        scrutiny,
        **VALID,
        outcome=outcome,
        outcome_on=D(2026, 12, 14),
        **(council if council_outcome else {}),
    )
    decision = ExecutiveDecision.objects.get(pk=decision.pk)

    titles = [step.title for step in timeline(decision, call_ins(decision), CallInRules.load())]

    assert titles[-1] == said


def test_a_call_in_meeting_still_to_come_is_to_be_considered(scrutiny):
    decision = published()
    meeting = MeetingFactory(
        board=scrutiny, starts_at=datetime.datetime(2026, 12, 14, 10, tzinfo=LONDON)
    )
    call_in(decision, scrutiny, **VALID, agenda_item=AgendaItemFactory(meeting=meeting))
    decision = ExecutiveDecision.objects.get(pk=decision.pk)

    before = timeline(
        decision,
        call_ins(decision),
        CallInRules.load(),
        now=datetime.datetime(2026, 12, 14, 9, 59, tzinfo=LONDON),
    )
    after = timeline(
        decision,
        call_ins(decision),
        CallInRules.load(),
        now=datetime.datetime(2026, 12, 14, 10, 0, tzinfo=LONDON),
    )

    assert f"To be considered by {scrutiny}" in [step.title for step in before]
    assert f"Considered by {scrutiny}" in [step.title for step in after]


def test_a_decision_not_subject_to_call_in_has_no_window_in_its_timeline():
    decision = ExecutiveDecisionFactory(decided_on=D(2026, 11, 30))
    services.decision_exclude(
        decision=decision,
        exclusion=ExecutiveDecision.Exclusion.CONSTITUTION,
        reason="Excluded by rule 17.",
        by=None,
    )
    services.decision_publish(decision=decision, by=None, at=PUBLISHED)
    decision = ExecutiveDecision.objects.get(pk=decision.pk)

    titles = [step.title for step in timeline(decision, [], CallInRules.load())]

    assert titles == ["Decision made", "Decision published"]


def test_the_window_is_the_one_kept_on_publication_not_the_rules_of_today():
    decision = published()
    rules_ = CallInRules.load()
    rules_.window_days = 10
    services.call_in_rules_update(rules=rules_, by=None)

    assert stand(decision, now=PUBLISHED).headline == (
        "Open to call-in until 5.00 pm on Monday, 7 December 2026"
    )
