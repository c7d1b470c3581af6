"""Writes to executive decisions, forward plan notices and call-ins (typed, keyword-only,
atomic; each calls ``full_clean()`` and announces what changed)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import cast

from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from boards import formatting
from boards.models import Board, Membership, Ward
from boards.signals import changed
from decisions import rules
from decisions.models import CallInRules, ExecutiveDecision, ForwardPlanEntry
from decisions.signals import decision_published


@transaction.atomic
def decision_publish(
    *,
    decision: ExecutiveDecision,
    by: AbstractBaseUser | None,
    at: datetime.datetime | None = None,
) -> ExecutiveDecision:
    """Publish the decision notice. The call-in window is worked out now by the council's rules
    and kept with the decision."""
    decision = ExecutiveDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.published_at is not None:
        raise ValidationError("This decision is already published.")
    at = at or timezone.now()
    if at.date() < decision.decided_on:
        raise ValidationError(
            {"published_at": "A decision cannot be published before the day it was made."}
        )
    decision.published_at = at
    decision.published_by = by  # type: ignore[assignment]
    decision.call_in_closes_at = (
        None if decision.exclusion else CallInRules.load().window_closes(at)
    )
    decision.full_clean()
    decision.save()
    changed(decision)
    decision_published.send(sender=ExecutiveDecision, decision=decision)
    return decision


# The forward plan: notices of key decisions --------------------------------------------------
# (regulations 9 to 11 of the 2012 Regulations; the rules themselves are ``rules``' functions)

#: The kinds of body whose chair may agree to special urgency (regulation 11).
SCRUTINY_KINDS = (Board.Kind.SCRUTINY, Board.Kind.OVERVIEW)


def _next_reference(year: int) -> str:
    """The next free reference of the year's notices: FP/2026/001, FP/2026/002…"""
    prefix = f"FP/{year}/"
    taken = ForwardPlanEntry.objects.filter(reference__startswith=prefix).values_list(
        "reference", flat=True
    )
    numbers = [int(ref.removeprefix(prefix)) for ref in taken if ref.removeprefix(prefix).isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _tidy(entry: ForwardPlanEntry) -> None:
    """What a notice says about itself must hang together, published or not: a private matter
    gives its paragraph of Schedule 12A; a public one none."""
    if entry.private and entry.private_paragraph is None:
        raise ValidationError(
            {
                "private_paragraph": "Choose the paragraph of Schedule 12A that makes the "
                "matter private."
            }
        )
    if not entry.private:
        entry.private_paragraph = None
        entry.private_reasons = ""


def _notice_problems(entry: ForwardPlanEntry, *, field: str) -> None:
    """Refuse a published notice that does not allow its decision on the expected date, saying
    the earliest date it allows and the other notices there are. ``field`` names the field the
    message about the dates goes on (the publication date when publishing, the expected date
    when it is changed)."""
    on = cast(datetime.date, entry.published_on)
    due = entry.decision_due_on
    if on > timezone.localdate():
        raise ValidationError({"published_on": "A notice cannot be published on a future date."})
    if entry.notice == ForwardPlanEntry.Notice.FORWARD_PLAN:
        working = CallInRules.load().notice_working_days
        earliest = rules.earliest_decision_after_notice(on, working=working)
        if due < earliest:
            days = "clear working days" if working else "clear days"
            raise ValidationError(
                {
                    field: f"Notice published on {formatting.short_date(on)} allows the "
                    f"decision on {formatting.long_date(earliest)} at the earliest "
                    f"({rules.NOTICE_CLEAR_DAYS} {days}), not on {formatting.long_date(due)}. "
                    f"Move the expected date to {formatting.short_date(earliest)} or later; or, "
                    "if the decision cannot wait, give the notice as a general exception (the "
                    "chair of the relevant scrutiny board informed, then "
                    f"{rules.GENERAL_EXCEPTION_CLEAR_DAYS} clear working days) or under special "
                    "urgency (with the agreement of the chair of the relevant scrutiny board)."
                }
            )
        return
    if not entry.urgency_reasons.strip():
        raise ValidationError(
            {
                "urgency_reasons": "Say why 28 clear days' notice is impracticable: the notice "
                "must give the reasons."
            }
        )
    if entry.notice == ForwardPlanEntry.Notice.GENERAL_EXCEPTION:
        if entry.chair_informed_on is None:
            raise ValidationError(
                {
                    "chair_informed_on": "A general exception needs the chair of the relevant "
                    "scrutiny board to be informed: enter the date they were."
                }
            )
        start = max(on, entry.chair_informed_on)
        earliest = rules.earliest_decision_after_general_exception(start)
        if due < earliest:
            after = (
                "the chair of the scrutiny board was informed"
                if entry.chair_informed_on > on
                else "the notice was published"
            )
            raise ValidationError(
                {
                    field: "Under the general exception the decision may be taken on "
                    f"{formatting.long_date(earliest)} at the earliest "
                    f"({rules.GENERAL_EXCEPTION_CLEAR_DAYS} clear working days after {after} on "
                    f"{formatting.short_date(start)}), not on {formatting.long_date(due)}. Move "
                    "the expected date; or, if the decision cannot wait, give the notice under "
                    "special urgency (with the agreement of the chair of the relevant scrutiny "
                    "board)."
                }
            )
        return
    # Special urgency.
    if entry.urgency_agreed_by is None:
        raise ValidationError(
            {
                "urgency_agreed_by": "Special urgency needs the agreement of the chair of the "
                "relevant scrutiny board: choose who agreed."
            }
        )
    if entry.urgency_agreed_on is None:
        raise ValidationError({"urgency_agreed_on": "Enter the date the chair agreed."})
    agreed_on = entry.urgency_agreed_on
    if agreed_on > due:
        raise ValidationError(
            {
                "urgency_agreed_on": "The chair must agree on or before the day of the "
                f"decision ({formatting.long_date(due)})."
            }
        )
    if agreed_on > on:
        raise ValidationError(
            {
                "urgency_agreed_on": "A special urgency notice records an agreement already "
                "given: the chair's agreement cannot be dated after the notice is published."
            }
        )
    chairs = Membership.objects.current(agreed_on).filter(
        person=entry.urgency_agreed_by,
        role=Membership.Role.CHAIR,
        board__kind__in=SCRUTINY_KINDS,
    )
    if entry.scrutiny_board_id is not None:
        chairs = chairs.filter(board_id=entry.scrutiny_board_id)
    if not chairs.exists():
        board = entry.scrutiny_board.name if entry.scrutiny_board else "a scrutiny board"
        raise ValidationError(
            {
                "urgency_agreed_by": f"{entry.urgency_agreed_by} was not the chair of {board} on "
                f"{formatting.short_date(agreed_on)}: special urgency needs the agreement of the "
                "chair of the relevant scrutiny board."
            }
        )


@transaction.atomic
def forward_plan_entry_create(
    *,
    entry: ForwardPlanEntry,
    wards: Iterable[Ward] = (),
    by: User | None = None,
) -> ForwardPlanEntry:
    """A draft notice of a key decision (the public sees it once published). A notice with no
    reference is given the next of the year's (FP/2026/014)."""
    entry.published_on = None
    if not entry.reference.strip():
        entry.reference = _next_reference(timezone.localdate().year)
    _tidy(entry)
    entry._history_user = by  # type: ignore[attr-defined]  # django-simple-history reads it
    entry.full_clean()
    entry.save()
    entry.wards.set(wards)
    changed(entry)
    return entry


@transaction.atomic
def forward_plan_entry_update(
    *,
    entry: ForwardPlanEntry,
    wards: Iterable[Ward] | None = None,
    by: User | None = None,
) -> ForwardPlanEntry:
    """Save a notice as changed. A published notice must still allow its decision on the
    expected date; a change of that date is kept in the notice's history, with its reason."""
    current = ForwardPlanEntry.objects.select_for_update().get(pk=entry.pk)
    if current.withdrawn_at is not None:
        raise ValidationError("This notice has been withdrawn: it can no longer be changed.")
    entry.published_on = current.published_on  # publishing is its own step
    _tidy(entry)
    if entry.published_on is not None:
        _notice_problems(entry, field="decision_due_on")
        if entry.decision_due_on != current.decision_due_on:
            entry._change_reason = (  # type: ignore[attr-defined]  # read by simple-history
                f"Expected date moved from {formatting.short_date(current.decision_due_on)} "
                f"to {formatting.short_date(entry.decision_due_on)}"
            )
    entry._history_user = by  # type: ignore[attr-defined]
    entry.full_clean()
    entry.save()
    if wards is not None:
        entry.wards.set(wards)
    changed(entry)
    return entry


@transaction.atomic
def forward_plan_entry_publish(
    *,
    entry: ForwardPlanEntry,
    on: datetime.date | None = None,
    by: User | None = None,
) -> ForwardPlanEntry:
    """Publish the notice (on ``on``, by default today). A notice in the forward plan needs 28
    clear days before the expected decision; a general exception, the scrutiny chair informed
    and then five clear working days; special urgency, the agreement of the chair of the
    relevant scrutiny board, dated, with reasons. A notice that does not allow its decision on
    the expected date is refused, saying the earliest it allows and the alternatives."""
    entry = ForwardPlanEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.withdrawn_at is not None:
        raise ValidationError("This notice has been withdrawn: it cannot be published.")
    if entry.published_on is not None:
        raise ValidationError(
            f"This notice was published on {formatting.short_date(entry.published_on)}."
        )
    entry.published_on = on or timezone.localdate()
    _tidy(entry)
    _notice_problems(entry, field="published_on")
    entry._history_user = by  # type: ignore[attr-defined]
    entry.full_clean()
    entry.save()
    changed(entry)
    return entry


@transaction.atomic
def forward_plan_entry_withdraw(
    *,
    entry: ForwardPlanEntry,
    reason: str,
    by: User | None = None,
    at: datetime.datetime | None = None,
) -> ForwardPlanEntry:
    """Withdraw a notice (the decision is no longer to be taken, or not as noticed): it is
    kept, with who withdrew it, when and why."""
    entry = ForwardPlanEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.withdrawn_at is not None:
        raise ValidationError("This notice has already been withdrawn.")
    if not reason.strip():
        raise ValidationError({"withdrawal_reason": "Say why the notice is withdrawn."})
    entry.withdrawn_at = at or timezone.now()
    entry.withdrawn_by = by
    entry.withdrawal_reason = reason.strip()
    entry._history_user = by  # type: ignore[attr-defined]
    entry.full_clean()
    entry.save()
    changed(entry)
    return entry
