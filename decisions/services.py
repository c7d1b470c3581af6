"""Writes to executive decisions, forward plan notices and call-ins (typed, keyword-only,
atomic; each calls ``full_clean()`` and announces what changed)."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from boards import formatting, uploads
from boards import services as board_services
from boards.models import AgendaItem, Board, Meeting, Membership, Person, Ward
from boards.signals import changed
from decisions import rules
from decisions.models import CallIn, CallInRules, ExecutiveDecision, ForwardPlanEntry
from decisions.signals import call_in_changed, decision_published
from minutes.models import Decision as RecordedDecision
from minutes.models import Declaration, Minute, minutes_name


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
    if decision.withdrawn_at is not None:
        raise ValidationError("This decision was withdrawn: it cannot be published.")
    at = at or timezone.now()
    if timezone.localdate(at) < decision.decided_on:
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


# Decisions as records --------------------------------------------------------------------------

# django-simple-history reads these off the instance it saves: who made the change, and why.
_HISTORY_USER = "_history_user"
_CHANGE_REASON = "_change_reason"
_REASON_LENGTH = 100  # simple-history's history_change_reason column

#: What ``decision_create`` and ``decision_update`` set from their keyword arguments. The rest is
#: the workflow's: publication and the window (``decision_publish``), the exclusion from call-in
#: (``decision_exclude``), withdrawal (``decision_withdraw``), and the call-in's own steps.
DECISION_FIELDS = frozenset(
    {
        "reference",
        "maker",
        "maker_body",
        "maker_post",
        "maker_person",
        "agenda_item",
        "recorded",
        "decided_on",
        "title",
        "decision",
        "reasons",
        "alternatives",
        "key_decision",
        "notice",
        "declarations",
        "dispensation",
        "subject",
        "exempt",
        "exempt_paragraph",
        "public_interest_reasoning",
    }
)
_TEXT_FIELDS = (
    "reference",
    "title",
    "decision",
    "reasons",
    "alternatives",
    "declarations",
    "dispensation",
    "public_interest_reasoning",
)


def _set_fields(decision: ExecutiveDecision, fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - DECISION_FIELDS
    if unknown:
        raise TypeError(f"Not a field a decision's record sets: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(decision, name, value.strip() if name in _TEXT_FIELDS and value else value)
    if not decision.exempt:
        decision.exempt_paragraph = None


def _check(decision: ExecutiveDecision) -> None:
    """What the form cannot know: the decision belongs to the executive, and so do its item and
    its notice; a decision by a member or an officer names who made it."""
    if decision.maker_body_id is None:
        raise ValidationError({"maker_body": "Choose the executive."})
    errors: dict[str, str] = {}
    body = decision.maker_body
    if body.kind != Board.Kind.EXECUTIVE:
        errors["maker_body"] = f"{body} is not the executive: choose the executive."
    if (
        decision.maker != ExecutiveDecision.Maker.MEETING
        and decision.maker_post_id is None
        and decision.maker_person_id is None
    ):
        errors["maker_post"] = (
            "Name who made the decision: the executive member's portfolio or the officer's "
            "post, or the person."
        )
    if decision.recorded is not None and decision.recorded.minute.board_id != body.pk:
        errors["recorded"] = f"Choose a decision recorded in the minutes of {body}."
    if decision.agenda_item is not None and decision.agenda_item.meeting.board_id != body.pk:
        errors["agenda_item"] = f"Choose an item of a meeting of {body}."
    if decision.notice is not None and decision.notice.decision_maker_id != body.pk:
        errors["notice"] = f"Choose a notice of the forward plan of {body}."
    if decision.exempt and decision.exempt_paragraph is None:
        errors["exempt_paragraph"] = "Choose the paragraph of Schedule 12A that applies."
    if (
        decision.published_at is not None
        and decision.decided_on is not None
        and decision.decided_on > timezone.localdate(decision.published_at)
    ):
        errors["decided_on"] = (
            "The decision was published before that day: it was made on or before it."
        )
    if errors:
        raise ValidationError(errors)


def _attach_report(decision: ExecutiveDecision, report: UploadedFile | File) -> None:
    """The report as a checked PDF with anything active removed (``boards.uploads``), stored
    under a generated name; the uploader's name kept to show."""
    try:
        clean = uploads.clean_pdf(report, max_bytes=settings.PAPER_UPLOAD_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"report": error.messages}) from error
    decision.report = clean.file
    decision.report_filename = Path(report.name or "report.pdf").name[:255]


