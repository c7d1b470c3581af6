"""Search reads the text of uploaded PDFs: papers and evidence alike are found by the words in
their files, by those who may read them; ``reindex_search`` fills in files uploaded before."""

import datetime

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from boards import services
from boards.models import AgendaItem, Paper
from inquiries.models import Evidence
from search.models import SearchEntry
from tests.factories import InquiryFactory, MeetingFactory
from tests.pdfs import weasyprint_pdf


def as_upload(content: bytes, name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


def test_an_uploaded_paper_keeps_its_text(board):
    item = services.agenda_item_add(meeting=MeetingFactory(board=board), item=AgendaItem(title="X"))

    paper = services.paper_upload(
        paper=Paper(agenda_item=item, title="Scan"),
        upload=as_upload(weasyprint_pdf("Gritting routes", "Salt barns")),
    )

    paper.refresh_from_db()
    assert "Gritting routes" in paper.text and "Salt barns" in paper.text
    assert paper.page_count == 2
    assert SearchEntry.objects.get(kind="paper", object_id=paper.pk, listing=False).body.endswith(
        paper.text
    )


def test_evidence_received_as_pdf_is_searchable_by_those_who_may_read_it(
    board, officer, client_for
):
    inquiry = InquiryFactory(board=board, title="Inquiry into libraries")
    editor = client_for(officer)

    response = editor.post(
        reverse("inquiries:evidence-add", args=[inquiry.slug]),
        {
            "kind": "written",
            "title": "Publisher's letter",
            "received_on": "2017-02-01",
            "file": as_upload(weasyprint_pdf("Audiobook licences cost more")),
            "exempt": "on",
        },
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert "Audiobook licences" in evidence.text
    search_url = reverse("search:search")
    found = editor.get(search_url, {"q": "audiobook"}).context["results"]
    assert [entry.title for entry in found] == ["Publisher's letter"]
    assert Client().get(search_url, {"q": "audiobook"}).context["results"].paginator.count == 0


# Files uploaded before search -------------------------------------------------------------------


def test_reindex_search_reads_files_uploaded_before_and_indexes_them(board, clerk, capsys):
    item = services.agenda_item_add(meeting=MeetingFactory(board=board), item=AgendaItem(title="X"))
    paper = Paper.objects.create(
        agenda_item=item,
        title="Old upload",
        file=ContentFile(weasyprint_pdf("Bollards installed"), name="old.pdf"),
        original_filename="old.pdf",
        file_size=100,
        page_count=1,
    )
    evidence = Evidence.objects.create(
        inquiry=InquiryFactory(board=board),
        kind=Evidence.Kind.WRITTEN,
        title="Old evidence",
        received_on=datetime.date(2017, 2, 1),
        file=ContentFile(weasyprint_pdf("Bus shelters repaired"), name="old.pdf"),
    )
    services.agenda_publish(meeting=item.meeting, by=clerk, late_reason="Tests publish late.")
    search_url = reverse("search:search")
    assert Client().get(search_url, {"q": "bollards"}).context["results"].paginator.count == 0

    call_command("reindex_search")

    paper.refresh_from_db()
    evidence.refresh_from_db()
    assert "Bollards installed" in paper.text
    assert "Bus shelters repaired" in evidence.text
    results = Client().get(search_url, {"q": "bollards"}).context["results"]
    assert [entry.title for entry in results] == ["Old upload"]
    assert "Read 2 PDF files" in capsys.readouterr().out
