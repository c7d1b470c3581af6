"""Printed minutes: real PDFs, read back with pypdf."""

from django.test import Client
from django.urls import reverse

from boards import services
from boards.models import AgendaItem, Meeting
from tests.pdfs import pdf_text, read_pdf


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