def _save(decision: ExecutiveDecision, *, by: AbstractBaseUser | None, reason: str = "") -> None:
    setattr(decision, _HISTORY_USER, by)
    if reason:
        setattr(decision, _CHANGE_REASON, reason[:_REASON_LENGTH])
    decision.full_clean()
    decision.save()


@transaction.atomic
def decision_create(
    *,
    by: AbstractBaseUser | None,
    wards: Iterable[Ward] = (),
    report: UploadedFile | File | None = None,
    **fields: Any,
) -> ExecutiveDecision:
    """A draft decision of the executive (at a meeting), of a member of the executive or of an
    officer under delegation; ``fields`` are those of ``DECISION_FIELDS``. Publishing it is
    ``decision_publish``."""
    decision = ExecutiveDecision()
    _set_fields(decision, fields)
    _check(decision)
    if report:
        _attach_report(decision, report)
    _save(decision, by=by)
    decision.wards.set(wards)
    changed(decision)
    return decision


@transaction.atomic
def decision_update(
    *,
    decision: ExecutiveDecision,
    by: AbstractBaseUser | None,
    changes: Mapping[str, Any],
    reason: str = "",
    wards: Iterable[Ward] | None = None,
    report: UploadedFile | File | None = None,
    remove_report: bool = False,
) -> ExecutiveDecision:
    """Change a decision's record: ``changes`` of fields of ``DECISION_FIELDS`` (a mapping, as
    the decision's own text is the field ``decision``). Once published, a change is a
    correction: it needs a reason, kept in the decision's history with who made it; the
    publication and the call-in window stay as they were."""
    decision = ExecutiveDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.withdrawn_at is not None:
        raise ValidationError("This decision was withdrawn: its record can no longer be changed.")
    reason = reason.strip()
    if decision.published_at is not None and not reason:
        raise ValidationError(
            {"reason": "This decision is published: say what was wrong, for the record."}
        )
    _set_fields(decision, changes)
    _check(decision)
    if report:
        _attach_report(decision, report)
    elif remove_report:
        decision.report = ""
        decision.report_filename = ""
    if wards is not None:
        decision.wards.set(wards)  # before the save, whose history row then holds the reason
    _save(decision, by=by, reason=f"Correction: {reason}" if decision.published_at else reason)
    changed(decision)
    return decision


def _resolved(minute: Minute) -> str:
    """What the meeting resolved, as the minutes print it: the resolution, or each after its
    letter ("(a) …"), a paragraph each (the decision is Markdown)."""
    resolutions = list(minute.resolutions.all())
    if len(resolutions) == 1:
        return resolutions[0].text
    return "\n\n".join(f"{resolution.marker} {resolution.text}" for resolution in resolutions)


def _declared(declarations: Iterable[Declaration]) -> str:
    """The interests declared in the item, as the minutes record them, one a line."""
    lines = []
    for declaration in declarations:
        line = (
            f"{minutes_name(declaration.person)} declared {declaration.declared}: "
            f"{declaration.nature}"
        )
        if declaration.left_room:
            line += " They left the room and took no part in the item."
        lines.append(line)
    return "\n".join(lines)


@transaction.atomic
def decisions_from_meeting(
    *, meeting: Meeting, by: AbstractBaseUser | None
) -> list[ExecutiveDecision]:
    """A draft executive decision for each decision recorded beside the minutes of the
    executive's meeting that has none yet: the minute's title, what was resolved, the reasons,
    the alternatives and whether it is a key decision as recorded, the item (its wards, subject
    and exemption), the interests declared in it, and the meeting's date. Each is then checked
    and published like any other."""
    if meeting.board.kind != Board.Kind.EXECUTIVE:
        raise ValidationError(
            f"{meeting.board} is not the executive: its minutes record no executive decisions."
        )
    recorded = (
        RecordedDecision.objects.filter(
            minute__meeting=meeting,
            minute__withdrawn_at__isnull=True,
            executive_decision__isnull=True,
        )
        .select_related("minute__board", "minute__municipal_year", "minute__agenda_item__meeting")
        .prefetch_related("minute__resolutions", "minute__agenda_item__wards")
        .order_by("minute__order", "minute__number")
    )
    made = []
    for record in recorded:
        minute = record.minute
        item = minute.agenda_item
        declarations = (
            Declaration.objects.filter(agenda_item=item).select_related("person")
            if item is not None
            else Declaration.objects.none()
        )
        made.append(
            decision_create(
                by=by,
                wards=item.wards.all() if item is not None else (),
                maker=ExecutiveDecision.Maker.MEETING,
                maker_body=meeting.board,
                recorded=record,
                agenda_item=item,
                decided_on=meeting.date,
                title=minute.title,
                decision=_resolved(minute),
                reasons=record.reasons,
                alternatives=record.alternatives,
                key_decision=record.key_decision,
                declarations=_declared(declarations),
                subject=item.subject if item is not None else None,
                exempt=item.exempt if item is not None else False,
                exempt_paragraph=item.exempt_paragraph if item is not None else None,
                public_interest_reasoning=(
                    item.public_interest_reasoning if item is not None else ""
                ),
            )
        )
    return made


