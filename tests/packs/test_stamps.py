"""The stamps a pack puts on its pages ("Page N", "NOT FOR PUBLICATION", the blank-page notice)
read upright where a reader looks for them, whatever the page they are put on does with its
own graphics state: a WeasyPrint page (which flips its coordinates), an uploaded PDF, a rotated
page, and a page whose content leaves graphics states open.

Text extraction finds mirrored or upside-down words just as well as upright ones, so these
tests read where and which way round each stamp is drawn: the text's matrix, through the page's
own transformations, mapped into the page as displayed."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
import pytest
from pypdf import PdfReader

from packs import pdfparts
from tests.factories import pdf_bytes

A4_WIDTH, A4_HEIGHT = 595, 842


def _multiply(m: list[float], n: list[float]) -> list[float]:
    """PDF matrices [a b c d e f], as a row vector times m then n."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return [
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    ]


@dataclass
class Drawn:
    text: str
    x: float  # where the text starts, in the page as displayed (origin bottom left)
    y: float
    rightwards: bool  # its baseline runs left to right on the displayed page
    upright: bool  # and its letters stand up (not mirrored, not upside down)


def stamps_of(data: bytes, page_number: int = 0) -> list[Drawn]:
    """Each piece of text on the page, where and which way round it shows."""
    page = PdfReader(io.BytesIO(data)).pages[page_number]
    box = [float(v) for v in page.cropbox]
    width, height = box[2] - box[0], box[3] - box[1]
    rotate = int(page.get("/Rotate", 0)) % 360
    found: list[Drawn] = []

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        a, b, c, d, e, f = _multiply(list(tm), list(cm))
        ux, uy = e - box[0], f - box[1]
        # User space to displayed space: the page turned clockwise by /Rotate.
        to_display = {
            0: lambda x, y: (x, y),
            90: lambda x, y: (y, width - x),
            180: lambda x, y: (width - x, height - y),
            270: lambda x, y: (height - y, x),
        }[rotate]
        x, y = to_display(ux, uy)
        along = to_display(a, b)
        up = to_display(c, d)
        origin = to_display(0, 0)
        along = (along[0] - origin[0], along[1] - origin[1])
        up = (up[0] - origin[0], up[1] - origin[1])
        found.append(
            Drawn(
                text=text.strip(),
                x=x,
                y=y,
                rightwards=along[0] > 0 and abs(along[1]) < 1e-6,
                upright=up[1] > 0 and abs(up[0]) < 1e-6,
            )
        )

    page.extract_text(visitor_text=visit)
    return found


def _stamped(page_setup, **stamps) -> bytes:
    """A one-page pack: the page ``page_setup(pdf, page)`` makes, copied in as a pack's pages
    are, then stamped."""
    source = pikepdf.new()
    source.add_blank_page(page_size=(A4_WIDTH, A4_HEIGHT))
    page_setup(source, source.pages[0])
    saved = io.BytesIO()
    source.save(saved)
    pdf = pikepdf.new()
    pdf.pages.extend(pikepdf.open(io.BytesIO(saved.getvalue())).pages)
    pdfparts.Stamper(pdf).stamp(pdf.pages[0], **stamps)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _content(stream: bytes):
    def setup(pdf, page):
        page.contents_add(pikepdf.Stream(pdf, stream), prepend=False)

    return setup


def _weasyprint_page(pdf, page):
    """A page as WeasyPrint writes it: its content flips the coordinates, top-left origin."""
    _content(b"1 0 0 -1 0 842 cm q 0.5 g 10 10 100 100 re f Q")(pdf, page)


def _uploaded_page(pdf, page):
    """A page of an uploaded PDF (pypdf's, with its own font resources)."""
    upload = pikepdf.open(io.BytesIO(pdf_bytes(1, "uploaded-text")))
    pdf.pages.append(upload.pages[0])
    del pdf.pages[0]


def _unbalanced_page(pdf, page):
    """A careless producer's page: graphics states saved and never restored, the last one
    mirroring and moving everything after it."""
    _content(b"q q -1 0 0 -1 595 842 cm q 2 0 0 2 0 0 cm")(pdf, page)


def _rotated_page(rotate: int):
    def setup(pdf, page):
        page.obj.Rotate = rotate
        _content(b"q 0 0 1 rg 20 20 50 50 re f Q")(pdf, page)

    return setup


