"""Calendar feeds (iCalendar) of all meetings and of each board: public, the same for everyone."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from boards.models import Board, Council, Meeting
from boards.models.meetings import MeetingQuerySet
from opendata import calendar


def _calendar_response(
    request: HttpRequest, meetings: MeetingQuerySet[Meeting], name: str, filename: str
) -> HttpResponse:
    council = Council.load().name
    body = calendar.meetings_calendar(
        calendar.feed_meetings(meetings, timezone.now()),
        name=f"{name} – {council}",
        council=council,
        feed_url=request.build_absolute_uri(),
        absolute=request.build_absolute_uri,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


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