def _scrutiny_chairs(person: Person | None, on: datetime.date) -> QuerySet[Membership]:
    """The person's chairs of scrutiny-kind boards on the day: whose consent to urgency (or
    agreement to special urgency) counts."""
    return Membership.objects.current(on).filter(
        person=person, role=Membership.Role.CHAIR, board__kind__in=SCRUTINY_KINDS
    )


@transaction.atomic
def decision_exclude(
    *,
    decision: ExecutiveDecision,
    exclusion: str,
    reason: str,
    consent_by: Person | None = None,
    consent_on: datetime.date | None = None,
    by: AbstractBaseUser | None,
) -> ExecutiveDecision:
    """Take a decision out of call-in before it is published: as urgent, with the consent of
    the chair of a scrutiny board given on the day (who must chair one that day), or because the
    constitution excludes it; with the reason. ``exclusion=""`` puts it back under call-in."""
    decision = ExecutiveDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.published_at is not None:
        raise ValidationError(
            "This decision is published: whether it may be called in was settled then, and its "
            "window is running."
        )
    if decision.withdrawn_at is not None:
        raise ValidationError("This decision was withdrawn.")
    Exclusion = ExecutiveDecision.Exclusion
    if exclusion not in (Exclusion.NONE, Exclusion.URGENCY, Exclusion.CONSTITUTION):
        raise ValidationError(
            {
                "exclusion": "Choose urgency or the constitution (a reconsidered decision is "
                "recorded by its call-in)."
            }
        )
    reason = reason.strip()
    errors: dict[str, str] = {}
    if exclusion and not reason:
        errors["reason"] = "Say why the decision cannot be called in."
    if exclusion == Exclusion.URGENCY:
        if consent_by is None:
            errors["consent_by"] = "Choose the chair of scrutiny who consented."
        if consent_on is None:
            errors["consent_on"] = "Enter the date the chair of scrutiny consented."
        elif consent_on > timezone.localdate():
            errors["consent_on"] = "The date of consent cannot be in the future."
        if (
            consent_by is not None
            and consent_on is not None
            and "consent_on" not in errors
            and not _scrutiny_chairs(consent_by, consent_on).exists()
        ):
            errors["consent_by"] = (
                f"{consent_by} was not the chair of a scrutiny board on "
                f"{formatting.short_date(consent_on)}: an urgent decision needs the consent "
                "of the chair of scrutiny."
            )
    if errors:
        raise ValidationError(errors)
    urgent = exclusion == Exclusion.URGENCY
    decision.exclusion = exclusion
    decision.exclusion_reason = reason if exclusion else ""
    decision.urgency_consent_by = consent_by if urgent else None
    decision.urgency_consent_on = consent_on if urgent else None
    _save(decision, by=by, reason=decision.get_exclusion_display())
    changed(decision)
    return decision


@transaction.atomic
def decision_withdraw(
    *, decision: ExecutiveDecision, by: AbstractBaseUser | None, reason: str
) -> ExecutiveDecision:
    """Withdraw a decision (published or not), with who, when and why: never deleted."""
    decision = ExecutiveDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.withdrawn_at is not None:
        raise ValidationError("This decision is already withdrawn.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the decision is being withdrawn."})
    decision.withdrawn_at = timezone.now()
    decision.withdrawn_by = by  # type: ignore[assignment]
    decision.withdrawal_reason = reason
    _save(decision, by=by, reason=f"Withdrawn: {reason}")
    changed(decision)
    return decision


