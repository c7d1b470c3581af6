"""The previous meeting's minutes in the agenda pack read as the minutes page does: people as
the minutes name them, actions with their owners and due dates, notes after the resolutions and
the meeting's events, each where it happened, numbered as the body numbers them."""

import datetime

import pytest
from django.urls import reverse

from boards import services
from boards.models import AgendaItem, MunicipalYear
from minutes import services as minutes_services
from minutes.models import Attendance, Movement
from packs import pdfparts
from tests.factories import MeetingFactory, PersonFactory, PostFactory
from tests.pdfs import pdf_text, read_pdf

pytestmark = pytest.mark.django_db
T = datetime.time


@pytest.fixture(autouse=True)
def _one_process(settings):
    settings.PACK_RENDER_PROCESSES = 1
    settings.PACK_INLINE_MAX_PAGES = 1000


@pytest.fixture
def meeting(published_meeting, clerk):
    """``published_meeting`` confirming the minutes of a meeting four weeks before, recorded
    with all of it; the body numbers its minutes with the year and its resolutions (i), (ii)."""
    board = published_meeting.board
    day = (published_meeting.starts_at - datetime.timedelta(28)).date()
    MunicipalYear.objects.get_or_create(starts_on=datetime.date(day.year - 1, 5, 20))
    services.board_numbering_set(
        board=board, minute_numbering="sequence_year", minute_prefix="", resolution_style="roman"
    )
    previous = MeetingFactory(
        board=board, starts_at=published_meeting.starts_at - datetime.timedelta(28)
    )
    item = AgendaItem.objects.create(meeting=previous, number=1, title="Work programme")
    minute = minutes_services.minute_take(meeting=previous, agenda_item=item)
    minutes_services.minute_update(
        minute=minute,
        version=minute.version,
        by=None,
        narrative="The Board considered its programme.",
        notes_after="The Board observed a minute's silence.",
    )
    minutes_services.resolution_add(minute=minute, text="That the programme be noted.")
    minutes_services.resolution_add(
        minute=minute,
        text="That the clerk be advised.",
        is_action=True,
        owner_text="the Democratic Services Manager",
        due_months=6,
    )
    record = previous.minutes
    minutes_services.minutes_set_times(record=record, chair=None, started_at=T(10), ended_at=T(12))
    ward_member = minutes_services.attendee_add(
        meeting=previous,
        person=PersonFactory(given_name="Kathryn", family_name="Groves"),
        kind=Attendance.Kind.COUNCILLOR,
        capacity="ward member for Rothwell",
    )
    minutes_services.attendee_add(
        meeting=previous,
        post=PostFactory(title="Cabinet Member for Corporate Services"),
        kind=Attendance.Kind.OTHER,
    )
    minutes_services.movement_add(attendance=ward_member, kind=Movement.Kind.LEFT, agenda_item=item)
    minutes_services.adjournment_add(
        meeting=previous, adjourned_at=T(11), resumed_at=T(11, 15), agenda_item=item
    )
    services.agenda_item_add(
        meeting=published_meeting,
        item=AgendaItem(
            kind=AgendaItem.Kind.MINUTES,
            title="Minutes of the previous meeting",
            purpose="To confirm the minutes.",
            minutes_of=previous,
        ),
    )
    services.agenda_publish(meeting=published_meeting, by=clerk, late_reason="Supplement.")
    return published_meeting, minute


def test_the_packs_minutes_read_in_the_order_of_the_meeting(meeting, client_for, clerk):
    published, minute = meeting
    reader = read_pdf(
        client_for(clerk).get(reverse("packs:pack-download", args=[published.pk, "members"]))
    )
    text = pdf_text(reader)
    year = minute.municipal_year.starts_on.year % 100
    # The resolutions' markers hang in their margin and are drawn first (floats).
    parts = [
        "(i) (ii)",
        "Draft minutes to be approved",
        "Also in attendance: Councillor K Groves (ward member for Rothwell)",
        "Cabinet Member for Corporate Services",
        "The meeting started at 10.00 am.",
        f"{minute.number}/{year:02d} Work programme",
        "The Board considered its programme.",
        "RESOLVED –",
        "That the programme be noted.",
        "That the clerk be advised. (Action: the Democratic Services Manager, within six months",
        "The Board observed a minute's silence.",
        "Councillor K Groves left the meeting during this item.",
        "The meeting adjourned at 11.00 am and resumed at 11.15 am.",
        "The meeting concluded at 12.00 pm.",
    ]
    at = text.find(pdfparts.BLANK_PAGE_TEXT)  # after the papers before the minutes
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, (part, text[at:])
        at = found + len(part)
