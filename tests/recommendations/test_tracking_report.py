"""The recommendation tracking report of a board and of an inquiry: a page and a PDF from one
document (pypdf reads the PDF back), the visibility rule (drafts for officers and clerks only),
its query budget, and the snapshot that goes into a meeting's pack as a paper."""

import datetime
import html
import io
import re
import zoneinfo
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from boards import services as board_services
from boards.models import Paper
from boards.visibility import Audience
from inquiries import services as inquiry_services
from recommendations import services
from recommendations.models import TrackingCategory
from tests.conftest import CANARY
from tests.factories import (
    BoardFactory,
    RecommendationFactory,
    StatementFactory,
    VenueFactory,
    tracked_recommendations,
)
from tests.matrix import DRAFT_READERS, EVERYONE, expect
from tests.pdfs import layout_skipped, pdf_text, read_pdf

pytestmark = pytest.mark.django_db

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
OBSTACLE = "Not fully implemented – obstacle"
ACHIEVED = "Achieved"
TRACKING_MEETING_ON = D(2017, 10, 16)


def _page_text(response) -> str:
    assert response.status_code == 200
    words = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r" ([,.;:])", r"\1", re.sub(r"\s+", " ", words)).strip()


def _entries(text: str) -> list[tuple[str, str]]:
    """(reference, what follows up to the next recommendation) for each recommendation."""
    parts = re.split(r"Recommendation (\d+(?:\([a-z]\))?) ", text)
    return list(zip(parts[1::2], parts[2::2], strict=True))


def _published(board, title: str):
    inquiry = inquiry_services.inquiry_create(board=board, title=title, on=D(2016, 6, 1))
    return StatementFactory(
        inquiry=inquiry,
        title=f"{title}: statement",
        published_on=D(2017, 5, 31),
        response_due_on=D(2017, 7, 31),
    )


def _category(name: str) -> TrackingCategory:
    return TrackingCategory.objects.get(name=name)


@pytest.fixture
def world(board):
    """Two published inquiries of the board (Budget sorts first), a draft one holding the
    canary, and another board's published inquiry."""
    later = timezone.localdate() + datetime.timedelta(days=60)
    ict = _published(board, "Inquiry into ICT capacity")
    staffing = RecommendationFactory(
        statement=ict,
        number=1,
        text="That the Chief Digital Officer reviews staffing.",
        deadline_on=D(2017, 9, 30),
    )
    roadmap = RecommendationFactory(
        statement=ict, number=2, text="That the Director of Resources:", deadline_on=later
    )
    publish = RecommendationFactory(
        parent=roadmap, position=1, text="publishes the ICT roadmap.", deadline_on=later
    )
    report = RecommendationFactory(
        parent=roadmap, position=2, text="reports on it to the Board.", deadline_on=later
    )
    services.response_record(
        recommendation=staffing,
        decision="agreed",
        text="Two analysts will be recruited.",
        on=D(2017, 7, 20),
    )
    services.response_record(
        recommendation=publish,
        decision="partly_agreed",
        text="A summary of the roadmap will be published.",
        on=D(2017, 7, 21),
    )
    services.update_add(recommendation=staffing, on=D(2017, 9, 1), text="Recruitment started.")
    services.update_add(recommendation=staffing, on=D(2017, 10, 1), text="Two analysts appointed.")
    services.judgement_record(
        recommendation=staffing, category=_category(OBSTACLE), on=D(2017, 10, 16)
    )
    services.judgement_record(
        recommendation=publish, category=_category(ACHIEVED), on=D(2017, 10, 16)
    )
    budget = _published(board, "Budget inquiry")
    RecommendationFactory(
        statement=budget,
        number=1,
        text="That budget consultation starts in September.",
        deadline_on=D(2018, 1, 31),
    )
    draft = StatementFactory(
        inquiry=inquiry_services.inquiry_create(
            board=board, title="Inquiry into parking", on=D(2017, 1, 9)
        )
    )
    RecommendationFactory(statement=draft, number=1, text=f"That {CANARY} stays a draft.")
    other = _published(BoardFactory(), "Another board's inquiry")
    RecommendationFactory(statement=other, number=1, text="OTHER-BOARD recommendation.")
    return SimpleNamespace(
        board=board,
        ict=ict.inquiry,
        budget=budget.inquiry,
        draft=draft.inquiry,
        staffing=staffing,
        report=report,
    )


def _board_url(world, pdf=False) -> str:
    name = "board-tracking-pdf" if pdf else "board-tracking"
    return reverse(f"recommendations:{name}", args=[world.board.slug])


def _inquiry_url(inquiry, pdf=False) -> str:
    name = "inquiry-tracking-pdf" if pdf else "inquiry-tracking"
    return reverse(f"recommendations:{name}", args=[inquiry.slug])