@transaction.atomic
def call_in_rules_update(*, rules: CallInRules, by: AbstractBaseUser | None) -> CallInRules:
    """Save the council's call-in rules. Windows already running keep the close they were given
    when their decision was published."""
    if rules.window_days < 1:
        raise ValidationError(
            {"window_days": "A decision must be open to call-in for a day at least."}
        )
    rules.pk = 1
    setattr(rules, _HISTORY_USER, by)
    rules.full_clean()
    rules.save()
    return rules


# Call-in ---------------------------------------------------------------------------------------
#
# One record from the councillors' request to the final decision: requested, checked by an
# officer, put on the scrutiny board's agenda (the item is the call-in's own, as an evidence
# session's is), the board's outcome, full council's when the board referred it there, and the
# decision maker's reconsideration. Each step is dated, refused with a message naming the field
# when it comes out of turn, and announced (``call_in_changed``; ``changed`` for search, which
# shows where the decision stands).

#: The bodies that may consider a call-in.
SCRUTINY_KINDS = (Board.Kind.SCRUTINY, Board.Kind.OVERVIEW)


@dataclass(frozen=True)
class Check:
    """One of the checks of a call-in's validity the app makes for the officer."""

    label: str
    passed: bool
    detail: str = ""


def _when(moment: datetime.datetime) -> str:
    return f"{formatting.clock(moment)} on {formatting.long_date(moment)}"


def _announce(call_in: CallIn, step: str) -> None:
    changed(call_in.decision)  # where the decision stands changed with the call-in
    call_in_changed.send(sender=CallIn, call_in=call_in, step=step)


def _locked(call_in: CallIn) -> CallIn:
    return (
        CallIn.objects.select_for_update(of=("self",))
        .select_related("decision", "board", "agenda_item__meeting")
        .get(pk=call_in.pk)
    )


def _save_call_in(call_in: CallIn, by: User | None) -> None:
    setattr(call_in, _HISTORY_USER, by)
    call_in.full_clean()
    call_in.save()


def _not_in_future(on: datetime.date, field: str, what: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: f"{what} cannot be in the future."})


def _live(call_in: CallIn) -> None:
    if call_in.withdrawn_at is not None:
        raise ValidationError(
            f"This call-in was withdrawn on {formatting.long_date(call_in.withdrawn_at)}."
        )


def _valid(call_in: CallIn) -> None:
    _live(call_in)
    if call_in.checked_on is None:
        raise ValidationError("This call-in has not been checked yet: an officer checks it first.")
    if not call_in.valid:
        raise ValidationError("This call-in was found not valid: it goes no further.")


def closed_reason(decision: ExecutiveDecision, at: datetime.datetime) -> dict[str, str]:
    """Why the decision cannot be called in at ``at``, by field; empty if it can."""
    if decision.withdrawn_at is not None:
        return {"decision": "This decision was withdrawn: there is nothing to call in."}
    if decision.published_at is None:
        return {"decision": "This decision is not published yet: it cannot be called in."}
    if decision.exclusion:
        reason = f" {decision.exclusion_reason}" if decision.exclusion_reason else ""
        return {
            "decision": "This decision is not subject to call-in: "
            f"{decision.get_exclusion_display().lower()}.{reason}"
        }
    if at < decision.published_at:
        return {"at": "A decision cannot be called in before it is published."}
    closes = decision.call_in_closes_at
    if closes is not None and at >= closes:
        return {"at": f"The call-in window closed at {_when(closes)}."}
    return {}


