"""The services that move an inquiry through its stages, put its sessions on meeting agendas,
write its statement in numbered paragraphs and publish it."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from boards import services as board_services
from boards.models import AgendaItem, Meeting
from inquiries import services
from inquiries.models import Inquiry, Session
from recommendations import services as recommendation_services
from recommendations.models import Footnote, Paragraph, Section, Statement
from tests.factories import (
    BoardFactory,
    InquiryFactory,
    PersonFactory,
    RecommendationFactory,
    StatementFactory,
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
def inquiry():
    return InquiryFactory(title="Inquiry into ICT Capacity", stage=Stage.TERMS_AGREED)


def test_a_session_is_one_agenda_item_on_the_meeting_not_a_copy(inquiry):
    meeting = make_meeting(inquiry.board, D(2015, 9, 21))
    items_before = AgendaItem.objects.count()
    witness = PersonFactory(officer=True, job_title="Chief Digital Officer")
    session = services.session_create(
        inquiry=inquiry, meeting=meeting, focus="Skills.", witnesses=[witness]
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


def test_sessions_are_numbered_one_two_for_each_inquiry(inquiry):
    first = services.session_create(
        inquiry=inquiry, meeting=make_meeting(inquiry.board, D(2015, 9, 21))
    )
    second = services.session_create(
        inquiry=inquiry, meeting=make_meeting(inquiry.board, D(2015, 10, 19))
    )
    other = services.session_create(
        inquiry=InquiryFactory(board=inquiry.board),
        meeting=make_meeting(inquiry.board, D(2015, 11, 16)),
    )
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert "Session 2" in second.agenda_item.title


def test_a_session_goes_on_the_agenda_before_the_work_schedule(inquiry):
    meeting = make_meeting(inquiry.board, D(2015, 9, 21))
    session = services.session_create(inquiry=inquiry, meeting=meeting)
    kinds = list(meeting.agenda_items.order_by("number").values_list("kind", flat=True))
    assert kinds[-3:] == [Kind.INQUIRY_SESSION, Kind.WORK_SCHEDULE, Kind.NEXT_MEETING]
    numbers = list(meeting.agenda_items.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert session.agenda_item.number == len(numbers) - 2


def test_a_session_cannot_go_on_another_boards_meeting(inquiry):
    meeting = make_meeting(BoardFactory(), D(2015, 9, 21))
    items_before = meeting.agenda_items.count()
    with pytest.raises(ValidationError):
        services.session_create(inquiry=inquiry, meeting=meeting)
    assert meeting.agenda_items.count() == items_before
    assert not Session.objects.exists()
    assert stage_of(inquiry) == Stage.TERMS_AGREED


def test_the_first_session_moves_the_inquiry_to_evidence_gathering(inquiry):
    services.session_create(inquiry=inquiry, meeting=make_meeting(inquiry.board, D(2015, 9, 21)))
    assert stage_of(inquiry) == Stage.EVIDENCE
    change = inquiry.stage_changes.get()
    assert (change.stage, change.on) == (Stage.EVIDENCE, D(2015, 9, 21))


def test_a_sessions_purpose_keeps_the_capitals_of_the_inquiry_title(inquiry):
    session = services.session_create(
        inquiry=inquiry, meeting=make_meeting(inquiry.board, D(2015, 9, 21))
    )
    assert "ICT Capacity" in session.agenda_item.purpose


# The statement's sections, paragraphs and footnotes


@pytest.fixture
def statement():
    return StatementFactory()


def section(statement: Statement, position: int, heading: str = "Heading") -> Section:
    return Section.objects.create(statement=statement, position=position, heading=heading)


def numbered(statement: Statement) -> list[tuple[int, str]]:
    return [
        (p.number, p.text)
        for p in Paragraph.objects.filter(section__statement=statement).order_by("number")
    ]


def test_paragraphs_split_at_blank_lines_and_number_through_the_statement(statement):
    introduction = section(statement, 1, "Introduction and background")
    comments = section(statement, 2, "General comments")
    recommendation_services.section_save(section=comments, body="Four.\n\nFive\nstill five.")
    recommendation_services.section_save(
        section=introduction, body="One.\n\nTwo.\r\n\r\nThree.\n\n\n"
    )
    assert numbered(statement) == [
        (1, "One."),
        (2, "Two."),
        (3, "Three."),
        (4, "Four."),
        (5, "Five\nstill five."),
    ]
    assert [p.number for p in comments.paragraphs.order_by("number")] == [4, 5]


def test_later_paragraphs_are_renumbered_when_an_earlier_section_gains_one(statement):
    introduction = section(statement, 1)
    comments = section(statement, 2)
    recommendation_services.section_save(section=introduction, body="One.\n\nTwo.\n\nThree.")
    recommendation_services.section_save(section=comments, body="Four.\n\nFive.")
    recommendation_services.section_save(
        section=introduction, body="One.\n\nTwo.\n\nNew.\n\nThree."
    )
    assert numbered(statement) == [
        (1, "One."),
        (2, "Two."),
        (3, "New."),
        (4, "Three."),
        (5, "Four."),
        (6, "Five."),
    ]


def test_numbering_is_separate_for_each_statement(statement):
    recommendation_services.section_save(section=section(statement, 1), body="One.\n\nTwo.")
    other = StatementFactory()
    recommendation_services.section_save(section=section(other, 1), body="Another one.")
    assert numbered(other) == [(1, "Another one.")]


def test_footnote_lines_become_footnotes_of_the_paragraph_that_marks_them(statement):
    body = (
        "Commissioning is changing.[^1]\n\n"
        "Spending was £1.2m.[^2]\n[^2]: Budget report, March 2016.\n\n"
        "[^1]: Source."
    )
    recommendation_services.section_save(section=section(statement, 1), body=body)
    first, second = Paragraph.objects.filter(section__statement=statement).order_by("number")
    assert numbered(statement) == [
        (1, "Commissioning is changing.[^1]"),
        (2, "Spending was £1.2m.[^2]"),
    ]
    assert [(f.number, f.text) for f in first.footnotes.all()] == [(1, "Source.")]
    assert [(f.number, f.text) for f in second.footnotes.all()] == [
        (2, "Budget report, March 2016.")
    ]
    assert Footnote.objects.count() == 2


def test_saving_a_section_again_replaces_its_paragraphs_and_footnotes(statement):
    part = section(statement, 1)
    recommendation_services.section_save(section=part, body="Old.[^1]\n\n[^1]: Old source.")
    recommendation_services.section_save(section=part, body="New.")
    assert numbered(statement) == [(1, "New.")]
    assert not Footnote.objects.exists()


def test_a_line_of_only_spaces_separates_paragraphs(statement):
    recommendation_services.section_save(section=section(statement, 1), body="One.\n   \nTwo.")
    assert numbered(statement) == [(1, "One."), (2, "Two.")]


def test_a_footnote_cited_twice_in_a_paragraph_is_stored_once(statement):
    body = "Costs rose[^1] and rose again.[^1]\n\n[^1]: Budget report."
    recommendation_services.section_save(section=section(statement, 1), body=body)
    assert Footnote.objects.count() == 1


# Publishing the statement


def test_publishing_sets_the_response_due_two_months_on(statement):
    RecommendationFactory(statement=statement)
    recommendation_services.statement_publish(statement=statement, on=D(2017, 5, 31))
    statement.refresh_from_db()
    assert statement.is_published
    assert (statement.published_on, statement.response_due_on) == (
        D(2017, 5, 31),
        D(2017, 7, 31),
    )


def test_an_explicit_response_date_overrides_the_two_months(statement):
    RecommendationFactory(statement=statement)
    recommendation_services.statement_publish(
        statement=statement, on=D(2017, 5, 31), response_due_on=D(2017, 8, 15)
    )
    statement.refresh_from_db()
    assert statement.response_due_on == D(2017, 8, 15)


def test_a_statement_is_published_only_once(statement):
    RecommendationFactory(statement=statement)
    recommendation_services.statement_publish(statement=statement, on=D(2017, 5, 31))
    with pytest.raises(ValidationError):
        recommendation_services.statement_publish(statement=statement, on=D(2017, 6, 30))
    statement.refresh_from_db()
    assert (statement.published_on, statement.response_due_on) == (
        D(2017, 5, 31),
        D(2017, 7, 31),
    )


def test_a_statement_without_recommendations_cannot_be_published(statement):
    with pytest.raises(ValidationError):
        recommendation_services.statement_publish(statement=statement, on=D(2017, 5, 31))
    statement.refresh_from_db()
    assert (statement.published_on, statement.response_due_on) == (None, None)
    assert stage_of(statement.inquiry) == Stage.PROPOSED


def test_publishing_moves_the_inquiry_to_published_on_that_day():
    statement = StatementFactory(inquiry=InquiryFactory(stage=Stage.DRAFTING))
    recommendation_services.recommendation_add(statement=statement, text="That the board…")
    recommendation_services.statement_publish(statement=statement, on=D(2017, 5, 31))
    assert stage_of(statement.inquiry) == Stage.PUBLISHED
    assert changes(statement.inquiry) == [(Stage.PUBLISHED, D(2017, 5, 31), "")]
