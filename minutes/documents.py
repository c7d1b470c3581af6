"""The data of the record's documents as an audience may read them: a meeting's minutes, and a
subject's history with its decisions. Pages and printed documents both build from these, so
what is printed is what is shown."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch

from boards.models import AgendaItem, Meeting, Subject
from boards.visibility import Audience
from minutes.models import (
    Attendance,
    Declaration,
    MeetingEvent,
    Minute,
    MinutesRecord,
    Movement,
    Resolution,
)


def minutes_document(meeting: Meeting, audience: Audience) -> dict:
    """The minutes of a meeting as the audience may read them (pages and printing share this)."""
    record = (
        MinutesRecord.objects.filter(meeting=meeting)
        .select_related("chair", "signed_by", "approved_at_meeting", "released_by")
        .first()
    )
    attendances = list(
        meeting.attendances.select_related("person", "post", "substitute_for")
        .prefetch_related("items")
        .order_by("kind", "person__family_name", "post__title", "pk")
    )
    minutes = list(
        Minute.objects.visible_to(audience)
        .filter(meeting=meeting)
        .numbered()
        .select_related("chair", "decision", "agenda_item__subject")
        .prefetch_related(
            Prefetch(
                "resolutions",
                queryset=Resolution.objects.with_due().select_related("owner_post", "owner_person"),
            ),
            # Who left the room for the item having declared an interest: printed in the item's
            # minute.
            Prefetch(
                "agenda_item__declarations",
                queryset=Declaration.objects.filter(left_room=True).select_related("person"),
                to_attr="people_leaving_the_room",
            ),
        )
        .order_by("number")
    )
    for minute in minutes:
        # The page links each item's subject to its history, when the audience may see the item.
        item = minute.agenda_item
        minute.subject = item.subject if item and item.is_listed_to(audience) else None
    declarations = list(meeting.declarations.select_related("person", "agenda_item"))
    late_items = [m.agenda_item for m in minutes if m.agenda_item and m.agenda_item.late]
    next_meeting = (
        Meeting.objects.filter(board=meeting.board, starts_at__gt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at")
        .first()
    )
    by_kind = {kind: [a for a in attendances if a.kind == kind] for kind in Attendance.Kind.values}
    # Arrivals and departures print in the minute of the item they happened during; those by
    # the time alone, or during an item with no minute, print with the attendance. One query
    # reads them all.
    minuted_items = {m.agenda_item_id for m in minutes if m.agenda_item_id and not m.withdrawn_at}
    all_movements = list(_movements().filter(attendance__meeting=meeting))
    for minute in minutes:
        minute.people_moving = [
            movement
            for movement in all_movements
            if minute.agenda_item_id in minuted_items
            and movement.agenda_item_id == minute.agenda_item_id
            and not minute.withdrawn_at
        ]
    movements = [m for m in all_movements if m.agenda_item_id not in minuted_items]
    events_at_start = _place_events(meeting, minutes)
    members_present = [
        a
        for a in by_kind["member"] + by_kind["substitute"]
        if a.status == Attendance.Status.PRESENT
    ]
    # What the standing items record is written from the record, in their minutes; where the
    # agenda had no such item to minute, it is printed with the attendance instead.
    minuted = {m.agenda_item.kind for m in minutes if m.agenda_item and not m.withdrawn_at}
    return {
        "meeting": meeting,
        "record": record,
        "minutes": minutes,
        "members_present": members_present,
        # Those present besides the chair, as the minutes list them after "in the Chair".
        "others_present": [
            a for a in members_present if record is None or a.person_id != record.chair_id
        ],
        "apologies": [a for a in by_kind["member"] if a.status == Attendance.Status.APOLOGIES],
        "not_recorded": [
            a for a in by_kind["member"] if a.status == Attendance.Status.NOT_RECORDED
        ],
        "apologies_unminuted": AgendaItem.Kind.APOLOGIES not in minuted,
        "declarations_unminuted": AgendaItem.Kind.DECLARATIONS not in minuted,
        "substitutes": by_kind["substitute"],
        "also_attending": by_kind["councillor"],
        "in_attendance": by_kind["officer"] + by_kind["witness"] + by_kind["other"],
        "movements": movements,
        "events_at_start": events_at_start,
        "declarations": declarations,
        "late_items": late_items,
        "next_meeting": next_meeting,
    }


def _place_events(meeting: Meeting, minutes: Sequence[Minute]) -> list[MeetingEvent]:
    """Read the meeting's adjournments and changes of chair (one query) and give each minute
    those it prints: changes of chair at its start, adjournments after it. Returns those printed
    with the start of the meeting: with no item, or at an item with no minute."""
    events = list(
        MeetingEvent.objects.filter(meeting=meeting).select_related("chair", "agenda_item")
    )
    # A chair presides until the next change of chair: to the item before it.
    changes = sorted(
        (e for e in events if not e.is_adjournment and e.agenda_item is not None),
        key=lambda e: e.agenda_item.number if e.agenda_item else 0,
    )
    # Each item's number as printed ("5a"), from the minutes' items already read.
    shown = {m.agenda_item.number: m.agenda_item.shown_number for m in minutes if m.agenda_item}
    for change, following in zip(changes, changes[1:], strict=False):
        if following.agenda_item is not None:
            change.last_item_number = last = following.agenda_item.number - 1
            change.last_item_shown = shown.get(last, str(last))
    by_item: dict[int, list[MeetingEvent]] = {}
    for event in events:
        if event.agenda_item_id is not None:
            by_item.setdefault(event.agenda_item_id, []).append(event)
    placed: set[int] = set()
    for minute in minutes:
        here = [] if minute.withdrawn_at else by_item.get(minute.agenda_item_id or 0, [])
        minute.opening_events = [e for e in here if not e.is_adjournment]
        minute.closing_events = [e for e in here if e.is_adjournment]
        placed.update(e.pk for e in here)
    return [e for e in events if e.pk not in placed]


def _movements():
    return Movement.objects.select_related("attendance__person", "attendance__post", "agenda_item")


def subject_history(subject: Subject, audience: Audience) -> list[dict]:
    """Every meeting, body and item where the subject was considered, in date order, with the
    decision from the minutes where there are minutes."""
    items = (
        AgendaItem.objects.visible_to(audience)
        .filter(subject=subject)
        .select_related("meeting__board", "meeting__minutes")
        .prefetch_related(
            Prefetch(
                "minute_entries",
                queryset=Minute.objects.visible_to(audience)
                .numbered()
                .select_related("decision")
                .filter(withdrawn_at__isnull=True)
                .prefetch_related(Prefetch("resolutions", queryset=Resolution.objects.all())),
                to_attr="visible_minutes",
            )
        )
        .order_by("meeting__starts_at", "number")
    )
    rows = []
    for item in items:
        minute = item.visible_minutes[0] if item.visible_minutes else None
        record = getattr(item.meeting, "minutes", None)
        if minute is not None and not (record and record.is_published_to(audience)):
            minute = None  # draft minutes are not published to this audience
        show = item.content_visible and (minute is None or minute.content_visible)
        rows.append(
            {
                "item": item,
                "minute": minute,
                "decisions": list(minute.resolutions.all()) if minute and show else [],
                "content_visible": show,
            }
        )
    return rows