@transaction.atomic
def call_in_request(
    *,
    decision: ExecutiveDecision,
    board: Board,
    signatories: Collection[Person],
    reasons: str,
    by: User | None,
    at: datetime.datetime | None = None,
) -> CallIn:
    """Councillors call a decision in (or an officer records their request received on paper,
    ``at`` the moment it was received). Whether the signatories may call it in is not refused
    here: it is one of the officer's checks (``call_in_checks``)."""
    decision = ExecutiveDecision.objects.select_for_update().get(pk=decision.pk)
    at = at or timezone.now()
    if at > timezone.now():
        raise ValidationError({"at": "A call-in cannot be received in the future."})
    problem = closed_reason(decision, at)
    if problem:
        raise ValidationError(problem)
    earlier = decision.call_ins.filter(valid=True).first()
    if earlier is not None:
        raise ValidationError(
            {
                "decision": "A decision can be called in only once: it was called in on "
                f"{formatting.long_date(earlier.requested_at)}."
            }
        )
    errors: dict[str, str] = {}
    if board.kind not in SCRUTINY_KINDS:
        errors["board"] = (
            f"Choose a scrutiny board: {board} is {board.get_kind_display().lower()}, "
            "which cannot consider a call-in."
        )
    elif board.is_dissolved:
        errors["board"] = f"Choose a scrutiny board that still meets: {board.dissolved_notice}"
    if not signatories:
        errors["signatories"] = "Choose the councillors who sign the call-in."
    if not reasons.strip():
        errors["reasons"] = "Give the reasons for calling the decision in."
    if errors:
        raise ValidationError(errors)
    call_in = CallIn(
        decision=decision,
        board=board,
        requested_at=at,
        requested_by=by,
        reasons=reasons.strip(),
    )
    _save_call_in(call_in, by)
    call_in.signatories.set(signatories)
    _announce(call_in, "requested")
    return call_in


def _signatories(call_in: CallIn, day: datetime.date) -> list[rules.Signatory]:
    """The signatories as they stood on ``day``: their seats on the call-in's board and on the
    executive (two queries, however many sign)."""
    people = list(call_in.signatories.order_by("family_name", "given_name", "pk"))
    seats = Membership.objects.current(day).filter(
        Q(board_id=call_in.board_id) | Q(board__kind=Board.Kind.EXECUTIVE),
        person__in=[person.pk for person in people],
    )
    chairs, members, executive = set(), set(), set()
    for person_id, board_id, role, kind in seats.values_list(
        "person_id", "board_id", "role", "board__kind"
    ):
        if board_id == call_in.board_id:
            members.add(person_id)
            if role == Membership.Role.CHAIR:
                chairs.add(person_id)
        if kind == Board.Kind.EXECUTIVE:
            executive.add(person_id)
    return [
        rules.Signatory(
            person_id=person.pk,
            name=person.display_name,
            is_councillor=person.kind == Person.Kind.COUNCILLOR,
            on_executive=person.pk in executive,
            chairs_board=person.pk in chairs,
            on_board=person.pk in members,
            ward_id=person.ward_id,
        )
        for person in people
    ]


def call_in_checks(call_in: CallIn, *, rules_: CallInRules | None = None) -> list[Check]:
    """The checks the app makes for the officer: in time, not excluded, not already called
    in, eligible signatories (as they stood on the day of the request, under the council's
    routes). A fixed number of queries."""
    rules_ = rules_ or CallInRules.load()
    decision = call_in.decision
    requested = call_in.requested_at
    closes = decision.call_in_closes_at
    if decision.published_at is None or requested < decision.published_at:
        in_time = Check("In time", False, "Requested before the decision was published.")
    elif closes is None:
        in_time = Check("In time", False, "The decision has no call-in window.")
    elif requested >= closes:
        in_time = Check(
            "In time",
            False,
            f"Requested at {_when(requested)}, after the window closed at {_when(closes)}.",
        )
    else:
        in_time = Check(
            "In time",
            True,
            f"Requested at {_when(requested)}; the window "
            f"{'closes' if closes > timezone.now() else 'closed'} at {_when(closes)}.",
        )
    if decision.withdrawn_at is not None:
        excluded = Check("Not excluded", False, "The decision was withdrawn.")
    elif decision.exclusion:
        reason = f" {decision.exclusion_reason}" if decision.exclusion_reason else ""
        excluded = Check(
            "Not excluded",
            False,
            f"Not subject to call-in: {decision.get_exclusion_display().lower()}.{reason}",
        )
    else:
        excluded = Check("Not excluded", True, "The decision is subject to call-in.")
    earlier = decision.call_ins.filter(valid=True).exclude(pk=call_in.pk).first()
    once = (
        Check(
            "Not already called in",
            False,
            "A decision can be called in only once: it was called in on "
            f"{formatting.long_date(earlier.requested_at)}.",
        )
        if earlier is not None
        else Check("Not already called in", True, "No other call-in of it was found valid.")
    )
    ward_ids = set(decision.wards.values_list("pk", flat=True))
    found = rules.eligibility(
        _signatories(call_in, timezone.localdate(requested)),
        decision_ward_ids=ward_ids,
        chair_may=rules_.chair_may_call_in,
        board_members_needed=rules_.board_members_needed,
        non_executive_needed=rules_.non_executive_needed,
        ward_councillor_may=rules_.ward_councillor_may_call_in,
    )
    if found.eligible:
        route = found.route[:1].lower() + found.route[1:]
        detail = " ".join([f"Eligible: {route}.", *found.problems])
    else:
        detail = " ".join(found.problems)
    eligible = Check("Eligible signatories", found.eligible, detail)
    return [in_time, excluded, once, eligible]


