"""A board's record of two meetings, for the pages that read it per person: the councillors,
the register of declarations and the attendance report.

February 2016 (minutes released): Groves in the chair, Bentley present, Adams sent apologies
and Dixon substituted for her; Groves declared a pecuniary interest in the open item, Bentley
an interest in the exempt one. March 2016 (minutes still a draft, not released): Bentley
absent, Groves declared an interest the public must not see yet. Both agendas published.
"""

import datetime
import re
import zoneinfo
from dataclasses import dataclass

from django.contrib.auth.models import User

from boards import services
from boards.models import AgendaItem, Board, Meeting, Membership, Person
from boards.roles import Role
from minutes import services as minutes_services
from minutes.models import MinutesRecord
from tests.factories import (
    BoardFactory,
    MembershipFactory,
    PartyFactory,
    PersonFactory,
    UserFactory,
    WardFactory,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date
OPEN_NATURE = "Owns shares in Aldermoor Software Ltd, the supplier"
EXEMPT_TITLE = "Staffing restructure at the depot"
EXEMPT_NATURE = "Her partner works at the depot"
DRAFT_NATURE = "Trustee of the Aldermoor Credit Union"


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), LONDON)


def text_of(response) -> str:
    """The page's words without markup, whitespace collapsed."""
    import html

    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words)).strip()


@dataclass
class Record:
    board: Board
    groves: Person
    bentley: Person
    adams: Person
    dixon: Person
    february: Meeting
    march: Meeting
    officer: User


def published_meeting(board: Board, day: datetime.date, clerk: User) -> Meeting:
    """A meeting with an open item and an exempt one, its agenda published in good time."""
    meeting = services.meeting_create(board=board, starts_at=at(day), venue=None)
    services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(title=f"ICT supplier contract {day:%B}", purpose="A report."),
    )
    services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(
            title=EXEMPT_TITLE if day.month == 2 else f"Exempt item {day:%B}",
            purpose="Exempt.",
            exempt=True,
            exempt_paragraph=1,
            public_interest_reasoning="Individuals could be identified.",
        ),
    )
    services.agenda_publish(meeting=meeting, by=clerk, now=at(day - datetime.timedelta(days=14)))
    return meeting


def item(meeting: Meeting, exempt: bool) -> AgendaItem:
    return meeting.agenda_items.get(kind=AgendaItem.Kind.REPORT, exempt=exempt)


def release(meeting: Meeting, officer: User) -> None:
    minutes_services.minutes_release(minutes=MinutesRecord.objects.get(meeting=meeting), by=officer)


def make_record(board: Board | None = None) -> Record:
    """The record, of ``board`` (renamed) or of a new board."""
    board = board or BoardFactory()
    board.name = "Scrutiny Board (Strategy and Resources)"
    board.save()
    labour = PartyFactory(name="Labour")
    groves = MembershipFactory(
        board=board,
        role=Membership.Role.CHAIR,
        person=PersonFactory(
            given_name="Kathryn",
            family_name="Groves",
            ward=WardFactory(name="Moorside Park"),
            party=labour,
            email="cllr.groves@aldermoor.example",
            telephone="0113 496 0001",
        ),
    ).person
    bentley = MembershipFactory(
        board=board,
        person=PersonFactory(
            given_name="Sue",
            family_name="Bentley",
            ward=WardFactory(name="Weetwood"),
            party=PartyFactory(name="Liberal Democrat"),
        ),
    ).person
    adams = MembershipFactory(
        board=board,
        person=PersonFactory(
            given_name="Ann", family_name="Adams", ward=WardFactory(name="Whinmoor"), party=labour
        ),
    ).person
    dixon = PersonFactory(
        given_name="Brian", family_name="Dixon", ward=WardFactory(name="Pudley"), party=labour
    )
    clerk = UserFactory(roles=[Role.CLERK])
    officer = UserFactory(roles=[Role.OFFICER])

    february = published_meeting(board, D(2016, 2, 22), clerk)
    minutes_services.minutes_open(february)
    minutes_services.attendance_set(
        meeting=february, person=adams, status="apologies", substitute=dixon
    )
    minutes_services.attendance_all_present(meeting=february)
    minutes_services.declaration_add(
        meeting=february,
        person=groves,
        agenda_item=item(february, exempt=False),
        kind="pecuniary",
        nature=OPEN_NATURE,
        left_room=True,
    )
    minutes_services.declaration_add(
        meeting=february,
        person=bentley,
        agenda_item=item(february, exempt=True),
        kind="registrable",
        nature=EXEMPT_NATURE,
        left_room=False,
    )
    minutes_services.minute_take(meeting=february, agenda_item=item(february, exempt=False))
    release(february, officer)

    march = published_meeting(board, D(2016, 3, 21), clerk)
    minutes_services.minutes_open(march)
    minutes_services.attendance_set(meeting=march, person=bentley, status="absent")
    minutes_services.attendance_all_present(meeting=march)
    minutes_services.declaration_add(
        meeting=march,
        person=groves,
        agenda_item=item(march, exempt=False),
        kind="non_registrable",
        nature=DRAFT_NATURE,
        left_room=False,
    )
    minutes_services.minute_take(meeting=march, agenda_item=item(march, exempt=False))
    return Record(
        board=board,
        groves=groves,
        bentley=bentley,
        adams=adams,
        dixon=dixon,
        february=february,
        march=march,
        officer=officer,
    )
