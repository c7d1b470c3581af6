"""The work schedule printed on A4 landscape from the same grid and table as its page."""

import datetime
import re
import zoneinfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards import services as board_services
from boards.models import MunicipalYear
from inquiries import services
from inquiries.models import WorkScheduleEntry
from recommendations import services as recommendation_services
from tests.matrix import EVERYONE, expect
from tests.pdfs import pdf_text, read_pdf

LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date
pytestmark = pytest.mark.django_db


def _meeting(board, day):
    return board_services.meeting_create(
        board=board, starts_at=datetime.datetime.combine(day, datetime.time(10), LONDON), venue=None
    )


def _url(board, year=None, pdf=True) -> str:
    url = reverse(
        "inquiries:work-schedule-pdf" if pdf else "inquiries:work-schedule", args=[board.slug]
    )
    return f"{url}?year={year.pk}" if year else url


@pytest.fixture
def year():
    return MunicipalYear.objects.create(starts_on=D(2015, 5, 21))


@pytest.fixture
def schedule(board, year):
    """Two sessions, recommendation tracking and an officer's entry in 2015/16; a meeting in
    2016/17 with an entry of its own."""
    inquiry = services.inquiry_create(
        board=board, title="Inquiry into ICT capacity", on=D(2015, 6, 1)
    )
    services.session_create(inquiry=inquiry, meeting=_meeting(board, D(2016, 1, 25)))
    services.session_create(inquiry=inquiry, meeting=_meeting(board, D(2016, 2, 22)))
    recommendation_services.tracking_to_agenda(
        inquiry=inquiry, meeting=_meeting(board, D(2016, 3, 21))
    )
    WorkScheduleEntry.objects.create(
        board=board, area="Budget", month=D(2015, 12, 1), note="Initial proposals"
    )
    _meeting(board, D(2016, 9, 19))
    WorkScheduleEntry.objects.create(
        board=board, area="Libraries", month=D(2016, 9, 1), note="Next year's"
    )
    return year


def test_the_schedule_prints_landscape_with_the_grid_of_its_page(board, schedule):
    reader = read_pdf(Client().get(_url(board, schedule)))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    text = pdf_text(reader)
    assert "Work schedule 2015/16" in text
    assert "Area of review May Jun Jul Aug Sep Oct Nov Dec Jan Feb Mar Apr" in text
    page = Client().get(_url(board, schedule, pdf=False))
    for row in page.context["rows"]:
        notes = [note for cell in row["cells"] for note in cell]
        assert re.search(re.escape(row["area"]) + r"\s+" + r"\s+".join(map(re.escape, notes)), text)
    assert [row["area"] for row in page.context["rows"]] == [
        "Budget",
        "Inquiry into ICT capacity",
        "Recommendation tracking",
    ]
    assert "Session 1 Session 2" in text
    assert "Next year's" not in text
    assert reader.metadata.title == f"Work schedule 2015/16: {board.name}"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root  # tagged for accessibility (PDF/UA-1)
    assert root["/MarkInfo"]["/Marked"]
    assert "Page 1" in reader.pages[0].extract_text()


def test_the_pdf_prints_the_year_chosen_and_by_default_the_latest(board, schedule):
    latest = pdf_text(read_pdf(Client().get(_url(board))))
    assert "Work schedule 2016/17" in latest
    assert "Libraries Next year's" in latest
    assert "Initial proposals" not in latest


def test_the_page_links_to_the_pdf_of_the_year_shown(board, schedule):
    page = Client().get(_url(board, schedule, pdf=False)).text
    assert f'href="{_url(board, schedule)}">Download PDF' in page


def test_the_pdf_is_public_and_read_only(board, schedule, audiences, pdf_layout_skipped):
    url = _url(board, schedule)
    assert {name: audiences[name].get(url).status_code for name in EVERYONE} == expect(EVERYONE)
    assert audiences["officer"].post(url).status_code == 405
    assert (
        Client().get(reverse("inquiries:work-schedule-pdf", args=["no-such-board"])).status_code
        == 404
    )


def test_the_pdf_runs_the_same_queries_for_a_few_or_many_entries(board, year, pdf_layout_skipped):
    _meeting(board, D(2015, 9, 21))
    url = _url(board, year)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url).status_code == 200
        return len(queries)

    def add(areas: int) -> None:
        inquiry = services.inquiry_create(board=board, title=f"Inquiry {areas}", on=D(2015, 6, 1))
        services.session_create(
            inquiry=inquiry, meeting=_meeting(board, D(2015, 10, areas % 28 + 1))
        )
        WorkScheduleEntry.objects.bulk_create(
            WorkScheduleEntry(
                board=board, area=f"Area {n}", month=D(2016, n % 12 + 1, 1), note=f"Note {n}"
            )
            for n in range(areas)
        )

    add(2)
    small = count()
    add(40)
    assert count() == small