def meeting_is_late(call_in: CallIn) -> bool:
    """Whether the board's meeting on the call-in is after the last day the constitution gives
    (``meeting_due_on``)."""
    if call_in.agenda_item is None or call_in.meeting_due_on is None:
        return False
    return call_in.agenda_item.meeting.date > call_in.meeting_due_on


@transaction.atomic
def call_in_check(
    *,
    call_in: CallIn,
    valid: bool,
    reasons: str,
    on: datetime.date,
    by: User | None,
) -> CallIn:
    """The officer's finding on the call-in's validity, with reasons. A valid call-in suspends
    the decision, and the board must meet on it within the council's limit (``meeting_due_on``).
    It cannot be found valid while one of the app's checks fails."""
    call_in = _locked(call_in)
    _live(call_in)
    if call_in.checked_on is not None:
        finding = "valid" if call_in.valid else "not valid"
        raise ValidationError(
            f"This call-in was already found {finding} on "
            f"{formatting.long_date(call_in.checked_on)}."
        )
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for the finding."})
    if on < timezone.localdate(call_in.requested_at):
        raise ValidationError(
            {
                "on": "The check cannot be dated before the request, on "
                f"{formatting.long_date(call_in.requested_at)}."
            }
        )
    _not_in_future(on, "on", "The date of the check")
    rules_ = CallInRules.load()
    if valid:
        failed = [check for check in call_in_checks(call_in, rules_=rules_) if not check.passed]
        if failed:
            raise ValidationError(
                {
                    "valid": "The call-in cannot be found valid while a check fails: "
                    + " ".join(f"{check.label}: {check.detail}" for check in failed)
                }
            )
    call_in.checked_on = on
    call_in.checked_by = by
    call_in.valid = valid
    call_in.check_reasons = reasons.strip()
    call_in.meeting_due_on = (
        rules.call_in_meeting_due(on, within_working_days=rules_.meeting_within_working_days)
        if valid
        else None
    )
    _save_call_in(call_in, by)
    _announce(call_in, "checked")
    return call_in


@transaction.atomic
def call_in_schedule(
    *, call_in: CallIn, meeting: Meeting, by: User | None, late_reason: str = ""
) -> AgendaItem:
    """Put the valid call-in on the agenda of a meeting of its board: the item is the
    call-in's own record (exempt, with its paragraph, when the decision is). A meeting after
    the last day the constitution gives needs the reason, which is kept on the item and shown
    with the call-in."""
    call_in = _locked(call_in)
    _valid(call_in)
    if call_in.agenda_item is not None:
        raise ValidationError(
            {"meeting": f"The call-in is already on the agenda of {call_in.agenda_item.meeting}."}
        )
    if meeting.board_id != call_in.board_id:
        raise ValidationError({"meeting": f"Choose a meeting of {call_in.board}."})
    checked_on = cast("datetime.date", call_in.checked_on)
    if meeting.date < checked_on:
        raise ValidationError(
            {
                "meeting": "Choose a meeting after the call-in was found valid, on "
                f"{formatting.long_date(checked_on)}."
            }
        )
    due = cast("datetime.date", call_in.meeting_due_on)
    late = meeting.date > due
    if late and not late_reason.strip():
        raise ValidationError(
            {
                "late_reason": f"The meeting is after {formatting.long_date(due)}, the last day "
                "the constitution gives to consider the call-in: give the reason."
            }
        )
    decision = call_in.decision
    purpose = (
        f"To consider the call-in of the decision “{decision.title}”, made on "
        f"{formatting.long_date(decision.decided_on)}, and to decide whether to release it, "
        "refer it back to the decision maker with recommendations, or refer it to full council. "
        f"The constitution asks for it to be considered by {formatting.long_date(due)}."
    )
    if late:
        purpose += f" It is considered later because: {late_reason.strip()}"
    item = board_services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(
            kind=AgendaItem.Kind.CALL_IN,
            title=f"Call-in: {decision.title}"[:300],
            purpose=purpose,
            exempt=decision.exempt,
            exempt_paragraph=decision.exempt_paragraph if decision.exempt else None,
            public_interest_reasoning=decision.public_interest_reasoning if decision.exempt else "",
            special_circumstances=late_reason.strip() if late else "",
            subject=decision.subject,
        ),
        wards=list(decision.wards.all()),
    )
    call_in.agenda_item = item
    _save_call_in(call_in, by)
    _announce(call_in, "scheduled")
    return item


