"""Writes for inquiries: stages, terms of reference, sessions on meeting agendas."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from boards import services as board_services
from boards import signals
from boards.models import AgendaItem, Board, Meeting, Person, Subject
from decisions.models import ForwardPlanEntry
from inquiries.models import Evidence, Inquiry, Session, StageChange, WorkScheduleEntry
from inquiries.signals import stage_changed

STAGE_ORDER = [stage for stage, _label in Inquiry.Stage.choices]


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "inquiry"
    slug, n = base, 2
    while Inquiry.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def inquiry_create(
    *,
    board: Board,
    title: str,
    scope: str = "",
    lines_of_enquiry: str = "",
    on: datetime.date,
    by: User | None = None,
) -> Inquiry:
    slug = _unique_slug(title)
    subject = Subject.objects.create(title=title.strip(), slug=f"inquiry-{slug}")
    inquiry = Inquiry(
        board=board,
        title=title.strip(),
        slug=slug,
        scope=scope,
        lines_of_enquiry=lines_of_enquiry,
        subject=subject,
    )
    inquiry.full_clean()
    inquiry.save()
    StageChange.objects.create(inquiry=inquiry, stage=inquiry.stage, on=on, by=by)
    signals.changed(inquiry)
    return inquiry


@transaction.atomic
def inquiry_move_stage(
    *,
    inquiry: Inquiry,
    stage: str,
    on: datetime.date,
    note: str = "",
    by: User | None = None,
) -> Inquiry:
    """Move to another stage; every move is dated and kept."""
    if stage not in STAGE_ORDER:
        raise ValidationError({"stage": "Choose a stage."})
    if stage == inquiry.stage:
        return inquiry
    inquiry.stage = stage
    inquiry.save(update_fields=["stage", "modified"])
    change = StageChange.objects.create(
        inquiry=inquiry, stage=stage, on=on, note=note.strip(), by=by
    )
    stage_changed.send(sender=StageChange, change=change)
    return inquiry


def inquiry_advance(
    inquiry: Inquiry, stage: str, on: datetime.date, by: User | None = None, note: str = ""
) -> None:
    """Move forward to ``stage`` unless the inquiry is already there or beyond (as the
    database has it: the instance in hand may be out of date)."""
    inquiry.stage = (
        Inquiry.objects.select_for_update().values_list("stage", flat=True).get(pk=inquiry.pk)
    )
    if STAGE_ORDER.index(stage) > STAGE_ORDER.index(inquiry.stage):
        inquiry_move_stage(inquiry=inquiry, stage=stage, on=on, note=note, by=by)


@transaction.atomic
def inquiry_update(*, inquiry: Inquiry, by: User | None = None) -> Inquiry:
    """Save the inquiry's terms of reference as the officer changed them; naming the meeting
    item that agreed them (anew) moves the inquiry on (``terms_agree``)."""
    agreed_before = (
        Inquiry.objects.filter(pk=inquiry.pk).values_list("terms_agreed_at_id", flat=True).first()
    )
    inquiry.full_clean()
    inquiry.save()
    if inquiry.terms_agreed_at is not None and inquiry.terms_agreed_at_id != agreed_before:
        terms_agree(inquiry=inquiry, agenda_item=inquiry.terms_agreed_at, by=by)
    signals.changed(inquiry)
    return inquiry


@transaction.atomic
def terms_agree(*, inquiry: Inquiry, agenda_item: AgendaItem, by: User | None = None) -> Inquiry:
    if agenda_item.meeting.board_id != inquiry.board_id:
        raise ValidationError({"agenda_item": "Choose an item of this board's meetings."})
    inquiry.terms_agreed_at = agenda_item
    inquiry.save(update_fields=["terms_agreed_at", "modified"])
    if agenda_item.subject_id is None:
        agenda_item.subject = inquiry.subject
        agenda_item.save(update_fields=["subject", "modified"])
    inquiry_advance(
        inquiry,
        Inquiry.Stage.TERMS_AGREED,
        agenda_item.meeting.date,
        by,
        note=f"Agreed at the meeting of {agenda_item.meeting}",
    )
    return inquiry


@transaction.atomic
def session_create(
    *,
    inquiry: Inquiry,
    meeting: Meeting,
    focus: str = "",
    witnesses: list[Person] | tuple = (),
    by: User | None = None,
) -> Session:
    """A session on a meeting's agenda: the agenda item is the session's own record."""
    if meeting.board_id != inquiry.board_id:
        raise ValidationError({"meeting": "Choose a meeting of the inquiry's board."})
    number = (inquiry.sessions.aggregate(last=Max("number"))["last"] or 0) + 1
    item = board_services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(
            kind=AgendaItem.Kind.INQUIRY_SESSION,
            title=f"Scrutiny {inquiry.title} – Session {number}"
            if not inquiry.title.lower().startswith("scrutiny")
            else f"{inquiry.title} – Session {number}",
            purpose=f"To hold session {number} of the Board's {inquiry.title}.",
            subject=inquiry.subject,
        ),
    )
    session = Session.objects.create(inquiry=inquiry, number=number, agenda_item=item, focus=focus)
    session.witnesses.set(witnesses)
    inquiry_advance(inquiry, Inquiry.Stage.EVIDENCE, meeting.date, by)
    signals.changed(inquiry)  # the inquiry's entry holds its sessions' points of focus
    return session


@transaction.atomic
def evidence_add(*, inquiry: Inquiry, evidence: Evidence) -> Evidence:
    """Written evidence or notes of a visit (its PDF already checked by the form)."""
    evidence.inquiry = inquiry
    evidence.full_clean()
    evidence.save()
    signals.changed(evidence)
    return evidence


@transaction.atomic
def work_schedule_entry_add(*, board: Board, entry: WorkScheduleEntry) -> WorkScheduleEntry:
    """An entry in a month of the board's work schedule that nothing else fills."""
    entry.board = board
    entry.full_clean()
    entry.save()
    return entry


#: The row of the work schedule a notice picked from the forward plan goes in, unless chosen.
FORWARD_PLAN_AREA = "Forward plan"


@transaction.atomic
def work_schedule_pick(
    *,
    board: Board,
    notice: ForwardPlanEntry,
    month: datetime.date | None = None,
    area: str = "",
) -> WorkScheduleEntry:
    """Put a published notice of a key decision in the board's work schedule (in the month of
    the expected decision unless told), linked to the notice: a scrutiny board picks from the
    forward plan what it wants to look at before the decision is taken."""
    notice = ForwardPlanEntry.objects.get(pk=notice.pk)  # as it stands now
    if board.kind not in (Board.Kind.SCRUTINY, Board.Kind.OVERVIEW):
        raise ValidationError({"board": "Only a scrutiny board's work schedule takes notices."})
    if notice.published_on is None or notice.withdrawn_at is not None:
        raise ValidationError(
            "Only a published notice can be picked: this one is "
            + ("withdrawn." if notice.withdrawn_at is not None else "not yet published.")
        )
    if board.work_schedule.filter(forward_plan_entry=notice).exists():
        raise ValidationError(
            {"board": f"This notice is already in the work schedule of {board.name}."}
        )
    entry = WorkScheduleEntry(
        board=board,
        area=area.strip() or FORWARD_PLAN_AREA,
        month=(month or notice.decision_due_on).replace(day=1),
        note=(f"{notice.reference}: {notice.title}" if notice.reference else notice.title)[:300],
        forward_plan_entry=notice,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def work_schedule_entry_remove(*, entry: WorkScheduleEntry) -> None:
    entry.delete()
