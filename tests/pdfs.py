"""Reading the app's PDFs back in tests, and making PDFs as the app prints them."""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from pypdf import PdfReader, PdfWriter


def read_pdf(response) -> PdfReader:
    """The PDF a view answered with (plain or streamed), checked to be one."""
    assert response.status_code == 200, response
    assert response.headers["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return PdfReader(io.BytesIO(content))


def pdf_text(reader: PdfReader) -> str:
    """All the text, its whitespace collapsed."""
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def weasyprint_pdf(*pages: str) -> bytes:
    """A PDF as the app prints them: one page per text, in real fonts."""
    from weasyprint import HTML

    body = "".join(f'<p style="break-after: page">{text}</p>' for text in pages)
    return HTML(string=f"<html lang='en'><body>{body}</body></html>").write_pdf()


def _blank_page() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@contextmanager
def layout_skipped() -> Iterator[None]:
    """PDF views build their document and render its template as ever (the same queries, the same
    visibility rule) but skip WeasyPrint's layout, answering with a blank page: for tests of who
    may have a PDF, or of what it costs in queries, rather than of what it prints."""
    from django.template.loader import render_to_string

    from boards import printing

    blank = _blank_page()

    def template_only(template, context, *, title, request=None) -> bytes:
        render_to_string(template, {**context, "document_title": title}, request=request)
        return blank

    with mock.patch.object(printing, "render_pdf", template_only):
        yield
