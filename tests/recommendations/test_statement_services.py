"""The services that write an inquiry's statement in numbered paragraphs with footnotes and
publish it, which starts the response clock and moves the inquiry on."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from inquiries.models import Inquiry
from recommendations import services as recommendation_services
from recommendations.models import Footnote, Paragraph, Section, Statement
from tests.factories import InquiryFactory, RecommendationFactory, StatementFactory

pytestmark = pytest.mark.django_db

D = datetime.date
Stage = Inquiry.Stage


def stage_of(inquiry: Inquiry) -> str:
    inquiry.refresh_from_db()
    return inquiry.stage


def changes(inquiry: Inquiry) -> list[tuple[str, datetime.date, str]]:
    return [(c.stage, c.on, c.note) for c in inquiry.stage_changes.order_by("on", "pk")]


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
