"""Taking, correcting and approving minutes."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Model
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

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
    "attendance_all_present",
    "minutes_approve",
    "minutes_draft",
    "minutes_release",
    "minutes_for",
    "minutes_open",
    "minutes_set_times",
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
def attendance_all_present(*, meeting: Meeting, reason: str = "") -> int:
    """Every member not yet recorded is present: the one action for the usual case. Those
    already recorded (apologies, absent) are left as they are. Returns how many changed."""
    waiting = list(
        meeting.attendances.filter(
            kind=Attendance.Kind.MEMBER, status=Attendance.Status.NOT_RECORDED
        ).select_for_update()
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
    record = Attendance(
        meeting=meeting,
        person=person,
        kind=kind,
        status=Attendance.Status.PRESENT,
        capacity=capacity,
    )
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
    _standing_minute(meeting, AgendaItem.Kind.DECLARATIONS)
    return declaration


@transaction.atomic
def declaration_remove(*, declaration: Declaration, reason: str = "") -> None:
    _check_editable(declaration.meeting, reason, declaration)
    declaration.delete()


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
    return minutes


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
    minutes_approved.send(sender=MinutesRecord, minutes=minutes)
    return minute
