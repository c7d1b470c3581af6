"""An inquiry's terms of reference, agreed at a meeting, and the evidence it receives as PDFs."""

import datetime
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse

from boards import services as board_services
from inquiries import services
from inquiries.models import Inquiry

LONDON = zoneinfo.ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


def test_naming_the_item_that_agreed_the_terms_moves_the_inquiry_on(board, officer, client_for):
    inquiry = services.inquiry_create(
        board=board, title="Inquiry into parks", on=datetime.date(2026, 5, 1)
    )
    meeting = board_services.meeting_create(
        board=board, starts_at=datetime.datetime(2026, 6, 15, 10, tzinfo=LONDON), venue=None
    )
    item = meeting.agenda_items.first()
    response = client_for(officer).post(
        reverse("inquiries:inquiry-edit", args=[inquiry.slug]),
        {
            "title": "Inquiry into parks",
            "scope": "All the council's parks.",
            "lines_of_enquiry": "- maintenance",
            "terms_agreed_at": item.pk,
        },
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.stage == Inquiry.Stage.TERMS_AGREED
    assert inquiry.terms_agreed_at == item
    change = inquiry.stage_changes.get(stage=Inquiry.Stage.TERMS_AGREED)
    assert change.on == datetime.date(2026, 6, 15)
    page = Client().get(inquiry.get_absolute_url()).text
    assert "Agreed at the meeting of" in page and "All the council&#x27;s parks." in page


def test_evidence_received_as_a_pdf_is_served_only_to_those_entitled(
    board, officer, councillor, client_for
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from inquiries.models import Evidence
    from tests.factories import pdf_bytes

    inquiry = services.inquiry_create(
        board=board, title="Inquiry into parks", on=datetime.date(2026, 5, 1)
    )
    url = reverse("inquiries:evidence-add", args=[inquiry.slug])
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf")
    refused = client_for(officer).post(
        url, {"kind": "written", "title": "Prices", "received_on": "2026-05-02", "file": fake}
    )
    assert refused.status_code == 422
    assert "The selected file must be a PDF." in refused.text
    upload = SimpleUploadedFile("prices.pdf", pdf_bytes(2, "PDF-CANARY"), "application/pdf")
    client_for(officer).post(
        url,
        {
            "kind": "written",
            "title": "Prices",
            "received_on": "2026-05-02",
            "file": upload,
            "exempt": "on",
        },
    )
    evidence = Evidence.objects.get()
    assert evidence.page_count == 2
    download = reverse("inquiries:evidence-download", args=[inquiry.slug, evidence.pk])
    assert Client().get(download).status_code == 404
    response = client_for(councillor).get(download)
    assert b"PDF-CANARY" in b"".join(response.streaming_content)
