import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from boards.uploads import safe_download_name, validate_pdf

MB = 1024 * 1024
LIMIT = 10 * MB


def pdf_bytes(pages: int = 1, *, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A real one-pixel PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def upload(content: bytes, name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def refusal(file: SimpleUploadedFile, max_bytes: int = LIMIT) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_pdf(file, max_bytes=max_bytes)
    return caught.value


def test_a_pdf_is_accepted_and_its_pages_counted():
    assert validate_pdf(upload(pdf_bytes(1)), max_bytes=LIMIT) == 1
    assert validate_pdf(upload(pdf_bytes(3)), max_bytes=LIMIT) == 3


def test_the_file_is_rewound_for_saving():
    content = pdf_bytes(2)
    file = upload(content)
    file.read(10)
    validate_pdf(file, max_bytes=LIMIT)
    assert file.tell() == 0
    assert file.read() == content


def test_the_file_is_rewound_after_a_refusal_too():
    file = upload(b"%PDF-1.7\n" + b"garbage " * 50)
    refusal(file)
    assert file.tell() == 0


def test_a_pdf_exactly_at_the_limit_is_accepted():
    content = pdf_bytes()
    assert validate_pdf(upload(content), max_bytes=len(content)) == 1


def test_a_file_over_the_limit_is_refused_saying_the_limit_in_mb():
    error = refusal(upload(pdf_bytes() + b"\n" * (2 * MB)), max_bytes=2 * MB)
    assert error.code == "too_large"
    assert error.message == "The selected file must be smaller than 2 MB."


def test_a_fractional_limit_is_said_to_one_decimal_place():
    error = refusal(upload(b"%PDF-" + b"x" * (3 * MB)), max_bytes=int(2.5 * MB))
    assert error.code == "too_large"
    assert "2.5 MB" in error.message


def test_a_small_limit_refuses_before_reading_the_file():
    content = pdf_bytes()
    assert refusal(upload(content), max_bytes=len(content) - 1).code == "too_large"


def test_an_empty_file_is_refused():
    error = refusal(upload(b""))
    assert error.code == "empty"
    assert error.message == "The selected file is empty."


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (png_bytes(), "report.pdf"),
        (b"Minutes of the meeting held on 21 March 2016\n", "minutes.pdf"),
        (b"PK\x03\x04 a zipped Word document", "report.pdf"),
        (b" %PDF-1.7 header not at the start", "report.pdf"),
        (b"%PDF", "short.pdf"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(content, name):
    error = refusal(upload(content, name))
    assert error.code == "not_pdf"
    assert error.message == "The selected file must be a PDF."


def test_the_client_content_type_is_not_trusted():
    file = SimpleUploadedFile("scan.pdf", png_bytes(), content_type="application/pdf")
    assert refusal(file).code == "not_pdf"


def test_the_filename_is_not_needed_to_accept_a_pdf():
    file = SimpleUploadedFile("scan.png", pdf_bytes(), content_type="image/png")
    assert validate_pdf(file, max_bytes=LIMIT) == 1


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n" + b"garbage " * 100,
        pdf_bytes(2)[: len(pdf_bytes(2)) // 2],  # truncated part-way through
        b"%PDF-1.4\n%%EOF\n",
    ],
)
def test_a_damaged_pdf_is_refused(content):
    error = refusal(upload(content))
    assert error.code == "corrupt"
    assert "damaged" in error.message


def test_a_password_protected_pdf_is_refused():
    error = refusal(upload(pdf_bytes(password="pw")))
    assert error.code == "encrypted"
    assert "password" in error.message


def test_an_encrypted_pdf_with_an_empty_password_is_refused_too():
    assert refusal(upload(pdf_bytes(password=""))).code == "encrypted"


def test_a_pdf_with_no_pages_is_refused():
    error = refusal(upload(pdf_bytes(0)))
    assert error.code == "no_pages"
    assert error.message == "The selected PDF has no pages."


def test_every_refusal_has_its_own_code():
    refusals = [
        refusal(upload(b"x" * 100), max_bytes=10),
        refusal(upload(b"")),
        refusal(upload(png_bytes())),
        refusal(upload(b"%PDF-1.7\nnonsense")),
        refusal(upload(pdf_bytes(password="pw"))),
        refusal(upload(pdf_bytes(0))),
    ]
    codes = [error.code for error in refusals]
    assert codes == ["too_large", "empty", "not_pdf", "corrupt", "encrypted", "no_pages"]
    assert len({error.message for error in refusals}) == len(refusals)


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Budget 2026/27 – draft", "budget-2026-27-draft.pdf"),
        ("Director of Children’s Services", "director-of-childrens-services.pdf"),
        ("Director of Children's Services", "director-of-childrens-services.pdf"),
        ("Item 7: Q3 performance (appendix A)", "item-7-q3-performance-appendix-a.pdf"),
        ("  Café   Society: Élan & Naïveté  ", "cafe-society-elan-naivete.pdf"),
        ("snake_case_title", "snake-case-title.pdf"),
        ("../../etc/passwd", "etc-passwd.pdf"),
        ("", "paper.pdf"),
        ("!!!", "paper.pdf"),
        ("計画", "paper.pdf"),
    ],
)
def test_safe_download_name(title, name):
    assert safe_download_name(title) == name


def test_safe_download_name_takes_another_suffix():
    assert safe_download_name("Agenda pack", suffix=".zip") == "agenda-pack.zip"


def test_safe_download_names_are_cut_between_words_at_80_characters():
    name = safe_download_name("Scrutiny " * 20)
    stem = name.removesuffix(".pdf")
    assert len(stem) <= 80
    assert stem == "-".join(["scrutiny"] * 9)  # 9 × 8 letters + 8 hyphens = 80; a tenth won't fit
    assert name.isascii()


def test_safe_download_names_cut_a_single_long_word_to_80_characters():
    assert safe_download_name("a" * 200) == "a" * 80 + ".pdf"


def test_safe_download_names_drop_a_word_that_would_pass_80_characters():
    title = " ".join(["abcdefghi"] * 8)  # 8 × 9 + 7 = 79; "-x" would make 81
    assert safe_download_name(title + " x") == "-".join(["abcdefghi"] * 8) + ".pdf"