def _assert_board_report(text: str) -> None:
    """What the board's report says, on its page and in its PDF alike."""
    assert text.index("Budget inquiry") < text.index("Inquiry into ICT capacity")
    entries = _entries(text.split("Budget inquiry", 1)[1])
    assert [reference for reference, _ in entries] == ["1", "1", "2(a)", "2(b)"]
    (_, budget), (_, staffing), (_, publish), (_, report) = entries
    assert "That budget consultation starts in September." in budget
    assert "Deadline by January 2018 Overdue" in budget
    assert "The executive's response Awaited: due by 31 July 2017." in budget
    assert "Latest progress None reported yet." in budget
    assert "The Board's judgement Not yet judged" in budget

    assert "That the Chief Digital Officer reviews staffing." in staffing
    assert "Deadline by September 2017 Overdue" in staffing
    assert "Agreed, 20 July 2017. Two analysts will be recruited." in staffing
    assert "Latest progress 1 October 2017 Two analysts appointed." in staffing
    assert "Recruitment started." not in text
    assert f"The Board's judgement {OBSTACLE}" in staffing

    assert "That the Director of Resources: publishes the ICT roadmap." in publish
    assert "Overdue" not in publish
    assert "Partly agreed, 21 July 2017. A summary of the roadmap will be published." in publish
    assert f"The Board's judgement {ACHIEVED}" in publish
    assert "reports on it to the Board." in report
    assert "Not yet judged" in report

    assert "OTHER-BOARD" not in text
    assert CANARY not in text
    assert "Inquiry into parking" not in text


def test_the_boards_report_page_groups_recommendations_by_inquiry(world):
    # Every recommendation: by default 2(a), closed in 2017, is left out (test_tracker_years).
    response = Client().get(_board_url(world), {"show": "all"})
    _assert_board_report(_page_text(response))
    # The category is shown in its colour as well as in words.
    for name in (OBSTACLE, ACHIEVED):
        colour = _category(name).colour
        assert re.search(
            rf'fill="{colour}"></rect></svg> {re.escape(html.escape(name))}', response.text
        )
    assert f'href="{_board_url(world, pdf=True)}?show=all"' in response.text
    assert f'href="{world.staffing.get_absolute_url()}"' in response.text


def test_the_boards_report_prints_the_same_document_tagged_on_a4(world):
    reader = read_pdf(Client().get(_board_url(world, pdf=True), {"show": "all"}))
    _assert_board_report(pdf_text(reader))
    assert reader.metadata.title == (
        f"Recommendation tracking: {world.board.name} (every recommendation)"
    )
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root  # tagged for accessibility (PDF/UA-1)
    assert root["/MarkInfo"]["/Marked"]
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    assert "Page 1" in reader.pages[0].extract_text()


def test_an_inquirys_report_has_its_own_recommendations_only(world):
    page = _page_text(Client().get(_inquiry_url(world.ict)))
    reader = read_pdf(Client().get(_inquiry_url(world.ict, pdf=True)))
    printed = pdf_text(reader)
    for text in (page, printed):
        assert "Recommendation tracking: Inquiry into ICT capacity" in text
        assert [reference for reference, _ in _entries(text)] == ["1", "2(a)", "2(b)"]
        assert "Two analysts appointed." in text
        assert "budget consultation" not in text
    assert reader.metadata.title == "Recommendation tracking: Inquiry into ICT capacity"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert (
        f'href="{_inquiry_url(world.ict, pdf=True)}"' in Client().get(_inquiry_url(world.ict)).text
    )


# Who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("pdf", [False, True], ids=["page", "pdf"])
def test_draft_recommendations_reach_officers_and_clerks_only(world, audiences, pdf):
    url = _board_url(world, pdf=pdf)
    for name in EVERYONE:
        response = audiences[name].get(url)
        text = pdf_text(read_pdf(response)) if pdf else _page_text(response)
        if name in DRAFT_READERS:
            assert CANARY in text, name
            assert "Draft Not yet published." in text, name
        else:
            assert CANARY not in text, name
            assert "Inquiry into parking" not in text, name


@pytest.mark.parametrize("pdf", [False, True], ids=["page", "pdf"])
def test_a_draft_inquirys_report_is_not_found_but_by_officers_and_clerks(
    world, audiences, pdf, pdf_layout_skipped
):
    url = _inquiry_url(world.draft, pdf=pdf)
    responses = {name: audiences[name].get(url) for name in EVERYONE}
    assert {name: r.status_code for name, r in responses.items()} == expect(
        DRAFT_READERS, refused=404, public=404
    )
    for name in EVERYONE:
        assert CANARY.encode() not in responses[name].content or name in DRAFT_READERS


def test_an_inquiry_without_a_statement_has_no_report(board):
    inquiry = inquiry_services.inquiry_create(
        board=board, title="Inquiry into bins", on=D(2026, 1, 5)
    )
    assert Client().get(_inquiry_url(inquiry)).status_code == 404
    assert Client().get(_inquiry_url(inquiry, pdf=True)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        lambda w: _board_url(w),
        lambda w: _board_url(w, pdf=True),
        lambda w: _inquiry_url(w.ict),
        lambda w: _inquiry_url(w.ict, pdf=True),
    ],
    ids=["board page", "board pdf", "inquiry page", "inquiry pdf"],
)
def test_the_reports_are_public_and_read_only(world, audiences, url, pdf_layout_skipped):
    address = url(world)
    assert {name: audiences[name].get(address).status_code for name in EVERYONE} == expect(EVERYONE)
    assert audiences["officer"].post(address).status_code == 405


