"""Printed minutes and statements: real PDFs, read back with pypdf."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from boards import services
from boards.models import AgendaItem, Meeting
from inquiries.models import Inquiry
from tests.pdfs import pdf_text, read_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo")


def test_minutes_print_from_the_same_document_as_the_page(demo):
    february = Meeting.objects.get(starts_at__date="2016-02-22")
    reader = read_pdf(Client().get(reverse("minutes:minutes-pdf", args=[february.pk])))
    text = pdf_text(reader)
    assert "Draft minutes to be approved at the meeting to be held on Monday, 21 March 2016" in text
    assert "Councillor B Ackroyd was to substitute for Councillor R Woodhouse" in text
    assert "RESOLVED – That the minutes of the meeting held on 25 January 2016" in text
    assert "The meeting concluded at 11.35 am." in text
    assert reader.metadata.title == (
        "Minutes: Scrutiny Board (Strategy and Resources), Monday, 22 February 2016"
    )
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"]  # tagged for accessibility (PDF/UA-1)
    assert "Page 1" in reader.pages[0].extract_text()
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4


def test_exempt_minutes_print_as_their_summary_for_the_public(demo):
    february = Meeting.objects.get(starts_at__date="2016-02-22")
    minute = february.minute_entries.get(title__startswith="Scrutiny Inquiry")
    item = minute.agenda_item
    AgendaItem.objects.filter(pk=item.pk).update(
        exempt=True, exempt_paragraph=3, public_interest_reasoning="Prices."
    )
    minute.public_summary = "The Board considered the ICT report in private."
    minute.save()
    public = pdf_text(read_pdf(Client().get(reverse("minutes:minutes-pdf", args=[february.pk]))))
    assert "The Board considered the ICT report in private." in public
    assert "Opening the discussion" not in public
    assert "paragraph 3 of Part 1 of Schedule 12A" in public


def test_unpublished_minutes_do_not_print(board):
    meeting = services.meeting_create(
        board=board,
        starts_at=Meeting._meta.get_field("starts_at").to_python("2026-01-05T10:00Z"),
        venue=None,
    )
    assert Client().get(reverse("minutes:minutes-pdf", args=[meeting.pk])).status_code == 404


def test_statements_print_with_their_recommendations(demo):
    inquiry = Inquiry.objects.get(title="Inquiry into people's commissioning")
    reader = read_pdf(Client().get(reverse("statements:statement-pdf", args=[inquiry.slug])))
    text = pdf_text(reader)
    assert "Desired outcome" in text
    assert "Recommendation 4" in text
    assert "by September 2017" in text
    assert reader.metadata.title == "Strategic commissioning of people's services"
    assert len(reader.pages) >= 3


def test_draft_statements_do_not_print_for_the_public(board):
    from inquiries import services as inquiry_services
    from recommendations.models import Statement

    inquiry = inquiry_services.inquiry_create(
        board=board,
        title="Inquiry into parks",
        on=Meeting._meta.get_field("starts_at").to_python("2026-01-05T10:00Z").date(),
    )
    Statement.objects.create(inquiry=inquiry, title="Parks", month="2026-05-01")
    url = reverse("statements:statement-pdf", args=[inquiry.slug])
    assert Client().get(url).status_code == 404


def test_statement_contents_give_the_pages_where_sections_begin(demo):
    inquiry = Inquiry.objects.get(title="Inquiry into people's commissioning")
    reader = read_pdf(Client().get(reverse("statements:statement-pdf", args=[inquiry.slug])))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    contents = next(index for index, text in enumerate(pages) if text.startswith("Contents"))
    entries = re.findall(
        r"([A-Z][^.]*?)\s*\.{3,}\s*(\d+)", pages[contents].removeprefix("Contents")
    )
    assert len(entries) >= 3, pages[contents]
    for heading, number in entries:
        page = pages[int(number) - 1]
        assert heading.strip() in page, f"{heading!r} is not on page {number}"
        assert all(heading.strip() not in text for text in pages[contents + 1 : int(number) - 1])
