"""A board's work schedule for a municipal year: areas of review against months, filled from the
sessions and agenda items that exist, the open actions of the board's minutes in the months they
are due, and the entries officers add where none do."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from boards import formatting
from boards import services as board_services
from boards.access import AnyUser
from boards.dates import add_months
from boards.models import AgendaItem, Board, MunicipalYear
from boards.visibility import Audience
from decisions.models import ForwardPlanEntry
from inquiries.models import Session, WorkScheduleEntry
from inquiries.services import FORWARD_PLAN_AREA
from minutes.models import Resolution

TRACKING_AREA = "Recommendation tracking"
ACTIONS_AREA = "Actions from minutes"


@dataclass(frozen=True)
class Linked:
    """A note of the grid that links to its record (a notice picked from the forward plan)."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


def months_of(year: MunicipalYear) -> list[datetime.date]:
    first = year.starts_on.replace(day=1)
    return [add_months(first, n) for n in range(12)]


def grid(board: Board, year: MunicipalYear, audience: Audience) -> dict:
    """The rows of areas against the year's months; last, the open actions of the board's
    minutes (those the audience may read) in the months they are due, and in a row of their own
    those with no date yet (due by a next meeting not yet scheduled, or given no date) that
    were set by then."""
    months = months_of(year)
    start, end = months[0], add_months(months[-1], 1)
    cells: dict[str, dict[datetime.date, list[str | Linked]]] = defaultdict(
        lambda: defaultdict(list)
    )

    def month_of(day: datetime.date) -> datetime.date:
        return day.replace(day=1)

    sessions = Session.objects.filter(
        inquiry__board=board,
        agenda_item__meeting__starts_at__date__gte=start,
        agenda_item__meeting__starts_at__date__lt=end,
    ).select_related("inquiry", "agenda_item__meeting")
    for session in sessions:
        cells[session.inquiry.title][month_of(session.agenda_item.meeting.date)].append(
            f"Session {session.number}"
        )
    tracking = AgendaItem.objects.filter(
        meeting__board=board,
        title__startswith="Recommendation tracking",
        meeting__starts_at__date__gte=start,
        meeting__starts_at__date__lt=end,
        withdrawn_at__isnull=True,
    ).select_related("meeting")
    for item in tracking:
        label = item.title.removeprefix("Recommendation tracking – ")
        cells[TRACKING_AREA][month_of(item.meeting.date)].append(label)
    entries = WorkScheduleEntry.objects.filter(
        board=board, month__gte=start, month__lt=end
    ).select_related("forward_plan_entry")
    for entry in entries:
        notice = entry.forward_plan_entry
        if notice is None:
            cells[entry.area][entry.month].append(entry.note)
            continue
        text = entry.note
        if notice.withdrawn_at is not None:
            text += " (notice withdrawn)"
        elif notice.decision_due_on.replace(day=1) != entry.month:
            text += f" (decision expected {formatting.short_date(notice.decision_due_on)})"
        cells[entry.area][entry.month].append(Linked(text, notice.get_absolute_url()))
    rows: list[dict[str, Any]] = [
        {"area": area, "cells": [cells[area].get(month, []) for month in months]}
        for area in sorted(cells, key=lambda a: (a == TRACKING_AREA, a))
    ]
    actions = list(
        Resolution.objects.open_actions()
        .visible_to(audience)
        .filter(minute__board=board)
        .filter(
            Q(due__gte=start, due__lt=end)
            | Q(due__isnull=True, minute__meeting__starts_at__date__lt=end)
        )
    )
    due: dict[datetime.date, list[Resolution]] = defaultdict(list)
    for action in actions:
        if action.due_date is not None:
            due[month_of(action.due_date)].append(action)
    undated = [action for action in actions if action.due_date is None]
    if due or undated:
        rows.append(
            {"area": ACTIONS_AREA, "cells": [due.get(m, []) for m in months], "actions": True}
        )
    return {"months": months, "rows": rows, "entries": entries, "undated_actions": undated}


def schedule(board: Board, year_pk: str | None, today: datetime.date, audience: Audience) -> dict:
    """The work schedule as its page and its PDF show it to the audience: the chosen municipal
    year (by default the latest the board has meetings in), the years to choose from and the
    grid."""
    years = list(MunicipalYear.objects.filter(meetings__board=board).distinct())
    year = next((y for y in years if str(y.pk) == year_pk), None) or (
        years[0] if years else board_services.municipal_year_on(today)
    )
    return {
        "board": board,
        "year": year,
        "years": years,
        "schedule_title": f"Work schedule {year.label}: {board.name}",
        **grid(board, year, audience),
    }


# Picking notices from the forward plan ---------------------------------------------------------


def boards_to_pick_into(user: AnyUser) -> QuerySet[Board]:
    """The scrutiny boards whose work schedule the user keeps."""
    return Board.objects.editable_by(user).filter(
        kind__in=(Board.Kind.SCRUTINY, Board.Kind.OVERVIEW)
    )


def pick_initial(notice: ForwardPlanEntry) -> dict[str, Any]:
    """The pick form's defaults: the forward plan's row, the month of the expected decision."""
    return {"area": FORWARD_PLAN_AREA, "month": notice.decision_due_on.replace(day=1)}
