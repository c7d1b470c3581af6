"""Where a call-in has got to, in words, for the call-in pages and the decision page's panel."""

from __future__ import annotations

from django import template

from boards import formatting
from decisions.models import CallIn
from decisions.status import COUNCIL_OUTCOMES

register = template.Library()

_OUTCOMES = {
    CallIn.Outcome.RELEASE: "Released by the board",
    CallIn.Outcome.REFER_BACK: "Referred back to the decision maker",
    CallIn.Outcome.REFER_TO_COUNCIL: "Referred to full council",
}


@register.filter
def call_in_progress(call_in: CallIn) -> str:
    """The latest step: "Being checked", "Referred back to the decision maker, 3 March 2027"."""
    if call_in.withdrawn_at is not None:
        return f"Withdrawn, {formatting.short_date(call_in.withdrawn_at)}"
    if call_in.checked_on is None:
        return "Being checked"
    if not call_in.valid:
        return f"Found not valid, {formatting.short_date(call_in.checked_on)}"
    if call_in.concluded_on is not None:
        return (
            f"Final decision: {call_in.get_final_display().lower()}, "
            f"{formatting.short_date(call_in.concluded_on)}"
        )
    if call_in.council_outcome_on is not None:
        outcome = COUNCIL_OUTCOMES.get(
            call_in.council_outcome, call_in.get_council_outcome_display()
        )
        return f"{outcome}, {formatting.short_date(call_in.council_outcome_on)}"
    if call_in.outcome_on is not None:
        outcome = _OUTCOMES[CallIn.Outcome(call_in.outcome)]
        return f"{outcome}, {formatting.short_date(call_in.outcome_on)}"
    if call_in.meeting_due_on is not None:
        return f"Called in: to be considered by {formatting.short_date(call_in.meeting_due_on)}"
    return "Called in"


@register.filter
def call_in_is_current(call_in: CallIn) -> bool:
    """Still running: being checked, or valid and awaiting the board, full council or the
    decision maker."""
    if call_in.withdrawn_at is not None or call_in.concluded_on is not None:
        return False
    if call_in.checked_on is None:
        return True
    if not call_in.valid or call_in.outcome == CallIn.Outcome.RELEASE:
        return False
    return call_in.council_outcome != CallIn.CouncilOutcome.NO_OBJECTION