PAGES = {
    "weasyprint": (_weasyprint_page, A4_WIDTH, A4_HEIGHT),
    "uploaded": (_uploaded_page, A4_WIDTH, A4_HEIGHT),
    "unbalanced": (_unbalanced_page, A4_WIDTH, A4_HEIGHT),
    "rotated 90": (_rotated_page(90), A4_HEIGHT, A4_WIDTH),
    "rotated 180": (_rotated_page(180), A4_WIDTH, A4_HEIGHT),
    "rotated 270": (_rotated_page(270), A4_HEIGHT, A4_WIDTH),
}


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_numbers_read_upright_centred_at_the_foot_of_the_page(kind):
    setup, width, height = PAGES[kind]
    drawn = {d.text: d for d in stamps_of(_stamped(setup, footer="Page 17"))}
    stamp = drawn["Page 17"]
    assert stamp.rightwards and stamp.upright, stamp
    assert 15 <= stamp.y <= 30, stamp  # in the bottom margin, as the page is shown
    text_width = pdfparts._text_width("Page 17", 9)
    assert abs(stamp.x - (width - text_width) / 2) < 1, stamp  # centred
    assert height > 2 * stamp.y


@pytest.mark.parametrize("kind", list(PAGES))
def test_not_for_publication_reads_upright_at_the_head_of_the_page(kind):
    setup, width, height = PAGES[kind]
    drawn = {d.text: d for d in stamps_of(_stamped(setup, header=pdfparts.NOT_FOR_PUBLICATION))}
    stamp = drawn[pdfparts.NOT_FOR_PUBLICATION]
    assert stamp.rightwards and stamp.upright, stamp
    assert height - 40 <= stamp.y <= height - 15, stamp  # in the top margin


def test_the_blank_page_notice_stands_in_the_middle():
    drawn = {
        d.text: d
        for d in stamps_of(
            _stamped(lambda pdf, page: None, middle=pdfparts.BLANK_PAGE_TEXT, footer="Page 4")
        )
    }
    notice = drawn[pdfparts.BLANK_PAGE_TEXT]
    assert notice.rightwards and notice.upright
    assert abs(notice.y - A4_HEIGHT / 2) < 1
    assert drawn["Page 4"].y < 30


def test_the_pages_own_content_is_drawn_as_before():
    """Stamping wraps the page's content; it does not change it (the uploaded text stays where
    its producer put it)."""
    drawn = {d.text: d for d in stamps_of(_stamped(_uploaded_page, footer="Page 1"))}
    own = drawn["uploaded-text"]
    assert (round(own.x), round(own.y)) == (72, 770)
    assert own.rightwards and own.upright


def test_every_page_of_an_assembled_pack_is_numbered_upright_at_its_foot(tmp_path):
    """A whole pack as the builder lays it out: a rendered report (two pages), an uploaded PDF
    marked not for publication, a rotated upload, and the blank left-hand pages between."""
    report = tmp_path / "report.pdf"
    pages = pdfparts.render_html(
        "<html lang='en'><title>Report</title><body>"
        + "<p>Report text.</p>" * 60
        + "</body></html>",
        str(report),
    )
    upload = tmp_path / "upload.pdf"
    upload.write_bytes(pdf_bytes(1, "exempt-appendix"))
    rotated = tmp_path / "rotated.pdf"
    with pikepdf.open(io.BytesIO(pdf_bytes(1, "landscape-table"))) as pdf:
        pdf.pages[0].obj.Rotate = 90
        pdf.save(rotated)
    front = tmp_path / "front.pdf"
    front_pages = pdfparts.render_html(
        "<html lang='en'><title>Front</title><body><p>Agenda</p></body></html>", str(front)
    )
    document = pdfparts.PackDocument(
        title="Pack",
        author="Scrutiny",
        front=pdfparts.Chapter("Front", [pdfparts.Part(front, front_pages)]),
        chapters=[
            pdfparts.Chapter("1", [pdfparts.Part(report, pages, "Report", rendered=True)]),
            pdfparts.Chapter(
                "2",
                [
                    pdfparts.Part(upload, 1, "Appendix", not_for_publication=True),
                    pdfparts.Part(rotated, 1, "Table"),
                ],
            ),
        ],
    )
    out = tmp_path / "pack.pdf"
    total = pdfparts.assemble(document, out)
    data = out.read_bytes()
    numbered = range(front_pages + (front_pages % 2), total)
    assert len(numbered) >= pages + 2
    for index in numbered:
        drawn = {d.text: d for d in stamps_of(data, index)}
        number = f"Page {index - front_pages - front_pages % 2 + 1}"
        assert number in drawn, (index, list(drawn))
        stamp = drawn[number]
        assert stamp.rightwards and stamp.upright and stamp.y < 30, (index, stamp)
    exempt = [i for i in numbered if "exempt-appendix" in {d.text for d in stamps_of(data, i)}]
    assert len(exempt) == 1
    header = {d.text: d for d in stamps_of(data, exempt[0])}[pdfparts.NOT_FOR_PUBLICATION]
    assert header.rightwards and header.upright and header.y > 800
