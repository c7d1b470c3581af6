"""The data of the documents the app shows and prints: the agenda and the minutes of a meeting as
an audience may read them. Pages and printed documents both build from these, so what is
printed is what is shown."""

from __future__ import annotations

from django.db.models import Prefetch

from boards.models import AgendaItem, Attendance, Meeting, Minute, MinutesRecord, Paper, Resolution
from boards.visibility import Audience


def agenda_for(meeting: Meeting, audience: Audience):
    """The meeting's agenda items and papers the audience may see, fetched in a fixed number of
    queries whatever the size of the agenda."""
    papers = (
        Paper.objects.visible_to(audience)
        .filter(parent__isnull=True)
        .select_related("publication", "report_of")
        .prefetch_related(
            Prefetch(
                "appendices",
                queryset=Paper.objects.visible_to(audience).select_related("publication"),
                to_attr="visible_appendices",
            )
        )
    )
    return (
        AgendaItem.objects.visible_to(audience)
        .filter(meeting=meeting)
        .select_related("lead_post", "publication", "minutes_of")
        .prefetch_related("wards", Prefetch("papers", queryset=papers, to_attr="visible_papers"))
        .order_by("number")
    )


def minutes_document(meeting: Meeting, audience: Audience) -> dict:
    """The minutes of a meeting as the audience may read them (pages and printing share this)."""
    record = (
        MinutesRecord.objects.filter(meeting=meeting)
        .select_related("chair", "signed_by", "approved_at_meeting")
        .first()
    )
    attendances = list(
        meeting.attendances.select_related("person", "substitute_for").prefetch_related("items")
    )
    minutes = list(
        Minute.objects.visible_to(audience)
        .filter(meeting=meeting)
        .select_related("agenda_item", "chair")
        .prefetch_related(
            Prefetch(
                "resolutions",
                queryset=Resolution.objects.select_related("owner_post", "owner_person"),
            )
        )
        .order_by("number")
    )
    declarations = list(meeting.declarations.select_related("person", "agenda_item"))
    late_items = [m.agenda_item for m in minutes if m.agenda_item and m.agenda_item.late]
    next_meeting = (
        Meeting.objects.filter(board=meeting.board, starts_at__gt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at")
        .first()
    )
    by_kind = {kind: [a for a in attendances if a.kind == kind] for kind in Attendance.Kind.values}
    return {
        "meeting": meeting,
        "record": record,
        "minutes": minutes,
        "members_present": [
            a
            for a in by_kind["member"] + by_kind["substitute"]
            if a.status == Attendance.Status.PRESENT
        ],
        "apologies": [a for a in by_kind["member"] if a.status == Attendance.Status.APOLOGIES],
        "substitutes": by_kind["substitute"],
        "in_attendance": by_kind["officer"] + by_kind["witness"] + by_kind["other"],
        "declarations": declarations,
        "late_items": late_items,
        "next_meeting": next_meeting,
    }
