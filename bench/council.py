"""A ten-year council for benchmarks (not run by the tests): boards meeting monthly for ten
municipal years, every agenda published with reports and appendices, every meeting minuted with
resolutions, in bulk (no services, no signals: seconds rather than minutes).

    from bench.council import ten_years
    ten_years()  # in a migrated, empty database, after django.setup()
"""

from __future__ import annotations

import datetime

BOARDS = 12
MEETINGS_A_YEAR = 10
ITEMS = 8


def ten_years(*, years: int = 10, boards: int = BOARDS) -> dict[str, int]:
    """Fill the database; return how many of each were made."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from boards.models import (
        AgendaItem,
        Board,
        Council,
        Meeting,
        MunicipalYear,
        Paper,
        Publication,
        Venue,
    )
    from minutes.models import Minute, MinutesRecord, Resolution

    Council.objects.get_or_create(pk=1, defaults={"name": "Aldermoor City Council"})
    clerk = User.objects.get_or_create(username="bench-clerk")[0]
    venue = Venue.objects.get_or_create(name="Civic Hall", defaults={"address": "Market Street"})[0]
    first = timezone.localdate().year - years
    terms = [
        MunicipalYear.objects.get_or_create(starts_on=datetime.date(first + n, 5, 21))[0]
        for n in range(years)
    ]
    made = Board.objects.bulk_create(
        Board(name=f"Scrutiny Board (Bench {n})", slug=f"bench-{n}", remit="The remit.")
        for n in range(boards)
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(
            board=board,
            municipal_year=term,
            starts_at=timezone.make_aware(
                datetime.datetime(term.starts_on.year, 6, 1, 10)
                + datetime.timedelta(days=30 * month, hours=index % 5)
            ),
            venue=venue,
            status=Meeting.Status.HELD,
            agenda_published_at=timezone.now(),
        )
        for index, board in enumerate(made)
        for term in terms
        for month in range(MEETINGS_A_YEAR)
    )
    publications = Publication.objects.bulk_create(
        Publication(
            meeting=meeting,
            kind=Publication.Kind.AGENDA,
            published_at=meeting.starts_at - datetime.timedelta(days=8),
            published_by=clerk,
            deadline=(meeting.starts_at - datetime.timedelta(days=7)).date(),
        )
        for meeting in meetings
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            number=number,
            title=f"Item {number}: the council's services in {meeting.starts_at:%B %Y}",
            purpose="To consider the report and make recommendations.",
            publication=publication,
            exempt=number == ITEMS,
            exempt_paragraph=3 if number == ITEMS else None,
        )
        for meeting, publication in zip(meetings, publications, strict=True)
        for number in range(1, ITEMS + 1)
    )
    reports = Paper.objects.bulk_create(
        Paper(
            agenda_item=item,
            title=f"Report on {item.title}",
            summary="The main issues.",
            publication=item.publication,
        )
        for item in items
    )
    Paper.objects.bulk_create(
        Paper(
            agenda_item=report.agenda_item,
            parent=report,
            kind=Paper.Kind.APPENDIX,
            title="Appendix A",
            publication=report.publication,
        )
        for report in reports
    )
    records = MinutesRecord.objects.bulk_create(
        MinutesRecord(
            meeting=meeting,
            status=MinutesRecord.Status.APPROVED,
            approved_at_meeting=meeting,
            approved_on=meeting.starts_at + datetime.timedelta(days=30),
        )
        for meeting in meetings
    )
    numbers: dict[tuple[int, int], int] = {}

    def number(item: AgendaItem) -> int:
        key = (item.meeting.board_id, item.meeting.municipal_year_id)
        numbers[key] = numbers.get(key, 0) + 1
        return numbers[key]

    minutes = Minute.objects.bulk_create(
        Minute(
            meeting=item.meeting,
            board_id=item.meeting.board_id,
            municipal_year_id=item.meeting.municipal_year_id,
            number=number(item),
            order=item.number * 100,
            agenda_item=item,
            title=item.title,
            narrative="The board considered the report.",
        )
        for item in items
    )
    resolutions = Resolution.objects.bulk_create(
        Resolution(minute=minute, position=position, text=f"That the report be noted ({position}).")
        for minute in minutes
        for position in (1, 2)
    )
    return {
        "boards": len(made),
        "meetings": len(meetings),
        "items": len(items),
        "papers": 2 * len(reports),
        "minutes": len(records),
        "resolutions": len(resolutions),
    }
