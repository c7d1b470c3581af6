"""Word reports (issue 16, point 2): a report or appendix uploaded as .docx or .odt is checked by
its content, kept, and converted by the task worker with LibreOffice to a tagged PDF, which
joins the pack and is searchable; nothing half-converted reaches a pack or a publication; each
item offers a report template with the front sheet's questions.

The tests that run LibreOffice need ``soffice`` (Debian's libreoffice-writer-nogui): without it
they skip locally, and under CI=true a skip is a failure. They are few, as each run takes a
second or two: one converted report is shared by the module (``converted``).
"""

import datetime
import functools
import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx.shared import Inches
from PIL import Image, ImageDraw
from pypdf import PdfReader

from boards import conversion, services, uploads
from boards.models import AgendaItem, Paper
from boards.report_templates import FRONT_SHEET, SECTIONS
from boards.roles import Role
from tests.conftest import DUMMY_TASKS
from tests.factories import MeetingFactory, PersonFactory, UserFactory, WardFactory
from tests.pdfs import read_pdf

MB = 1024 * 1024
HEADING = "Kestrel Lane depot review"
TABLE_CELL = "Weetwood ward"
TABLE_FIGURE = "£12,400"
BODY_MARKER = "quillfeather"  # a word to search for

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice, Debian's libreoffice-writer-nogui) is not installed",
)


# Documents made here --------------------------------------------------------------------------


def png(width: int = 240, height: int = 120) -> bytes:
    """A picture with a shape on it: a dark blue bar over a red disc, on white."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 110, 110), fill=(200, 30, 30))
    draw.rectangle((120, 40, 230, 80), fill=(20, 40, 120))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@functools.cache
def report_docx() -> bytes:
    """A Word report with headings, a table and a picture, as an officer would write one (the
    same bytes each time)."""
    document = docx.Document()
    document.core_properties.title = "Draft"
    document.add_heading(HEADING, level=0)
    document.add_heading("1 Purpose of this report", level=1)
    document.add_paragraph(f"This report reviews the depot ({BODY_MARKER}).")
    document.add_heading("2 Costs by ward", level=1)
    table = document.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    for row, (ward, cost) in enumerate(
        [("Ward", "Cost"), (TABLE_CELL, TABLE_FIGURE), ("Headingley ward", "£3,100")]
    ):
        table.cell(row, 0).text = ward
        table.cell(row, 1).text = cost
    document.add_heading("3 Site plan", level=1)
    document.add_picture(io.BytesIO(png()), width=Inches(2.5))
    document.add_paragraph("The plan above shows the depot.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def minimal_odt(
    body: str = "An OpenDocument appendix.", *, manifest_extra: str = "", extra: dict | None = None
) -> bytes:
    """A minimal OpenDocument text: the mimetype first and stored, a manifest and content."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
        ' xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3">'
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )
    if not body.startswith("<"):
        content = content.replace(body, f"<text:h text:outline-level='1'>{body}</text:h>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.3"'
        ' manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        f"{manifest_extra}</manifest:file-entry>"
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text"
        )  # stored, as ODF asks
        package.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        package.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            package.writestr(name, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def changed_package(
    original: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] = ()
) -> bytes:
    """A copy of a zip package with some parts replaced or added."""
    replace = replace or {}
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = replace.get(entry.filename, source.read(entry))
            target.writestr(entry.filename, data)
        for name, data in dict(add).items():
            target.writestr(name, data)
    return buffer.getvalue()


