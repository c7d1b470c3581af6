"""Imported once by the render processes' forkserver: loads WeasyPrint and renders a page, so
that fonts and Pango are ready in every render process forked from it."""

from packs import pdfparts  # noqa: F401  (imported here so that forked workers have it)


def _warm_up() -> None:
    from weasyprint import HTML

    HTML(string="<p style='font-family: DejaVu Sans'>Scrutiny</p>").write_pdf()


_warm_up()