def test_the_board_and_inquiry_pages_link_to_their_reports(world):
    board_page = Client().get(reverse("boards:board-detail", args=[world.board.slug])).text
    assert f'href="{_board_url(world)}"' in board_page
    assert f'href="{_inquiry_url(world.ict)}"' in Client().get(world.ict.get_absolute_url()).text


# Queries ----------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("audience", ["public", "officer"])
def test_the_page_runs_the_same_queries_for_5_or_200_recommendations(
    board, audiences, django_assert_max_num_queries, audience
):
    first = _published(board, "Inquiry into libraries")
    tracked_recommendations(first, 5)
    client, url = audiences[audience], reverse("recommendations:board-tracking", args=[board.slug])
    client.get(url)
    small = _queries(client, url)
    tracked_recommendations(first, 95, first_number=6)
    tracked_recommendations(_published(board, "Inquiry into parks"), 100)
    with django_assert_max_num_queries(small):
        text = _page_text(client.get(url))
    assert "Recommendation 100(b)" in text
    assert text.count("Latest progress") == 300  # 150 tracked in each: 50 whole, 100 parts
    assert _queries(client, url) == small


def test_the_pdf_runs_the_same_queries_for_3_or_30_recommendations(board, audiences):
    statement = _published(board, "Inquiry into libraries")
    tracked_recommendations(statement, 3)
    client = audiences["public"]
    url = reverse("recommendations:inquiry-tracking-pdf", args=[statement.inquiry.slug])
    with layout_skipped():  # the queries are the template's; WeasyPrint makes none
        small = _queries(client, url)
        tracked_recommendations(statement, 27, first_number=4)
        assert _queries(client, url) == small
    assert "Recommendation 30(b)" in pdf_text(read_pdf(client.get(url)))


# Into a meeting's pack --------------------------------------------------------------------------


def _meeting(board, day=TRACKING_MEETING_ON):
    return board_services.meeting_create(
        board=board,
        starts_at=datetime.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON),
        venue=VenueFactory(),
    )


def test_tracking_goes_on_the_agenda_with_the_report_as_its_paper(world, clerk):
    meeting = _meeting(world.board)
    item = services.tracking_to_agenda(inquiry=world.ict, meeting=meeting, today=D(2017, 10, 2))
    paper = item.papers.get()
    assert (paper.title, paper.kind, paper.is_upload) == (
        "Recommendation tracking: Inquiry into ICT capacity",
        Paper.Kind.REPORT,
        True,
    )
    content = paper.file.open("rb").read()
    reader = PdfReader(io.BytesIO(content))
    assert paper.file_size == len(content)
    assert paper.page_count == len(reader.pages)
    assert paper.original_filename == "recommendation-tracking-inquiry-into-ict-capacity.pdf"
    text = pdf_text(reader)
    assert "The position as at Monday, 2 October 2017" in text
    assert [reference for reference, _ in _entries(text)] == ["1", "2(a)", "2(b)"]
    assert "Agreed, 20 July 2017. Two analysts will be recruited." in text
    assert f"The Board's judgement {OBSTACLE}" in text
    assert "Page 1" not in text  # the pack numbers its pages
    assert reader.metadata.title == paper.title
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    # Published with the agenda, it is a public paper like any other: the pack prints it.
    board_services.agenda_publish(meeting=meeting, by=clerk, late_reason="Test.")
    assert paper in Paper.objects.readable_by(Audience.public())
    download = Client().get(reverse("boards:paper-download", args=[paper.pk]))
    assert b"".join(download.streaming_content) == content


def test_the_snapshot_is_what_the_public_may_see(world):
    """Drafts never go into a pack's paper, whoever puts tracking on the agenda."""
    item = services.tracking_to_agenda(inquiry=world.draft, meeting=_meeting(world.board))
    assert not item.papers.exists()
    paper = services.tracking_report_attach(item=item, inquiry=world.draft, today=D(2017, 10, 2))
    text = pdf_text(PdfReader(paper.file.open("rb")))
    assert CANARY not in text
    assert "No recommendations of this inquiry have been published yet." in text


def test_the_officer_puts_tracking_on_the_agenda_with_its_paper(world, editor):
    meeting = _meeting(world.board, timezone.localdate() + datetime.timedelta(days=30))
    response = editor.post(
        reverse("statements:tracking-to-agenda", args=[world.ict.slug]),
        {"meeting": meeting.pk},
        follow=True,
    )
    item = meeting.agenda_items.get(title="Recommendation tracking – Inquiry into ICT capacity")
    assert item.papers.get().page_count >= 1
    assert "with the paper “Recommendation tracking: Inquiry into ICT capacity”" in (
        html.unescape(response.text)
    )
