"""How the record of meetings answers what boards asks and announces (``boards.signals``)."""

from __future__ import annotations

from minutes import services
from minutes.models import Attendance


def substitute_meetings(sender, *, user, **kwargs) -> list[int]:
    """A councillor recorded as substituting at a meeting is a member of the board for that
    meeting: they read its exempt papers and minutes (``boards.visibility``)."""
    return list(
        Attendance.objects.filter(person__user=user, kind=Attendance.Kind.SUBSTITUTE).values_list(
            "meeting_id", flat=True
        )
    )


def actions_follow_meeting(sender, *, meeting, **kwargs) -> None:
    """A meeting moved: the actions it set due some months on are dated from its new date."""
    services.actions_follow_meeting(meeting=meeting)
