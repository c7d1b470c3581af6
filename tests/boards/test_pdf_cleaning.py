"""Uploaded PDFs lose what a paper never needs (JavaScript, actions that open or launch,
attachments, forms, media) and the clerk is told; PDFs that expand past the limits when opened
are refused; pages merged into a pack are cleaned again (issue 15, finding 4)."""

from __future__ import annotations

import io
import zlib

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from boards import uploads
from boards.models import Paper
from packs import pdfparts
from tests.factories import AgendaItemFactory, pdf_bytes, sign_in

LIMIT = 10 * 1024 * 1024
ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/AcroForm", b"/OpenAction")


def _js(pdf: pikepdf.Pdf, script: str) -> pikepdf.Dictionary:
    return pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(script))
    )


def hostile_pdf() -> bytes:
    """Two pages of real text carrying every kind of active content, and one harmless link."""
    pdf = pikepdf.open(io.BytesIO(pdf_bytes(2, "hostile-marker")))
    root = pdf.Root
    root.OpenAction = _js(pdf, "app.alert('open')")
    root.AA = pikepdf.Dictionary(WC=_js(pdf, "app.alert('close')"))
    attachment = pdf.make_stream(b"MZ not really a program")
    attachment.Type = pikepdf.Name.EmbeddedFile
    root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(
            Names=pikepdf.Array([pikepdf.String("init"), _js(pdf, "app.alert('name')")])
        ),
        EmbeddedFiles=pikepdf.Dictionary(
            Names=pikepdf.Array(
                [
                    pikepdf.String("run.exe"),
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Filespec,
                        F=pikepdf.String("run.exe"),
                        EF=pikepdf.Dictionary(F=attachment),
                    ),
                ]
            )
        ),
    )
    widget = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            FT=pikepdf.Name.Tx,
            T=pikepdf.String("name"),
            Rect=[10, 10, 100, 30],
        )
    )
    root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([widget]))
    launch = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[10, 40, 100, 60],
        # A harmless first action with a launch chained after it.
        A=pikepdf.Dictionary(
            S=pikepdf.Name.URI,
            URI=pikepdf.String("https://example.org/"),
            Next=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")),
        ),
    )
    web = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[10, 70, 100, 90],
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://council.example/")),
    )
    first = pdf.pages[0].obj
    first.AA = pikepdf.Dictionary(O=_js(pdf, "app.alert('page')"))
    first.Annots = pdf.make_indirect(pikepdf.Array([widget, launch, web]))
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Start", 0))
    pdf.Root.Outlines.First.A = _js(pdf, "app.alert('bookmark')")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def active_content(data: bytes) -> list[bytes]:
    """The active keys left anywhere in the file, read uncompressed."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    flat = out.getvalue()
    return [key for key in ACTIVE if key in flat]


def test_a_hostile_pdf_loses_its_active_content_and_keeps_its_pages_and_links():
    content = hostile_pdf()
    assert active_content(content) == list(ACTIVE)  # the fixture really carries them

    clean = uploads.clean_pdf(upload(content), max_bytes=LIMIT)

    data = clean.file.read()
    assert active_content(data) == []
    assert clean.pages == 2
    with pikepdf.open(io.BytesIO(data)) as pdf:
        annotations = pdf.pages[0].obj.Annots
        assert [str(a.A.URI) for a in annotations if "/A" in a] == ["https://council.example/"]
        assert len(pdf.pages) == 2
    assert "hostile-marker" in uploads.extract_text(io.BytesIO(data))
    assert clean.removed.found == [
        "an action that runs when the file opens",
        "JavaScript",
        "attached files",
        "form fields",
        "links that run a program or script",
        "actions that run when a page opens",
    ]
    assert clean.removed.sentence() == (
        "An action that runs when the file opens, JavaScript, attached files, form fields, "
        "links that run a program or script and actions that run when a page opens removed "
        "from the PDF: a paper does not need them."
    )


def test_a_clean_pdf_is_kept_byte_for_byte():
    content = pdf_bytes(3, "plain")
    file = upload(content)
    clean = uploads.clean_pdf(file, max_bytes=LIMIT)
    assert clean.file is file
    assert not clean.removed
    assert clean.removed.sentence() == ""
    assert clean.file.read() == content


def refusal(content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        uploads.clean_pdf(upload(content), max_bytes=LIMIT)
    return caught.value


def bomb(expands_to: int) -> bytes:
    """A one-page PDF with a stream of zeros that inflates to ``expands_to`` bytes."""
    pdf = pikepdf.open(io.BytesIO(pdf_bytes(1, "bomb")))
    stream = pikepdf.Stream(pdf, zlib.compress(b"\0" * expands_to, 9))
    stream.Filter = pikepdf.Name.FlateDecode
    pdf.Root.Bomb = pdf.make_indirect(stream)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_a_decompression_bomb_is_refused_saying_the_limit(settings):
    settings.PDF_MAX_DECOMPRESSED_BYTES = 2 * 1024 * 1024
    content = bomb(8 * 1024 * 1024)
    assert len(content) < 64 * 1024  # small on the wire: the size limit alone lets it in

    error = refusal(content)

    assert error.code == "too_much_content"
    assert "expands to more than 2 MB" in error.messages[0]


def test_a_pdf_that_expands_within_the_limit_is_accepted(settings):
    settings.PDF_MAX_DECOMPRESSED_BYTES = 2 * 1024 * 1024
    assert uploads.clean_pdf(upload(bomb(1024 * 1024)), max_bytes=LIMIT).pages == 1


def test_a_pdf_with_too_many_pages_or_objects_is_refused(settings):
    settings.PDF_MAX_PAGES = 2
    error = refusal(pdf_bytes(3))
    assert error.code == "too_many_pages"
    assert "more pages than the 2 allowed" in error.messages[0]

    settings.PDF_MAX_PAGES = 100
    settings.PDF_MAX_OBJECTS = 3
    assert refusal(pdf_bytes(3)).code == "too_many_objects"


@pytest.mark.django_db
def test_the_clerk_is_told_what_was_removed_and_the_stored_paper_is_clean(client, board, officer):
    item = AgendaItemFactory(meeting__board=board)
    sign_in(client, officer)

    response = client.post(
        reverse("boards:paper-upload", args=[item.pk]),
        {"title": "Hostile report", "kind": Paper.Kind.REPORT, "file": upload(hostile_pdf())},
        follow=True,
    )

    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert f"Hostile report attached to item {item.shown_number}." in shown[0]
    assert shown[1].startswith("An action that runs when the file opens, JavaScript, attached")
    paper = Paper.objects.get(title="Hostile report")
    with paper.file.open("rb") as stored:
        data = stored.read()
    assert active_content(data) == []
    assert paper.file_size == len(data)
    assert paper.page_count == 2


def test_pages_merged_into_a_pack_are_cleaned_again(tmp_path):
    """A paper stored before cleaning existed still reaches the pack without its scripts."""
    upload_path = tmp_path / "legacy.pdf"
    upload_path.write_bytes(hostile_pdf())
    front = tmp_path / "front.pdf"
    front_pages = pdfparts.render_html(
        "<html lang='en'><title>Front</title><body><p>Agenda</p></body></html>", str(front)
    )
    document = pdfparts.PackDocument(
        title="Pack",
        author="Scrutiny",
        front=pdfparts.Chapter("Front", [pdfparts.Part(front, front_pages)]),
        chapters=[pdfparts.Chapter("1", [pdfparts.Part(upload_path, 2, "Legacy report")])],
    )
    out = tmp_path / "pack.pdf"

    pdfparts.assemble(document, out)

    data = out.read_bytes()
    assert active_content(data) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        uris = [
            str(a.A.URI)
            for page in pdf.pages
            for a in page.obj.get("/Annots", [])
            if "/A" in a and "/URI" in a.A
        ]
    assert "https://council.example/" in uris
