"""An exempt executive decision holding the canary, and the people who may and may not read it:
shared by the tests of every channel a decision leaves the app by (search, the subject history,
the API, e-mails, desks, the canary test)."""

from __future__ import annotations

from boards.models import Board, Subject
from boards.roles import Role
from decisions.models import ExecutiveDecision
from tests.conftest import CANARY
from tests.factories import (
    BoardFactory,
    ExecutiveDecisionFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

EXEMPT_TITLE = "Sale of the former depot site"


def exempt_decision(*, subject: Subject | None = None, **kwargs) -> ExecutiveDecision:
    """A published decision of a member of the executive, exempt under paragraph 3, whose
    decision, reasons and alternatives hold the canary."""
    return ExecutiveDecisionFactory(
        title=EXEMPT_TITLE,
        reference="D-EX-1",
        decision=f"To sell the depot to {CANARY} for £2m.",
        reasons=f"The best offer, from {CANARY}.",
        alternatives=f"To keep the site: {CANARY}.",
        exempt=True,
        exempt_paragraph=3,
        public_interest_reasoning="Commercially sensitive.",
        subject=subject,
        publish=True,
        **kwargs,
    )


def executive_member(executive: Board):
    """A councillor who sits on the executive: entitled to read its exempt decisions."""
    user = UserFactory(roles=[Role.COUNCILLOR])
    MembershipFactory(board=executive, person=PersonFactory(user=user))
    return user


def other_councillor():
    """A councillor of a scrutiny board, not on the executive: not entitled."""
    user = UserFactory(roles=[Role.COUNCILLOR])
    MembershipFactory(board=BoardFactory(), person=PersonFactory(user=user))
    return user