_NEEDS_REASONS = {
    CallIn.Outcome.REFER_BACK: "Give the board's recommendations to the decision maker.",
    CallIn.Outcome.REFER_TO_COUNCIL: "Give the board's reasons for referring it to full council "
    "(why it is outside the budget and policy framework).",
}


@transaction.atomic
def call_in_outcome(
    *,
    call_in: CallIn,
    outcome: str,
    on: datetime.date,
    reasons: str,
    by: User | None,
) -> CallIn:
    """The scrutiny board's outcome at its meeting: release the decision, refer it back to the
    decision maker with recommendations, or refer it to full council."""
    call_in = _locked(call_in)
    _valid(call_in)
    if call_in.outcome:
        raise ValidationError(
            f"The board's outcome is already recorded: {call_in.get_outcome_display().lower()}."
        )
    if call_in.agenda_item is None:
        raise ValidationError(
            "The call-in is not on the agenda of a meeting of the board yet: schedule it first."
        )
    if outcome not in CallIn.Outcome.values:
        raise ValidationError({"outcome": "Choose the board's outcome."})
    meeting = call_in.agenda_item.meeting
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            {
                "on": "The board has not met on it yet: its meeting is at "
                f"{formatting.long_datetime(meeting.starts_at)}."
            }
        )
    if on < meeting.date:
        raise ValidationError(
            {
                "on": "The outcome cannot be dated before the board's meeting on "
                f"{formatting.long_date(meeting.date)}."
            }
        )
    _not_in_future(on, "on", "The date of the outcome")
    if outcome in _NEEDS_REASONS and not reasons.strip():
        raise ValidationError({"reasons": _NEEDS_REASONS[CallIn.Outcome(outcome)]})
    call_in.outcome = outcome
    call_in.outcome_on = on
    call_in.outcome_reasons = reasons.strip()
    _save_call_in(call_in, by)
    _announce(call_in, "outcome")
    return call_in


@transaction.atomic
def call_in_council_outcome(
    *,
    call_in: CallIn,
    outcome: str,
    on: datetime.date,
    reasons: str,
    by: User | None,
) -> CallIn:
    """Full council's outcome on a call-in the board referred to it: no objection (the decision
    takes effect), refer it back to the decision maker, or amend it."""
    call_in = _locked(call_in)
    _valid(call_in)
    if call_in.outcome != CallIn.Outcome.REFER_TO_COUNCIL:
        raise ValidationError(
            "Full council's outcome comes only after the board referred it there."
        )
    if call_in.council_outcome:
        raise ValidationError(
            "Full council's outcome is already recorded: "
            f"{call_in.get_council_outcome_display().lower()}."
        )
    if outcome not in CallIn.CouncilOutcome.values:
        raise ValidationError({"outcome": "Choose full council's outcome."})
    referred_on = cast("datetime.date", call_in.outcome_on)
    if on < referred_on:
        raise ValidationError(
            {
                "on": "Full council's outcome cannot be dated before the board referred it, on "
                f"{formatting.long_date(referred_on)}."
            }
        )
    _not_in_future(on, "on", "The date of full council's outcome")
    if outcome != CallIn.CouncilOutcome.NO_OBJECTION and not reasons.strip():
        raise ValidationError({"reasons": "Give full council's reasons."})
    call_in.council_outcome = outcome
    call_in.council_outcome_on = on
    call_in.council_outcome_reasons = reasons.strip()
    _save_call_in(call_in, by)
    _announce(call_in, "council")
    return call_in