def part(package: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        return source.read(name)


def docx_upload(content: bytes | None = None, name: str = "report.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else report_docx())


def compound_file(*stream_names: str) -> bytes:
    """The start of an OLE compound file (what Office keeps an encrypted .docx, or an old .doc,
    in): its signature and header, then directory entries naming its streams in UTF-16."""
    header = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)
    entries = b"".join(
        name.encode("utf-16-le").ljust(64, b"\0") + bytes(64) for name in stream_names
    )
    return header + entries + bytes(1024)


def refusal(content: bytes, max_bytes: int = 20 * MB) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        uploads.clean_paper(SimpleUploadedFile("x.docx", content), max_bytes=max_bytes)
    return caught.value


# Checking what was uploaded ---------------------------------------------------------------------


def test_a_word_document_and_an_opendocument_text_are_accepted_by_their_content():
    word = uploads.clean_paper(docx_upload(name="odd-name.pdf"), max_bytes=20 * MB)
    odt = uploads.clean_paper(SimpleUploadedFile("x.docx", minimal_odt()), max_bytes=20 * MB)

    assert (word.kind, word.is_document) == ("docx", True)
    assert (odt.kind, odt.is_document) == ("odt", True)


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"Just some text, named .docx", "not_paper", "must be a PDF, a Word document"),
        (b"PK\x03\x04" + b"\x00" * 200, "corrupt", "damaged"),
        (
            compound_file("Root Entry", "EncryptionInfo", "EncryptedPackage"),
            "encrypted",
            "password",
        ),
        (compound_file("Root Entry", "WordDocument", "1Table"), "old_format", "(.docx)"),
    ],
    ids=["text", "fake zip", "password-protected docx", "old doc"],
)
def test_what_is_not_a_word_document_is_refused_saying_what_to_do(content, code, words):
    error = refusal(content)

    assert error.code == code
    assert words in error.message


def test_a_zip_that_is_not_a_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("notes.txt", "not a document")
    assert refusal(buffer.getvalue()).code == "not_paper"

    spreadsheet = changed_package(
        report_docx(),
        replace={
            "[Content_Types].xml": part(report_docx(), "[Content_Types].xml").replace(
                b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml"
            )
        },
    )
    error = refusal(spreadsheet)
    assert error.code == "not_paper"
    assert "spreadsheet or a presentation" in error.message


def test_a_document_with_macros_is_refused():
    word = report_docx()
    types = part(word, "[Content_Types].xml")
    docm = changed_package(
        word,
        replace={
            "[Content_Types].xml": types.replace(
                b"wordprocessingml.document.main+xml",
                b"wordprocessingml.document.macroEnabled.main+xml",
            )
        },
        add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"},
    )
    hidden_macros = changed_package(word, add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    odt_basic = minimal_odt(extra={"Basic/Standard/Module1.xml": "<module/>"})

    for content in (docm, hidden_macros, odt_basic):
        error = refusal(content)
        assert error.code == "macros"
        assert "without macros" in error.message


def test_a_password_protected_opendocument_is_refused():
    encrypted = minimal_odt(
        manifest_extra='<manifest:encryption-data manifest:checksum-type="SHA1/1K" '
        'manifest:checksum="abc="/>'
    )

    error = refusal(encrypted)

    assert error.code == "encrypted"
    assert "Save it without a password and upload it again" in error.message


def test_tracked_changes_and_comments_are_refused_as_they_would_be_published():
    word = report_docx()
    body = part(word, "word/document.xml")
    tracked = body.replace(
        b"<w:r>",
        b'<w:ins w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z"><w:r><w:t>x</w:t></w:r>'
        b"</w:ins><w:r>",
        1,
    )
    commented = body.replace(b"<w:r>", b'<w:commentRangeStart w:id="0"/><w:r>', 1)

    tracked_error = refusal(changed_package(word, replace={"word/document.xml": tracked}))
    comment_error = refusal(changed_package(word, replace={"word/document.xml": commented}))
    odt_error = refusal(
        minimal_odt('<office:annotation><text:p xmlns:text="x">Check</text:p></office:annotation>')
    )

    assert tracked_error.code == "tracked_changes"
    assert "Accept or reject every change" in tracked_error.message
    assert comment_error.code == "comments"
    assert "Delete every comment" in comment_error.message
    assert odt_error.code == "comments"


def test_pictures_linked_from_outside_the_document_are_refused():
    word = report_docx()
    relationships = part(word, "word/_rels/document.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="http://intranet.example/plan.png" TargetMode="External"/>'
        b"</Relationships>",
    )
    linked = changed_package(word, replace={"word/_rels/document.xml.rels": relationships})
    hyperlink = changed_package(
        word,
        replace={
            "word/_rels/document.xml.rels": relationships.replace(
                b"relationships/image", b"relationships/hyperlink"
            )
        },
    )
    odt = minimal_odt(
        '<draw:frame><draw:image xlink:href="https://example.org/x.png"/></draw:frame>'
    )

    body = part(word, "word/document.xml")
    field = body.replace(
        b"<w:r>",
        b'<w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://intranet.example/plan.png&quot; '
        b'\\d "><w:r><w:t>plan</w:t></w:r></w:fldSimple><w:r>',
        1,
    )

    assert refusal(linked).code == "linked"
    assert refusal(odt).code == "linked"
    assert refusal(changed_package(word, replace={"word/document.xml": field})).code == "linked"
    assert uploads.clean_paper(SimpleUploadedFile("h.docx", hyperlink), max_bytes=20 * MB)


def test_a_document_too_large_or_unpacking_too_far_is_refused(settings):
    word = report_docx()
    assert refusal(word, max_bytes=1000).code == "too_large"
    assert "smaller than" in refusal(word, max_bytes=1000).message

    settings.PDF_MAX_DECOMPRESSED_BYTES = 100_000
    bomb = changed_package(word, add={"word/media/padding.bin": bytes(200_000)})
    error = refusal(bomb)
    assert error.code == "too_much_content"
    assert "expands to more than" in error.message


def test_a_damaged_part_is_found_before_conversion():
    word = bytearray(report_docx())
    # Flip bytes inside the compressed picture: its checksum no longer matches.
    with zipfile.ZipFile(io.BytesIO(bytes(word))) as package:
        entry = package.getinfo("word/media/image1.png")
    start = entry.header_offset + 30 + len(entry.filename) + len(entry.extra) + 20
    word[start : start + 8] = b"\xff" * 8

    assert refusal(bytes(word)).code == "corrupt"


# Uploading -------------------------------------------------------------------------------------


@pytest.fixture
def item(board):
    meeting = MeetingFactory(board=board)
    return services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(title="Depot review", purpose="To consider the depot review."),
    )


