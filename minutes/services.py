"""Taking, correcting and approving minutes."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Model
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.utils import bulk_update_with_history

from boards import formatting, signals
from boards.dates import add_months
from boards.models import AgendaItem, Meeting, Membership, Person, Post
from minutes.models import (
    MAX_DUE_MONTHS,
    NEXT_MEETING_WORDS,
    Attendance,
    Decision,
    Declaration,
    MeetingEvent,
    Minute,
    MinutesRecord,
    Movement,
    Resolution,
    months_in_words,
)
from minutes.signals import minutes_approved

# Autosaves by the same person within this time are one change in the history.
COALESCE_AUTOSAVES = datetime.timedelta(minutes=5)

__all__ = [
    "StaleMinute",
    "action_done",
    "adjournment_add",
    "chair_change_add",
    "actions_follow_meeting",
    "attendance_draft",
    "attendance_prefill",
    "attendance_set",
    "attendee_add",
    "attendee_remove",
    "declaration_add",
    "declaration_remove",
    "meeting_event_remove",
    "minute_autosave",
    "minute_restore",
    "minute_take",
    "minute_update",
    "minute_withdraw",
    "attendance_all_present",
    "minutes_approve",
    "minutes_draft",
    "minutes_release",
    "minutes_for",
    "minutes_open",
    "minutes_set_times",
    "movement_add",
    "movement_remove",
    "resolution_add",
    "resolution_remove",
    "unrecorded_members",
]


# django-simple-history reads these off the instance it saves: who made the change, why, and
# whether to write no history row. They are not fields, so they are set by name.
_HISTORY_USER = "_history_user"
_CHANGE_REASON = "_change_reason"
_SKIP_HISTORY = "skip_history_when_saving"


def _set_history_user(record: Model, user: User | None) -> None:
    """Record ``user`` as the one who made the change the next save writes to the history."""
    setattr(record, _HISTORY_USER, user)


def _set_change_reason(record: Model, reason: str) -> None:
    """Record ``reason`` as why, in the history row the next save writes."""
    setattr(record, _CHANGE_REASON, reason)


def _save_without_history(record: Model) -> None:
    """Save, writing no history row (simple-history's ``save_without_historical_record``)."""
    setattr(record, _SKIP_HISTORY, True)
    try:
        record.save()
    finally:
        delattr(record, _SKIP_HISTORY)


class StaleMinute(Exception):
    """Someone else saved the minute since this text was loaded: both versions must be kept."""

    def __init__(self, current: Minute):
        super().__init__("The minute has changed since you started editing it.")
        self.current = current


def _check_editable(meeting: Meeting, reason: str, target: Model | None = None) -> None:
    """Approved minutes are locked: a correction needs its reason, kept in the history."""
    record = getattr(meeting, "minutes", None)
    if record is not None and record.is_approved:
        if not reason.strip():
            raise ValidationError(
                {
                    "correction_reason": (
                        "These minutes have been approved as a correct record. "
                        "Give the reason for this correction."
                    )
                }
            )
        if target is not None:
            _set_change_reason(target, f"Correction: {reason.strip()}")


def _chair_on(meeting: Meeting) -> Person | None:
    membership = (
        Membership.objects.current(meeting.date)
        .filter(board=meeting.board, role=Membership.Role.CHAIR)
        .select_related("person")
        .first()
    )
    return membership.person if membership else None


def minutes_draft(meeting: Meeting) -> MinutesRecord:
    """The meeting's minutes record, or (unsaved, nothing written) the one ``minutes_open``
    would make: for the console to show before anything is recorded."""
    record = MinutesRecord.objects.filter(meeting=meeting).select_related("released_by").first()
    return record or MinutesRecord(meeting=meeting, chair=_chair_on(meeting))


def attendance_draft(meeting: Meeting) -> list[Attendance]:
    """Everyone recorded at the meeting, then (unsaved) each member of the board on the day not
    yet recorded, as ``attendance_prefill`` would record them; nothing is written."""
    recorded = list(
        meeting.attendances.select_related("person__ward", "post", "substitute_for")
        .prefetch_related("items")
        .order_by("kind", "person__family_name", "post__title", "pk")
    )
    seated = {attendance.person_id for attendance in recorded if attendance.person_id}
    expected = (
        Membership.objects.current(meeting.date)
        .filter(board=meeting.board)
        .exclude(person_id__in=seated)
        .select_related("person__ward")
        .order_by("person_id")
    )
    unsaved = {
        membership.person_id: Attendance(
            meeting=meeting, person=membership.person, kind=Attendance.Kind.MEMBER
        )
        for membership in expected
    }
    return recorded + list(unsaved.values())


@transaction.atomic
def minutes_open(meeting: Meeting) -> bool:
    """Before the first thing is recorded in the console: the minutes record, a row for each
    member of the board on the day, and the standing minutes (late items, declarations,
    apologies), which are written from what is recorded. Returns whether it opened them now."""
    opened = not MinutesRecord.objects.filter(meeting=meeting).exists()
    minutes_for(meeting)
    attendance_prefill(meeting)
    if opened:
        for kind in STANDING_KINDS:
            _standing_minute(meeting, kind)
    return opened


@transaction.atomic
def minutes_for(meeting: Meeting) -> MinutesRecord:
    record, created = MinutesRecord.objects.get_or_create(
        meeting=meeting, defaults={"chair": _chair_on(meeting)}
    )
    return record


@transaction.atomic
def attendance_prefill(meeting: Meeting) -> None:
    """A row for every member of the board on the day of the meeting, "not recorded" until the
    minute-taker records them: attendance is recorded, never assumed."""
    seated = set(
        meeting.attendances.filter(person__isnull=False).values_list("person_id", flat=True)
    )
    members = (
        Membership.objects.current(meeting.date)
        .filter(board=meeting.board)
        .exclude(person_id__in=seated)
        .values_list("person_id", flat=True)
        .distinct()
    )
    for person_id in sorted(set(members)):  # one row a person, whatever their roles that day
        Attendance.objects.create(meeting=meeting, person_id=person_id, kind=Attendance.Kind.MEMBER)


@transaction.atomic
def attendance_all_present(*, meeting: Meeting, reason: str = "") -> int:
    """Every member not yet recorded is present: the one action for the usual case. Those
    already recorded (apologies, absent) are left as they are. Returns how many changed."""
    waiting = list(
        meeting.attendances.filter(
            kind=Attendance.Kind.MEMBER, status=Attendance.Status.NOT_RECORDED
        )
        .order_by("pk")  # not by name: PostgreSQL locks no row of an outer join
        .select_for_update()
    )
    for attendance in waiting:
        _check_editable(meeting, reason, attendance)
        attendance.status = Attendance.Status.PRESENT
        attendance.save()
    return len(waiting)


def unrecorded_members(meeting: Meeting) -> list[Person]:
    """The members whose attendance at the meeting is not yet recorded."""
    return [
        attendance.person
        for attendance in meeting.attendances.filter(
            kind=Attendance.Kind.MEMBER, status=Attendance.Status.NOT_RECORDED
        ).select_related("person")
        if attendance.person is not None  # always: a member is a person
    ]


@transaction.atomic
def attendance_set(
    *,
    meeting: Meeting,
    person: Person,
    status: str,
    substitute: Person | None = None,
    reason: str = "",
) -> Attendance:
    """A member's attendance; a substitute may stand in for a member who sent apologies."""
    record = meeting.attendances.get(person=person, kind=Attendance.Kind.MEMBER)
    _check_editable(meeting, reason, record)
    if substitute is not None and status != Attendance.Status.APOLOGIES:
        raise ValidationError(
            {"substitute": "A substitute stands in for a member who has sent apologies."}
        )
    if status in AWAY:
        _check_not_there(record, status)
    record.status = status
    record.full_clean()
    record.save()
    current = meeting.attendances.filter(kind=Attendance.Kind.SUBSTITUTE, substitute_for=person)
    if substitute is None:
        current.delete()
    elif not current.filter(person=substitute).exists():
        current.delete()
        if meeting.attendances.filter(person=substitute).exists():
            raise ValidationError(
                {"substitute": f"{substitute} is already recorded at this meeting."}
            )
        Attendance.objects.create(
            meeting=meeting,
            person=substitute,
            kind=Attendance.Kind.SUBSTITUTE,
            status=Attendance.Status.PRESENT,
            substitute_for=person,
        )
    if status == Attendance.Status.APOLOGIES:
        _standing_minute(meeting, AgendaItem.Kind.APOLOGIES)
    return record


@dataclass(frozen=True)
class AttendanceRow:
    """One member's attendance as the console's attendance form sends it."""

    person: Person
    status: str
    substitute: Person | None = None


@transaction.atomic
def attendance_record(
    *,
    meeting: Meeting,
    rows: Sequence[AttendanceRow],
    all_present: bool = False,
    reason: str = "",
) -> list[Person]:
    """The members' attendance as the console's one form records it: each row that differs
    from what is recorded is set (``attendance_set``), then, with ``all_present``, every member
    still not recorded is present. All or nothing: a refusal names the member and records
    none of it. Returns the members whose attendance changed."""
    members = {
        attendance.person_id: attendance
        for attendance in meeting.attendances.filter(kind=Attendance.Kind.MEMBER)
    }
    substitutes = dict(
        meeting.attendances.filter(kind=Attendance.Kind.SUBSTITUTE).values_list(
            "substitute_for_id", "person_id"
        )
    )
    changed = []
    for row in rows:
        attendance = members.get(row.person.pk)
        if attendance is None:
            raise ValidationError(f"{row.person} is not a member of the board at this meeting.")
        substitute = row.substitute.pk if row.substitute is not None else None
        if attendance.status == row.status and substitutes.get(row.person.pk) == substitute:
            continue
        try:
            attendance_set(
                meeting=meeting,
                person=row.person,
                status=row.status,
                substitute=row.substitute,
                reason=reason,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "correction_reason" in error.error_dict:
                raise
            raise ValidationError(
                [f"{row.person}: {message}" for message in error.messages]
            ) from error
        changed.append(row.person)
    if all_present:
        present = meeting.attendances.filter(
            kind=Attendance.Kind.MEMBER, status=Attendance.Status.NOT_RECORDED
        ).select_related("person")
        changed.extend(attendance.person for attendance in present if attendance.person)
        attendance_all_present(meeting=meeting, reason=reason)
    return changed


# Those recorded as not at the meeting at all.
AWAY = (Attendance.Status.APOLOGIES, Attendance.Status.ABSENT)
# Who is recorded in attendance besides the members and their substitutes.
ATTENDEE_KINDS = (
    Attendance.Kind.COUNCILLOR,
    Attendance.Kind.OFFICER,
    Attendance.Kind.WITNESS,
    Attendance.Kind.OTHER,
)


def _check_not_there(attendance: Attendance, status: str) -> None:
    """Someone recorded as arriving, leaving or declaring an interest was at the meeting: they
    cannot also have sent apologies or been absent."""
    recorded = [
        what
        for what, exists in (
            ("arrived or left during the meeting", attendance.movements.exists()),
            (
                "declared an interest",
                attendance.person_id is not None
                and attendance.meeting.declarations.filter(person_id=attendance.person_id).exists(),
            ),
        )
        if exists
    ]
    if recorded:
        away = "having sent apologies" if status == Attendance.Status.APOLOGIES else "absent"
        raise ValidationError(
            {
                "status": (
                    f"{capfirst(attendance.named)} {' and '.join(recorded)}, so cannot be "
                    f"recorded as {away}: remove that first."
                )
            }
        )


@transaction.atomic
def attendee_add(
    *,
    meeting: Meeting,
    kind: str,
    person: Person | None = None,
    post: Post | None = None,
    capacity: str = "",
    items: list[AgendaItem] | tuple = (),
    reason: str = "",
) -> Attendance:
    """Someone in attendance besides the members: a councillor who is not on the board (a ward
    member, an executive member), an officer, a witness or another, for the whole meeting or
    some items. They may be recorded by the post they attended in alone (a post may have no
    holder), by the person, or by both; someone new (an unsaved officer or witness ``person``)
    is added to the people first. Councillors are chosen from the council's councillors, never
    created here."""
    if kind not in ATTENDEE_KINDS:
        raise ValidationError(
            {"kind": "Members and substitutes are recorded under the members' attendance."}
        )
    if person is None and post is None:
        raise ValidationError({"person": "Choose who attended, or the post they attended in."})
    if person is not None:
        _check_attendee(meeting, person, kind)
    if post is not None and meeting.attendances.filter(post=post).exists():
        raise ValidationError({"post": f"The {post} is already recorded at this meeting."})
    if person is not None and person.pk is None:
        person.full_clean()
        person.save()
    record = Attendance(
        meeting=meeting,
        person=person,
        post=post,
        kind=kind,
        status=Attendance.Status.PRESENT,
        capacity=capacity.strip(),
    )
    _check_editable(meeting, reason, record)
    record.full_clean()
    record.save()
    record.items.set(items)
    return record


def _check_attendee(meeting: Meeting, person: Person, kind: str) -> None:
    councillor = person.kind == Person.Kind.COUNCILLOR
    if kind == Attendance.Kind.COUNCILLOR and not councillor:
        raise ValidationError(
            {"person": f"{person} is not one of the council's councillors: choose a councillor."}
        )
    if councillor and kind != Attendance.Kind.COUNCILLOR:
        raise ValidationError(
            {"kind": f"{person} is a councillor: record them as a councillor attending."}
        )
    if councillor and person.pk is None:
        raise ValidationError({"person": "Choose the councillor from the council's councillors."})
    if person.pk is None:
        return
    if meeting.attendances.filter(person=person).exists():
        raise ValidationError({"person": f"{person} is already recorded at this meeting."})
    if (
        councillor
        and Membership.objects.current(meeting.date)
        .filter(board=meeting.board, person=person)
        .exists()
    ):
        raise ValidationError(
            {
                "person": f"{person} is a member of the board: record their attendance with the "
                "members'."
            }
        )


@transaction.atomic
def attendee_remove(*, attendance: Attendance, reason: str = "") -> None:
    _check_editable(attendance.meeting, reason, attendance)
    if attendance.kind == Attendance.Kind.MEMBER:
        raise ValidationError("Members stay on the list: mark them absent instead.")
    if (
        attendance.person_id is not None
        and attendance.meeting.declarations.filter(person_id=attendance.person_id).exists()
    ):
        raise ValidationError(
            f"{capfirst(attendance.named)} declared an interest: remove the declaration first."
        )
    attendance.delete()  # and their arrivals and departures, kept in the history


@transaction.atomic
def declaration_add(
    *,
    meeting: Meeting,
    person: Person,
    agenda_item: AgendaItem,
    kind: str,
    nature: str,
    left_room: bool,
    reason: str = "",
) -> Declaration:
    """An interest declared by anyone at the meeting: a member, a substitute, a councillor
    attending, an officer; with whether they left the room for the item."""
    if agenda_item.meeting_id != meeting.pk or agenda_item.withdrawn_at is not None:
        raise ValidationError({"agenda_item": "Choose an item of this meeting."})
    attendance = meeting.attendances.filter(person=person).first()
    if attendance is None:
        raise ValidationError(
            {
                "person": f"{person} is not recorded at this meeting: add them to those in "
                "attendance first."
            }
        )
    if attendance.status in AWAY:
        away = (
            "having sent apologies"
            if attendance.status == Attendance.Status.APOLOGIES
            else "absent"
        )
        raise ValidationError(
            {"person": f"{person} is recorded as {away}: only someone there declares."}
        )
    declaration = Declaration(
        meeting=meeting,
        person=person,
        agenda_item=agenda_item,
        kind=kind,
        nature=nature.strip(),
        left_room=left_room,
    )
    _check_editable(meeting, reason, declaration)
    declaration.full_clean()
    declaration.save()
    _standing_minute(meeting, AgendaItem.Kind.DECLARATIONS)
    return declaration


@transaction.atomic
def declaration_remove(*, declaration: Declaration, reason: str = "") -> None:
    _check_editable(declaration.meeting, reason, declaration)
    declaration.delete()


@transaction.atomic
def movement_add(
    *,
    attendance: Attendance,
    kind: str,
    at: datetime.time | None = None,
    agenda_item: AgendaItem | None = None,
    reason: str = "",
) -> Movement:
    """Someone arriving after the meeting began, or leaving before it ended: by the time, the
    item it happened during, or both. Someone not yet recorded who arrives or leaves was there,
    so is recorded present; someone recorded as away cannot arrive or leave."""
    meeting = attendance.meeting
    if at is None and agenda_item is None:
        raise ValidationError({"at": "Give the time, the item it happened during, or both."})
    _check_item_of(meeting, agenda_item)
    if attendance.status in AWAY:
        away = (
            "having sent apologies"
            if attendance.status == Attendance.Status.APOLOGIES
            else "absent"
        )
        raise ValidationError(
            {
                "attendance": f"{capfirst(attendance.named)} is recorded as {away}: record "
                "them present first."
            }
        )
    if at is not None:
        _check_within_meeting(meeting, at, "at")
    if attendance.movements.filter(kind=kind, at=at, agenda_item=agenda_item).exists():
        raise ValidationError("That is already recorded.")
    movement = Movement(attendance=attendance, kind=kind, at=at, agenda_item=agenda_item)
    _check_editable(meeting, reason, movement)
    movement.full_clean()
    if attendance.status == Attendance.Status.NOT_RECORDED:
        _check_editable(meeting, reason, attendance)
        attendance.status = Attendance.Status.PRESENT
        attendance.save()
    movement.save()
    return movement


def _check_within_meeting(meeting: Meeting, at: datetime.time, field: str) -> None:
    """A time recorded in the minutes falls within the meeting, when its times are recorded."""
    record = MinutesRecord.objects.filter(meeting=meeting).first()  # its times as saved now
    if record is None:
        return
    if record.started_at and at < record.started_at:
        raise ValidationError(
            {
                field: f"The meeting started at {formatting.clock(record.started_at)}: "
                "give a time after that."
            }
        )
    if record.ended_at and at > record.ended_at:
        raise ValidationError(
            {
                field: f"The meeting concluded at {formatting.clock(record.ended_at)}: "
                "give a time before that."
            }
        )


def _check_item_of(meeting: Meeting, agenda_item: AgendaItem | None) -> None:
    if agenda_item is not None and (
        agenda_item.meeting_id != meeting.pk or agenda_item.withdrawn_at is not None
    ):
        raise ValidationError({"agenda_item": "Choose an item of this meeting."})


@transaction.atomic
def movement_remove(*, movement: Movement, reason: str = "") -> None:
    _check_editable(movement.attendance.meeting, reason, movement)
    movement.delete()


@transaction.atomic
def adjournment_add(
    *,
    meeting: Meeting,
    adjourned_at: datetime.time | None,
    resumed_at: datetime.time | None = None,
    agenda_item: AgendaItem | None = None,
    reason: str = "",
) -> MeetingEvent:
    """The meeting adjourned at a time and resumed at a later one (none while it is still
    adjourned), during or after an item: printed after that item's minute, or with the start
    of the meeting when no item is given. Both times fall within the meeting's, when recorded,
    and no two adjournments overlap."""
    if meeting.is_cancelled:
        raise ValidationError("This meeting was cancelled: it has no minutes.")
    if adjourned_at is None:
        raise ValidationError({"adjourned_at": "Give the time the meeting adjourned."})
    _check_item_of(meeting, agenda_item)
    _check_within_meeting(meeting, adjourned_at, "adjourned_at")
    if resumed_at is not None:
        if resumed_at <= adjourned_at:
            raise ValidationError(
                {
                    "resumed_at": f"The meeting adjourned at {formatting.clock(adjourned_at)}: "
                    "it resumed after that."
                }
            )
        _check_within_meeting(meeting, resumed_at, "resumed_at")
    until = resumed_at or datetime.time.max
    for other in meeting.events.filter(kind=MeetingEvent.Kind.ADJOURNED):
        began = other.adjourned_at or datetime.time.min  # always set: a constraint says so
        if adjourned_at < (other.resumed_at or datetime.time.max) and began < until:
            raise ValidationError({"adjourned_at": f"Already recorded: {other.sentence}"})
    event = MeetingEvent(
        meeting=meeting,
        kind=MeetingEvent.Kind.ADJOURNED,
        agenda_item=agenda_item,
        adjourned_at=adjourned_at,
        resumed_at=resumed_at,
    )
    _check_editable(meeting, reason, event)
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def chair_change_add(
    *,
    meeting: Meeting,
    chair: Person | None,
    agenda_item: AgendaItem | None,
    why: str = "",
    reason: str = "",
) -> MeetingEvent:
    """A councillor took the Chair from an item (the board's vice-chair, or another councillor),
    perhaps saying why: printed at the start of that item's minute. Someone recorded as away
    from the meeting cannot take the Chair; the chair changes once an item at most."""
    if meeting.is_cancelled:
        raise ValidationError("This meeting was cancelled: it has no minutes.")
    errors: dict[str, str] = {}
    if chair is None:
        errors["chair"] = "Choose the councillor who took the Chair."
    elif chair.kind != Person.Kind.COUNCILLOR:
        errors["chair"] = f"{chair} is not a councillor: only a councillor takes the Chair."
    else:
        away = meeting.attendances.filter(person=chair, status__in=AWAY).first()
        if away is not None:
            errors["chair"] = (
                f"{capfirst(away.named)} is recorded as {away.get_status_display().lower()}: "
                "record them present first."
            )
    if agenda_item is None:
        errors["agenda_item"] = "Choose the item from which they took the Chair."
    if errors:
        raise ValidationError(errors)
    _check_item_of(meeting, agenda_item)
    if meeting.events.filter(
        kind=MeetingEvent.Kind.CHAIR_CHANGED, agenda_item=agenda_item
    ).exists():
        raise ValidationError(
            {"agenda_item": "A change of chair from this item is already recorded."}
        )
    event = MeetingEvent(
        meeting=meeting,
        kind=MeetingEvent.Kind.CHAIR_CHANGED,
        agenda_item=agenda_item,
        chair=chair,
        why=why.strip(),
    )
    _check_editable(meeting, reason, event)
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def meeting_event_remove(*, event: MeetingEvent, reason: str = "") -> None:
    _check_editable(event.meeting, reason, event)
    event.delete()


# The items whose minutes are written from the record, always minuted.
STANDING_KINDS = (
    AgendaItem.Kind.LATE_ITEMS,
    AgendaItem.Kind.DECLARATIONS,
    AgendaItem.Kind.APOLOGIES,
)


def _standing_minute(meeting: Meeting, kind: str) -> None:
    """Recording apologies, a substitute or a declaration writes the standing minute of its item
    (the minute's text is made from what is recorded), if the agenda has that item and the
    minutes are still a draft; approved minutes print them from the record all the same."""
    item = meeting.agenda_items.filter(kind=kind, withdrawn_at__isnull=True).first()
    if item is not None and not _approved(meeting):
        minute_take(meeting=meeting, agenda_item=item)


def _renumber(meeting: Meeting) -> None:
    """Number the meeting's minutes in the order they stand (``Minute.order``: agenda order),
    and the year's later meetings' minutes after them, from the first number the meeting
    holds. Minutes already released or approved keep their numbers: if any after this
    meeting's first minute is, nothing moves and the new minute keeps the next number."""
    year = Minute.objects.select_for_update(of=("self",)).filter(
        board=meeting.board, municipal_year=meeting.municipal_year
    )
    later = [
        minute
        for minute in year.select_related("meeting__minutes")
        if (minute.meeting.starts_at, minute.meeting_id) >= (meeting.starts_at, meeting.pk)
    ]
    if any(_is_fixed(minute.meeting) for minute in later):
        return
    later.sort(key=lambda m: (m.meeting.starts_at, m.meeting_id, m.order, m.pk))
    first = min(minute.number for minute in later)
    changed = []
    for number, minute in enumerate(later, start=first):
        if minute.number != number:
            minute.number = number
            changed.append(minute)
    if changed:
        # Step them out of the way first, so no two share a number at any moment.
        Minute.objects.filter(pk__in=[m.pk for m in changed]).update(number=F("number") + 100000)
        bulk_update_with_history(changed, Minute, ["number"], batch_size=500)
        signals.changed(*changed)  # search results link to a minute by its number


def _is_fixed(meeting: Meeting) -> bool:
    """Whether the meeting's minutes have been released or approved: their numbers are fixed."""
    record = getattr(meeting, "minutes", None)
    return record is not None and (record.is_approved or record.is_released)


def _minute_order(meeting: Meeting, agenda_item: AgendaItem | None) -> int:
    """Where a new minute stands: at its item's place on the agenda, or, for business off the
    agenda, just after the minute taken before it."""
    if agenda_item is not None:
        return agenda_item.number * 100
    latest = (
        Minute.objects.filter(meeting=meeting).order_by("-created", "-pk").values("order").first()
    )
    return (latest["order"] if latest else 0) + 1


def _next_minute_number(meeting: Meeting) -> int:
    last = Minute.objects.filter(
        board=meeting.board, municipal_year=meeting.municipal_year
    ).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


@transaction.atomic
def minute_take(
    *,
    meeting: Meeting,
    agenda_item: AgendaItem | None = None,
    title: str = "",
    by: User | None = None,
) -> Minute:
    """The minute for an item (or for business off the agenda, such as an adjournment), numbered
    in the board's sequence for the municipal year: the meeting's minutes in agenda order,
    whatever order they are taken in, until they are released or approved. Numbers are never
    reused."""
    if meeting.is_cancelled:
        raise ValidationError("This meeting was cancelled: it has no minutes.")
    if _approved(meeting):
        raise ValidationError("These minutes have been approved: no new minute can be added.")
    if agenda_item is not None:
        existing = agenda_item.minute_entries.filter(withdrawn_at__isnull=True).first()
        if existing is not None:
            return existing
        title = title or agenda_item.title
    if not title.strip():
        raise ValidationError({"title": "Give the minute a title."})
    minutes_for(meeting)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                minute = Minute(
                    meeting=meeting,
                    board=meeting.board,
                    municipal_year=meeting.municipal_year,
                    number=_next_minute_number(meeting),
                    order=_minute_order(meeting, agenda_item),
                    agenda_item=agenda_item,
                    title=title.strip(),
                    edited_by=by,
                )
                _set_history_user(minute, by)
                minute.save()
                _renumber(meeting)
                minute.refresh_from_db(fields=["number"])
                signals.changed(minute)
                return minute
        except IntegrityError:
            continue  # another officer took the number first: take the next one
    raise ValidationError("Could not number the minute. Try again.")


def _approved(meeting: Meeting) -> bool:
    record = getattr(meeting, "minutes", None)
    return record is not None and record.is_approved


@transaction.atomic
def minute_autosave(
    *,
    minute: Minute,
    narrative: str,
    version: int,
    by: User,
    notes_after: str | None = None,
) -> Minute:
    """Save the narrative, and the notes printed after the resolutions (left as they are when
    ``notes_after`` is None), if nobody else has saved since ``version``; otherwise raise
    StaleMinute with the current text, so both versions can be kept.

    Autosaves by one person within a few minutes are one entry in the minute's history.
    """
    # Its meeting and the meeting's record with it: the console saves every few seconds.
    current = (
        Minute.objects.select_for_update(of=("self",))
        .select_related("meeting__minutes")
        .get(pk=minute.pk)
    )
    if current.version != version:
        raise StaleMinute(current)
    if _approved(current.meeting):
        raise ValidationError(
            "These minutes have been approved as a correct record: correct them with a reason."
        )
    if notes_after is None:
        notes_after = current.notes_after
    if current.narrative == narrative and current.notes_after == notes_after:
        return current
    now = timezone.now()
    last = current.history.order_by("-history_date").first()
    coalesce = (
        last is not None
        and last.history_type == "~"
        and last.history_user_id == getattr(by, "pk", None)
        and not last.history_change_reason
        and now - last.history_date < COALESCE_AUTOSAVES
    )
    current.narrative = narrative
    current.notes_after = notes_after
    current.version += 1
    current.edited_by = by
    _set_history_user(current, by)
    if coalesce:
        _save_without_history(current)
        last.narrative = narrative
        last.notes_after = notes_after
        last.version = current.version
        last.modified = current.modified
        last.history_date = now
        last.save()
    else:
        current.save()
    signals.changed(current)
    return current


@transaction.atomic
def minute_update(
    *,
    minute: Minute,
    version: int,
    by: User,
    reason: str = "",
    **fields: object,
) -> Minute:
    """Change a minute's title, narrative, notes after the resolutions, public summary or chair
    (a correction once approved)."""
    current = Minute.objects.select_for_update().get(pk=minute.pk)
    if current.version != version:
        raise StaleMinute(current)
    _check_editable(current.meeting, reason, current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.edited_by = by
    _set_history_user(current, by)
    current.full_clean()
    current.save()
    signals.changed(current)
    return current


@transaction.atomic
def minute_restore(*, minute: Minute, history_id: int, by: User, reason: str = "") -> Minute:
    """Bring back an earlier version of a minute; restoring is itself a change in the history."""
    old = minute.history.get(history_id=history_id)
    current = Minute.objects.select_for_update().get(pk=minute.pk)
    _check_editable(current.meeting, reason, current)
    current.title = old.title
    current.narrative = old.narrative
    current.notes_after = old.notes_after
    current.public_summary = old.public_summary
    current.chair_id = old.chair_id
    current.version += 1
    current.edited_by = by
    _set_history_user(current, by)
    restored_from = formatting.long_datetime(old.history_date)
    correction = getattr(current, _CHANGE_REASON, "")
    _set_change_reason(
        current,
        f"Restored the version of {restored_from}" + (f" ({correction})" if correction else ""),
    )
    current.save()
    signals.changed(current)
    return current


@transaction.atomic
def minute_withdraw(*, minute: Minute, by: User, reason: str) -> None:
    """A minute taken in error keeps its number, withdrawn with the reason that explains the gap."""
    _check_editable(minute.meeting, reason, minute)
    if not reason.strip():
        raise ValidationError({"reason": "Say why: the gap in the numbering is explained by it."})
    minute.withdrawn_at = timezone.now()
    minute.withdrawn_by = by
    minute.withdrawal_reason = reason.strip()
    minute.save()
    signals.changed(minute)  # its text leaves search


@transaction.atomic
def resolution_add(
    *,
    minute: Minute,
    text: str,
    is_action: bool = False,
    owner_post: Post | None = None,
    owner_person: Person | None = None,
    owner_text: str = "",
    due_on: datetime.date | None = None,
    due_months: int | None = None,
    due_next_meeting: bool = False,
    due_wording: str = "",
    reason: str = "",
) -> Resolution:
    """The minute's next lettered resolution; an action when it asks someone to act.

    An action names one owner at most: a post, a person, or someone in words as the minutes name
    them ("the Democratic Services Manager"); or none. It is due by a date (not before the
    meeting), some months after the meeting (the date worked out from the meeting's, a month's
    last day kept as the last: ``boards.dates.add_months``), by the next meeting (its date read
    from the board's meetings once the next is scheduled), or at no date. How the council
    worded it is kept ("within six months", "by the next meeting" if not given) for the minutes
    to print with the date."""
    position = (minute.resolutions.aggregate(last=Max("position"))["last"] or 0) + 1
    resolution = Resolution(minute=minute, position=position, text=text.strip())
    _set_action(
        resolution,
        meeting=minute.meeting,
        is_action=is_action,
        owner_post=owner_post,
        owner_person=owner_person,
        owner_text=owner_text,
        due_on=due_on,
        due_months=due_months,
        due_next_meeting=due_next_meeting,
        due_wording=due_wording,
    )
    _check_editable(minute.meeting, reason, resolution)
    resolution.full_clean()
    resolution.save()
    signals.changed(minute)
    return resolution


def _set_action(
    resolution: Resolution,
    *,
    meeting: Meeting,
    is_action: bool,
    owner_post: Post | None,
    owner_person: Person | None,
    owner_text: str,
    due_on: datetime.date | None,
    due_months: int | None,
    due_next_meeting: bool,
    due_wording: str,
) -> None:
    """Check an action's owner and due date as ``resolution_add`` describes, and set them."""
    owner_text, due_wording = owner_text.strip(), due_wording.strip()
    owners = [owner for owner in (owner_post, owner_person, owner_text) if owner]
    dues = [due for due in (due_on, due_months, due_next_meeting or None) if due is not None]
    if not is_action:
        if owners or dues or due_wording:
            raise ValidationError(
                {
                    "is_action": (
                        "An owner or a due date is for an action: say that this asks someone "
                        "to do something, or leave them empty."
                    )
                }
            )
        return
    errors: dict[str, str] = {}
    if len(owners) > 1:
        errors["owner_post"] = "Name one owner at most: a post, a person or in words."
    if len(dues) > 1:
        errors["due_on"] = (
            "Give one due date at most: a date, a number of months or the next meeting."
        )
    elif due_on is not None and due_on < meeting.date:
        errors["due_on"] = (
            f"The due date is before the meeting ({formatting.short_date(meeting.date)}). "
            "Give a later date."
        )
    if due_months is not None and not 1 <= due_months <= MAX_DUE_MONTHS:
        errors["due_months"] = f"Give a number of months from 1 to {MAX_DUE_MONTHS}."
    if errors:
        raise ValidationError(errors)
    resolution.is_action = True
    resolution.owner_post, resolution.owner_person = owner_post, owner_person
    resolution.owner_text = owner_text
    resolution.due_months, resolution.due_next_meeting = due_months, due_next_meeting
    if due_months is not None:
        resolution.due_on = add_months(meeting.date, due_months)
        resolution.due_wording = due_wording or months_in_words(due_months)
    elif due_next_meeting:
        resolution.due_on = None
        resolution.due_wording = due_wording or NEXT_MEETING_WORDS
    else:
        resolution.due_on = due_on
        resolution.due_wording = due_wording


@transaction.atomic
def actions_follow_meeting(*, meeting: Meeting) -> int:
    """When a meeting moves, the actions it set due some months on move with it (those due by
    a date keep it; those due by the next meeting read its date whenever they are read).
    Returns how many moved."""
    moved = 0
    for action in Resolution.objects.filter(minute__meeting=meeting, due_months__isnull=False):
        due_on = add_months(meeting.date, action.due_months or 0)
        if action.due_on != due_on:
            action.due_on = due_on
            _set_change_reason(
                action, f"The meeting moved to {formatting.short_date(meeting.date)}"
            )
            action.save()
            moved += 1
    return moved


@transaction.atomic
def resolution_remove(*, resolution: Resolution, reason: str = "") -> None:
    """Remove a resolution and re-letter the rest, (a), (b), (c)…"""
    minute = resolution.minute
    _check_editable(minute.meeting, reason, resolution)
    if minute.resolutions.count() == 1 and Decision.objects.filter(minute=minute).exists():
        raise ValidationError(
            "This minute records a decision, which is what was resolved: remove the decision "
            "first, or add the resolution as it now stands before removing this one."
        )
    resolution.delete()
    later = list(minute.resolutions.filter(position__gt=resolution.position).order_by("position"))
    for item in later:
        item.position -= 1
        item.save()
    signals.changed(minute)


@transaction.atomic
def decision_record(
    *,
    minute: Minute,
    reasons: str,
    alternatives: str = "",
    key_decision: bool = False,
    by: User | None = None,
    reason: str = "",
) -> Decision:
    """Record the minute of a body that takes decisions as a decision, or change how it is
    recorded: what was resolved, with the reasons, the alternatives considered and rejected,
    and whether it is a key decision (a correction once the minutes are approved)."""
    if not minute.board.takes_decisions:
        raise ValidationError(
            f"{minute.board} does not take decisions: its minutes record resolutions."
        )
    if minute.withdrawn_at is not None:
        raise ValidationError("This minute was withdrawn: it records no decision.")
    if not minute.resolutions.exists():
        raise ValidationError("A decision is what the meeting resolved: add the resolution first.")
    decision = Decision.objects.filter(minute=minute).first() or Decision(minute=minute)
    _check_editable(minute.meeting, reason, decision)
    decision.reasons = reasons.strip()
    decision.alternatives = alternatives.strip()
    decision.key_decision = key_decision
    _set_history_user(decision, by)
    decision.full_clean()
    decision.save()
    signals.changed(minute)
    return decision


@transaction.atomic
def decision_remove(*, decision: Decision, reason: str = "") -> None:
    """The minute records no decision after all (a correction once approved)."""
    _check_editable(decision.minute.meeting, reason, decision)
    decision.delete()
    signals.changed(decision.minute)


@transaction.atomic
def action_done(*, resolution: Resolution, on: datetime.date, note: str = "") -> Resolution:
    if not resolution.is_action:
        raise ValidationError("Only an action can be marked done.")
    resolution.done_on = on
    resolution.done_note = note.strip()
    resolution.save()
    return resolution


@transaction.atomic
def minutes_set_times(
    *,
    record: MinutesRecord,
    chair: Person | None,
    started_at: datetime.time | None,
    ended_at: datetime.time | None,
    reason: str = "",
) -> MinutesRecord:
    _check_editable(record.meeting, reason, record)
    record.chair = chair
    record.started_at = started_at
    record.ended_at = ended_at
    record.full_clean()
    record.save()
    if record.meeting.status in (Meeting.Status.SCHEDULED, Meeting.Status.AGENDA_PUBLISHED):
        record.meeting.status = Meeting.Status.HELD
        record.meeting.save(update_fields=["status", "modified"])
    return record


@transaction.atomic
def minutes_release(
    *, minutes: MinutesRecord, by: User, at: datetime.datetime | None = None
) -> MinutesRecord:
    """Release the draft minutes to the public before their approval, dated and by whom. From
    then their numbers are fixed, and later corrections are kept as revisions in the history."""
    if minutes.is_approved:
        raise ValidationError("These minutes have been approved: they are published already.")
    if minutes.is_released:
        raise ValidationError("These draft minutes have already been released.")
    if not minutes.meeting.minute_entries.filter(withdrawn_at__isnull=True).exists():
        raise ValidationError("There are no minutes to release yet.")
    minutes.released_at = at or timezone.now()
    minutes.released_by = by
    _set_history_user(minutes, by)
    _set_change_reason(minutes, "Draft released to the public")
    minutes.full_clean()
    minutes.save()
    _fix_numbers(minutes.meeting)
    signals.changed(*minutes.meeting.minute_entries.all())  # the public may read them now
    return minutes


def _fix_numbers(meeting: Meeting) -> None:
    """Once the minutes are released or approved, each keeps its number and its resolutions'
    style as printed then, whatever the body's numbering becomes later."""
    unfixed = list(meeting.minute_entries.numbered().filter(printed_number=""))
    for minute in unfixed:
        minute.printed_number = minute.label_now
        minute.resolution_style = minute.board.resolution_style
    # Not a change to the record (it prints as it did), so not a version in its history.
    Minute.objects.bulk_update(unfixed, ["printed_number", "resolution_style"], batch_size=500)


@transaction.atomic
def minutes_approve(
    *, minutes: MinutesRecord, at: Meeting, by: User, unrecorded_confirmed: bool = False
) -> Minute:
    """The later meeting resolves the minutes a correct record: they are signed by whoever
    presided there, and locked. Returns the later meeting's minute that records it. While a
    member's attendance is not recorded, it takes ``unrecorded_confirmed``: the minutes would
    be approved saying so."""
    earlier = minutes.meeting
    if minutes.is_approved:
        raise ValidationError("These minutes have already been approved.")
    unrecorded = unrecorded_members(earlier)
    if unrecorded and not unrecorded_confirmed:
        names = ", ".join(person.short_name for person in unrecorded)
        raise ValidationError(
            {
                "unrecorded_confirmed": (
                    f"The attendance of {names} at the meeting of "
                    f"{formatting.short_date(earlier.starts_at)} is not recorded. Record it in "
                    "those minutes, or confirm they are approved saying it is not recorded."
                )
            }
        )
    if at.board_id != earlier.board_id or at.starts_at <= earlier.starts_at:
        raise ValidationError("Minutes are approved at a later meeting of the same board.")
    item = (
        at.agenda_items.filter(minutes_of=earlier).first()
        or at.agenda_items.filter(kind=AgendaItem.Kind.MINUTES).first()
    )
    minute = minute_take(
        meeting=at, agenda_item=item, title="" if item else "Minutes of the previous meeting", by=by
    )
    held_on = formatting.short_date(earlier.starts_at)
    resolution_add(
        minute=minute,
        text=f"That the minutes of the meeting held on {held_on} be approved as a correct record.",
    )
    presiding = minutes_for(at).chair or _chair_on(at)
    minutes.status = MinutesRecord.Status.APPROVED
    minutes.approved_at_meeting = at
    minutes.approved_on = timezone.now()
    minutes.signed_by = presiding
    approved_at = formatting.short_date(at.starts_at)
    _set_change_reason(minutes, f"Approved as a correct record at the meeting of {approved_at}")
    minutes.full_clean()
    minutes.save()
    _fix_numbers(minutes.meeting)
    minutes_approved.send(sender=MinutesRecord, minutes=minutes)
    return minute
