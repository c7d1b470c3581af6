"""Reading the text of uploaded PDFs (``boards.uploads.extract_text``), for search: bounded, and
never failing an upload."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PageObject

from boards import services, uploads
from boards.models import AgendaItem, Paper
from tests.factories import MeetingFactory, pdf_bytes
from tests.pdfs import weasyprint_pdf


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


def test_the_file_is_rewound_for_saving_after_reading_its_text():
    file = io.BytesIO(pdf_bytes(1, "words"))

    uploads.extract_text(file)

    assert file.read(5) == b"%PDF-"


# Uploads ----------------------------------------------------------------------------------------


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
