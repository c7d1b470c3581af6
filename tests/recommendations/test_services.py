"""The services that add recommendations, record the executive's response, and track progress."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from boards import services as board_services
from boards.models import AgendaItem
from inquiries.models import Inquiry, StageChange
from recommendations import services
from recommendations import services as recommendation_services
from recommendations.models import (
    Judgement,
    ProgressUpdate,
    Recommendation,
    Response,
    Statement,
    TrackingCategory,
)
from tests.factories import (
    BoardFactory,
    DesiredOutcomeFactory,
    InquiryFactory,
    PersonFactory,
    PostFactory,
    StatementFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
PUBLISHED_ON = D(2017, 5, 31)
RESPONDED_ON = D(2017, 7, 20)
TRACKING_MEETING_ON = D(2017, 10, 16)
Decision = Response.Decision

ACHIEVED = "Achieved"
OBSTACLE = "Not fully implemented – obstacle"
ACCEPTABLE = "Not fully implemented – progress acceptable, continue monitoring"


def category(name: str) -> TrackingCategory:
    return TrackingCategory.objects.get(name=name)


def add(statement: Statement, text: str = "That the Director reviews commissioning.", **kwargs):
    return services.recommendation_add(statement=statement, text=text, **kwargs)


def publish(statement: Statement, on: datetime.date = PUBLISHED_ON) -> Statement:
    return recommendation_services.statement_publish(statement=statement, on=on)


def stage_of(inquiry: Inquiry) -> str:
    inquiry.refresh_from_db()
    return inquiry.stage


def respond(recommendation: Recommendation, decision=Decision.AGREED, on=RESPONDED_ON, **kw):
    return services.response_record(
        recommendation=recommendation, decision=decision, text="We will.", on=on, **kw
    )


def judge(recommendation: Recommendation, name: str, on: datetime.date, **kwargs) -> Judgement:
    return services.judgement_record(
        recommendation=recommendation, category=category(name), on=on, **kwargs
    )


@pytest.fixture
def statement():
    return StatementFactory(inquiry=InquiryFactory(title="Inquiry into commissioning"))


@pytest.fixture
def published(statement):
    """A published statement with recommendation 1 (whole) and 2 with parts (a) and (b)."""
    add(statement, deadline_on=D(2017, 9, 30))
    add(statement, deadline_on=D(2017, 12, 31), parts=["Review the contracts.", "Report back."])
    publish(statement)
    return statement


def trackable_of(statement: Statement) -> list[Recommendation]:
    return list(statement.recommendations.trackable().order_by("number", "position"))


# Adding recommendations


def test_recommendations_are_numbered_one_two_three_in_each_statement(statement):
    numbers = [add(statement).number for _ in range(3)]
    other = StatementFactory()
    assert numbers == [1, 2, 3]
    assert add(other).number == 1
    assert list(
        Recommendation.objects.filter(statement=statement).values_list("number", flat=True)
    ) == [1, 2, 3]


def test_parts_do_not_use_up_numbers(statement):
    add(statement, parts=["First.", "Second."])
    assert add(statement).number == 2


def test_parts_are_lettered_a_b_c_under_their_recommendation(statement):
    add(statement)
    recommendation = add(statement, parts=["Review.", "Consult.", "Report back."])
    parts = list(recommendation.parts.order_by("position"))
    assert [part.letter for part in parts] == ["a", "b", "c"]
    assert [part.reference for part in parts] == ["2(a)", "2(b)", "2(c)"]
    assert [part.text for part in parts] == ["Review.", "Consult.", "Report back."]
    assert {part.number for part in parts} == {2}
    assert {part.statement_id for part in parts} == {statement.pk}


def test_blank_parts_are_left_out(statement):
    recommendation = add(statement, parts=["Review.", "   ", "Report back."])
    assert [part.reference for part in recommendation.parts.order_by("position")] == [
        "1(a)",
        "1(b)",
    ]


def test_parts_share_the_deadline_addressees_and_outcome_of_their_recommendation(statement):
    directors = [PostFactory(title="Director of Adults and Health"), PostFactory()]
    outcome = DesiredOutcomeFactory(statement=statement)
    board = BoardFactory()
    recommendation = add(
        statement,
        outcome=outcome,
        addressees=directors,
        deadline_on=D(2017, 12, 31),
        deadline_wording=Recommendation.Wording.NO_LATER_THAN,
        report_back_to=board,
        parts=["Review.", "Report back."],
    )
    for part in recommendation.parts.all():
        assert part.deadline_on == D(2017, 12, 31)
        assert part.deadline_text == "no later than December 2017"
        assert part.outcome == outcome
        assert part.report_back_to == board
        assert set(part.addressees.all()) == set(directors)
    assert set(recommendation.addressees.all()) == set(directors)


def test_no_recommendation_can_be_added_once_the_statement_is_published(published):
    before = published.recommendations.count()
    with pytest.raises(ValidationError):
        add(published)
    assert published.recommendations.count() == before


# The executive's response


def test_a_recommendation_with_parts_is_answered_part_by_part(published):
    parent = published.recommendations.get(number=2, parent=None)
    with pytest.raises(ValidationError):
        respond(parent)
    assert not Response.objects.exists()


def test_no_response_can_be_recorded_before_publication(statement):
    recommendation = add(statement)
    with pytest.raises(ValidationError):
        respond(recommendation)
    assert not Response.objects.exists()


def test_the_inquiry_waits_until_every_recommendation_and_part_has_a_response(published):
    *answered, last = trackable_of(published)
    for recommendation in answered:
        respond(recommendation)
    assert stage_of(published.inquiry) == Inquiry.Stage.PUBLISHED
    respond(last, on=D(2017, 7, 28))
    assert stage_of(published.inquiry) == Inquiry.Stage.RESPONSE_RECEIVED
    change = published.inquiry.stage_changes.get(stage=Inquiry.Stage.RESPONSE_RECEIVED)
    assert change.on == D(2017, 7, 28)


def test_recording_a_response_again_replaces_it(published):
    recommendation = trackable_of(published)[0]
    director = PostFactory()
    respond(recommendation, decision=Decision.AGREED)
    services.response_record(
        recommendation=recommendation,
        decision=Decision.PARTLY_AGREED,
        text="  In part.  ",
        on=D(2017, 7, 25),
        actioned_by=director,
    )
    response = Response.objects.get(recommendation=recommendation)
    assert Response.objects.count() == 1
    assert (response.decision, response.text, response.responded_on, response.actioned_by) == (
        Decision.PARTLY_AGREED,
        "In part.",
        D(2017, 7, 25),
        director,
    )


def test_a_response_with_an_unknown_decision_is_refused(published):
    with pytest.raises(ValidationError):
        respond(trackable_of(published)[0], decision="maybe")
    assert not Response.objects.exists()


# Tracking: judgements and progress updates


def test_the_latest_judgement_by_date_is_the_current_category(published):
    recommendation = trackable_of(published)[0]
    judge(recommendation, OBSTACLE, D(2017, 10, 16))
    judge(recommendation, ACHIEVED, D(2018, 1, 15))
    recommendation.refresh_from_db()
    assert recommendation.current_category == category(ACHIEVED)


def test_a_judgement_recorded_later_but_dated_earlier_does_not_override(published):
    recommendation = trackable_of(published)[0]
    judge(recommendation, ACHIEVED, D(2018, 1, 15))
    judge(recommendation, OBSTACLE, D(2017, 10, 16))
    recommendation.refresh_from_db()
    assert recommendation.current_category == category(ACHIEVED)


def test_every_judgement_is_kept_newest_first(published):
    recommendation = trackable_of(published)[0]
    judge(recommendation, OBSTACLE, D(2017, 10, 16), note="Funding not yet agreed.")
    judge(recommendation, ACCEPTABLE, D(2017, 12, 11))
    judge(recommendation, ACHIEVED, D(2018, 1, 15))
    assert [(j.on, j.category.name) for j in recommendation.judgements.all()] == [
        (D(2018, 1, 15), ACHIEVED),
        (D(2017, 12, 11), ACCEPTABLE),
        (D(2017, 10, 16), OBSTACLE),
    ]
    assert recommendation.judgements.last().note == "Funding not yet agreed."


def test_a_judgement_moves_the_inquiry_to_monitoring(published):
    judge(trackable_of(published)[0], OBSTACLE, D(2017, 10, 16))
    assert stage_of(published.inquiry) == Inquiry.Stage.MONITORING
    change = StageChange.objects.get(inquiry=published.inquiry, stage=Inquiry.Stage.MONITORING)
    assert change.on == D(2017, 10, 16)


def test_judging_achieved_stops_it_being_overdue(published):
    recommendation = trackable_of(published)[0]  # by September 2017
    assert recommendation in Recommendation.objects.overdue(D(2017, 10, 20))
    judge(recommendation, ACHIEVED, D(2017, 10, 16))
    recommendation.refresh_from_db()
    assert not recommendation.is_overdue(D(2017, 10, 20))
    assert recommendation not in Recommendation.objects.overdue(D(2017, 10, 20))


def test_judging_an_obstacle_leaves_it_overdue(published):
    recommendation = trackable_of(published)[0]
    judge(recommendation, OBSTACLE, D(2017, 10, 16))
    recommendation.refresh_from_db()
    assert recommendation.is_overdue(D(2017, 10, 20))
    assert recommendation in Recommendation.objects.overdue(D(2017, 10, 20))


def test_a_recommendation_with_parts_is_judged_part_by_part(published):
    parent = published.recommendations.get(number=2, parent=None)
    with pytest.raises(ValidationError):
        judge(parent, ACHIEVED, D(2018, 1, 15))
    assert not Judgement.objects.exists()


def test_progress_updates_are_kept_newest_first(published):
    recommendation = trackable_of(published)[0]
    author = PersonFactory(officer=True)
    services.update_add(recommendation=recommendation, on=D(2017, 10, 1), text="Started.")
    services.update_add(
        recommendation=recommendation, on=D(2018, 1, 2), text=" Finished. ", author=author
    )
    services.update_add(recommendation=recommendation, on=D(2017, 12, 1), text="Halfway.")
    updates = list(recommendation.updates.all())
    assert [(u.on, u.text) for u in updates] == [
        (D(2018, 1, 2), "Finished."),
        (D(2017, 12, 1), "Halfway."),
        (D(2017, 10, 1), "Started."),
    ]
    assert updates[0].author == author
    assert ProgressUpdate.objects.count() == 3


def test_progress_on_a_recommendation_with_parts_is_recorded_part_by_part(published):
    parent = published.recommendations.get(number=2, parent=None)
    with pytest.raises(ValidationError):
        services.update_add(recommendation=parent, on=D(2017, 10, 1), text="Started.")
    assert not ProgressUpdate.objects.exists()


# Tracking on a meeting's agenda


def make_meeting(board, day: datetime.date = TRACKING_MEETING_ON):
    return board_services.meeting_create(
        board=board,
        starts_at=datetime.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON),
        venue=VenueFactory(),
    )


def test_tracking_goes_on_the_agenda_as_one_item_before_the_work_schedule(published):
    inquiry = published.inquiry
    meeting = make_meeting(inquiry.board)
    count_before = meeting.agenda_items.count()
    item = services.tracking_to_agenda(inquiry=inquiry, meeting=meeting)
    items = list(meeting.agenda_items.order_by("number"))
    assert len(items) == count_before + 1
    assert item.title == "Recommendation tracking – Inquiry into commissioning"
    assert item.meeting == meeting
    assert items[-3] == item
    assert [i.kind for i in items[-2:]] == [
        AgendaItem.Kind.WORK_SCHEDULE,
        AgendaItem.Kind.NEXT_MEETING,
    ]


def test_tracking_cannot_go_on_another_boards_agenda(published):
    meeting = make_meeting(BoardFactory())
    count_before = meeting.agenda_items.count()
    with pytest.raises(ValidationError):
        services.tracking_to_agenda(inquiry=published.inquiry, meeting=meeting)
    assert meeting.agenda_items.count() == count_before


def test_the_tracking_items_purpose_keeps_the_capitals_of_the_inquiry_title():
    inquiry = InquiryFactory(title="Inquiry into ICT Capacity")
    item = services.tracking_to_agenda(inquiry=inquiry, meeting=make_meeting(inquiry.board))
    assert "ICT Capacity" in item.purpose
