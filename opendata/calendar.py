"""Meetings as an iCalendar feed (RFC 5545), built with the icalendar library.

A meeting is one event for its whole life: its UID is the meeting's own UUID, so a calendar
that subscribed follows it when it moves (SEQUENCE rises with every change of date, time or
venue, and the services raise it), and a cancelled meeting stays in the feed as
``STATUS:CANCELLED`` so calendars strike it out rather than leaving it there. Meetings are
public: an event carries the board, time, venue, status and a link to the meeting's page,
never anything from the agenda.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable

import icalendar
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from boards import formatting
from boards.models import Meeting
from boards.models.meetings import MeetingQuerySet
from boards.visibility import Audience
from decisions.models import CallInRules, ForwardPlanEntry

STATUS: dict[str, icalendar.STATUS] = {
    Meeting.Status.SCHEDULED: icalendar.STATUS.CONFIRMED,
    Meeting.Status.AGENDA_PUBLISHED: icalendar.STATUS.CONFIRMED,
    Meeting.Status.HELD: icalendar.STATUS.CONFIRMED,
    Meeting.Status.POSTPONED: icalendar.STATUS.TENTATIVE,
    Meeting.Status.CANCELLED: icalendar.STATUS.CANCELLED,
}
PREFIX: dict[str, str] = {
    Meeting.Status.CANCELLED: "Cancelled: ",
    Meeting.Status.POSTPONED: "Postponed: ",
}
# How far back a feed reaches: calendars need the recent past, not every meeting ever held.
HISTORY = datetime.timedelta(days=366)
REFRESH = datetime.timedelta(hours=1)


def feed_meetings(
    meetings: MeetingQuerySet[Meeting], now: datetime.datetime
) -> MeetingQuerySet[Meeting]:
    """The meetings a feed carries: from a year ago on, in one query."""
    return meetings.for_list().filter(starts_at__gte=now - HISTORY).order_by("starts_at", "pk")


def meetings_calendar(
    meetings: Iterable[Meeting],
    *,
    name: str,
    council: str,
    feed_url: str,
    absolute: Callable[[str], str],
) -> bytes:
    """The calendar of ``meetings``; ``absolute`` turns a path into a full URL."""
    meetings = list(meetings)
    events = [meeting_event(meeting, absolute) for meeting in meetings]
    calendar = icalendar.Calendar.new(
        prodid=f"-//{council}//Scrutiny//EN",
        name=name,
        method="PUBLISH",
        calscale="GREGORIAN",
        refresh_interval=REFRESH,
        url=feed_url,
        # Stable, so a calendar that subscribed knows it is the same calendar next time.
        uid=uuid.uuid5(uuid.NAMESPACE_URL, feed_url),
        subcomponents=events,
    )
    calendar["X-WR-TIMEZONE"] = timezone.get_current_timezone_name()
    if events:
        starts = [timezone.localdate(meeting.starts_at) for meeting in meetings]
        calendar.add_missing_timezones(
            first_date=min(starts) - datetime.timedelta(days=1),
            last_date=max(starts) + datetime.timedelta(days=366),
        )
    return calendar.to_ical()


def meeting_event(meeting: Meeting, absolute: Callable[[str], str]) -> icalendar.Event:
    url = absolute(meeting.get_absolute_url())
    return icalendar.Event.new(
        uid=str(meeting.uid),
        sequence=meeting.sequence,
        summary=PREFIX.get(meeting.status, "") + meeting.board.name,
        start=timezone.localtime(meeting.starts_at),
        end=timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
        location=meeting.venue.one_line if meeting.venue else None,
        url=url,
        description=_description(meeting, url),
        status=STATUS[meeting.status],
        created=meeting.created,
        last_modified=meeting.modified,
        stamp=meeting.modified,
    )


def _description(meeting: Meeting, url: str) -> str:
    lines = []
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.POSTPONED):
        lines.append(f"This meeting has been {meeting.get_status_display().lower()}.")
    elif meeting.moved_from is not None:
        lines.append(f"Moved from {formatting.long_datetime(meeting.moved_from)}.")
    if meeting.status_reason:
        lines.append(meeting.status_reason)
    if meeting.pre_meeting_at and not meeting.is_cancelled:
        lines.append(f"Pre-meeting for members at {formatting.clock(meeting.pre_meeting_at)}.")
    lines.append(f"Agenda, papers and minutes: {url}")
    return "\n\n".join(lines)


# The forward plan: each expected key decision an all-day event -----------------------------


def feed_notices(today: datetime.date) -> QuerySet[ForwardPlanEntry]:
    """The published notices a calendar carries (as the public sees them): decisions expected
    from a year ago on, each with the number of its changes, in one query."""
    changes = (
        ForwardPlanEntry.history.model.objects.filter(id=OuterRef("pk"))
        .values("id")
        .annotate(count=Count("*"))
        .values("count")
    )
    return (
        ForwardPlanEntry.objects.visible_to(Audience.public())
        .filter(published_on__isnull=False, decision_due_on__gte=today - HISTORY)
        .select_related("decision_maker", "maker_post")
        .annotate(changes=Coalesce(Subquery(changes, output_field=IntegerField()), 1))
        .order_by("decision_due_on", "pk")
    )


def forward_plan_calendar(
    notices: Iterable[ForwardPlanEntry],
    *,
    name: str,
    council: str,
    feed_url: str,
    absolute: Callable[[str], str],
) -> bytes:
    """The calendar of the expected key decisions: each an all-day event on the day the
    decision is expected, which follows it when the date moves (one UID for ever, SEQUENCE
    rising with every change of the notice) and is cancelled when the notice is withdrawn."""
    rules_ = CallInRules.load()
    calendar = icalendar.Calendar.new(
        prodid=f"-//{council}//Scrutiny//EN",
        name=name,
        method="PUBLISH",
        calscale="GREGORIAN",
        refresh_interval=REFRESH,
        url=feed_url,
        uid=uuid.uuid5(uuid.NAMESPACE_URL, feed_url),
        subcomponents=[notice_event(notice, absolute, rules_) for notice in notices],
    )
    return calendar.to_ical()


def notice_event(
    notice: ForwardPlanEntry, absolute: Callable[[str], str], rules_: CallInRules
) -> icalendar.Event:
    url = absolute(notice.get_absolute_url())
    maker = notice.maker_post.title if notice.maker_post else notice.decision_maker.name
    lines = [f"Decision maker: {maker}.", f"Notice: {notice.get_notice_display()}."]
    earliest = notice.earliest_decision(rules_)
    if earliest is not None:
        lines.append(f"Earliest date of the decision: {formatting.long_date(earliest)}.")
    if notice.private:
        lines.append(
            f"To be decided in private (paragraph {notice.private_paragraph} of Part 1 of "
            "Schedule 12A to the Local Government Act 1972)."
        )
    if notice.withdrawn_at is not None:
        lines.insert(0, f"This notice has been withdrawn: {notice.withdrawal_reason}")
    lines.append(f"The notice: {url}")
    title = f"{notice.reference}: {notice.title}" if notice.reference else notice.title
    withdrawn = notice.withdrawn_at is not None
    return icalendar.Event.new(
        # The notice's own address: unique, and stable while the site keeps its address.
        uid=str(uuid.uuid5(uuid.NAMESPACE_URL, url)),
        sequence=max(getattr(notice, "changes", 1) - 1, 0),
        summary=("Withdrawn: " if withdrawn else "Key decision expected: ") + title,
        start=notice.decision_due_on,
        end=notice.decision_due_on + datetime.timedelta(days=1),
        url=url,
        description="\n\n".join(lines),
        status=icalendar.STATUS.CANCELLED if withdrawn else icalendar.STATUS.TENTATIVE,
        created=notice.created,
        last_modified=notice.modified,
        stamp=notice.modified,
    )
