"""What the call-in tests share: a decision published on Monday 2 November 2026 (its window
closes at 5pm on Monday 9 November), councillors on a scrutiny board and on the executive, and a
call-in taken through its steps."""

import datetime
import zoneinfo

from boards.models import Board, Membership
from decisions import services
from decisions.models import CallIn
from tests.factories import (
    BoardFactory,
    ExecutiveDecisionFactory,
    ExecutiveFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(year, month, day, hour=10, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


PUBLISHED = at(2026, 11, 2)
CLOSES = at(2026, 11, 9, 17)
REQUESTED = at(2026, 11, 4, 12)
CHECKED_ON = datetime.date(2026, 11, 5)
DUE_ON = datetime.date(2026, 11, 19)  # ten working days after the check
MEETING = at(2026, 11, 16)
SEATED_FROM = datetime.date(2026, 5, 20)


def published_decision(**kwargs):
    kwargs.setdefault("decided_on", PUBLISHED.date())
    return ExecutiveDecisionFactory(publish=kwargs.pop("publish", PUBLISHED), **kwargs)


def seat(board: Board, role=Membership.Role.MEMBER, *, starts_on=SEATED_FROM, ends_on=None, **who):
    """A councillor (made unless ``person`` is given) with a seat on ``board``."""
    person = who.pop("person", None) or PersonFactory(**who)
    MembershipFactory(board=board, person=person, role=role, starts_on=starts_on, ends_on=ends_on)
    return person


def scrutiny_board(**kwargs) -> Board:
    return BoardFactory(kind=Board.Kind.SCRUTINY, **kwargs)


def request(decision=None, board=None, signatories=None, at_=REQUESTED, by=None) -> CallIn:
    """A call-in signed by two members of the board, as the default rules allow."""
    board = board or scrutiny_board()
    if signatories is None:
        signatories = [seat(board), seat(board)]
    return services.call_in_request(
        decision=decision or published_decision(),
        board=board,
        signatories=signatories,
        reasons="The consultation responses were not considered.",
        by=by,
        at=at_,
    )


def valid_call_in(**kwargs) -> CallIn:
    call_in = request(**kwargs)
    return services.call_in_check(
        call_in=call_in, valid=True, reasons="Every check passed.", on=CHECKED_ON, by=None
    )


def scheduled_call_in(starts_at=MEETING, **kwargs) -> CallIn:
    call_in = valid_call_in(**kwargs)
    meeting = MeetingFactory(board=call_in.board, starts_at=starts_at)
    services.call_in_schedule(call_in=call_in, meeting=meeting, by=None)
    call_in.refresh_from_db()
    return call_in


def referred(outcome=CallIn.Outcome.REFER_BACK, **kwargs) -> CallIn:
    call_in = scheduled_call_in(**kwargs)
    return services.call_in_outcome(
        call_in=call_in,
        outcome=outcome,
        on=MEETING.date(),
        reasons="The board recommends that the consultation is considered.",
        by=None,
    )


def executive_member(**who):
    return seat(ExecutiveFactory(), **who)
