"""The attendance report: per councillor per body, expected, present, apologies, absent, not
recorded, substituted and as a substitute, over a period (by default the current municipal year)
and perhaps one body; as a page, a PDF and a CSV, all one report from the minutes the visitor
may read, in a fixed number of queries."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards.models import MunicipalYear
from boards.visibility import Audience
from minutes import services as minutes_services
from minutes.people import attendance_report_asked
from tests.factories import BoardFactory, MembershipFactory, PersonFactory
from tests.matrix import EVERYONE, expect
from tests.minutes.record import item, make_record, published_meeting, release, text_of
from tests.pdfs import pdf_text, read_pdf

pytestmark = pytest.mark.django_db

D = datetime.date
PAGE = reverse("minutes:attendance-report")
PDF = reverse("minutes:attendance-report-pdf")
CSV = reverse("opendata:attendance-csv")
YEAR = {"date_from": "2015-05-21", "date_to": "2016-05-18"}
BOM = "\ufeff"


@pytest.fixture
def record(board):
    record = make_record(board)
    MunicipalYear.objects.filter(starts_on=D(2015, 5, 1)).update(starts_on=D(2015, 5, 21))
    MunicipalYear.objects.get_or_create(starts_on=D(2016, 5, 19))
    return record


def rows_of(response) -> list[tuple]:
    return [
        (row.person.family_name, row.board.name, *row.counts.values())
        for row in response.context["report"].rows
    ]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    content = response.content.decode("utf-8")
    assert content.startswith(BOM)
    return list(csv.reader(io.StringIO(content.removeprefix(BOM))))


STRATEGY = "Scrutiny Board (Strategy and Resources)"
# expected, present, apologies, absent, not recorded, substituted, as a substitute
RELEASED = [
    ("Adams", STRATEGY, 1, 0, 1, 0, 0, 1, 0),
    ("Bentley", STRATEGY, 1, 1, 0, 0, 0, 0, 0),
    ("Dixon", STRATEGY, 0, 0, 0, 0, 0, 0, 1),
    ("Groves", STRATEGY, 1, 1, 0, 0, 0, 0, 0),
]


def test_the_report_counts_each_councillor_at_each_body_from_published_minutes(record):
    response = Client().get(PAGE, YEAR)

    assert response.status_code == 200
    assert rows_of(response) == RELEASED
    page = text_of(response)
    assert "21 May 2015 to 18 May 2016: every body From the minutes of 1 meeting." in page
    assert f"Ann Adams {STRATEGY} 1 0 1 0 0 1 0" in page
    groves = reverse("minutes:councillor-detail", args=[record.groves.pk])
    assert f'<a href="{groves}">Kathryn Groves</a>' in response.text


def test_staff_count_the_draft_minutes_too(record, audiences):
    staff = audiences["officer"].get(PAGE, YEAR)
    councillor = audiences["councillor"].get(PAGE, YEAR)

    assert rows_of(councillor) == RELEASED
    # March: Bentley absent, the others present.
    assert rows_of(staff) == [
        ("Adams", STRATEGY, 2, 1, 1, 0, 0, 1, 0),
        ("Bentley", STRATEGY, 2, 1, 0, 1, 0, 0, 0),
        ("Dixon", STRATEGY, 0, 0, 0, 0, 0, 0, 1),
        ("Groves", STRATEGY, 2, 2, 0, 0, 0, 0, 0),
    ]
    assert "From the minutes of 2 meetings." in text_of(staff)


def test_the_report_is_by_councillor_then_body_and_may_be_one_body_or_some_dates(record, clerk):
    executive = BoardFactory(name="Executive Board")
    MembershipFactory(board=executive, person=record.groves)
    MembershipFactory(board=executive, person=PersonFactory(family_name="Zephyr"))
    april = published_meeting(executive, D(2016, 4, 13), clerk)
    minutes_services.minutes_open(april)
    minutes_services.attendance_all_present(meeting=april)
    minutes_services.minute_take(meeting=april, agenda_item=item(april, exempt=False))
    release(april, record.officer)
    client = Client()

    everything = rows_of(client.get(PAGE, YEAR))
    executive_only = client.get(PAGE, {**YEAR, "board": executive.slug})
    february = rows_of(client.get(PAGE, {"date_from": "2016-02-01", "date_to": "2016-02-29"}))
    from_april = rows_of(client.get(PAGE, {"date_from": "2016-04-01"}))

    assert [(name, body) for name, body, *_ in everything] == [
        ("Adams", STRATEGY),
        ("Bentley", STRATEGY),
        ("Dixon", STRATEGY),
        ("Groves", "Executive Board"),
        ("Groves", STRATEGY),
        ("Zephyr", "Executive Board"),
    ]
    assert rows_of(executive_only) == [
        ("Groves", "Executive Board", 1, 1, 0, 0, 0, 0, 0),
        ("Zephyr", "Executive Board", 1, 1, 0, 0, 0, 0, 0),
    ]
    assert "<title>Attendance report: 21 May 2015 to 18 May 2016, Executive Board – " in (
        executive_only.text
    )
    assert february == RELEASED
    assert [name for name, *_ in from_april] == ["Groves", "Zephyr"]


def test_by_default_the_report_covers_the_current_municipal_year(record):
    form, report = attendance_report_asked(QueryDict(), Audience.public(), D(2016, 3, 30))

    assert (report.starts_on, report.ends_on) == (D(2015, 5, 21), D(2016, 5, 18))
    assert report.title == "Attendance report: 21 May 2015 to 18 May 2016"
    assert report.query == "date_from=2015-05-21&date_to=2016-05-18"
    assert form["date_from"].value() == "2015-05-21"

    # The latest year, still open, runs from its annual meeting with no end yet.
    form, report = attendance_report_asked(QueryDict(), Audience.public(), D(2016, 7, 1))

    assert (report.starts_on, report.ends_on) == (D(2016, 5, 19), None)
    assert report.period == "from 19 May 2016"
    assert report.rows == []


def test_the_page_with_no_dates_shows_the_year_today_falls_in(record):
    this_year = MunicipalYear.objects.order_by("-starts_on").first()

    response = Client().get(PAGE)

    assert response.context["report"].starts_on == this_year.starts_on
    # The form says so, in its Day, Month and Year boxes.
    form = response.context["form"]
    boxes = form["date_from"].field.widget.decompress(form["date_from"].value())
    assert boxes == [
        str(part)
        for part in (this_year.starts_on.day, this_year.starts_on.month, this_year.starts_on.year)
    ]
    starts = this_year.starts_on
    for part, value in (("day", starts.day), ("month", starts.month), ("year", starts.year)):
        assert re.search(rf'name="date_from_{part}"[^>]*value="{value}"', response.text), part


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"board": "no-such-board"}, "Choose a body from the list"),
        ({"date_from": "21/05/2015x"}, "Enter a real date, for example 21/03/2016"),
        ({"date_to": "2016-02-30"}, "Enter a real date, for example 21/03/2016"),
        (
            {"date_from": "2016-03-01", "date_to": "2016-02-01"},
            "The ‘to’ date must be the same as or after the ‘from’ date",
        ),
    ],
)
def test_values_that_cannot_be_read_are_explained_on_the_page_and_refused_for_downloads(
    record, query, message
):
    page = Client().get(PAGE, query)
    pdf = Client().get(PDF, query)
    sheet = Client().get(CSV, query)

    assert page.status_code == 200
    assert page.text.count(message) == 2  # in the summary and at the field
    assert "Showing the current municipal year for every body instead." in page.text
    for download in (pdf, sheet):
        assert download.status_code == 400
        assert download["Content-Type"] == "text/plain; charset=utf-8"
        assert message in download.content.decode()


def test_the_csv_is_the_reports_rows_for_a_spreadsheet(record):
    response = Client().get(CSV, YEAR)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="attendance-2015-05-21-2016-05-18.csv"'
    )
    assert b"\r\n" in response.content
    header, *rows = csv_rows(response)
    assert header == [
        "Councillor",
        "Ward",
        "Party",
        "Body",
        "Expected",
        "Present",
        "Apologies",
        "Absent",
        "Not recorded",
        "Substituted",
        "As a substitute",
        "Web page",
    ]
    adams = reverse("minutes:councillor-detail", args=[record.adams.pk])
    assert rows[0] == [
        "Ann Adams",
        "Whinmoor",
        "Labour",
        STRATEGY,
        "1",
        "0",
        "1",
        "0",
        "0",
        "1",
        "0",
        f"http://testserver{adams}",
    ]
    page = Client().get(PAGE, YEAR)
    assert [(row[0].split()[-1], row[3], *map(int, row[4:11])) for row in rows] == rows_of(page)


def test_the_csv_of_one_body_is_named_for_it_and_a_formula_is_kept_as_text(record):
    record.adams.given_name = "=HYPERLINK(1)"
    record.adams.save()

    response = Client().get(CSV, {**YEAR, "board": record.board.slug})

    assert (
        f"attendance-{record.board.slug}-2015-05-21-2016-05-18.csv"
        in (response["Content-Disposition"])
    )
    _header, *rows = csv_rows(response)
    assert rows[0][0] == "'=HYPERLINK(1) Adams"


def test_draft_minutes_stay_out_of_the_csv_for_the_public(record, audiences):
    public = csv_rows(audiences["public"].get(CSV, YEAR))
    staff = csv_rows(audiences["officer"].get(CSV, YEAR))

    assert [row[4] for row in public[1:]] == ["1", "1", "0", "1"]
    assert [row[4] for row in staff[1:]] == ["2", "2", "0", "2"]


def test_the_pdf_prints_the_report_in_its_order(record):
    response = Client().get(PDF, YEAR)

    reader = read_pdf(response)
    text = pdf_text(reader)
    assert reader.metadata.title == "Attendance report: 21 May 2015 to 18 May 2016"
    assert "Attendance report 21 May 2015 to 18 May 2016: every body" in text
    assert "From the minutes of 1 meeting." in text
    positions = [
        text.index(f"{name} {STRATEGY} {counts}")
        for name, counts in [
            ("Ann Adams", "1 0 1 0 0 1 0"),
            ("Sue Bentley", "1 1 0 0 0 0 0"),
            ("Brian Dixon", "0 0 0 0 0 0 1"),
            ("Kathryn Groves", "1 1 0 0 0 0 0"),
        ]
    ]
    assert positions == sorted(positions)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root  # tagged for accessibility (PDF/UA-1)
    assert "Page 1" in reader.pages[0].extract_text()


def test_the_page_links_to_the_pdf_and_csv_of_what_it_shows(record):
    response = Client().get(PAGE, {**YEAR, "board": record.board.slug})

    query = f"board={record.board.slug}&amp;date_from=2015-05-21&amp;date_to=2016-05-18"
    assert f'href="{PDF}?{query}"' in response.text
    assert f'href="{CSV}?{query}"' in response.text


def test_the_report_its_pdf_and_csv_are_public_and_read_only(record, audiences, pdf_layout_skipped):
    for url in (PAGE, PDF, CSV):
        statuses = {name: audiences[name].get(url, YEAR).status_code for name in EVERYONE}
        assert statuses == expect(EVERYONE), url
        assert audiences["officer"].post(url).status_code == 405


@pytest.mark.parametrize("url", [PAGE, PDF, CSV])
def test_the_report_takes_the_same_queries_for_few_or_many_meetings_and_members(
    record, clerk, url, pdf_layout_skipped, django_assert_max_num_queries
):
    client = Client()
    with CaptureQueriesContext(connection) as few:
        client.get(url, YEAR)
    for number in range(3):
        board = BoardFactory()
        for _ in range(4):
            MembershipFactory(board=board)
        meeting = published_meeting(board, D(2015, 9, 1) + datetime.timedelta(days=number), clerk)
        minutes_services.minutes_open(meeting)
        minutes_services.attendance_all_present(meeting=meeting)
        minutes_services.minute_take(meeting=meeting, agenda_item=item(meeting, exempt=False))
        release(meeting, record.officer)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, YEAR)

    assert response.status_code == 200
