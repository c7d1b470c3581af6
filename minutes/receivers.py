"""How the record of meetings answers what boards asks (``boards.signals``)."""

from __future__ import annotations

from minutes.models import Attendance


def substitute_meetings(sender, *, user, **kwargs) -> list[int]:
    """A councillor recorded as substituting at a meeting is a member of the board for that
    meeting: they read its exempt papers and minutes (``boards.visibility``)."""
    return list(
        Attendance.objects.filter(person__user=user, kind=Attendance.Kind.SUBSTITUTE).values_list(
            "meeting_id", flat=True
        )
    )
