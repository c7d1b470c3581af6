"""Statement pages: who may open what, drafts kept from the public and from councillors, the
officer's flow from the cover to publication, putting recommendation tracking on a meeting's
agenda, and query budgets."""

import datetime
import html
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards import services as board_services
from boards.models import Meeting
from inquiries import services as inquiry_services
from inquiries.models import Inquiry
from recommendations import services as recommendation_services
from recommendations.models import Footnote, Paragraph, Statement
from tests.factories import (
    BoardFactory,
    RecommendationFactory,
    StatementFactory,
    VenueFactory,
    tracked_recommendations,
)
from tests.matrix import DRAFT_READERS, EDITORS, EVERYONE, expect

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
CANARY = "CANARY-draft-statement-4b1e"


def text_of(response) -> str:
    """The page's words without markup, whitespace collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words)).strip()


def make_meeting(board, day: datetime.date) -> Meeting:
    return board_services.meeting_create(
        board=board,
        starts_at=datetime.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON),
        venue=VenueFactory(),
    )


def publish(statement: Statement) -> Statement:
    return recommendation_services.statement_publish(statement=statement, on=D(2017, 5, 31))


# Who may open what ------------------------------------------------------------------------------


PAGES = {
    "published statement": (
        lambda w: reverse("statements:statement-detail", args=[w.published.slug]),
        expect(EVERYONE),
    ),
    "draft statement": (
        lambda w: reverse("statements:statement-detail", args=[w.draft.slug]),
        expect(DRAFT_READERS, refused=404, public=404),
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
def test_permission_matrix(inquiries_with_statements, audiences, page):
    url_for, expected = PAGES[page]
    url = url_for(inquiries_with_statements)
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


def test_a_statement_has_appendices(board, officer, client_for):
    inquiry = inquiry_services.inquiry_create(
        board=board, title="Inquiry into parks", on=D(2026, 5, 1)
    )
    client_for(officer).post(
        reverse("statements:statement-edit", args=[inquiry.slug]),
        {
            "title": "Parks",
            "month": "2026-09-01",
            "outcomes-TOTAL_FORMS": "1",
            "outcomes-INITIAL_FORMS": "0",
            "outcomes-0-text": "Better parks.",
            "appendices-TOTAL_FORMS": "1",
            "appendices-INITIAL_FORMS": "0",
            "appendices-0-title": "Witnesses",
            "appendices-0-body": "- The parks manager",
        },
    )
    statement = Statement.objects.get(inquiry=inquiry)
    assert [a.title for a in statement.appendices.all()] == ["Witnesses"]
    page = client_for(officer).get(reverse("statements:statement-build", args=[inquiry.slug]))
    assert "Appendix 1: Witnesses" in page.text


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


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (("", "", ""), "Enter the date of publication"),
        (("31", "", "2017"), "Date of publication must include a month"),
        (("31", "6", "2017"), "Date of publication must be a real date"),
    ],
)
def test_publishing_needs_a_date(inquiry, editor, on, message):
    statement = StatementFactory(inquiry=inquiry)
    RecommendationFactory(statement=statement)
    response = editor.post(
        reverse("statements:statement-publish", args=[inquiry.slug]),
        {"on_day": on[0], "on_month": on[1], "on_year": on[2]},
        follow=True,
    )
    assert message in text_of(response)
    statement.refresh_from_db()
    assert statement.published_on is None


def test_a_response_due_on_a_bank_holiday_is_flagged_on_the_statement_page(inquiry, editor):
    statement = StatementFactory(inquiry=inquiry)
    RecommendationFactory(statement=statement)
    editor.post(
        reverse("statements:statement-publish", args=[inquiry.slug]),
        {
            **{
                f"on_{part}": value
                for part, value in zip(("day", "month", "year"), ["31", "10", "2017"], strict=True)
            },
            **{
                f"response_due_on_{part}": value
                for part, value in zip(("day", "month", "year"), ["25", "12", "2017"], strict=True)
            },
        },
    )
    statement.refresh_from_db()
    assert statement.response_due_on == D(2017, 12, 25)  # a warning, not a refusal
    page = text_of(editor.get(reverse("statements:statement-build", args=[inquiry.slug])))
    assert (
        "Response due by Monday, 25 December 2017. This is a bank holiday (Christmas Day)" in page
    )


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


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("audience", "budget"), [("public", 15), ("officer", 20)])
def test_the_statement_runs_the_same_queries_for_5_or_200_recommendations(
    published_inquiry, audiences, django_assert_max_num_queries, audience, budget
):
    client = audiences[audience]
    url = reverse("statements:statement-detail", args=[published_inquiry.slug])
    client.get(url)  # warm the session and per-process caches
    small = _count(client, url)
    tracked_recommendations(published_inquiry.statement, 195, first_number=6)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert "Part 2 of arrangement 200." in response.text
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