def referred_back_on(call_in: CallIn) -> datetime.date | None:
    """When the decision went back to its maker: the board's referral, or full council's."""
    if call_in.outcome == CallIn.Outcome.REFER_BACK:
        return call_in.outcome_on
    if call_in.outcome == CallIn.Outcome.REFER_TO_COUNCIL and call_in.council_outcome in (
        CallIn.CouncilOutcome.REFER_BACK,
        CallIn.CouncilOutcome.AMEND,
    ):
        return call_in.council_outcome_on
    return None


@transaction.atomic
def call_in_conclude(
    *,
    call_in: CallIn,
    final: str,
    on: datetime.date,
    reasons: str,
    by: User | None,
    decision_text: str = "",
) -> CallIn:
    """The decision maker's reconsideration after a referral back: the decision confirmed,
    amended or revoked. An amended decision is a new decision, published at once, which
    reconsiders the original and cannot be called in again."""
    call_in = _locked(call_in)
    _valid(call_in)
    if call_in.concluded_on is not None:
        raise ValidationError(
            f"The final decision is already recorded: {call_in.get_final_display().lower()}."
        )
    referred_on = referred_back_on(call_in)
    if referred_on is None:
        raise ValidationError(
            "The decision maker reconsiders only a decision referred back to them, by the "
            "board or by full council."
        )
    if final not in CallIn.Final.values:
        raise ValidationError({"final": "Choose the final decision."})
    if on < referred_on:
        raise ValidationError(
            {
                "on": "The reconsideration cannot be dated before the referral back, on "
                f"{formatting.long_date(referred_on)}."
            }
        )
    _not_in_future(on, "on", "The date of the final decision")
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the final decision's reasons."})
    if final == CallIn.Final.AMENDED and not decision_text.strip():
        raise ValidationError({"decision_text": "Give the decision as amended."})
    call_in.final = final
    call_in.concluded_on = on
    call_in.final_reasons = reasons.strip()
    _save_call_in(call_in, by)
    if final == CallIn.Final.AMENDED:
        _reconsidered(call_in.decision, on=on, text=decision_text.strip(), reasons=reasons, by=by)
    _announce(call_in, "concluded")
    return call_in


def _reconsidered(
    original: ExecutiveDecision,
    *,
    on: datetime.date,
    text: str,
    reasons: str,
    by: User | None,
) -> ExecutiveDecision:
    decision = ExecutiveDecision(
        maker=original.maker,
        maker_body=original.maker_body,
        maker_post=original.maker_post,
        maker_person=original.maker_person,
        decided_on=on,
        title=original.title,
        decision=text,
        reasons=reasons.strip(),
        alternatives=original.alternatives,
        key_decision=original.key_decision,
        notice=original.notice,
        declarations=original.declarations,
        dispensation=original.dispensation,
        subject=original.subject,
        exempt=original.exempt,
        exempt_paragraph=original.exempt_paragraph,
        public_interest_reasoning=original.public_interest_reasoning,
        exclusion=ExecutiveDecision.Exclusion.CALLED_IN_BEFORE,
        exclusion_reason="A decision can be called in only once.",
        reconsiders=original,
    )
    decision.full_clean()
    decision.save()
    decision.wards.set(original.wards.all())
    return decision_publish(decision=decision, by=by)


@transaction.atomic
def call_in_withdraw(*, call_in: CallIn, by: User, reason: str) -> CallIn:
    """The signatories (or an officer for them) withdraw the call-in, before the board's
    outcome. Its item comes off the agenda: deleted while unpublished, else withdrawn."""
    call_in = _locked(call_in)
    _live(call_in)
    if call_in.outcome:
        raise ValidationError(
            "The board has given its outcome: the call-in can no longer be withdrawn."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for withdrawing the call-in."})
    call_in.withdrawn_at = timezone.now()
    call_in.withdrawn_by = by
    call_in.withdrawal_reason = reason.strip()
    item = call_in.agenda_item
    if item is not None and not item.is_published:
        call_in.agenda_item = None
    _save_call_in(call_in, by)
    if item is not None:
        board_services.agenda_item_remove(
            item=item,
            by=by,
            reason=f"The call-in was withdrawn: {reason.strip()}",
        )
    _announce(call_in, "withdrawn")
    return call_in


# The forward plan: notices of key decisions --------------------------------------------------
# (regulations 9 to 11 of the 2012 Regulations; the rules themselves are ``rules``' functions)


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
    chairs = _scrutiny_chairs(entry.urgency_agreed_by, agreed_on)
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
