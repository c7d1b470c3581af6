"""The link to a meeting's dispatch list that the meeting page shows those whose body it is:
``{% load summons %}`` then ``{% summons_link meeting %}``, with how the summons went (one
query, and none for anyone else)."""

from __future__ import annotations

from django import template
from django.db.models import Count

from boards.access import responsible_for
from boards.models import Meeting
from summons.models import Dispatch

register = template.Library()


@register.inclusion_tag("includes/summons_link.html", takes_context=True)
def summons_link(context, meeting: Meeting) -> dict:
    request = context.get("request")
    if request is None or not responsible_for(request.user, meeting.board):
        return {"shown": False}
    counts = dict(
        Dispatch.objects.of_meeting(meeting)
        .values("status")
        .annotate(rows=Count("pk"))
        .values_list("status", "rows")
    )
    return {
        "shown": True,
        "meeting": meeting,
        "total": sum(counts.values()),
        "reached": counts.get(Dispatch.Status.SENT, 0) + counts.get(Dispatch.Status.DELIVERED, 0),
        "not_sent": counts.get(Dispatch.Status.FAILED, 0),
        "waiting": counts.get(Dispatch.Status.QUEUED, 0) + counts.get(Dispatch.Status.SENDING, 0),
    }
