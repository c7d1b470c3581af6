"""The services that move an inquiry through its stages and put its sessions on meeting
agendas."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from boards import services as board_services
from boards.models import AgendaItem, Meeting
from inquiries import services
from inquiries.models import Inquiry, Session
from tests.factories import (
    BoardFactory,
    InquiryFactory,
    PersonFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
Stage = Inquiry.Stage
Kind = AgendaItem.Kind


def make_meeting(board, day: datetime.date) -> Meeting:
    return board_services.meeting_create(
        board=board,
        starts_at=datetime.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON),
        venue=VenueFactory(),
    )


def stage_of(inquiry: Inquiry) -> str:
    inquiry.refresh_from_db()
    return inquiry.stage


def changes(inquiry: Inquiry) -> list[tuple[str, datetime.date, str]]:
    return [(c.stage, c.on, c.note) for c in inquiry.stage_changes.order_by("on", "pk")]


# Stages


def test_a_new_inquiry_is_proposed_and_that_is_recorded():
    board = BoardFactory()
    inquiry = services.inquiry_create(
        board=board, title="  Inquiry into ICT Capacity ", on=D(2015, 6, 15)
    )
    assert (inquiry.title, inquiry.slug, inquiry.stage) == (
        "Inquiry into ICT Capacity",
        "inquiry-into-ict-capacity",
        Stage.PROPOSED,
    )
    assert changes(inquiry) == [(Stage.PROPOSED, D(2015, 6, 15), "")]


def test_two_inquiries_with_the_same_title_get_different_addresses():
    board = BoardFactory()
    first = services.inquiry_create(board=board, title="Inquiry into waste", on=D(2015, 6, 15))
    second = services.inquiry_create(board=board, title="Inquiry into waste", on=D(2016, 6, 15))
    assert first.slug != second.slug


def test_each_move_between_stages_is_recorded_with_its_date_and_note():
    inquiry = services.inquiry_create(board=BoardFactory(), title="Inquiry", on=D(2015, 6, 1))
    services.inquiry_move_stage(
        inquiry=inquiry, stage=Stage.TERMS_AGREED, on=D(2015, 7, 20), note=" Agreed in July. "
    )
    services.inquiry_move_stage(inquiry=inquiry, stage=Stage.EVIDENCE, on=D(2015, 9, 21))
    services.inquiry_move_stage(
        inquiry=inquiry, stage=Stage.TERMS_AGREED, on=D(2015, 10, 1), note="Terms revised."
    )
    assert stage_of(inquiry) == Stage.TERMS_AGREED
    assert changes(inquiry) == [
        (Stage.PROPOSED, D(2015, 6, 1), ""),
        (Stage.TERMS_AGREED, D(2015, 7, 20), "Agreed in July."),
        (Stage.EVIDENCE, D(2015, 9, 21), ""),
        (Stage.TERMS_AGREED, D(2015, 10, 1), "Terms revised."),
    ]


def test_moving_to_the_stage_it_is_already_at_records_nothing():
    inquiry = services.inquiry_create(board=BoardFactory(), title="Inquiry", on=D(2015, 6, 1))
    services.inquiry_move_stage(inquiry=inquiry, stage=Stage.PROPOSED, on=D(2015, 7, 1))
    assert inquiry.stage_changes.count() == 1


def test_moving_to_an_unknown_stage_is_refused():
    inquiry = services.inquiry_create(board=BoardFactory(), title="Inquiry", on=D(2015, 6, 1))
    with pytest.raises(ValidationError):
        services.inquiry_move_stage(inquiry=inquiry, stage="abandoned", on=D(2015, 7, 1))
    assert stage_of(inquiry) == Stage.PROPOSED
    assert inquiry.stage_changes.count() == 1


def test_advancing_moves_forward_but_never_back():
    inquiry = InquiryFactory(stage=Stage.DRAFTING)
    services.inquiry_advance(inquiry, Stage.EVIDENCE, D(2016, 1, 1))
    services.inquiry_advance(inquiry, Stage.DRAFTING, D(2016, 1, 2))
    assert stage_of(inquiry) == Stage.DRAFTING
    assert not inquiry.stage_changes.exists()
    services.inquiry_advance(inquiry, Stage.PUBLISHED, D(2016, 2, 1))
    assert stage_of(inquiry) == Stage.PUBLISHED
    assert changes(inquiry) == [(Stage.PUBLISHED, D(2016, 2, 1), "")]


# Terms of reference


def test_agreeing_the_terms_links_the_meeting_item_and_moves_the_inquiry():
    inquiry = InquiryFactory()
    meeting = make_meeting(inquiry.board, D(2015, 7, 20))
    item = board_services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Terms of reference", purpose="To agree them.")
    )
    services.terms_agree(inquiry=inquiry, agenda_item=item)
    inquiry.refresh_from_db()
    assert inquiry.terms_agreed_at == item
    assert inquiry.stage == Stage.TERMS_AGREED
    change = inquiry.stage_changes.get()
    assert (change.stage, change.on) == (Stage.TERMS_AGREED, D(2015, 7, 20))


def test_terms_cannot_be_agreed_at_another_boards_meeting():
    inquiry = InquiryFactory()
    meeting = make_meeting(BoardFactory(), D(2015, 7, 20))
    item = board_services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Terms of reference", purpose="To agree them.")
    )
    with pytest.raises(ValidationError):
        services.terms_agree(inquiry=inquiry, agenda_item=item)
    inquiry.refresh_from_db()
    assert (inquiry.terms_agreed_at, inquiry.stage) == (None, Stage.PROPOSED)


# Sessions


@pytest.fixture
def agreed_inquiry():
    """An inquiry of its own board whose terms are agreed: ready for its sessions."""
    return InquiryFactory(title="Inquiry into ICT Capacity", stage=Stage.TERMS_AGREED)


def test_a_session_is_one_agenda_item_on_the_meeting_not_a_copy(agreed_inquiry):
    meeting = make_meeting(agreed_inquiry.board, D(2015, 9, 21))
    items_before = AgendaItem.objects.count()
    witness = PersonFactory(officer=True, job_title="Chief Digital Officer")
    session = services.session_create(
        inquiry=agreed_inquiry, meeting=meeting, focus="Skills.", witnesses=[witness]
    )
    assert AgendaItem.objects.count() == items_before + 1
    item = meeting.agenda_items.get(kind=Kind.INQUIRY_SESSION)
    assert session.agenda_item_id == item.pk
    assert item.title == "Scrutiny Inquiry into ICT Capacity – Session 1"
    assert (session.number, session.focus, list(session.witnesses.all())) == (
        1,
        "Skills.",
        [witness],
    )


def test_sessions_are_numbered_one_two_for_each_inquiry(agreed_inquiry):
    first = services.session_create(
        inquiry=agreed_inquiry, meeting=make_meeting(agreed_inquiry.board, D(2015, 9, 21))
    )
    second = services.session_create(
        inquiry=agreed_inquiry, meeting=make_meeting(agreed_inquiry.board, D(2015, 10, 19))
    )
    other = services.session_create(
        inquiry=InquiryFactory(board=agreed_inquiry.board),
        meeting=make_meeting(agreed_inquiry.board, D(2015, 11, 16)),
    )
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert "Session 2" in second.agenda_item.title


def test_a_session_goes_on_the_agenda_before_the_work_schedule(agreed_inquiry):
    meeting = make_meeting(agreed_inquiry.board, D(2015, 9, 21))
    session = services.session_create(inquiry=agreed_inquiry, meeting=meeting)
    kinds = list(meeting.agenda_items.order_by("number").values_list("kind", flat=True))
    assert kinds[-3:] == [Kind.INQUIRY_SESSION, Kind.WORK_SCHEDULE, Kind.NEXT_MEETING]
    numbers = list(meeting.agenda_items.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert session.agenda_item.number == len(numbers) - 2


def test_a_session_cannot_go_on_another_boards_meeting(agreed_inquiry):
    meeting = make_meeting(BoardFactory(), D(2015, 9, 21))
    items_before = meeting.agenda_items.count()
    with pytest.raises(ValidationError):
        services.session_create(inquiry=agreed_inquiry, meeting=meeting)
    assert meeting.agenda_items.count() == items_before
    assert not Session.objects.exists()
    assert stage_of(agreed_inquiry) == Stage.TERMS_AGREED


def test_the_first_session_moves_the_inquiry_to_evidence_gathering(agreed_inquiry):
    services.session_create(
        inquiry=agreed_inquiry, meeting=make_meeting(agreed_inquiry.board, D(2015, 9, 21))
    )
    assert stage_of(agreed_inquiry) == Stage.EVIDENCE
    change = agreed_inquiry.stage_changes.get()
    assert (change.stage, change.on) == (Stage.EVIDENCE, D(2015, 9, 21))


def test_a_sessions_purpose_keeps_the_capitals_of_the_inquiry_title(agreed_inquiry):
    session = services.session_create(
        inquiry=agreed_inquiry, meeting=make_meeting(agreed_inquiry.board, D(2015, 9, 21))
    )
    assert "ICT Capacity" in session.agenda_item.purpose
