"""A board's work schedule for a municipal year: areas of review against months, filled from the
sessions and agenda items that exist and from the entries officers add where none do."""

from __future__ import annotations

import datetime
from collections import defaultdict

from boards import services as board_services
from boards.dates import add_months
from boards.models import AgendaItem, Board, MunicipalYear
from inquiries.models import Session, WorkScheduleEntry

TRACKING_AREA = "Recommendation tracking"


def months_of(year: MunicipalYear) -> list[datetime.date]:
    first = year.starts_on.replace(day=1)
    return [add_months(first, n) for n in range(12)]


def grid(board: Board, year: MunicipalYear) -> dict:
    months = months_of(year)
    start, end = months[0], add_months(months[-1], 1)
    cells: dict[str, dict[datetime.date, list[str]]] = defaultdict(lambda: defaultdict(list))

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
    entries = WorkScheduleEntry.objects.filter(board=board, month__gte=start, month__lt=end)
    for entry in entries:
        cells[entry.area][entry.month].append(entry.note)
    rows = [
        {"area": area, "cells": [cells[area].get(month, []) for month in months]}
        for area in sorted(cells, key=lambda a: (a == TRACKING_AREA, a))
    ]
    return {"months": months, "rows": rows, "entries": entries}


def schedule(board: Board, year_pk: str | None, today: datetime.date) -> dict:
    """The work schedule as its page and its PDF show it: the chosen municipal year (by default
    the latest the board has meetings in), the years to choose from and the grid."""
    years = list(MunicipalYear.objects.filter(meetings__board=board).distinct())
    year = next((y for y in years if str(y.pk) == year_pk), None) or (
        years[0] if years else board_services.municipal_year_on(today)
    )
    return {
        "board": board,
        "year": year,
        "years": years,
        "schedule_title": f"Work schedule {year.label}: {board.name}",
        **grid(board, year),
    }
