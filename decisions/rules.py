"""The rules of executive decisions, as plain functions of dates and people.

Call-in (Local Government Act 2000, s9F, and the council's constitution): a decision may be
called in until its window closes, by default at 5pm on the fifth clear working day after its
publication (the day of publication not counted; weekends and bank holidays in England and Wales
not counted). Some councils count calendar days ("midday on the eighth day"): both are settings
of ``CallInRules``.

Key decisions (The Local Authorities (Executive Arrangements) (Meetings and Access to
Information) (England) Regulations 2012): notice in the forward plan at least 28 clear days
before the decision (regulation 9); where that is impracticable, the general exception: notice to
the chair of the relevant scrutiny committee and to the public, then five clear days (regulation
10); where even that is impracticable, special urgency: the chair's agreement that the decision
is urgent and cannot reasonably be deferred (regulation 11).

"Clear days" leave out the day the clock starts and the day of the event. The five clear days
of regulation 10 are counted in working days, as the council counts the five clear days before a
meeting (``boards.publication``). The 28 clear days of regulation 9 are counted in calendar days,
as councils print their forward plans ("at least 28 clear days"), unless the council's rules say
working days.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from boards.publication import clear_working_days_between, is_working_day, working_days_after

NOTICE_CLEAR_DAYS = 28  # regulation 9
GENERAL_EXCEPTION_CLEAR_DAYS = 5  # regulation 10

_ONE_DAY = datetime.timedelta(days=1)


def clear_days_between(start: datetime.date, end: datetime.date, *, working: bool) -> int:
    """The days strictly between ``start`` and ``end`` (working days only, if ``working``);
    0 if ``end`` is not after ``start``."""
    if working:
        return clear_working_days_between(start, end)
    return max((end - start).days - 1, 0)


def days_after(start: datetime.date, count: int, *, working: bool) -> datetime.date:
    """The ``count``-th day after ``start`` (working days only, if ``working``)."""
    if working:
        return working_days_after(start, count)
    return start + datetime.timedelta(days=count)


def call_in_closes(
    published_at: datetime.datetime,
    *,
    days: int,
    working: bool,
    closes_at: datetime.time,
    tz: datetime.tzinfo,
) -> datetime.datetime:
    """When the call-in window closes: ``closes_at`` on the ``days``-th (working) day after the
    day of publication, in the council's time zone. The day of publication is never counted,
    whatever the hour of publication; a decision published on a Saturday starts counting on
    the Monday like one published on the Friday evening."""
    day = days_after(published_at.astimezone(tz).date(), days, working=working)
    return datetime.datetime.combine(day, closes_at, tzinfo=tz)


def implementation_from(window_closes: datetime.datetime) -> datetime.date:
    """The first day a decision may be implemented when it is not called in: the day after its
    window closes (working or not: implementing is the executive's business)."""
    return window_closes.date() + _ONE_DAY


def publication_late(
    decided_on: datetime.date, published_on: datetime.date, *, within: int
) -> bool:
    """True when a decision was published more than ``within`` working days after it was made
    (regulations 12 and 13: "as soon as reasonably practicable"; councils set two)."""
    return published_on > working_days_after(decided_on, within)


def call_in_meeting_due(valid_on: datetime.date, *, within_working_days: int) -> datetime.date:
    """The last day the scrutiny board may meet to consider a valid call-in."""
    return working_days_after(valid_on, within_working_days)


# Forward plan notices ------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeCheck:
    """Whether a key decision was given the notice the regulations require, and why not."""

    proper: bool
    problem: str = ""


def earliest_decision_after_notice(notice_on: datetime.date, *, working: bool) -> datetime.date:
    """The first day a key decision may be taken after notice in the forward plan on
    ``notice_on`` (28 clear days between): the day after the 28th (working) day, the first day
    ``check_notice`` accepts. Counted in working days, that may be a Saturday or a bank holiday:
    the clear days are what matters, not the day of the decision."""
    return days_after(notice_on, NOTICE_CLEAR_DAYS, working=working) + _ONE_DAY


def earliest_decision_after_general_exception(notice_on: datetime.date) -> datetime.date:
    """The first day a key decision may be taken under the general exception: the day after the
    fifth clear working day following the notice to the scrutiny chair and the public."""
    return working_days_after(notice_on, GENERAL_EXCEPTION_CLEAR_DAYS) + _ONE_DAY


def check_notice(
    *,
    decided_on: datetime.date,
    notice_on: datetime.date | None,
    general_exception_on: datetime.date | None = None,
    special_urgency_agreed_on: datetime.date | None = None,
    working: bool = False,
) -> NoticeCheck:
    """Whether a key decision taken on ``decided_on`` had proper notice: in the forward plan
    28 clear days before, or under the general exception five clear working days before, or
    with the scrutiny chair's agreement to special urgency given on or before the day."""
    if (
        notice_on is not None
        and clear_days_between(notice_on, decided_on, working=working) >= NOTICE_CLEAR_DAYS
    ):
        return NoticeCheck(True)
    if (
        general_exception_on is not None
        and clear_working_days_between(general_exception_on, decided_on)
        >= GENERAL_EXCEPTION_CLEAR_DAYS
    ):
        return NoticeCheck(True)
    if special_urgency_agreed_on is not None and special_urgency_agreed_on <= decided_on:
        return NoticeCheck(True)
    if special_urgency_agreed_on is not None:
        return NoticeCheck(
            False, "The scrutiny chair agreed to special urgency after the decision was taken."
        )
    if general_exception_on is not None:
        days = clear_working_days_between(general_exception_on, decided_on)
        return NoticeCheck(
            False,
            f"Only {days} clear working day{'s' if days != 1 else ''} after the general "
            f"exception notice; {GENERAL_EXCEPTION_CLEAR_DAYS} are needed.",
        )
    if notice_on is not None:
        days = clear_days_between(notice_on, decided_on, working=working)
        kind = "clear working day" if working else "clear day"
        return NoticeCheck(
            False,
            f"Only {days} {kind}{'s' if days != 1 else ''} after notice in the forward plan; "
            f"{NOTICE_CLEAR_DAYS} are needed.",
        )
    return NoticeCheck(False, "Taken without notice in the forward plan.")


# Who may call a decision in ------------------------------------------------------------------


@dataclass(frozen=True)
class Signatory:
    """A councillor who signs a call-in, as they stood on the day they signed."""

    person_id: int
    name: str
    is_councillor: bool
    on_executive: bool
    chairs_board: bool
    on_board: bool
    ward_id: int | None


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    route: str = ""
    problems: tuple[str, ...] = ()


def eligibility(
    signatories: Collection[Signatory],
    *,
    decision_ward_ids: Collection[int],
    chair_may: bool,
    board_members_needed: int,
    non_executive_needed: int,
    ward_councillor_may: bool,
) -> Eligibility:
    """Whether these signatories may call a decision in under the council's routes (any one
    suffices): the chair of the relevant scrutiny board; ``board_members_needed`` members of it;
    ``non_executive_needed`` councillors who are not on the executive; a councillor for a ward
    the decision affects. A route set to 0 (or off) is not open. Members of the executive and
    people who are not councillors never count."""
    problems: list[str] = []
    counted = []
    for person in signatories:
        if not person.is_councillor:
            problems.append(f"{person.name} is not a councillor.")
        elif person.on_executive:
            problems.append(f"{person.name} is a member of the executive.")
        else:
            counted.append(person)
    if chair_may and any(person.chairs_board for person in counted):
        return Eligibility(True, "The chair of the scrutiny board", tuple(problems))
    on_board = [person for person in counted if person.on_board]
    if board_members_needed and len(on_board) >= board_members_needed:
        return Eligibility(
            True, f"{board_members_needed} members of the scrutiny board", tuple(problems)
        )
    if non_executive_needed and len(counted) >= non_executive_needed:
        return Eligibility(
            True, f"{non_executive_needed} non-executive councillors", tuple(problems)
        )
    if ward_councillor_may and any(person.ward_id in decision_ward_ids for person in counted):
        return Eligibility(True, "A councillor for a ward the decision affects", tuple(problems))
    routes = routes_text(
        chair_may=chair_may,
        board_members_needed=board_members_needed,
        non_executive_needed=non_executive_needed,
        ward_councillor_may=ward_councillor_may,
    )
    problems.append(f"The signatories do not meet the constitution: it needs {routes}.")
    return Eligibility(False, "", tuple(problems))


def routes_text(
    *,
    chair_may: bool,
    board_members_needed: int,
    non_executive_needed: int,
    ward_councillor_may: bool,
) -> str:
    """The routes to call-in in words: "the chair of the scrutiny board, or 2 of its members"."""
    routes = []
    if chair_may:
        routes.append("the chair of the scrutiny board")
    if board_members_needed:
        routes.append(
            "any member of the scrutiny board"
            if board_members_needed == 1
            else f"any {board_members_needed} members of the scrutiny board"
        )
    if non_executive_needed:
        routes.append(
            "any non-executive councillor"
            if non_executive_needed == 1
            else f"any {non_executive_needed} non-executive councillors"
        )
    if ward_councillor_may:
        routes.append("a councillor for a ward the decision affects")
    if not routes:
        return "no one (no route to call-in is open)"
    return ", or ".join(routes)


__all__ = [
    "Eligibility",
    "NoticeCheck",
    "Signatory",
    "call_in_closes",
    "call_in_meeting_due",
    "check_notice",
    "clear_days_between",
    "days_after",
    "earliest_decision_after_general_exception",
    "earliest_decision_after_notice",
    "eligibility",
    "implementation_from",
    "is_working_day",
    "publication_late",
    "routes_text",
]
