"""Inquiry and statement pages: who may open what, drafts kept from the public, the officer's
flows from proposal to publication, query budgets, and a subject's history across meetings."""

import datetime
import html
import re
import zoneinfo
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards import services as board_services
from boards.models import AgendaItem, Council, Meeting
from inquiries import services
from inquiries.models import Inquiry, Session
from minutes import services as minutes_services
from recommendations import services as recommendation_services
from recommendations.models import Footnote, Paragraph, Statement
from tests.factories import (
    BoardFactory,
    DesiredOutcomeFactory,
    PersonFactory,
    RecommendationFactory,
    StatementFactory,
    VenueFactory,
    tracked_recommendations,
)
from tests.matrix import EDITORS, EVERYONE, STAFF, expect

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
CANARY = "CANARY-draft-statement-4b1e"


def text_of(response) -> str:
    """The page's words without markup, whitespace collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words)).strip()


def table_rows(response) -> list[str]:
    """The words of each row of the page's first table body."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", r))).strip() for r in rows]


def make_meeting(board, day: datetime.date) -> Meeting:
    return board_services.meeting_create(
        board=board,
        starts_at=datetime.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON),
        venue=VenueFactory(),
    )


def publish(statement: Statement) -> Statement:
    return recommendation_services.statement_publish(statement=statement, on=D(2017, 5, 31))


@pytest.fixture
def inquiry(board):
    return services.inquiry_create(board=board, title="Inquiry into ICT Capacity", on=D(2016, 6, 1))


# Who may open what ------------------------------------------------------------------------------


@pytest.fixture
def world(board, officer):
    """A board's inquiry with a draft statement, and another whose statement is published."""
    draft = services.inquiry_create(board=board, title="Inquiry into bus lanes", on=D(2017, 1, 9))
    RecommendationFactory(statement=StatementFactory(inquiry=draft))
    published = services.inquiry_create(board=board, title="Inquiry into ICT", on=D(2016, 6, 1))
    statement = StatementFactory(inquiry=published)
    RecommendationFactory(statement=statement)
    publish(statement)
    make_meeting(board, D(2017, 9, 18))
    return SimpleNamespace(board=board, draft=draft, published=published)


