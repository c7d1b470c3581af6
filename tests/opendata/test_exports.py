"""CSV exports of the recommendation tracker: a board's and an inquiry's, which open in a
spreadsheet as they are (UTF-8 with a byte order mark, ISO dates, one row per tracked
recommendation), through the same visibility rule as the pages, in a fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opendata import exports
from recommendations import services as recommendation_services
from recommendations.models import TrackingCategory
from tests.conftest import CANARY
from tests.factories import BoardFactory, InquiryFactory, StatementFactory

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"


def statement_with_recommendations(board, *, title: str, publish: bool = True, text: str = ""):
    """A statement with recommendation 1 in parts (a) and (b), and recommendation 2 on its own
    with a response, two progress updates and a judgement; published unless told otherwise."""
    statement = StatementFactory(inquiry=InquiryFactory(board=board, title=title))
    recommendation_services.recommendation_add(
        statement=statement,
        text="That the Director of Adults and Health reviews reporting:",
        deadline_on=datetime.date(2017, 9, 30),
        parts=["through community committees;", "to the Board – twice a year."],
    )
    single = recommendation_services.recommendation_add(
        statement=statement,
        text=text or "That the commissioning workforce is reviewed.",
        deadline_on=datetime.date(2017, 12, 31),
        deadline_wording="no later than",
    )
    if not publish:
        return statement
    recommendation_services.statement_publish(statement=statement, on=datetime.date(2017, 5, 1))
    recommendation_services.response_record(
        recommendation=single,
        decision="agreed",
        text="Agreed: £2m set aside.",
        on=datetime.date(2017, 7, 1),
    )
    recommendation_services.update_add(
        recommendation=single, on=datetime.date(2017, 10, 1), text="An early update."
    )
    recommendation_services.update_add(
        recommendation=single, on=datetime.date(2018, 1, 15), text="Review under way."
    )
    category = TrackingCategory.objects.get(name__startswith="Not fully implemented – obstacle")
    recommendation_services.judgement_record(
        recommendation=single, category=category, on=datetime.date(2018, 2, 1)
    )
    return statement


def read(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="recommendations-')
    assert response["Content-Disposition"].endswith('.csv"')
    assert response.content.startswith(BOM)
    text = response.content.decode("utf-8-sig")
    assert "\r\n" in text  # the line ends spreadsheets expect
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == exports.HEADER
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_an_inquirys_csv_has_a_row_per_tracked_recommendation(client, board):
    statement = statement_with_recommendations(board, title="Inquiry into commissioning")
    rows = read(client.get(reverse("opendata:inquiry-tracking-csv", args=[statement.inquiry.slug])))

    assert [row["Reference"] for row in rows] == ["1(a)", "1(b)", "2"]
    part_b = rows[1]
    assert part_b["Recommendation"] == "That the Director of Adults and Health reviews reporting:"
    assert part_b["Part"] == "to the Board – twice a year."
    assert part_b["Deadline"] == "2017-09-30"
    assert part_b["Deadline as written"] == "by September 2017"
    assert part_b["Response"] == ""
    single = rows[2]
    assert single == {
        "Inquiry": "Inquiry into commissioning",
        "Reference": "2",
        "Recommendation": "That the commissioning workforce is reviewed.",
        "Part": "",
        "Deadline": "2017-12-31",
        "Deadline as written": "no later than December 2017",
        "Response": "Agreed",
        "Response date": "2017-07-01",
        "Response text": "Agreed: £2m set aside.",
        "Latest update date": "2018-01-15",
        "Latest update": "Review under way.",
        "Category": "Not fully implemented – obstacle",
        "Overdue": "Yes",
        "Web page": f"http://testserver{statement.recommendations.get(number=2).get_absolute_url()}",
    }


def test_a_boards_csv_covers_its_inquiries_only(client, board):
    statement_with_recommendations(board, title="Inquiry A")
    statement_with_recommendations(board, title="Inquiry B")
    statement_with_recommendations(BoardFactory(), title="Another board's inquiry")
    rows = read(client.get(reverse("opendata:board-tracking-csv", args=[board.slug])))
    assert [(row["Inquiry"], row["Reference"]) for row in rows] == [
        ("Inquiry A", "1(a)"),
        ("Inquiry A", "1(b)"),
        ("Inquiry A", "2"),
        ("Inquiry B", "1(a)"),
        ("Inquiry B", "1(b)"),
        ("Inquiry B", "2"),
    ]


def test_draft_recommendations_reach_officers_only(board, officer, councillor, client_for):
    """The canary: a draft statement's recommendations are not published, so neither CSV
    carries them to the public or a councillor; the board's officer sees them."""
    statement_with_recommendations(board, title="Published inquiry")
    draft = statement_with_recommendations(
        board, title="Draft inquiry", publish=False, text=f"Draft {CANARY}"
    )
    urls = [
        reverse("opendata:board-tracking-csv", args=[board.slug]),
        reverse("opendata:inquiry-tracking-csv", args=[draft.inquiry.slug]),
    ]
    for client in (Client(), client_for(councillor)):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200
            assert CANARY.encode() not in response.content
    officer_client = client_for(officer)
    for url in urls:
        response = officer_client.get(url)
        assert CANARY in response.content.decode("utf-8-sig")
        assert response["Cache-Control"] == "private, no-store"
    assert read(Client().get(urls[1])) == []


def test_cells_a_spreadsheet_would_run_as_formulas_are_kept_as_text(client, board):
    statement = statement_with_recommendations(
        board, title="Inquiry", text='=HYPERLINK("http://example.com","click")'
    )
    rows = read(client.get(reverse("opendata:inquiry-tracking-csv", args=[statement.inquiry.slug])))
    assert rows[2]["Recommendation"] == '\'=HYPERLINK("http://example.com","click")'


def test_unknown_boards_and_inquiries_are_not_found(client):
    assert client.get(reverse("opendata:board-tracking-csv", args=["nope"])).status_code == 404
    assert client.get(reverse("opendata:inquiry-tracking-csv", args=["nope"])).status_code == 404


def test_the_csv_costs_the_same_queries_for_a_few_rows_or_many(client, board):
    url = reverse("opendata:board-tracking-csv", args=[board.slug])
    statement_with_recommendations(board, title="Inquiry 0")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(1, 5):
        statement_with_recommendations(board, title=f"Inquiry {number}")
    with CaptureQueriesContext(connection) as many:
        rows = read(client.get(url))
    assert len(rows) == 15
    assert len(many) == len(few) <= 4
