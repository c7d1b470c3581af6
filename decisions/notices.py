"""Whether a key decision had the notice the 2012 Regulations require (regulations 9 to 11)."""

from __future__ import annotations

from decisions import rules
from decisions.models import CallInRules, ExecutiveDecision


def notice_check(decision: ExecutiveDecision, rules_: CallInRules) -> rules.NoticeCheck | None:
    """None for a decision that is not a key decision; otherwise whether its notice was proper,
    and why not. ``decision.notice`` should be fetched with the decision (``select_related``)."""
    if not decision.key_decision:
        return None
    if decision.notice is None:
        return rules.NoticeCheck(False, "Taken without notice in the forward plan.")
    return decision.notice.notice_check(decision.decided_on, rules_)