PAGES = {
    "inquiry list": (lambda w: reverse("inquiries:inquiry-list"), expect(EVERYONE)),
    "inquiry page": (
        lambda w: reverse("inquiries:inquiry-detail", args=[w.draft.slug]),
        expect(EVERYONE),
    ),
    "published statement": (
        lambda w: reverse("statements:statement-detail", args=[w.published.slug]),
        expect(EVERYONE),
    ),
    "draft statement": (
        lambda w: reverse("statements:statement-detail", args=[w.draft.slug]),
        expect(STAFF, refused=404, public=404),
    ),
    "propose an inquiry": (
        lambda w: reverse("inquiries:inquiry-create", args=[w.board.slug]),
        expect(EDITORS),
    ),
    "terms of reference": (
        lambda w: reverse("inquiries:inquiry-edit", args=[w.draft.slug]),
        expect(EDITORS),
    ),
    "add a session": (
        lambda w: reverse("inquiries:session-create", args=[w.draft.slug]),
        expect(EDITORS),
    ),
    "statement cover": (
        lambda w: reverse("statements:statement-edit", args=[w.draft.slug]),
        expect(EDITORS),
    ),
    "build the statement": (
        lambda w: reverse("statements:statement-build", args=[w.draft.slug]),
        expect(EDITORS),
    ),
    "add a section": (
        lambda w: reverse("statements:section-create", args=[w.draft.slug]),
        expect(EDITORS),
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


# Drafts never reach the public ------------------------------------------------------------------


@pytest.fixture
def draft_with_canary(inquiry):
    statement = StatementFactory(inquiry=inquiry, title="Statement on ICT capacity")
    recommendation = recommendation_services.recommendation_add(
        statement=statement,
        text=f"That the Director {CANARY} reviews staffing.",
        parts=[f"Part one {CANARY}.", "Part two."],
    )
    section = statement.sections.create(position=1, heading="Introduction")
    recommendation_services.section_save(
        section=section, body=f"The board found {CANARY} in the data."
    )
    return recommendation


def _draft_urls(recommendation) -> list[str]:
    inquiry = recommendation.statement.inquiry
    return [
        reverse("inquiries:inquiry-list"),
        inquiry.get_absolute_url(),
        reverse("statements:statement-detail", args=[inquiry.slug]),
        recommendation.get_absolute_url(),
        recommendation.parts.first().get_absolute_url(),
        reverse("minutes:subject-detail", args=[inquiry.subject.slug]),
    ]


@pytest.mark.parametrize("audience", ["public", "councillor", "other councillor"])
def test_a_draft_statement_never_reaches_the_public_or_councillors(
    draft_with_canary, audiences, audience
):
    client = audiences[audience]
    for url in _draft_urls(draft_with_canary):
        assert CANARY not in client.get(url).text, f"{audience} saw the draft at {url}"
    inquiry = draft_with_canary.statement.inquiry
    page = client.get(inquiry.get_absolute_url())
    assert page.status_code == 200
    assert "recommendation-table" not in page.text
    assert "Statement on ICT capacity" not in page.text
    assert (
        client.get(reverse("statements:statement-detail", args=[inquiry.slug])).status_code == 404
    )
    assert client.get(draft_with_canary.get_absolute_url()).status_code == 404
    assert client.get(draft_with_canary.parts.first().get_absolute_url()).status_code == 404


@pytest.mark.parametrize("audience", ["officer", "clerk"])
def test_staff_read_the_draft_statement(draft_with_canary, audiences, audience):
    client = audiences[audience]
    inquiry = draft_with_canary.statement.inquiry
    page = client.get(inquiry.get_absolute_url())
    assert "recommendation-table" in page.text
    assert "Draft" in text_of(page)
    statement = text_of(client.get(reverse("statements:statement-detail", args=[inquiry.slug])))
    assert f"That the Director {CANARY} reviews staffing." in statement
    assert f"The board found {CANARY} in the data." in statement
    assert CANARY in client.get(draft_with_canary.get_absolute_url()).text


def test_once_published_the_statement_reaches_everyone(draft_with_canary, audiences):
    publish(draft_with_canary.statement)
    for url in _draft_urls(draft_with_canary)[1:5]:
        assert CANARY in audiences["public"].get(url).text, url


# Proposing an inquiry and adding sessions -------------------------------------------------------


def test_proposing_an_inquiry_opens_its_page(board, editor):
    response = editor.post(
        reverse("inquiries:inquiry-create", args=[board.slug]),
        {
            "title": "Inquiry into Waste Collection",
            "scope": "How bins are collected.",
            "lines_of_enquiry": "- Missed collections",
        },
    )
    inquiry = Inquiry.objects.get(board=board)
    assert response.status_code == 302
    assert response["Location"] == "/inquiries/inquiry-into-waste-collection/"
    assert inquiry.stage == Inquiry.Stage.PROPOSED
    page = text_of(editor.get(response["Location"]))
    assert "Inquiry into Waste Collection proposed." in page
    assert "How bins are collected." in page
    assert "Missed collections" in page


def test_an_inquiry_needs_a_title(board, editor):
    response = editor.post(reverse("inquiries:inquiry-create", args=[board.slug]), {"title": ""})
    assert response.status_code == 422
    assert not Inquiry.objects.exists()


def test_adding_a_session_puts_one_item_on_the_meetings_agenda(inquiry, editor):
    meeting = make_meeting(inquiry.board, D(2016, 9, 19))
    items_before = meeting.agenda_items.count()
    witness = PersonFactory(officer=True, given_name="Dylan", family_name="Roberts")
    response = editor.post(
        reverse("inquiries:session-create", args=[inquiry.slug]),
        {"meeting": meeting.pk, "focus": "- Staffing levels", "witnesses": [witness.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == inquiry.get_absolute_url()
    session = Session.objects.get(inquiry=inquiry)
    items = AgendaItem.objects.filter(meeting=meeting, kind=AgendaItem.Kind.INQUIRY_SESSION)
    assert list(items) == [session.agenda_item]
    assert meeting.agenda_items.count() == items_before + 1
    assert session.agenda_item.subject == inquiry.subject
    agenda = text_of(editor.get(meeting.get_absolute_url()))
    assert "Scrutiny Inquiry into ICT Capacity – Session 1" in agenda
    page = text_of(editor.get(inquiry.get_absolute_url()))
    assert "Session 1 with Dylan Roberts" in page
    assert "Staffing levels" in page


def test_a_session_cannot_go_on_another_boards_meeting(inquiry, editor):
    elsewhere = make_meeting(BoardFactory(), D(2016, 9, 19))
    response = editor.post(
        reverse("inquiries:session-create", args=[inquiry.slug]), {"meeting": elsewhere.pk}
    )
    assert response.status_code == 422
    assert not Session.objects.exists()
    assert not elsewhere.agenda_items.filter(kind=AgendaItem.Kind.INQUIRY_SESSION).exists()


# Building and publishing the statement ----------------------------------------------------------


def management_forms(response) -> dict:
    """The hidden fields the page's form sends (its formsets' management forms), as a browser
    would send them; the CSRF token is left to the test client."""
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', response.text)
    return {name: value for name, value in hidden if name != "csrfmiddlewaretoken"}


def test_saving_the_cover_creates_the_statement_with_its_desired_outcomes(inquiry, editor):
    url = reverse("statements:statement-edit", args=[inquiry.slug])
    response = editor.post(
        url,
        {
            **management_forms(editor.get(url)),
            "title": "Statement on ICT capacity",
            "month": "2017-05-01",
            "chair": "",
            "author": "",
            "outcomes-TOTAL_FORMS": "2",
            "outcomes-0-text": "Staff have the equipment they need.",
            "outcomes-1-text": "Systems are supported.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("statements:statement-build", args=[inquiry.slug])
    statement = Statement.objects.get(inquiry=inquiry)
    assert statement.title == "Statement on ICT capacity"
    assert not statement.is_published
    assert [(o.position, o.text) for o in statement.outcomes.all()] == [
        (1, "Staff have the equipment they need."),
        (2, "Systems are supported."),
    ]
    preview = text_of(editor.get(response["Location"]))
    assert "Desired outcome – Staff have the equipment they need." in preview


def test_a_statement_needs_a_title(inquiry, editor):
    url = reverse("statements:statement-edit", args=[inquiry.slug])
    data = {**management_forms(editor.get(url)), "title": "", "month": "2017-05-01"}
    assert editor.post(url, data).status_code == 422
    assert not Statement.objects.exists()


def test_appendices_added_together_are_numbered_one_and_two(inquiry, editor):
    url = reverse("statements:statement-edit", args=[inquiry.slug])
    editor.post(
        url,
        {
            **management_forms(editor.get(url)),
            "title": "Statement on ICT capacity",
            "month": "2017-05-01",
            "appendices-TOTAL_FORMS": "2",
            "appendices-0-title": "Witnesses",
            "appendices-1-title": "Sources",
        },
    )
    statement = Statement.objects.get(inquiry=inquiry)
    assert [(a.position, a.title) for a in statement.appendices.order_by("position")] == [
        (1, "Witnesses"),
        (2, "Sources"),
    ]


def test_a_section_is_saved_as_numbered_paragraphs_with_footnotes(inquiry, editor):
    statement = StatementFactory(inquiry=inquiry)
    body = (
        "The board heard from the Chief Digital Officer.[^1]\r\n"
        "[^1]: Session 1, 19 September 2016.\r\n\r\n"
        "Capacity has fallen since 2010."
    )
    response = editor.post(
        reverse("statements:section-create", args=[inquiry.slug]),
        {"heading": "Introduction and background", "body": body},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("statements:statement-build", args=[inquiry.slug])
    paragraphs = Paragraph.objects.filter(section__statement=statement).order_by("number")
    assert [(p.number, p.text) for p in paragraphs] == [
        (1, "The board heard from the Chief Digital Officer.[^1]"),
        (2, "Capacity has fallen since 2010."),
    ]
    assert [(f.paragraph.number, f.number, f.text) for f in Footnote.objects.all()] == [
        (1, 1, "Session 1, 19 September 2016.")
    ]
    preview = text_of(editor.get(response["Location"]))
    assert "Introduction and background" in preview
    assert "1 Session 1, 19 September 2016." in preview


def test_a_section_needs_a_heading(inquiry, editor):
    StatementFactory(inquiry=inquiry)
    response = editor.post(
        reverse("statements:section-create", args=[inquiry.slug]), {"heading": "", "body": "Text."}
    )
    assert response.status_code == 422
    assert not Paragraph.objects.exists()


def test_publishing_starts_the_two_month_response_clock(inquiry, editor):
    statement = StatementFactory(inquiry=inquiry)
    RecommendationFactory(statement=statement)
    response = editor.post(
        reverse("statements:statement-publish", args=[inquiry.slug]),
        {"on": "2017-05-31", "response_due_on": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == inquiry.get_absolute_url()
    statement.refresh_from_db()
    assert (statement.published_on, statement.response_due_on) == (D(2017, 5, 31), D(2017, 7, 31))
    inquiry.refresh_from_db()
    assert inquiry.stage == Inquiry.Stage.PUBLISHED
    page = text_of(editor.get(inquiry.get_absolute_url()))
    assert "Published Wednesday, 31 May 2017" in page
    assert "the executive's response was due by Monday, 31 July 2017" in page


def test_a_statement_without_recommendations_is_not_published(inquiry, editor):
    statement = StatementFactory(inquiry=inquiry)
    response = editor.post(
        reverse("statements:statement-publish", args=[inquiry.slug]),
        {"on": "2017-05-31"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "statements:statement-build", args=[inquiry.slug]
    )
    errors = [m.message for m in response.context["messages"] if m.level_tag == "error"]
    assert errors == ["A statement needs at least one recommendation before publishing."]
    assert "notification--error" in response.text
    statement.refresh_from_db()
    assert statement.published_on is None


def test_publishing_needs_a_date(inquiry, editor):
    statement = StatementFactory(inquiry=inquiry)
    RecommendationFactory(statement=statement)
    response = editor.post(
        reverse("statements:statement-publish", args=[inquiry.slug]), {"on": ""}, follow=True
    )
    assert "Give the date of publication." in text_of(response)
    statement.refresh_from_db()
    assert statement.published_on is None


# Recommendation tracking on an agenda -----------------------------------------------------------


def test_tracking_goes_on_the_chosen_meetings_agenda(inquiry, editor):
    meeting = make_meeting(inquiry.board, D(2018, 1, 15))
    other = make_meeting(inquiry.board, D(2018, 3, 19))
    response = editor.post(
        reverse("statements:tracking-to-agenda", args=[inquiry.slug]), {"meeting": meeting.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == inquiry.get_absolute_url()
    item = meeting.agenda_items.get(title="Recommendation tracking – Inquiry into ICT Capacity")
    assert item.subject == inquiry.subject
    assert not other.agenda_items.filter(subject=inquiry.subject).exists()
    page = text_of(editor.get(response["Location"]))
    assert f"Added as item {item.number} of {meeting}." in page


def test_tracking_cannot_go_on_another_boards_agenda(inquiry, editor):
    elsewhere = make_meeting(BoardFactory(), D(2018, 1, 15))
    response = editor.post(
        reverse("statements:tracking-to-agenda", args=[inquiry.slug]),
        {"meeting": elsewhere.pk},
        follow=True,
    )
    assert "Choose a meeting of the inquiry's board." in text_of(response)
    assert not elsewhere.agenda_items.filter(subject=inquiry.subject).exists()


def test_only_the_boards_editors_put_tracking_on_an_agenda(inquiry, audiences):
    meeting = make_meeting(inquiry.board, D(2018, 1, 15))
    url = reverse("statements:tracking-to-agenda", args=[inquiry.slug])
    statuses = {
        name: audiences[name].post(url, {"meeting": meeting.pk}).status_code
        for name in ["public", "councillor", "other officer"]
    }
    assert statuses == {"public": 302, "councillor": 403, "other officer": 403}
    assert not meeting.agenda_items.filter(subject=inquiry.subject).exists()


# Query budgets ----------------------------------------------------------------------------------


@pytest.fixture
def published_inquiry(board):
    inquiry = services.inquiry_create(board=board, title="Inquiry into ICT", on=D(2016, 6, 1))
    statement = StatementFactory(
        inquiry=inquiry, published_on=D(2017, 5, 31), response_due_on=D(2017, 7, 31)
    )
    DesiredOutcomeFactory(statement=statement)
    section = statement.sections.create(position=1, heading="Introduction")
    recommendation_services.section_save(section=section, body="One.[^1]\n\n[^1]: A note.\n\nTwo.")
    tracked_recommendations(statement, 5)
    return inquiry


# Each page, and what it shows of the last of 200 recommendations.
QUERY_PAGES = {
    "inquiry page": (lambda inquiry: inquiry.get_absolute_url(), "Part 2 of arrangement 200."),
    "statement": (
        lambda inquiry: reverse("statements:statement-detail", args=[inquiry.slug]),
        "Part 2 of arrangement 200.",
    ),
    "inquiry list": (lambda inquiry: reverse("inquiries:inquiry-list"), "Inquiry into ICT"),
}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("page", "audience", "budget"),
    [
        ("inquiry page", "public", 12),
        ("inquiry page", "officer", 18),
        ("statement", "public", 15),
        ("statement", "officer", 20),
        ("inquiry list", "public", 6),
        ("inquiry list", "officer", 11),
    ],
)
def test_pages_run_the_same_queries_for_5_or_200_recommendations(
    published_inquiry, audiences, django_assert_max_num_queries, page, audience, budget
):
    url_for, shown = QUERY_PAGES[page]
    client, url = audiences[audience], url_for(published_inquiry)
    client.get(url)  # warm the session and per-process caches
    small = _count(client, url)
    tracked_recommendations(published_inquiry.statement, 195, first_number=6)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert shown in response.text
    assert _count(client, url) == small


def test_the_inquiry_list_runs_the_same_queries_for_2_or_12_published_inquiries(board, client):
    def add_published_inquiries(count: int) -> None:
        for _ in range(count):
            inquiry = services.inquiry_create(board=board, title="Inquiry", on=D(2016, 6, 1))
            statement = StatementFactory(
                inquiry=inquiry, published_on=D(2017, 5, 31), response_due_on=D(2017, 7, 31)
            )
            tracked_recommendations(statement, 2)

    url = reverse("inquiries:inquiry-list")
    add_published_inquiries(2)
    client.get(url)
    small = _count(client, url)
    add_published_inquiries(10)
    assert _count(client, url) == small


def test_recommendations_restated_after_paragraphs_cost_no_extra_queries(published_inquiry, client):
    statement = published_inquiry.statement
    section = statement.sections.get()
    url = reverse("statements:statement-detail", args=[published_inquiry.slug])

    def restate(recommendations) -> None:
        for recommendation in recommendations:
            Paragraph.objects.create(
                section=section, number=0, text="As we recommend:", recommendation=recommendation
            )

    restate(statement.recommendations.filter(parent__isnull=True))
    client.get(url)
    small = _count(client, url)
    restate(tracked_recommendations(statement, 20, first_number=6))
    assert _count(client, url) == small


# A subject's history across meetings ------------------------------------------------------------


@pytest.fixture
def history(inquiry, clerk):
    """The inquiry on two meetings' published agendas: tracking in September (added first) and
    a minuted session in January; and an exempt item on it in September, minuted too."""
    board = inquiry.board
    january = make_meeting(board, D(2016, 1, 18))
    september = make_meeting(board, D(2016, 9, 19))
    recommendation_services.tracking_to_agenda(inquiry=inquiry, meeting=september)
    session = services.session_create(inquiry=inquiry, meeting=january)
    exempt = board_services.agenda_item_add(
        meeting=september,
        item=AgendaItem(
            title="ICT supplier contract",
            purpose="To consider the contract.",
            subject=inquiry.subject,
            exempt=True,
            exempt_paragraph=3,
            public_interest_reasoning="Commercially sensitive.",
        ),
    )
    for meeting in (january, september):
        board_services.agenda_publish(meeting=meeting, by=clerk, late_reason="Test of history.")
    minute = minutes_services.minute_take(meeting=january, agenda_item=session.agenda_item)
    minutes_services.resolution_add(minute=minute, text="That the evidence on ICT be noted.")
    secret = minutes_services.minute_take(meeting=september, agenda_item=exempt)
    minutes_services.resolution_add(minute=secret, text=f"That the contract goes to {CANARY}.")
    return inquiry


def test_a_subjects_history_lists_its_items_in_date_order_with_the_decisions(history, audiences):
    response = audiences["public"].get(
        reverse("minutes:subject-detail", args=[history.subject.slug])
    )
    rows = table_rows(response)
    board = history.board.name
    assert len(rows) == 3
    assert rows[0].startswith(f"Monday, 18 January 2016 {board}")
    assert "Scrutiny Inquiry into ICT Capacity – Session 1" in rows[0]
    assert "RESOLVED – That the evidence on ICT be noted." in rows[0]
    assert all(row.startswith(f"Monday, 19 September 2016 {board}") for row in rows[1:])
    assert "Recommendation tracking – Inquiry into ICT Capacity" in rows[1]
    assert rows[1].endswith("No minutes yet")


@pytest.mark.parametrize("audience", ["public", "other councillor"])
def test_an_exempt_items_decision_is_hidden_from_the_public(history, audiences, audience):
    page = text_of(
        audiences[audience].get(reverse("minutes:subject-detail", args=[history.subject.slug]))
    )
    assert "ICT supplier contract" in page
    assert "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A" in page
    assert CANARY not in page


@pytest.mark.parametrize("audience", ["officer", "clerk", "councillor"])
def test_staff_and_members_read_an_exempt_items_decision(history, audiences, audience):
    page = text_of(
        audiences[audience].get(reverse("minutes:subject-detail", args=[history.subject.slug]))
    )
    assert f"RESOLVED – That the contract goes to {CANARY}." in page


def test_draft_minutes_kept_from_the_public_keep_their_decisions_off_the_subject_page(
    history, audiences
):
    Council.objects.create(name="Aldermoor City Council", public_sees_draft_minutes=False)
    url = reverse("minutes:subject-detail", args=[history.subject.slug])
    assert "That the evidence on ICT be noted." in audiences["officer"].get(url).text
    assert "That the evidence on ICT be noted." not in audiences["public"].get(url).text
