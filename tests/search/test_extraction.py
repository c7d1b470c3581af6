"""Reading the text of uploaded PDFs for search: bounded, never failing an upload, and kept
for papers and evidence alike; ``reindex_search`` fills in files uploaded before."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PageObject

from boards import services, uploads
from boards.models import AgendaItem, Paper
from inquiries.models import Evidence
from search.models import SearchEntry
from tests.factories import InquiryFactory, MeetingFactory, pdf_bytes


def weasyprint_pdf(*pages: str) -> bytes:
    """A PDF as the app prints them: one page per text, in real fonts."""
    from weasyprint import HTML

    body = "".join(f'<p style="break-after: page">{text}</p>' for text in pages)
    return HTML(string=f"<html lang='en'><body>{body}</body></html>").write_pdf()


def as_upload(content: bytes, name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


# The extraction itself --------------------------------------------------------------------------


def test_reads_the_text_of_every_page_in_order():
    text = uploads.extract_text(io.BytesIO(weasyprint_pdf("Ravens nest", "Kestrels hover")))

    assert "Ravens nest" in text
    assert "Kestrels hover" in text
    assert text.index("Ravens") < text.index("Kestrels")


def test_stops_after_the_page_limit():
    pdf = io.BytesIO(weasyprint_pdf("alpha", "bravo", "charlie"))

    text = uploads.extract_text(pdf, max_pages=2)

    assert "alpha" in text and "bravo" in text
    assert "charlie" not in text


def test_stops_at_the_character_limit():
    text = uploads.extract_text(io.BytesIO(weasyprint_pdf("x" * 50, "later page")), max_chars=20)

    assert text == "x" * 20


def test_stops_after_the_page_that_passes_the_time_limit():
    text = uploads.extract_text(io.BytesIO(weasyprint_pdf("first", "second")), max_seconds=0)

    assert "first" in text
    assert "second" not in text


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7\nnot really a pdf", pdf_bytes(2, "text")[:300], b""],
    ids=["garbage", "truncated", "empty"],
)
def test_an_unreadable_pdf_gives_no_text_and_no_error(content):
    file = io.BytesIO(content)

    assert uploads.extract_text(file) == ""
    assert file.tell() == 0


def test_a_page_that_fails_keeps_the_text_read_before_it(monkeypatch):
    real = PageObject.extract_text
    calls = []

    def second_page_fails(page, *args, **kwargs):
        calls.append(page)
        if len(calls) == 2:
            raise RecursionError("hostile content stream")
        return real(page, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", second_page_fails)

    assert uploads.extract_text(io.BytesIO(weasyprint_pdf("kept", "lost"))) == "kept"


def test_control_characters_that_postgresql_refuses_are_removed(monkeypatch):
    monkeypatch.setattr(PageObject, "extract_text", lambda page, *a, **k: "nul\x00here\x07\tok\n")

    assert uploads.extract_text(io.BytesIO(pdf_bytes(1))) == "nul here \tok"


def test_the_file_is_rewound_for_saving():
    file = io.BytesIO(pdf_bytes(1, "words"))

    uploads.extract_text(file)

    assert file.read(5) == b"%PDF-"


# Uploads ----------------------------------------------------------------------------------------


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


def test_a_pdf_whose_text_cannot_be_read_is_still_accepted(board, monkeypatch):
    item = services.agenda_item_add(meeting=MeetingFactory(board=board), item=AgendaItem(title="X"))

    def broken(page, *args, **kwargs):
        raise ValueError("unsupported font")

    monkeypatch.setattr(PageObject, "extract_text", broken)
    paper = services.paper_upload(
        paper=Paper(agenda_item=item, title="Scan"), upload=as_upload(pdf_bytes(3, "words"))
    )

    paper.refresh_from_db()
    assert paper.text == ""
    assert paper.page_count == 3
    assert paper.file.read(5) == b"%PDF-"


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
