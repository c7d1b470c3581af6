"""Inquiry pages: who may open what, the officer's flows from proposing an inquiry to adding its
evidence sessions, and query budgets."""

import datetime
import html
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards import services as board_services
from boards.models import AgendaItem, Meeting
from inquiries import services
from inquiries.models import Inquiry, Session
from tests.factories import (
    BoardFactory,
    PersonFactory,
    StatementFactory,
    VenueFactory,
    tracked_recommendations,
)
from tests.matrix import EDITORS, EVERYONE, expect

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")


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


# Who may open what ------------------------------------------------------------------------------


PAGES = {
    "inquiry list": (lambda w: reverse("inquiries:inquiry-list"), expect(EVERYONE)),
    "inquiry page": (
        lambda w: reverse("inquiries:inquiry-detail", args=[w.draft.slug]),
        expect(EVERYONE),
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
}


@pytest.mark.parametrize("page", list(PAGES))
def test_permission_matrix(inquiries_with_statements, audiences, page):
    url_for, expected = PAGES[page]
    url = url_for(inquiries_with_statements)
    responses = {name: audiences[name].get(url) for name in EVERYONE}
    assert {name: response.status_code for name, response in responses.items()} == expected
    if expected["public"] == 302:
        assert responses["public"]["Location"].startswith(reverse("accounts:sign-in"))


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


# Query budgets ----------------------------------------------------------------------------------


# Each page, and what it shows of the last of 200 recommendations.
QUERY_PAGES = {
    "inquiry page": (lambda inquiry: inquiry.get_absolute_url(), "Part 2 of arrangement 200."),
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
        ("inquiry page", "officer", 20),  # + the second factor's device
        ("inquiry list", "public", 6),
        ("inquiry list", "officer", 12),  # + the second factor's device
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
