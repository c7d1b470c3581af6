"""Taking, correcting and approving minutes."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.utils import timezone

from boards import formatting, signals
from boards.models import AgendaItem, Meeting, Membership, Person, Post
from minutes.models import Attendance, Declaration, Minute, MinutesRecord, Resolution
from minutes.signals import minutes_approved

# Autosaves by the same person within this time are one change in the history.
COALESCE_AUTOSAVES = datetime.timedelta(minutes=5)

__all__ = [
    "StaleMinute",
    "action_done",
    "attendance_draft",
    "attendance_prefill",
    "attendance_set",
    "attendee_add",
    "attendee_remove",
    "declaration_add",
    "declaration_remove",
    "minute_autosave",
    "minute_restore",
    "minute_take",
    "minute_update",
    "minute_withdraw",
    "minutes_approve",
    "minutes_draft",
    "minutes_for",
    "minutes_open",
    "minutes_set_times",
    "resolution_add",
    "resolution_remove",
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
    record = MinutesRecord.objects.filter(meeting=meeting).first()
    return record or MinutesRecord(meeting=meeting, chair=_chair_on(meeting))


def attendance_draft(meeting: Meeting) -> list[Attendance]:
    """Everyone recorded at the meeting, then (unsaved) each member of the board on the day not
    yet recorded, as ``attendance_prefill`` would record them; nothing is written."""
    recorded = list(
        meeting.attendances.select_related("person__ward", "substitute_for").prefetch_related(
            "items"
        )
    )
    seated = {attendance.person_id for attendance in recorded}
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
def minutes_open(meeting: Meeting) -> MinutesRecord:
    """Before the first thing is recorded in the console: the minutes record, and a row for
    each member of the board on the day."""
    record = minutes_for(meeting)
    attendance_prefill(meeting)
    return record


@transaction.atomic
def minutes_for(meeting: Meeting) -> MinutesRecord:
    record, created = MinutesRecord.objects.get_or_create(
        meeting=meeting, defaults={"chair": _chair_on(meeting)}
    )
    return record


@transaction.atomic
def attendance_prefill(meeting: Meeting) -> None:
    """Every member of the board on the day of the meeting, marked present until told otherwise."""
    seated = set(meeting.attendances.values_list("person_id", flat=True))
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
            substitute_for=person,
        )
    return record


@transaction.atomic
def attendee_add(
    *,
    meeting: Meeting,
    person: Person,
    kind: str,
    capacity: str = "",
    items: list[AgendaItem] | tuple = (),
    reason: str = "",
) -> Attendance:
    """An officer, witness or other person in attendance, for the whole meeting or some items;
    someone new (an unsaved ``person``) is added to the people first."""
    if person.pk is None:
        person.full_clean()
        person.save()
    elif meeting.attendances.filter(person=person).exists():
        raise ValidationError({"person": f"{person} is already recorded at this meeting."})
    record = Attendance(meeting=meeting, person=person, kind=kind, capacity=capacity)
    _check_editable(meeting, reason, record)
    record.full_clean()
    record.save()
    record.items.set(items)
    return record


@transaction.atomic
def attendee_remove(*, attendance: Attendance, reason: str = "") -> None:
    _check_editable(attendance.meeting, reason, attendance)
    if attendance.kind == Attendance.Kind.MEMBER:
        raise ValidationError("Members stay on the list: mark them absent instead.")
    attendance.delete()


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
    if agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": "Choose an item of this meeting."})
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
    return declaration


@transaction.atomic
def declaration_remove(*, declaration: Declaration, reason: str = "") -> None:
    _check_editable(declaration.meeting, reason, declaration)
    declaration.delete()


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
    """The minute for an item (or for business off the agenda, such as an adjournment), with the
    next number in the board's sequence for the municipal year. Numbers are never reused."""
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
                    agenda_item=agenda_item,
                    title=title.strip(),
                    edited_by=by,
                )
                _set_history_user(minute, by)
                minute.save()
                signals.changed(minute)
                return minute
        except IntegrityError:
            continue  # another officer took the number first: take the next one
    raise ValidationError("Could not number the minute. Try again.")


def _approved(meeting: Meeting) -> bool:
    record = getattr(meeting, "minutes", None)
    return record is not None and record.is_approved


@transaction.atomic
def minute_autosave(*, minute: Minute, narrative: str, version: int, by: User) -> Minute:
    """Save the narrative if nobody else has saved since ``version``; otherwise raise
    StaleMinute with the current text, so both versions can be kept.

    Autosaves by one person within a few minutes are one entry in the minute's history.
    """
    current = Minute.objects.select_for_update().get(pk=minute.pk)
    if current.version != version:
        raise StaleMinute(current)
    if _approved(current.meeting):
        raise ValidationError(
            "These minutes have been approved as a correct record: correct them with a reason."
        )
    if current.narrative == narrative:
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
    current.version += 1
    current.edited_by = by
    _set_history_user(current, by)
    if coalesce:
        _save_without_history(current)
        last.narrative = narrative
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
    """Change a minute's title, narrative, public summary or chair (a correction once approved)."""
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


@transaction.atomic
def resolution_add(
    *,
    minute: Minute,
    text: str,
    is_action: bool = False,
    owner_post: Post | None = None,
    owner_person: Person | None = None,
    due_on: datetime.date | None = None,
    reason: str = "",
) -> Resolution:
    if is_action and owner_post is None and owner_person is None:
        raise ValidationError({"owner_post": "An action needs an owner: a post or a person."})
    position = (minute.resolutions.aggregate(last=Max("position"))["last"] or 0) + 1
    resolution = Resolution(
        minute=minute,
        position=position,
        text=text.strip(),
        is_action=is_action,
        owner_post=owner_post if is_action else None,
        owner_person=owner_person if is_action else None,
        due_on=due_on if is_action else None,
    )
    _check_editable(minute.meeting, reason, resolution)
    resolution.full_clean()
    resolution.save()
    signals.changed(minute)
    return resolution


@transaction.atomic
def resolution_remove(*, resolution: Resolution, reason: str = "") -> None:
    """Remove a resolution and re-letter the rest, (a), (b), (c)…"""
    minute = resolution.minute
    _check_editable(minute.meeting, reason, resolution)
    resolution.delete()
    later = list(minute.resolutions.filter(position__gt=resolution.position).order_by("position"))
    for item in later:
        item.position -= 1
        item.save()
    signals.changed(minute)


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
def minutes_approve(*, minutes: MinutesRecord, at: Meeting, by: User) -> Minute:
    """The later meeting resolves the minutes a correct record: they are signed by whoever
    presided there, and locked. Returns the later meeting's minute that records it."""
    earlier = minutes.meeting
    if minutes.is_approved:
        raise ValidationError("These minutes have already been approved.")
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
    minutes_approved.send(sender=MinutesRecord, minutes=minutes)
    return minute
