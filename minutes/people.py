"""The record of meetings seen per person, as an audience may read it: members' attendance
(a board's figures for a year, each councillor's by body and year, the attendance report across
bodies and dates) and the interests declared at meetings (a councillor's page, the register).

Everything here starts from the meetings whose minutes the audience may read
(``MinutesRecord.objects.published_to``): the public counts no attendance and reads no
declaration from minutes still being written. A declaration on an item the audience may not read
in full (exempt, or never published to it) is listed without the item's title or the interest's
nature. Pages, the PDF and the CSV all build from these functions, so what is printed or
downloaded is what is shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.http import QueryDict
from django.utils.http import urlencode

from boards import formatting
from boards.models import AgendaItem, Board, Meeting, MunicipalYear, Person
from minutes.forms import AttendanceReportForm
from minutes.models import Attendance, Declaration, MinutesRecord

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from boards.visibility import Audience


class ItemReadable(TypedDict):
    """What ``declarations_visible_to`` annotates: whether the audience may read the item."""

    item_readable: bool


if TYPE_CHECKING:
    type ListedDeclaration = WithAnnotations[Declaration, ItemReadable]


def minuted_meetings(audience: Audience) -> QuerySet[Meeting]:
    """The meetings whose minutes the audience may read (drafts for staff; for everyone else
    approved minutes, and drafts once released), cancelled ones left out."""
    published = MinutesRecord.objects.published_to(audience).values("meeting_id")
    return Meeting.objects.filter(pk__in=published).exclude(status=Meeting.Status.CANCELLED)


# Attendance ------------------------------------------------------------------------------------


@dataclass
class Figures:
    """A member's attendance at a body's meetings (in one municipal year, when counted by year):
    the meetings they were expected at as a member, how each was recorded, how often a
    substitute stood in for them, and how often they attended as someone else's substitute."""

    person: Person
    board: Board
    year: MunicipalYear | None = None
    expected: int = 0
    present: int = 0
    apologies: int = 0
    absent: int = 0
    not_recorded: int = 0
    substituted: int = 0
    as_substitute: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTED}


COUNTED = (
    "expected",
    "present",
    "apologies",
    "absent",
    "not_recorded",
    "substituted",
    "as_substitute",
)


def attendance_figures(
    meetings: QuerySet[Meeting], *, person: Person | None = None, by_year: bool = False
) -> list[Figures]:
    """Each member's figures per body (and per municipal year, ``by_year``) at these meetings,
    in one query; only ``person``'s when one is given. In order of name, then body, then the
    latest year first."""
    attendances = Attendance.objects.filter(
        meeting__in=meetings,
        kind__in=[Attendance.Kind.MEMBER, Attendance.Kind.SUBSTITUTE],
        person__isnull=False,  # members and substitutes are always people
    ).select_related("person__ward", "person__party", "meeting__board", "meeting__municipal_year")
    if person is not None:
        attendances = attendances.filter(Q(person=person) | Q(substitute_for=person))
    rows: dict[tuple[int, int, int | None], Figures] = {}

    def key(person_id: int, attendance: Attendance) -> tuple[int, int, int | None]:
        meeting = attendance.meeting
        return (person_id, meeting.board_id, meeting.municipal_year_id if by_year else None)

    listed = list(attendances)
    for attendance in listed:
        if attendance.kind == Attendance.Kind.MEMBER and attendance.person is not None:
            meeting = attendance.meeting
            row = rows.setdefault(
                key(attendance.person.pk, attendance),
                Figures(
                    person=attendance.person,
                    board=meeting.board,
                    year=meeting.municipal_year if by_year else None,
                ),
            )
            row.expected += 1
            setattr(row, attendance.status, getattr(row, attendance.status) + 1)
    for attendance in listed:
        if attendance.kind == Attendance.Kind.SUBSTITUTE and attendance.person is not None:
            meeting = attendance.meeting
            if person is None or attendance.person == person:
                row = rows.setdefault(
                    key(attendance.person.pk, attendance),
                    Figures(
                        person=attendance.person,
                        board=meeting.board,
                        year=meeting.municipal_year if by_year else None,
                    ),
                )
                row.as_substitute += 1
            if attendance.substitute_for_id is not None:
                member = rows.get(key(attendance.substitute_for_id, attendance))
                if member is not None:
                    member.substituted += 1
    return sorted(
        rows.values(),
        key=lambda row: (
            row.person.family_name,
            row.person.given_name,
            row.person.pk,
            row.board.name,
            -(row.year.starts_on.toordinal() if row.year else 0),
        ),
    )


