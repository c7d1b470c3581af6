"""Printed documents: WeasyPrint renders the same templates and data as the pages, tagged for
accessibility (PDF/UA-1), on A4, with the document's title and language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from boards.uploads import safe_download_name


def render_pdf(template: str, context: dict, *, title: str, request: HttpRequest | None = None):
    from weasyprint import HTML

    html = render_to_string(template, {**context, "document_title": title}, request=request)
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def pdf_response(request: HttpRequest, template: str, context: dict, *, title: str) -> HttpResponse:
    response = HttpResponse(
        render_pdf(template, context, title=title, request=request),
        content_type="application/pdf",
    )
    response.headers["Content-Disposition"] = f'inline; filename="{safe_download_name(title)}"'
    return response
