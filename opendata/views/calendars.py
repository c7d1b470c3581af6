"""Calendar feeds (iCalendar) of all meetings and of each board: public, the same for everyone."""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from boards.models import Board, Council, Meeting
from boards.models.meetings import MeetingQuerySet
from opendata import calendar


def _calendar_response(
    request: HttpRequest, meetings: MeetingQuerySet[Meeting], name: str, filename: str
) -> HttpResponse:
    council = Council.load()
    now = timezone.now()
    carried = list(calendar.feed_meetings(meetings, now))
    body = calendar.meetings_calendar(
        carried,
        name=f"{name} – {council.name}",
        council=council.name,
        feed_url=request.build_absolute_uri(),
        absolute=request.build_absolute_uri,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if changed := _last_changed(meetings, carried, council, now):
        # With the ETag (ConditionalGetMiddleware), a calendar app asking again gets 304.
        response["Last-Modified"] = http_date(int(changed.timestamp()))
    return response


def _last_changed(
    meetings: MeetingQuerySet[Meeting],
    carried: list[Meeting],
    council: Council,
    now: datetime.datetime,
) -> datetime.datetime | None:
    """When the calendar last changed: the latest change to a meeting it carries, their boards
    and venues and the council's name, or the moment the last meeting to leave it (a year after
    it was held) did so, if later."""
    moments = [council.modified] if council.modified else []
    for meeting in carried:
        moments += [meeting.modified, meeting.board.modified]
        if meeting.venue is not None:
            moments.append(meeting.venue.modified)
    left = meetings.filter(starts_at__lt=now - calendar.HISTORY).aggregate(latest=Max("starts_at"))[
        "latest"
    ]
    if left is not None:
        moments.append(left + calendar.HISTORY)
    return max(moments, default=None)


@require_GET
def calendar_all(request: HttpRequest) -> HttpResponse:
    return _calendar_response(request, Meeting.objects.all(), "Meetings", "meetings.ics")


@require_GET
def calendar_board(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_object_or_404(Board, slug=slug)
    return _calendar_response(
        request, board.meetings.all(), f"{board.name}: meetings", f"{board.slug}.ics"
    )


@require_GET
def calendar_forward_plan(request: HttpRequest) -> HttpResponse:
    """The key decisions the forward plan expects, each an all-day event on its expected day."""
    council = Council.load().name
    body = calendar.forward_plan_calendar(
        calendar.feed_notices(timezone.localdate()),
        name=f"Key decisions expected – {council}",
        council=council,
        feed_url=request.build_absolute_uri(),
        absolute=request.build_absolute_uri,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="forward-plan.ics"'
    return response