def municipal_year_dates(
    year: MunicipalYear,
) -> tuple[datetime.date, datetime.date | None]:
    """The first and last day of a municipal year: to the day before the next one starts, or
    open-ended while no later year is recorded."""
    following = MunicipalYear.objects.filter(starts_on__gt=year.starts_on).order_by("starts_on")
    nxt = following.values_list("starts_on", flat=True).first()
    return year.starts_on, (nxt - datetime.timedelta(days=1)) if nxt else None


@dataclass
class AttendanceReport:
    """Per member per body, over a period (either end may be open) and perhaps one body."""

    starts_on: datetime.date | None
    ends_on: datetime.date | None
    board: Board | None
    meeting_count: int
    rows: list[Figures] = field(default_factory=list)
    # What asks for it again (``?board=…&date_from=…&date_to=…``): the PDF's and CSV's links.
    query: str = ""

    @property
    def period(self) -> str:
        """The period in words: "21 May 2015 to 18 May 2016", "from 21 May 2015", "to 18 May
        2016", "all dates"."""
        start = formatting.short_date(self.starts_on) if self.starts_on else ""
        end = formatting.short_date(self.ends_on) if self.ends_on else ""
        if start and end:
            return f"{start} to {end}"
        if start:
            return f"from {start}"
        return f"to {end}" if end else "all dates"

    @property
    def title(self) -> str:
        """As the page and the PDF are titled: "Attendance report: 21 May 2015 to 18 May 2016,
        Scrutiny Board (Strategy and Resources)"."""
        title = f"Attendance report: {self.period}"
        return f"{title}, {self.board.name}" if self.board else title


def attendance_report(
    audience: Audience,
    *,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    board: Board | None = None,
) -> AttendanceReport:
    """The attendance report as the audience may read it, in two queries."""
    meetings = minuted_meetings(audience)
    if starts_on is not None:
        meetings = meetings.filter(starts_at__date__gte=starts_on)
    if ends_on is not None:
        meetings = meetings.filter(starts_at__date__lte=ends_on)
    if board is not None:
        meetings = meetings.filter(board=board)
    return AttendanceReport(
        starts_on=starts_on,
        ends_on=ends_on,
        board=board,
        meeting_count=meetings.count(),
        rows=attendance_figures(meetings),
    )


# Declarations ---------------------------------------------------------------------------------


def declarations_visible_to(audience: Audience) -> QuerySet[ListedDeclaration]:
    """The declarations in minutes the audience may read, newest meeting first, each annotated
    ``item_readable``: whether the audience may read its item in full (else the item is listed
    by its number alone, and the interest's nature is withheld)."""
    if audience.sees_drafts:
        declarations = Declaration.objects.annotate(item_readable=Value(True))
    else:
        readable = (
            AgendaItem.objects.visible_to(audience)
            .filter(content_visible=True)
            .filter(pk=OuterRef("agenda_item_id"))
        )
        declarations = Declaration.objects.annotate(item_readable=Exists(readable))
    return (
        declarations.filter(meeting__in=minuted_meetings(audience))
        .select_related("person", "meeting__board", "agenda_item")
        .order_by("-meeting__starts_at", "agenda_item__number", "person__family_name", "person_id")
    )


def attendance_report_asked(
    query: QueryDict, audience: Audience, today: datetime.date
) -> tuple[AttendanceReportForm, AttendanceReport]:
    """The report a page, its PDF or its CSV was asked for (``?board=&date_from=&date_to=``):
    with no dates, the current municipal year; with a value that is not a body or a date, the
    form says so and the report is the default one."""
    data = query.copy()
    if not data.get("date_from") and not data.get("date_to"):
        year = MunicipalYear.objects.covering(today) or MunicipalYear.objects.first()
        if year is not None:
            starts_on, ends_on = municipal_year_dates(year)
            data["date_from"] = starts_on.isoformat()
            data["date_to"] = ends_on.isoformat() if ends_on else ""
    form = AttendanceReportForm(data)
    if not form.is_valid():
        # What was asked cannot be read: the default report, with the form saying why.
        return form, attendance_report_asked(QueryDict(), audience, today)[1]
    asked = form.cleaned_data
    report = attendance_report(
        audience, starts_on=asked["date_from"], ends_on=asked["date_to"], board=asked["board"]
    )
    report.query = urlencode(
        [
            (name, value)
            for name, value in (
                ("board", asked["board"].slug if asked["board"] else ""),
                ("date_from", asked["date_from"].isoformat() if asked["date_from"] else ""),
                ("date_to", asked["date_to"].isoformat() if asked["date_to"] else ""),
            )
            if value
        ]
    )
    return form, report