def _upload(client, item, content: bytes, name: str = "report.docx", **fields):
    return client.post(
        reverse("boards:paper-upload", args=[item.pk]),
        {
            "kind": "report",
            "title": "Depot review report",
            **fields,
            "file": docx_upload(content, name),
        },
    )


def test_an_uploaded_document_waits_for_the_worker_with_its_original_kept(
    item, editor, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    content = report_docx()

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(editor, item, content, "Depot review v3.docx")

    assert response.status_code == 302
    paper = Paper.objects.get(title="Depot review report")
    assert paper.conversion == Paper.Conversion.WAITING
    assert not paper.file and paper.page_count is None
    assert paper.original.name.startswith("papers/originals/")
    assert paper.original.name.endswith(".docx")
    assert paper.original.read() == content
    assert (paper.original_filename, paper.original_size) == ("Depot review v3.docx", len(content))
    page = editor.get(reverse("boards:agenda-edit", args=[item.meeting_id])).text
    assert "It is being converted to PDF" in page
    assert "Being converted to PDF" in page
    assert "Not in the pack yet:" in page


def test_a_refused_document_is_not_saved_and_says_why(item, editor):
    docm_types = part(report_docx(), "[Content_Types].xml").replace(
        b"document.main+xml", b"document.macroEnabled.main+xml"
    )
    docm = changed_package(report_docx(), replace={"[Content_Types].xml": docm_types})

    response = _upload(editor, item, docm, "report.docm")

    assert response.status_code == 422
    assert "contains macros" in response.text
    assert not Paper.objects.exists()


def test_a_pdf_upload_stays_as_it_was(item, editor):
    from tests.factories import pdf_bytes

    response = _upload(editor, item, pdf_bytes(2, "plain-pdf"), "report.pdf")

    assert response.status_code == 302
    paper = Paper.objects.get()
    assert paper.is_upload and not paper.original
    assert (paper.conversion, paper.page_count) == ("", 2)


# Converting (LibreOffice) ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> bytes:
    """The report converted once, for the tests that read it."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice, Debian's libreoffice-writer-nogui) is not installed")
    source = tmp_path_factory.mktemp("word") / "report.docx"
    source.write_bytes(report_docx())
    return conversion.to_pdf(source, kind="docx", title="Depot review report")


def _structure_types(pdf: pikepdf.Pdf) -> set[str]:
    types, stack, seen = set(), [pdf.Root.StructTreeRoot.K], 0
    while stack and seen < 10_000:
        seen += 1
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                types.add(str(node.S))
            if "/K" in node:
                stack.append(node.K)
    return types


def test_a_word_report_becomes_a_tagged_pdf_with_its_headings_table_and_picture(converted):
    with pikepdf.open(io.BytesIO(converted)) as pdf, pdf.open_metadata() as metadata:
        assert pdf.Root.MarkInfo.Marked
        assert metadata.get("pdfuaid:part") == "1"
        assert metadata.get("dc:title") == "Depot review report"
        assert str(pdf.docinfo.Title) == "Depot review report"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        kinds = _structure_types(pdf)
        # Headings, the table with its cells, the picture as a figure.
        assert {"/Table", "/TR", "/TD", "/Figure"} <= kinds
        assert kinds & {"/H1", "/H2", "/Title"}
        images = [image for page in pdf.pages for image in page.get_images()]
        assert images, "the picture should be in the PDF"
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(converted)).pages
    )
    for words in (HEADING, "1 Purpose of this report", TABLE_CELL, TABLE_FIGURE, BODY_MARKER):
        assert words in text


def test_what_libreoffice_makes_must_be_tagged():
    from tests.factories import pdf_bytes

    with pytest.raises(conversion.ConversionError, match="not tagged for screen readers"):
        conversion.finish(pdf_bytes(1, "untagged"), title="T")


def test_without_libreoffice_the_paper_says_so(tmp_path, settings):
    settings.LIBREOFFICE_PROGRAM = "no-such-soffice-here"
    source = tmp_path / "r.docx"
    source.write_bytes(report_docx())

    with pytest.raises(conversion.ConversionError, match="LibreOffice is not installed"):
        conversion.to_pdf(source, kind="docx", title="T")


@needs_libreoffice
def test_a_conversion_that_takes_too_long_is_stopped(tmp_path, settings):
    settings.DOCUMENT_CONVERSION_SECONDS = 0.05
    source = tmp_path / "r.docx"
    source.write_bytes(report_docx())

    with pytest.raises(conversion.ConversionError, match="took longer than 0.05 seconds"):
        conversion.to_pdf(source, kind="docx", title="T")


@needs_libreoffice
def test_an_opendocument_text_is_converted_too(tmp_path):
    source = tmp_path / "a.odt"
    source.write_bytes(minimal_odt("Allotments appendix"))

    pdf = conversion.to_pdf(source, kind="odt", title="Allotments")

    reader = PdfReader(io.BytesIO(pdf))
    assert "Allotments appendix" in reader.pages[0].extract_text()
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]


@pytest.fixture
def published_with_word_report(board, clerk, editor, django_capture_on_commit_callbacks):
    """A meeting whose report on item 1 was uploaded as Word and converted by the worker (the
    tests run tasks at once), and whose agenda is then published."""
    meeting = MeetingFactory(board=board)
    first = services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Introductions", purpose="Welcome.")
    )
    services.paper_upload(
        paper=Paper(agenda_item=first, title="One-page note"),
        upload=SimpleUploadedFile("note.pdf", _one_page_pdf(), "application/pdf"),
    )
    item = services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Depot review", purpose="To consider it.")
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(editor, item, report_docx()).status_code == 302
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")
    return meeting


def _one_page_pdf() -> bytes:
    """A tagged one-page PDF, so that the pack may stay tagged."""
    from weasyprint import HTML

    html = "<html lang='en'><body><p>one-page-note</p></body></html>"
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


@needs_libreoffice
def test_a_word_report_joins_the_pack_on_its_pages_and_search_finds_it(
    published_with_word_report, client_for, clerk, settings, tmp_path
):
    settings.PACK_RENDER_PROCESSES = 1
    settings.PACK_INLINE_MAX_PAGES = 1000
    paper = Paper.objects.get(title="Depot review report")
    assert paper.conversion == Paper.Conversion.DONE
    assert paper.is_upload and paper.page_count >= 1
    assert BODY_MARKER in paper.text
    assert paper.original.read() == report_docx()  # the original kept, byte for byte

    response = client_for(clerk).get(
        reverse("packs:pack-download", args=[published_with_word_report.pk, "public"])
    )
    path = tmp_path / "pack.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    reader = PdfReader(path)
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    front = sum(1 for label in reader.page_labels if not label.isdigit())
    ranges = [
        (int(a), int(b)) for a, b in re.findall(r"\b(\d+) - (\d+)\b", " ".join(pages[:front]))
    ]
    assert len(ranges) == 2
    (_, _), (start, end) = ranges
    numbered = pages[front:]
    assert start % 2 == 1  # on a right-hand page, after a blank left-hand one
    assert "This page is intentionally left blank" in numbered[start - 2]
    report_pages = " ".join(numbered[start - 1 : end])
    for words in (HEADING, TABLE_CELL, TABLE_FIGURE, BODY_MARKER):
        assert words in report_pages
    assert end - start + 1 == paper.page_count
    with pikepdf.open(path) as pdf:
        assert pdf.Root.MarkInfo.Marked  # every part tagged: the pack stays tagged
        assert "/Figure" in _structure_types(pdf)

    found = client_for(clerk).get(reverse("search:search"), {"q": BODY_MARKER})
    assert "Depot review report" in found.text
    public = client_for(UserFactory()).get(reverse("search:search"), {"q": BODY_MARKER})
    assert "Depot review report" in public.text


@needs_libreoffice
def test_the_public_downloads_the_pdf_and_the_word_original(published_with_word_report, client):
    paper = Paper.objects.get(title="Depot review report")

    page = client.get(paper.get_absolute_url()).text
    original = client.get(reverse("boards:paper-original", args=[paper.pk]))

    assert "Open the PDF" in page
    assert "Download the Word version" in page
    assert original.status_code == 200
    assert original.headers["Content-Type"] == uploads.DOCUMENT_CONTENT_TYPES["docx"]
    assert (
        'attachment; filename="depot-review-report.docx"' in original.headers["Content-Disposition"]
    )
    assert b"".join(original.streaming_content) == report_docx()


def _waiting_paper(item, content: bytes, title: str = "Broken report", **fields) -> Paper:
    """A paper whose document waits for the worker, put in place as the upload leaves it."""
    from django.core.files.base import ContentFile

    return Paper.objects.create(
        agenda_item=item,
        title=title,
        original=ContentFile(content, name="document.docx"),
        original_size=len(content),
        original_filename="broken.docx",
        conversion=Paper.Conversion.WAITING,
        **fields,
    )


@needs_libreoffice
def test_a_document_libreoffice_cannot_read_fails_clearly_and_stays_out_of_the_pack(
    item, editor, clerk, client_for
):
    # Stored bytes that are not a document (damaged in storage, say): checks at upload would
    # have refused them, so only the converter can find out.
    paper = _waiting_paper(item, b"PK\x03\x04 not really a document at all" * 20)

    services.paper_convert(paper_id=paper.pk)

    paper.refresh_from_db()
    assert paper.conversion == Paper.Conversion.FAILED
    assert paper.conversion_error.startswith("LibreOffice could not read the document.")
    assert "Save it as a PDF" in paper.conversion_error
    assert not paper.file
    editor_page = editor.get(reverse("boards:agenda-edit", args=[item.meeting_id])).text
    assert "Conversion failed" in editor_page
    assert "LibreOffice could not read the document" in editor_page
    details = editor.get(reverse("boards:paper-edit", args=[paper.pk])).text
    assert "Try the conversion again" in details
    assert "Upload a corrected copy" in details
    # Not in the pack (the draft preview), which says why.
    status = client_for(clerk).get(reverse("packs:pack-status", args=[item.meeting_id, "members"]))
    assert "Not in the pack yet" in status.text
    with pytest.raises(ValidationError, match="could not be converted to PDF"):
        services.agenda_publish(meeting=item.meeting, by=clerk, late_reason="Late.")


# Without LibreOffice: the states, as the worker leaves them --------------------------------------


def test_a_paper_still_converting_is_left_out_of_the_pack(item, clerk, client_for, settings):
    settings.PACK_RENDER_PROCESSES = 1
    settings.PACK_INLINE_MAX_PAGES = 1000
    from tests.factories import pdf_bytes

    services.paper_upload(
        paper=Paper(agenda_item=item, title="Ready appendix"),
        upload=SimpleUploadedFile("a.pdf", pdf_bytes(1, "ready-appendix"), "application/pdf"),
    )
    _waiting_paper(item, report_docx(), title="Converting report")

    reader = read_pdf(
        client_for(clerk).get(reverse("packs:pack-download", args=[item.meeting_id, "members"]))
    )
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "ready-appendix" in text
    assert "Converting report" not in text
    status = client_for(clerk).get(reverse("packs:pack-status", args=[item.meeting_id, "members"]))
    assert "“Converting report” (still being converted to PDF)" in status.text


def test_publishing_waits_for_every_document_to_be_converted(item, clerk):
    paper = _waiting_paper(item, report_docx(), title="Depot report")

    with pytest.raises(ValidationError, match="“Depot report” is still being converted to PDF"):
        services.agenda_publish(meeting=item.meeting, by=clerk, late_reason="Late.")

    paper.delete()
    services.agenda_publish(meeting=item.meeting, by=clerk, late_reason="Late.")


def test_a_conversion_is_done_once_and_a_replaced_document_is_left_alone(item, monkeypatch):
    calls = []

    def fake(path, *, kind, title):
        calls.append(Path(path).read_bytes())
        return _tagged_pdf()

    monkeypatch.setattr(conversion, "to_pdf", fake)
    paper = _waiting_paper(item, b"first version")

    assert services.paper_convert(paper_id=paper.pk).conversion == Paper.Conversion.DONE
    assert services.paper_convert(paper_id=paper.pk) is None  # a task run again does nothing
    assert calls == [b"first version"]
    paper.refresh_from_db()
    assert paper.file.name.startswith("papers/") and paper.page_count == 1
    assert "tagged-text" in paper.text


def test_a_paper_given_a_new_file_while_converting_keeps_the_new_one(item, monkeypatch, settings):
    settings.TASKS = DUMMY_TASKS
    paper = _waiting_paper(item, b"old version")

    def meanwhile(path, *, kind, title):
        # The uploader replaces the file while LibreOffice works on the old one.
        from tests.factories import pdf_bytes

        services.paper_upload(
            paper=Paper.objects.get(pk=paper.pk),
            upload=SimpleUploadedFile("new.pdf", pdf_bytes(1, "newer"), "application/pdf"),
        )
        return _tagged_pdf()

    monkeypatch.setattr(conversion, "to_pdf", meanwhile)

    assert services.paper_convert(paper_id=paper.pk) is None
    paper.refresh_from_db()
    assert paper.conversion == "" and not paper.original
    assert "newer" in paper.text


def _tagged_pdf() -> bytes:
    """A tagged PDF, as LibreOffice makes them, without LibreOffice."""
    from weasyprint import HTML

    html = "<html lang='en'><body><h1>tagged-text</h1></body></html>"
    return conversion.finish(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"), title="T")


def test_a_failed_conversion_can_be_tried_again_or_replaced(
    item, editor, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    paper = _waiting_paper(item, b"x")
    Paper.objects.filter(pk=paper.pk).update(
        conversion=Paper.Conversion.FAILED, conversion_error="LibreOffice could not read it."
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = editor.post(reverse("boards:paper-convert", args=[paper.pk]))
    assert response.status_code == 302
    paper.refresh_from_db()
    assert (paper.conversion, paper.conversion_error) == ("waiting", "")
    assert callbacks, "queued for the worker"

    Paper.objects.filter(pk=paper.pk).update(conversion=Paper.Conversion.FAILED)
    old_original = paper.original.name
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("boards:paper-replace", args=[paper.pk]), {"file": docx_upload()}
        )
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.conversion == Paper.Conversion.WAITING
    assert paper.original.name != old_original
    assert not paper.original.storage.exists(old_original)


def test_a_conversion_lost_by_the_worker_can_be_tried_again(
    item, editor, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    paper = _waiting_paper(item, b"x")
    details = reverse("boards:paper-edit", args=[paper.pk])
    retry = reverse("boards:paper-convert", args=[paper.pk])

    assert "Try the conversion again" not in editor.get(details).text
    editor.post(retry)
    assert Paper.objects.get(pk=paper.pk).modified == paper.modified  # refused: not stalled

    an_hour_ago = paper.modified - datetime.timedelta(hours=1)
    Paper.objects.filter(pk=paper.pk).update(modified=an_hour_ago)
    page = editor.get(details).text
    assert "Still waiting to be converted to PDF" in page
    assert "Try the conversion again" in page
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        editor.post(retry)
    assert Paper.objects.get(pk=paper.pk).modified > an_hour_ago
    assert callbacks


def test_a_published_paper_is_never_without_its_pdf(published_meeting, client_for, clerk):
    paper = Paper.objects.get(title="Open appendix")

    with pytest.raises(ValidationError, match="must keep a PDF at every moment"):
        services.paper_upload(paper=paper, upload=docx_upload())

    paper.refresh_from_db()
    assert paper.is_upload and paper.conversion == ""
    replace = reverse("boards:paper-replace", args=[paper.pk])
    assert client_for(clerk).get(replace).status_code == 404


def test_only_those_who_edit_the_board_retry_or_replace(item, client_for, councillor):
    paper = _waiting_paper(item, b"x")
    client = client_for(councillor)

    assert client.post(reverse("boards:paper-convert", args=[paper.pk])).status_code == 403
    assert client.get(reverse("boards:paper-replace", args=[paper.pk])).status_code == 403


def test_the_original_of_an_exempt_paper_reaches_only_those_entitled(
    item, clerk, client_for, councillor, client, monkeypatch
):
    monkeypatch.setattr(conversion, "to_pdf", lambda path, *, kind, title: _tagged_pdf())
    paper = _waiting_paper(
        item,
        report_docx(),
        title="Exempt prices",
        exempt=True,
        exempt_paragraph=3,
        public_interest_reasoning="Commercially sensitive.",
    )
    services.paper_convert(paper_id=paper.pk)
    services.agenda_publish(meeting=item.meeting, by=clerk, late_reason="Late.")
    url = reverse("boards:paper-original", args=[paper.pk])

    assert client.get(url).status_code == 404
    assert client_for(councillor).get(url).status_code == 200
    assert "Word version" not in client.get(item.meeting.get_absolute_url()).text
    assert "Word version" in client_for(councillor).get(item.meeting.get_absolute_url()).text


# The report template ----------------------------------------------------------------------------


def test_the_report_template_holds_the_front_sheet_questions_filled_from_the_item(board, editor):
    meeting = MeetingFactory(
        board=board, starts_at=datetime.datetime(2016, 3, 21, 10, tzinfo=datetime.UTC)
    )
    item = services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(
            title="Scrutiny Inquiry into ICT Capacity – Session 3",
            eligible_for_call_in=True,
            exempt=True,
            exempt_paragraph=3,
            public_interest_reasoning="Prices in a live tender.",
        ),
        wards=[WardFactory(name="Weetwood")],
    )

    response = editor.get(reverse("boards:report-template", args=[item.pk]))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == uploads.DOCUMENT_CONTENT_TYPES["docx"]
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = {
        row.cells[0].text: row.cells[1].text for table in document.tables for row in table.rows
    }
    assert document.core_properties.title == item.title
    for question in FRONT_SHEET.values():
        assert question.label in cells
    assert cells["Report to"] == board.name
    assert cells["Subject"] == item.title
    assert cells["Date of the meeting"] == "Monday, 21 March 2016"
    assert cells[FRONT_SHEET["wards"].label] == "Yes: Weetwood"
    assert cells[FRONT_SHEET["call_in"].label] == "Yes"
    assert "paragraph 3 of Part 1 of Schedule 12A" in cells[FRONT_SHEET["exempt"].label]
    assert cells[FRONT_SHEET["key_decision"].label] == "[Yes or No]"
    for section in SECTIONS:
        assert section.heading in text
    assert "4.5 Legal implications, access to information and call-in" in text
    assert "Contact officer" in text
    # It is itself a document the upload accepts.
    assert (
        uploads.clean_paper(SimpleUploadedFile("t.docx", response.content), max_bytes=20 * MB).kind
        == "docx"
    )


def test_the_report_template_is_for_those_who_edit_the_board(item, client_for, councillor, client):
    url = reverse("boards:report-template", args=[item.pk])
    other_officer = UserFactory(roles=[Role.OFFICER])
    PersonFactory(officer=True, user=other_officer)

    assert client.get(url).status_code == 302  # to sign in
    assert client_for(councillor).get(url).status_code == 403
    assert client_for(other_officer).get(url).status_code == 403
    agenda = client_for(UserFactory(roles=[Role.CLERK])).get(
        reverse("boards:agenda-edit", args=[item.meeting_id])
    )
    assert "Download the report template (.docx)" in agenda.text
    assert url in agenda.text
