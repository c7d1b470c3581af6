"""Where a decision stands: what its page says about call-in and implementation, and its
timeline. One function of the decision, its call-ins and the time, read by every page, feed,
desk and the API, so they never disagree."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import cast

from django.utils import timezone

from boards import formatting
from decisions import rules
from decisions.models import CallIn, CallInRules, ExecutiveDecision


class Stage(StrEnum):
    DRAFT = "draft"
    WITHDRAWN = "withdrawn"
    NOT_SUBJECT = "not_subject"  # may be implemented at once
    WINDOW_OPEN = "window_open"  # may not be implemented until the window closes
    CALL_IN_PENDING = "call_in_pending"  # a request awaits the officer's check
    CALLED_IN = "called_in"  # suspended: awaiting the scrutiny board
    REFERRED_BACK = "referred_back"  # suspended: awaiting the decision maker
    REFERRED_TO_COUNCIL = "referred_to_council"  # suspended: awaiting full council
    MAY_BE_IMPLEMENTED = "may_be_implemented"
    REVOKED = "revoked"


@dataclass(frozen=True)
class Standing:
    stage: Stage
    headline: str  # "Open to call-in until 5pm on Friday 4 December 2026"
    may_implement: bool
    implement_from: datetime.date | None = None
    call_in: CallIn | None = None

    @property
    def suspended(self) -> bool:
        return self.stage in {
            Stage.CALLED_IN,
            Stage.REFERRED_BACK,
            Stage.REFERRED_TO_COUNCIL,
            Stage.CALL_IN_PENDING,
        }


def _when(moment: datetime.datetime) -> str:
    return f"{formatting.clock(moment)} on {formatting.long_date(moment)}"


def standing(
    decision: ExecutiveDecision,
    call_ins: Sequence[CallIn],
    *,
    now: datetime.datetime,
) -> Standing:
    """The decision's standing at ``now``. ``call_ins`` are the decision's call-ins (the
    caller prefetches them, so lists stay at a fixed number of queries)."""
    if decision.withdrawn_at is not None:
        return Standing(Stage.WITHDRAWN, "Withdrawn", may_implement=False)
    if decision.published_at is None:
        return Standing(Stage.DRAFT, "Not yet published", may_implement=False)
    live = [c for c in call_ins if c.withdrawn_at is None]
    valid = next((c for c in live if c.valid), None)
    if valid is not None:
        return _called_in(valid)
    if decision.exclusion:
        return Standing(
            Stage.NOT_SUBJECT,
            f"Not subject to call-in: {decision.get_exclusion_display().lower()}",
            may_implement=True,
            implement_from=timezone.localdate(decision.published_at),
        )
    # The constraint gives every published decision subject to call-in its window.
    closes = cast("datetime.datetime", decision.call_in_closes_at)
    pending = next((c for c in live if c.checked_on is None), None)
    if pending is not None:
        return Standing(
            Stage.CALL_IN_PENDING,
            "Called in: the request is being checked; the decision may not be implemented",
            may_implement=False,
            call_in=pending,
        )
    if now < closes:
        return Standing(
            Stage.WINDOW_OPEN,
            f"Open to call-in until {_when(closes)}",
            may_implement=False,
            implement_from=rules.implementation_from(closes),
        )
    start = rules.implementation_from(closes)
    return Standing(
        Stage.MAY_BE_IMPLEMENTED,
        f"Not called in: may be implemented from {formatting.long_date(start)}",
        may_implement=True,
        implement_from=start,
    )


def _called_in(call_in: CallIn) -> Standing:
    if call_in.final == CallIn.Final.REVOKED:
        return Standing(Stage.REVOKED, "Revoked after call-in", False, call_in=call_in)
    if call_in.concluded_on is not None:
        # Amended, it is the decision as amended (a decision of its own) that takes effect.
        as_amended = " as amended" if call_in.final == CallIn.Final.AMENDED else ""
        return Standing(
            Stage.MAY_BE_IMPLEMENTED,
            f"Call-in concluded: {call_in.get_final_display().lower()}; may be implemented"
            f"{as_amended} from {formatting.long_date(call_in.concluded_on)}",
            may_implement=True,
            implement_from=call_in.concluded_on,
            call_in=call_in,
        )
    if call_in.outcome == CallIn.Outcome.RELEASE:
        released_on = cast("datetime.date", call_in.outcome_on)  # constraint: dated
        return Standing(
            Stage.MAY_BE_IMPLEMENTED,
            f"Released by the scrutiny board: may be implemented from "
            f"{formatting.long_date(released_on)}",
            may_implement=True,
            implement_from=released_on,
            call_in=call_in,
        )
    if call_in.outcome == CallIn.Outcome.REFER_TO_COUNCIL:
        if call_in.council_outcome == CallIn.CouncilOutcome.NO_OBJECTION:
            council_on = cast("datetime.date", call_in.council_outcome_on)
            return Standing(
                Stage.MAY_BE_IMPLEMENTED,
                "Full council raised no objection: may be implemented from "
                f"{formatting.long_date(council_on)}",
                may_implement=True,
                implement_from=council_on,
                call_in=call_in,
            )
        if not call_in.council_outcome:
            return Standing(
                Stage.REFERRED_TO_COUNCIL,
                "Called in and referred to full council: suspended",
                False,
                call_in=call_in,
            )
    if call_in.outcome in (CallIn.Outcome.REFER_BACK, CallIn.Outcome.REFER_TO_COUNCIL):
        return Standing(
            Stage.REFERRED_BACK,
            "Called in and referred back to the decision maker: suspended until reconsidered",
            False,
            call_in=call_in,
        )
    return Standing(
        Stage.CALLED_IN,
        "Called in: suspended until the scrutiny board has considered it",
        False,
        call_in=call_in,
    )


#: What the board and full council did, as the timeline and the call-in pages say it (the
#: choices' own labels are what the officer picks: "Refer it back …").
OUTCOMES: dict[str, str] = {
    CallIn.Outcome.RELEASE: "Released by the board for implementation",
    CallIn.Outcome.REFER_BACK: "Referred back to the decision maker with recommendations",
    CallIn.Outcome.REFER_TO_COUNCIL: "Referred to full council",
}
COUNCIL_OUTCOMES: dict[str, str] = {
    CallIn.CouncilOutcome.NO_OBJECTION: (
        "Full council raised no objection: the decision takes effect"
    ),
    CallIn.CouncilOutcome.REFER_BACK: "Full council referred it back to the decision maker",
    CallIn.CouncilOutcome.AMEND: "Full council amended the decision",
}


@dataclass(frozen=True)
class Step:
    on: datetime.date | datetime.datetime
    title: str
    detail: str = ""


def timeline(
    decision: ExecutiveDecision,
    call_ins: Sequence[CallIn],
    rules_: CallInRules,
    *,
    now: datetime.datetime | None = None,
) -> list[Step]:
    """Every dated step, oldest first: made, published, the window, each request, its check,
    the board's meeting and outcome, full council, the reconsideration. Steps of one day keep
    this order (many are dated by the day alone: a request checked the day it came is shown
    before its check)."""
    steps = [Step(decision.decided_on, "Decision made")]
    if decision.published_at:
        steps.append(Step(decision.published_at, "Decision published"))
    for call_in in sorted(call_ins, key=lambda call_in: call_in.requested_at):
        steps.append(Step(call_in.requested_at, "Call-in requested", call_in.reasons))
        if call_in.checked_on:
            steps.append(
                Step(
                    call_in.checked_on,
                    "Call-in found valid" if call_in.valid else "Call-in found not valid",
                    call_in.check_reasons,
                )
            )
        if call_in.withdrawn_at:
            steps.append(Step(call_in.withdrawn_at, "Call-in withdrawn", call_in.withdrawal_reason))
        if call_in.agenda_item_id and call_in.agenda_item:
            meeting = call_in.agenda_item.meeting
            held = bool(call_in.outcome) or meeting.starts_at <= (now or timezone.now())
            verb = "Considered" if held else "To be considered"
            steps.append(Step(meeting.starts_at, f"{verb} by {meeting.board}"))
        if call_in.outcome_on:
            steps.append(
                Step(
                    call_in.outcome_on,
                    OUTCOMES.get(call_in.outcome, call_in.get_outcome_display()),
                    call_in.outcome_reasons,
                )
            )
        if call_in.council_outcome_on:
            steps.append(
                Step(
                    call_in.council_outcome_on,
                    COUNCIL_OUTCOMES.get(
                        call_in.council_outcome, call_in.get_council_outcome_display()
                    ),
                    call_in.council_outcome_reasons,
                )
            )
        if call_in.concluded_on:
            steps.append(
                Step(
                    call_in.concluded_on,
                    f"Final decision: {call_in.get_final_display()}",
                    call_in.final_reasons,
                )
            )
    called_in = any(call_in.valid for call_in in call_ins)
    # Once called in, the window no longer decides anything: its close is left out, as it would
    # follow steps that came after it in the call-in.
    if (
        decision.published_at
        and decision.call_in_closes_at
        and not decision.exclusion
        and not called_in
    ):
        # Last of its day: a request made on the day the window closes came before it closed.
        steps.append(Step(decision.call_in_closes_at, "Call-in window closes"))
    # By day; within a day, in the order above (the sort is stable), which is the order things
    # happen in: most steps have a day but no time (a check, an outcome, after what they follow).
    return sorted(steps, key=lambda step: _day(step.on))


def _day(on: datetime.date | datetime.datetime) -> datetime.date:
    return timezone.localdate(on) if isinstance(on, datetime.datetime) else on


def decision_maker(decision: ExecutiveDecision) -> str:
    """Who made the decision, in words: the executive at its meeting (the executive's name), or
    the executive member's portfolio or the officer's post, with their name if recorded.
    ``maker_body``, ``maker_post`` and ``maker_person`` should be fetched with the decision."""
    if decision.maker == ExecutiveDecision.Maker.MEETING:
        return decision.maker_body.name
    holders = [holder for holder in (decision.maker_post, decision.maker_person) if holder]
    return ", ".join(str(holder) for holder in holders) or decision.maker_body.name


def call_in_step(call_in: CallIn) -> str:
    """The last step a call-in has reached, named as ``decisions.signals.call_in_changed``
    names them: requested, checked, scheduled, outcome, council, concluded, withdrawn."""
    if call_in.withdrawn_at is not None:
        return "withdrawn"
    if call_in.concluded_on is not None:
        return "concluded"
    if call_in.council_outcome:
        return "council"
    if call_in.outcome:
        return "outcome"
    if call_in.agenda_item_id is not None:
        return "scheduled"
    if call_in.checked_on is not None:
        return "checked"
    return "requested"


def call_in_progress(call_in: CallIn) -> str:
    """Where a call-in has got to, in words, for lists ("Found valid: to be considered by
    Scrutiny Board (Communities)"). ``board`` should be fetched with the call-in."""
    step = call_in_step(call_in)
    if step == "withdrawn":
        return "Withdrawn"
    if step == "concluded":
        return f"Concluded: {call_in.get_final_display().lower()}"
    if step == "council":
        return f"Full council: {call_in.get_council_outcome_display().lower()}"
    if step == "outcome":
        return f"The board's outcome: {call_in.get_outcome_display().lower()}"
    if step == "scheduled":
        return f"On the agenda of {call_in.board}"
    if step == "checked":
        if call_in.valid:
            return f"Found valid: to be considered by {call_in.board}"
        return "Found not valid"
    return "Being checked by an officer"
