"""Printed statements: real PDFs, read back with pypdf."""

import re

from django.test import Client
from django.urls import reverse

from boards.models import Meeting
from inquiries import services as inquiry_services
from inquiries.models import Inquiry
from recommendations.models import Statement
from tests.pdfs import pdf_text, read_pdf


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
