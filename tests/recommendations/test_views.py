"""Recommendation pages: who may open what, adding recommendations to a statement, recording
the executive's response, progress and the board's judgement, and the dashboard of what needs
attention, with its query budget."""

import datetime
import html
import re
import zoneinfo
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards import services as board_services
from boards.models import Meeting
from inquiries import services as inquiry_services
from minutes import services as minutes_services
from recommendations import services
from recommendations.models import Recommendation, Response, Statement, TrackingCategory
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    DesiredOutcomeFactory,
    MeetingFactory,
    PaperFactory,
    PostFactory,
    RecommendationFactory,
    StatementFactory,
    VenueFactory,
    tracked_recommendations,
)
from tests.matrix import DRAFT_READERS, EDITORS, EVERYONE, STAFF, expect

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")


def text_of_markup(markup: str) -> str:
    """Words without markup, whitespace collapsed, and none before punctuation."""
    words = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))
    return re.sub(r" ([,.;:])", r"\1", words).strip()


def text_of(response) -> str:
    """The page's words without markup, whitespace collapsed."""
    return text_of_markup(response.content.decode())


def table_with_caption(response, caption: str) -> str:
    """The markup of the page's table with that caption."""
    for table in re.findall(r"<table.*?</table>", response.content.decode(), flags=re.S):
        if re.search(rf"<caption[^>]*>{re.escape(caption)}</caption>", table):
            return table
    raise AssertionError(f"no table captioned {caption!r}")


def make_meeting(board, day: datetime.date) -> Meeting:
    return board_services.meeting_create(
        board=board,
        starts_at=datetime.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON),
        venue=VenueFactory(),
    )


def published_statement(board, title: str = "Inquiry into ICT Capacity", on=None):
    inquiry = inquiry_services.inquiry_create(board=board, title=title, on=D(2016, 6, 1))
    return StatementFactory(
        inquiry=inquiry,
        published_on=on or D(2017, 5, 31),
        response_due_on=on or D(2017, 7, 31),
    )


# Who may open what ------------------------------------------------------------------------------


@pytest.fixture
def world(board, officer):
    """A recommendation of a draft statement and one of a published statement."""
    draft = StatementFactory(
        inquiry=inquiry_services.inquiry_create(board=board, title="Bus lanes", on=D(2017, 1, 9))
    )
    published = published_statement(board)
    return SimpleNamespace(
        board=board,
        draft_slug=draft.inquiry.slug,
        draft=RecommendationFactory(statement=draft),
        published=RecommendationFactory(statement=published),
    )


