"""Writes to executive decisions, forward plan notices and call-ins (typed, keyword-only,
atomic; each calls ``full_clean()`` and announces what changed)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from boards import formatting, uploads
from boards.models import Board, Meeting, Membership, Person, Ward
from boards.signals import changed
from decisions.models import CallInRules, ExecutiveDecision
from decisions.signals import decision_published
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


def _chairs_scrutiny(person: Person, on: datetime.date) -> bool:
    return (
        Membership.objects.current(on)
        .filter(
            person=person,
            role=Membership.Role.CHAIR,
            board__kind__in=(Board.Kind.SCRUTINY, Board.Kind.OVERVIEW),
        )
        .exists()
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
            and not _chairs_scrutiny(consent_by, consent_on)
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
