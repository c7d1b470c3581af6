"""Reading the app's PDFs back in tests."""

import io

from pypdf import PdfReader


def read_pdf(response) -> PdfReader:
    """The PDF a view answered with (plain or streamed), checked to be one."""
    assert response.status_code == 200, response
    assert response.headers["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return PdfReader(io.BytesIO(content))


def pdf_text(reader: PdfReader) -> str:
    """All the text, its whitespace collapsed."""
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