PAGES = {
    "published recommendation": (
        lambda w: w.published.get_absolute_url(),
        expect(EVERYONE),
    ),
    "draft recommendation": (
        lambda w: w.draft.get_absolute_url(),
        expect(DRAFT_READERS, refused=404, public=404),
    ),
    "add a recommendation": (
        lambda w: reverse(
            "recommendations:recommendation-add", args=[w.draft.statement.inquiry.slug]
        ),
        expect(EDITORS),
    ),
    "record the response": (
        lambda w: reverse("recommendations:response-edit", args=[w.published.pk]),
        expect(EDITORS),
    ),
    "add a progress update": (
        lambda w: reverse("recommendations:update-add", args=[w.published.pk]),
        expect(EDITORS),
    ),
    "record the judgement": (
        lambda w: reverse("recommendations:judgement-add", args=[w.published.pk]),
        expect(EDITORS),
    ),
    # Councillors: the boards they sit on, as they may read them.
    "dashboard": (
        lambda w: reverse("recommendations:dashboard"),
        expect([*STAFF, "councillor", "other councillor"]),
    ),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_permission_matrix(world, audiences, page):
    url_for, expected = PAGES[page]
    url = url_for(world)
    responses = {name: audiences[name].get(url) for name in EVERYONE}
    assert {name: response.status_code for name, response in responses.items()} == expected
    if expected["public"] == 302:
        assert responses["public"]["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("name", ["response-edit", "update-add", "judgement-add"])
def test_a_recommendation_with_parts_is_tracked_part_by_part(board, editor, name):
    statement = published_statement(board)
    parent = RecommendationFactory(statement=statement)
    part = RecommendationFactory(parent=parent, position=1)
    assert editor.get(reverse(f"recommendations:{name}", args=[parent.pk])).status_code == 403
    assert editor.get(reverse(f"recommendations:{name}", args=[part.pk])).status_code == 200


# Adding recommendations to a statement ----------------------------------------------------------


@pytest.fixture
def statement(board):
    inquiry = inquiry_services.inquiry_create(
        board=board, title="Inquiry into ICT Capacity", on=D(2016, 6, 1)
    )
    return StatementFactory(inquiry=inquiry)


def _recommendation(**fields) -> dict:
    return {
        "outcome": "",
        "text": "That the Chief Digital Officer:",
        "parts": "",
        "deadline_wording": "by",
        "deadline_month": "",
        "deadline_day": "",
        "report_back_to": "",
        **fields,
    }


def test_adding_a_recommendation_with_a_month_deadline_and_lettered_parts(statement, board, editor):
    outcome = DesiredOutcomeFactory(statement=statement, text="Staff have the ICT they need.")
    director = PostFactory(title="Chief Digital Officer")
    slug = statement.inquiry.slug
    response = editor.post(
        reverse("recommendations:recommendation-add", args=[slug]),
        _recommendation(
            outcome=outcome.pk,
            parts="Reviews staffing levels.\r\n\r\nReports back to the board.",
            addressees=[director.pk],
            deadline_month="2017-09",
            report_back_to=board.pk,
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("statements:statement-build", args=[slug])
    recommendation = Recommendation.objects.get(statement=statement, parent=None)
    assert (recommendation.number, recommendation.outcome, recommendation.deadline_on) == (
        1,
        outcome,
        D(2017, 9, 30),
    )
    assert recommendation.deadline_text == "by September 2017"
    assert [(p.reference, p.text, p.deadline_on) for p in recommendation.parts.all()] == [
        ("1(a)", "Reviews staffing levels.", D(2017, 9, 30)),
        ("1(b)", "Reports back to the board.", D(2017, 9, 30)),
    ]
    assert list(recommendation.parts.first().addressees.all()) == [director]
    preview = text_of(editor.get(response["Location"]))
    assert "Recommendation 1 added." in preview
    assert "(a) Reviews staffing levels. (b) Reports back to the board." in preview
    assert "Deadline: by September 2017 · Addressed to Chief Digital Officer" in preview


def test_a_day_deadline_reads_as_the_full_date(statement, editor):
    editor.post(
        reverse("recommendations:recommendation-add", args=[statement.inquiry.slug]),
        _recommendation(deadline_wording="no later than", deadline_day="2018-05-01"),
    )
    recommendation = Recommendation.objects.get(statement=statement)
    assert recommendation.deadline_text == "no later than 1 May 2018"


def test_a_deadline_is_a_month_or_a_day_not_both(statement, editor):
    response = editor.post(
        reverse("recommendations:recommendation-add", args=[statement.inquiry.slug]),
        _recommendation(deadline_month="2017-09", deadline_day="2017-09-15"),
    )
    assert response.status_code == 422
    assert "Give a month or a day, not both." in text_of(response)
    assert not Recommendation.objects.exists()


def test_a_published_statements_recommendations_are_fixed(board, editor):
    statement = published_statement(board)
    response = editor.post(
        reverse("recommendations:recommendation-add", args=[statement.inquiry.slug]),
        _recommendation(),
    )
    assert response.status_code == 422
    assert "its recommendations are fixed" in text_of(response)
    assert not Recommendation.objects.exists()


# Tracking: the response, progress and the board's judgement -------------------------------------


@pytest.fixture
def recommendation(board):
    return RecommendationFactory(
        statement=published_statement(board),
        text="That the Director reviews staffing.",
        deadline_on=D(2017, 9, 30),
    )


def test_the_response_progress_and_judgement_show_on_the_inquiry_page(
    recommendation, board, editor
):
    meeting = make_meeting(board, D(2017, 10, 16))
    item = meeting.agenda_items.first()
    category = TrackingCategory.objects.get(
        name="Not fully implemented – progress acceptable, continue monitoring"
    )
    pk = recommendation.pk
    posts = [
        (
            "response-edit",
            {"decision": "agreed", "text": "We will.", "responded_on": "2017-07-20"},
        ),
        ("update-add", {"on": "2017-09-01", "text": "Recruitment has started."}),
        ("update-add", {"on": "2017-10-01", "text": "Two analysts appointed."}),
        (
            "judgement-add",
            {"category": category.pk, "on": "2017-10-16", "considered_at": item.pk},
        ),
    ]
    for name, data in posts:
        response = editor.post(reverse(f"recommendations:{name}", args=[pk]), data)
        assert response.status_code == 302, name
        assert response["Location"] == recommendation.get_absolute_url()
    recommendation.refresh_from_db()
    assert recommendation.current_category == category
    assert recommendation.response.decision == Response.Decision.AGREED
    inquiry = recommendation.statement.inquiry
    inquiry.refresh_from_db()
    assert inquiry.stage == inquiry.Stage.MONITORING
    row = text_of(editor.get(inquiry.get_absolute_url())).split("Latest update", 1)[1]
    assert (
        "That the Director reviews staffing. by September 2017 Overdue Agreed "
        f"{category.name} 1 October 2017: Two analysts appointed." in row
    )
    assert "Recruitment has started." not in row
    page = text_of(editor.get(recommendation.get_absolute_url()))
    assert "Agreed, Thursday, 20 July 2017." in page
    assert f"Monday, 16 October 2017: {category.name} at the meeting of" in page


def test_editing_a_response_keeps_the_date_it_was_given(recommendation, editor):
    """A recorded date changes only when someone changes it: the form shows the response's own
    date, and saving it unchanged keeps that date, not today's."""
    url = reverse("recommendations:response-edit", args=[recommendation.pk])
    first = {"decision": "agreed", "text": "We will.", "responded_on": "2017-07-20"}
    assert editor.post(url, first).status_code == 302

    form = editor.get(url)
    for part, value in (("day", "20"), ("month", "7"), ("year", "2017")):
        assert f'name="responded_on_{part}" value="{value}"' in form.text
    assert timezone.localdate().isoformat() not in form.text

    editor.post(url, {**first, "text": "We will, by March."})
    response = Response.objects.get()
    assert response.responded_on == datetime.date(2017, 7, 20)
    assert response.text == "We will, by March."


def test_a_new_response_is_dated_today_until_changed(recommendation, editor):
    form = editor.get(reverse("recommendations:response-edit", args=[recommendation.pk]))
    today = timezone.localdate()
    for part in ("day", "month", "year"):
        assert f'name="responded_on_{part}" value="{getattr(today, part)}"' in form.text


def test_a_response_needs_a_decision(recommendation, editor):
    response = editor.post(
        reverse("recommendations:response-edit", args=[recommendation.pk]),
        {"decision": "", "text": "We will.", "responded_on": "2017-07-20"},
    )
    assert response.status_code == 422
    assert not Response.objects.exists()


def test_a_judgement_needs_a_category(recommendation, editor):
    response = editor.post(
        reverse("recommendations:judgement-add", args=[recommendation.pk]),
        {"on": "2017-10-16"},
    )
    assert response.status_code == 422
    recommendation.refresh_from_db()
    assert recommendation.current_category is None


def test_a_progress_update_cannot_cite_another_boards_meeting(recommendation, editor):
    item = make_meeting(BoardFactory(), D(2017, 10, 16)).agenda_items.first()
    response = editor.post(
        reverse("recommendations:update-add", args=[recommendation.pk]),
        {"on": "2017-10-01", "text": "Done.", "considered_at": item.pk},
    )
    assert response.status_code == 422
    assert not recommendation.updates.exists()


# The dashboard ----------------------------------------------------------------------------------


@pytest.fixture
def attention(board, officer):
    """One of each thing the dashboard lists for the board, and the same again for another
    board and on a draft statement, which the board's officer must not see."""
    today = timezone.localdate()
    days = datetime.timedelta

    def things(board, prefix: str):
        statement = published_statement(board, f"{prefix} inquiry", on=today - days(days=40))
        overdue = RecommendationFactory(statement=statement, deadline_on=today - days(days=1))
        soon = RecommendationFactory(statement=statement, deadline_on=today + days(days=30))
        later = RecommendationFactory(statement=statement, deadline_on=today + days(days=31))
        for done in (overdue, soon, later):
            services.response_record(
                recommendation=done, decision="agreed", text="Yes.", on=today - days(days=30)
            )
        waiting = published_statement(board, f"{prefix} awaiting", on=today - days(days=20))
        unanswered = RecommendationFactory(statement=waiting)
        services.update_add(recommendation=later, on=today - days(days=2), text="Progress.")
        services.judgement_record(
            recommendation=soon,
            category=TrackingCategory.objects.get(name="Not fully implemented – obstacle"),
            on=today - days(days=3),
        )
        services.update_add(recommendation=soon, on=today - days(days=5), text="Earlier.")
        meeting = make_meeting(board, today - days(days=7))
        minute = minutes_services.minute_take(
            meeting=meeting, agenda_item=meeting.agenda_items.first()
        )
        action = minutes_services.resolution_add(
            minute=minute,
            text=f"{prefix}: the Director to circulate the figures.",
            is_action=True,
            owner_post=PostFactory(),
            due_on=today + days(days=14),
        )
        return SimpleNamespace(
            overdue=overdue,
            soon=soon,
            later=later,
            waiting=waiting,
            unanswered=unanswered,
            action=action,
        )

    ours = things(board, "Ours")
    theirs = things(BoardFactory(), "Theirs")
    draft = StatementFactory(
        inquiry=inquiry_services.inquiry_create(board=board, title="Draft", on=today)
    )
    drafted = RecommendationFactory(statement=draft, deadline_on=today - days(days=1))
    return SimpleNamespace(ours=ours, theirs=theirs, drafted=drafted)


def _links(table: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', table))


def test_the_dashboard_lists_what_needs_the_officers_attention(attention, audiences):
    response = audiences["officer"].get(reverse("recommendations:dashboard"))
    ours, theirs = attention.ours, attention.theirs
    assert _links(table_with_caption(response, "Overdue recommendations")) == {
        ours.overdue.get_absolute_url()
    }
    assert _links(table_with_caption(response, "Due in the next 30 days")) == {
        ours.soon.get_absolute_url()
    }
    assert _links(table_with_caption(response, "Responses awaited")) == {
        ours.waiting.inquiry.get_absolute_url()
    }
    assert _links(table_with_caption(response, "Updates awaiting the board's judgement")) == {
        ours.later.get_absolute_url()
    }
    actions = text_of_markup(table_with_caption(response, "Open actions from minutes"))
    assert "Ours: the Director to circulate the figures." in actions
    assert "Theirs" not in actions
    assert theirs.overdue.get_absolute_url() not in response.text
    assert attention.drafted.get_absolute_url() not in response.text


def test_the_clerks_dashboard_covers_every_board(attention, audiences):
    response = audiences["clerk"].get(reverse("recommendations:dashboard"))
    assert _links(table_with_caption(response, "Overdue recommendations")) == {
        attention.ours.overdue.get_absolute_url(),
        attention.theirs.overdue.get_absolute_url(),
    }
    actions = text_of_markup(table_with_caption(response, "Open actions from minutes"))
    assert "Ours:" in actions and "Theirs:" in actions


def test_the_dashboard_rows_say_what_each_recommendation_asks(attention, audiences, board):
    today = timezone.localdate()
    statement = published_statement(board, "Inquiry into libraries", on=today)
    RecommendationFactory(
        statement=statement,
        deadline_on=today - datetime.timedelta(days=3),
        text="That the **Director of Communities** opens every library on Saturdays, "
        + " ".join(f"word{n}" for n in range(40)),
    )
    response = audiences["officer"].get(reverse("recommendations:dashboard"))
    overdue = text_of_markup(table_with_caption(response, "Overdue recommendations"))
    assert f"{attention.ours.overdue.reference} {attention.ours.overdue.text}" in overdue
    assert "That the Director of Communities opens every library on Saturdays, word0" in overdue
    assert "word30" not in overdue and "**" not in overdue


def test_a_councillor_sees_what_needs_attention_on_their_boards_as_published(
    attention, audiences, officer
):
    client = audiences["councillor"]
    response = client.get(reverse("recommendations:dashboard"))
    ours, theirs = attention.ours, attention.theirs
    assert _links(table_with_caption(response, "Overdue recommendations")) == {
        ours.overdue.get_absolute_url()
    }
    assert _links(table_with_caption(response, "Due in the next 30 days")) == {
        ours.soon.get_absolute_url()
    }
    assert _links(table_with_caption(response, "Responses awaited")) == {
        ours.waiting.inquiry.get_absolute_url()
    }
    assert theirs.overdue.get_absolute_url() not in response.text
    # Never a draft: the draft statement's recommendation, or an action of minutes not released.
    assert attention.drafted.get_absolute_url() not in response.text
    actions = text_of_markup(table_with_caption(response, "Open actions from minutes"))
    assert "No open actions." in actions
    minutes_services.minutes_release(minutes=ours.action.minute.meeting.minutes, by=officer)
    response = client.get(reverse("recommendations:dashboard"))
    actions = text_of_markup(table_with_caption(response, "Open actions from minutes"))
    assert "Ours: the Director to circulate the figures." in actions
    assert "Theirs" not in actions
    # Marking an action done is for officers and clerks.
    assert reverse("minutes:action-done", args=[ours.action.pk]) not in response.text


def test_the_dashboard_forgets_what_has_been_dealt_with(attention, audiences):
    ours = attention.ours
    today = timezone.localdate()
    achieved = TrackingCategory.objects.get(name="Achieved")
    services.judgement_record(recommendation=ours.overdue, category=achieved, on=today)
    services.judgement_record(recommendation=ours.later, category=achieved, on=today)
    services.response_record(
        recommendation=ours.unanswered, decision="not_agreed", text="No.", on=today
    )
    minutes_services.action_done(resolution=ours.action, on=today)
    response = audiences["officer"].get(reverse("recommendations:dashboard"))
    for caption in [
        "Overdue recommendations",
        "Responses awaited",
        "Updates awaiting the board's judgement",
    ]:
        assert _links(table_with_caption(response, caption)) == set(), caption
    assert _links(table_with_caption(response, "Due in the next 30 days")) == {
        ours.soon.get_absolute_url()
    }
    actions = text_of_markup(table_with_caption(response, "Open actions from minutes"))
    assert "No open actions." in actions


# Executive decisions: call-ins to check and to schedule (staff, +2), windows closing today (+1);
# how many overdue recommendations and open actions there are, beyond those listed (+2); an
# officer's boards read first, as ids (+1: PostgreSQL plans the lists far better than by a
# subquery).
@pytest.mark.parametrize(
    ("audience", "budget"), [("officer", 20), ("clerk", 18), ("councillor", 16)]
)
def test_the_dashboard_runs_the_same_queries_for_5_or_200_recommendations_and_actions(
    board, officer, audiences, django_assert_max_num_queries, audience, budget
):
    today = timezone.localdate()
    statement = published_statement(board, on=today)
    meeting = make_meeting(board, today - datetime.timedelta(days=7))
    minute = minutes_services.minute_take(meeting=meeting, agenda_item=meeting.agenda_items.first())
    # Released, so that councillors read them too.
    minutes_services.minutes_release(minutes=meeting.minutes, by=officer)

    def add_actions(count: int) -> None:
        for n in range(count):
            minutes_services.resolution_add(
                minute=minute, text=f"Action {n}.", is_action=True, owner_post=PostFactory()
            )

    tracked_recommendations(statement, 5)
    add_actions(2)
    client, url = audiences[audience], reverse("recommendations:dashboard")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.get(url)
    small = count()
    tracked_recommendations(statement, 195, first_number=6)
    add_actions(20)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert count() == small
    # The first of each, and a link to them all.
    overdue = Recommendation.objects.overdue(today).count()
    assert overdue > 20
    assert f"The 20 longest overdue of {overdue}." in text_of_markup(response.text)
    assert "The 20 due soonest of 22 open actions." in text_of_markup(response.text)
    everything = client.get(url, {"overdue": "all", "actions": "all"})
    assert ">199<" in table_with_caption(everything, "Overdue recommendations")
    assert "Action 19." in table_with_caption(everything, "Open actions from minutes")


def test_a_progress_update_cites_evidence_papers_from_the_boards_meetings(board, editor):
    inquiry = inquiry_services.inquiry_create(
        board=board, title="Inquiry into roads", on=D(2026, 1, 1)
    )
    statement = Statement.objects.create(inquiry=inquiry, title="Roads", month=D(2026, 5, 1))
    recommendation = services.recommendation_add(statement=statement, text="Fix.")
    services.statement_publish(statement=statement, on=D(2026, 5, 31))
    paper = PaperFactory(
        title="Highways report", agenda_item=AgendaItemFactory(meeting=MeetingFactory(board=board))
    )
    editor.post(
        reverse("recommendations:update-add", args=[recommendation.pk]),
        {"on": "2026-09-01", "text": "Potholes filled.", "evidence": [paper.pk]},
    )
    assert list(recommendation.updates.get().evidence.all()) == [paper]
    assert "Highways report" in editor.get(recommendation.get_absolute_url()).text


def test_a_deadline_day_on_a_weekend_is_flagged_to_those_who_edit_it(board, editor, client):
    recommendation = RecommendationFactory(
        statement=published_statement(board),
        deadline_on=D(2017, 9, 30),  # a Saturday
        deadline_precision=Recommendation.Precision.DAY,
    )
    url = reverse("recommendations:recommendation-detail", args=[recommendation.pk])

    assert re.search(
        r"Deadline by 30 September 2017 (Overdue )?This is a Saturday", text_of(editor.get(url))
    )
    assert "This is a Saturday" not in text_of(client.get(url))
