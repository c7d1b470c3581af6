"""Checks on uploaded PDF papers and photographs.

The filename and the browser's content type are the client's word only: a paper is a PDF when its
bytes start with ``%PDF-`` and pypdf can open it and count its pages; a photograph is a JPEG, PNG
or WebP image when Pillow reads it as one, and it is stored re-encoded (``photo_from``).

A PDF can also carry things a council's paper never needs and a reader should never meet:
JavaScript, actions that run when it opens or launch programs, embedded files, fillable forms
and media. ``clean_pdf`` removes them and says what it removed (``strip_active_content`` does
the same to pages merged into a pack), and refuses a file whose pages, objects or decompressed
size pass the limits in settings, which is what a decompression bomb does.
"""

from __future__ import annotations

import io
import logging
import re
import time
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, BinaryIO, cast

from defusedxml import ElementTree  # type: ignore[import-untyped]
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import slugify
from PIL import Image, ImageOps
from pypdf import PdfReader

if TYPE_CHECKING:
    import pikepdf

_PDF_HEADER = b"%PDF-"
_BYTES_PER_MB = 1024 * 1024
_MAX_NAME_LENGTH = 80
_SEPARATORS = re.compile(r"[^\w'’]+")
# Text extraction for search is bounded, so that a huge or hostile PDF cannot stall the upload.
TEXT_MAX_PAGES = 300
TEXT_MAX_CHARS = 300_000
TEXT_MAX_SECONDS = 10.0
# NUL cannot be stored in PostgreSQL text; other control characters are noise from the PDF.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")

logger = logging.getLogger(__name__)


def _megabytes(size: int) -> str:
    return f"{max(size / _BYTES_PER_MB, 0.1):.1f}".removesuffix(".0")


def validate_pdf(upload: UploadedFile | File, *, max_bytes: int) -> int:
    """The page count of an uploaded PDF, or a ValidationError saying what is wrong with it.

    The file is rewound afterwards, ready to be saved.
    """
    size = upload.size or 0
    if size == 0:
        raise ValidationError("The selected file is empty.", code="empty")
    if size > max_bytes:
        raise ValidationError(
            f"The selected file must be smaller than {_megabytes(max_bytes)} MB.",
            code="too_large",
        )
    try:
        upload.seek(0)
        if upload.read(len(_PDF_HEADER)) != _PDF_HEADER:
            raise ValidationError("The selected file must be a PDF.", code="not_pdf")
        upload.seek(0)
        try:
            reader = PdfReader(upload)
            encrypted = reader.is_encrypted
            pages = None if encrypted else len(reader.pages)
        except Exception as error:
            # pypdf reading hostile or damaged bytes can fail in many ways, not only PdfReadError.
            raise ValidationError(
                "The selected file is damaged and cannot be opened. Save it as a PDF again and "
                "upload the new copy.",
                code="corrupt",
            ) from error
        if encrypted:
            raise ValidationError(
                "The selected PDF is password-protected. Upload a copy without a password.",
                code="encrypted",
            )
        if not pages:
            raise ValidationError("The selected PDF has no pages.", code="no_pages")
        return pages
    finally:
        upload.seek(0)


# Actions a paper never needs: they run scripts, start programs, send or fetch data, play media.
_ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ResetForm",
    "/ImportData",
    "/Rendition",
    "/GoToE",
    "/RichMediaExecute",
    "/Sound",
    "/Movie",
}
# Annotations that are forms, attachments or media rather than marks on the page.
_ACTIVE_ANNOTATIONS = {
    "/Widget": "form fields",
    "/FileAttachment": "attached files",
    "/Screen": "media",
    "/Movie": "media",
    "/Sound": "media",
    "/RichMedia": "media",
    "/3D": "media",
}
_FLATE = {"/FlateDecode", "/Fl"}
_INFLATE_CHUNK = 16 * 1024 * 1024
# Outlines are linked lists in the file; a hostile one can be a loop or run for ever.
_MAX_OUTLINE_ITEMS = 10_000


@dataclass
class Removed:
    """What was taken out of a PDF, in words a clerk understands, in the order first met."""

    found: list[str] = field(default_factory=list)

    def add(self, what: str) -> None:
        if what not in self.found:
            self.found.append(what)

    def __bool__(self) -> bool:
        return bool(self.found)

    def sentence(self) -> str:
        """What the clerk is told ("JavaScript and form fields removed from the PDF: …"), or
        "" when nothing was removed."""
        if not self.found:
            return ""
        if len(self.found) == 1:
            listed = self.found[0]
        else:
            listed = ", ".join(self.found[:-1]) + " and " + self.found[-1]
        return f"{listed[:1].upper()}{listed[1:]} removed from the PDF: a paper does not need them."


@dataclass
class CleanPdf:
    """An uploaded PDF that passed the checks: the file to store, its pages, what was removed."""

    file: File
    pages: int
    removed: Removed


def _dangerous(action: Any, seen: set[tuple[int, int]]) -> bool:
    """Whether an action, or any action chained after it by /Next, runs something."""
    import pikepdf

    pending = [action]
    while pending:
        current = pending.pop()
        if isinstance(current, pikepdf.Array):
            pending.extend(current)
            continue
        if not isinstance(current, pikepdf.Dictionary):
            continue
        if current.is_indirect:
            if current.objgen in seen:
                continue
            seen.add(current.objgen)
        if current.get("/S") in _ACTIVE_ACTIONS or "/JS" in current:
            return True
        if "/Next" in current:
            pending.append(current.Next)
    return False


def strip_page(page: pikepdf.Page | pikepdf.Dictionary, removed: Removed) -> None:
    """Remove a page's event actions, and its annotations that are forms, attachments or media
    or whose action runs something. Links to web addresses and to other pages stay."""
    import pikepdf

    obj = page.obj if isinstance(page, pikepdf.Page) else page
    if "/AA" in obj:
        del obj["/AA"]
        removed.add("actions that run when a page opens")
    annotations = obj.get("/Annots")
    if not isinstance(annotations, pikepdf.Array):
        return
    kept = pikepdf.Array()
    for annotation in annotations:
        if not isinstance(annotation, pikepdf.Dictionary):
            continue
        if (what := _ACTIVE_ANNOTATIONS.get(str(annotation.get("/Subtype", "")))) is not None:
            removed.add(what)
            continue
        if "/AA" in annotation:
            del annotation["/AA"]
            removed.add("JavaScript")
        if "/A" in annotation and _dangerous(annotation.A, set()):
            del annotation["/A"]
            removed.add("links that run a program or script")
        kept.append(annotation)
    obj.Annots = kept


def strip_active_content(pdf: pikepdf.Pdf, pages: Iterable[pikepdf.Page] | None = None) -> Removed:
    """Remove from a PDF (or only from some of its pages, for pages merged into another file)
    everything that runs, submits, attaches or plays."""
    import pikepdf

    removed = Removed()
    if pages is None:
        root = pdf.Root
        if "/OpenAction" in root and _dangerous(root.OpenAction, set()):
            del root["/OpenAction"]
            removed.add("an action that runs when the file opens")
        if "/AA" in root:
            del root["/AA"]
            removed.add("JavaScript")
        names = root.get("/Names")
        if isinstance(names, pikepdf.Dictionary):
            if "/JavaScript" in names:
                del names["/JavaScript"]
                removed.add("JavaScript")
            if "/EmbeddedFiles" in names:
                del names["/EmbeddedFiles"]
                removed.add("attached files")
        for key, what in (("/AcroForm", "form fields"), ("/Collection", "attached files")):
            if key in root:
                del root[key]
                removed.add(what)
        _strip_outline(cast(pikepdf.Dictionary, root), removed)
        pages = pdf.pages
    for page in pages:
        strip_page(page, removed)
    return removed


def _strip_outline(root: pikepdf.Dictionary, removed: Removed) -> None:
    """Bookmarks may carry actions too: those that run something lose the action."""
    import pikepdf

    outlines = root.get("/Outlines")
    if not isinstance(outlines, pikepdf.Dictionary):
        return
    pending = [outlines.get("/First")]
    seen: set[tuple[int, int]] = set()
    while pending and len(seen) < _MAX_OUTLINE_ITEMS:
        item = pending.pop()
        if not isinstance(item, pikepdf.Dictionary) or item.objgen in seen:
            continue
        seen.add(item.objgen)
        if "/A" in item and _dangerous(item.A, set()):
            del item["/A"]
            removed.add("links that run a program or script")
        pending.extend([item.get("/Next"), item.get("/First")])


def _inflated_size(raw: bytes, budget: int) -> int:
    """How many bytes a Flate stream decompresses to, reading no more than ``budget`` + 1 of
    them, a chunk at a time (a bomb is never held in memory). A damaged stream counts as is."""
    inflater = zlib.decompressobj()
    size = 0
    data = raw
    try:
        while data and size <= budget:
            size += len(inflater.decompress(data, _INFLATE_CHUNK))
            data = inflater.unconsumed_tail
    except zlib.error:
        return max(size, len(raw))
    return size


def check_limits(pdf: pikepdf.Pdf) -> None:
    """Refuse a PDF with more pages, objects or decompressed bytes than settings allow."""
    import pikepdf

    too_big = (
        "The selected PDF is too large to process: it has more {what} than the "
        "{limit:,} allowed. Split it into smaller files, or save it again as a PDF "
        "with a different program."
    )
    if len(pdf.pages) > settings.PDF_MAX_PAGES:
        raise ValidationError(
            too_big.format(what="pages", limit=settings.PDF_MAX_PAGES), code="too_many_pages"
        )
    if len(pdf.objects) > settings.PDF_MAX_OBJECTS:
        raise ValidationError(
            too_big.format(what="objects", limit=settings.PDF_MAX_OBJECTS),
            code="too_many_objects",
        )
    budget = settings.PDF_MAX_DECOMPRESSED_BYTES
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        raw = obj.read_raw_bytes()
        filters = obj.get("/Filter")
        first = filters[0] if isinstance(filters, pikepdf.Array) and len(filters) else filters
        budget -= _inflated_size(raw, budget) if str(first) in _FLATE else len(raw)
        if budget < 0:
            raise ValidationError(
                "The selected PDF expands to more than "
                f"{_megabytes(settings.PDF_MAX_DECOMPRESSED_BYTES)} MB when it is opened, "
                "which is more than a paper needs. Save it again as a PDF with a different "
                "program, or split it into smaller files.",
                code="too_much_content",
            )


def clean_pdf(upload: UploadedFile | File, *, max_bytes: int) -> CleanPdf:
    """An uploaded PDF checked (``validate_pdf``, then the limits) and with its active content
    removed. The file is the upload itself when nothing was removed, byte for byte, and a new
    file with the same name otherwise."""
    import pikepdf

    pages = validate_pdf(upload, max_bytes=max_bytes)
    try:
        with pikepdf.open(cast(BinaryIO, upload)) as pdf:
            check_limits(pdf)
            removed = strip_active_content(pdf)
            if not removed:
                return CleanPdf(file=upload, pages=pages, removed=removed)
            cleaned = io.BytesIO()
            pdf.save(cleaned)
    except pikepdf.PdfError as error:
        raise ValidationError(
            "The selected file is damaged and cannot be opened. Save it as a PDF again and "
            "upload the new copy.",
            code="corrupt",
        ) from error
    finally:
        upload.seek(0)
    return CleanPdf(
        file=ContentFile(cleaned.getvalue(), name=upload.name), pages=pages, removed=removed
    )


PHOTO_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
# A photograph is shown small: larger ones are scaled down when stored, and an image of more
# pixels than this is refused before it is decoded (a small file can unpack to a huge image).
PHOTO_MAX_SIDE = 800
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_MIN_SIDE = 50


def photo_from(upload: UploadedFile, *, max_bytes: int) -> ContentFile:
    """An uploaded photograph checked and re-encoded as a JPEG at most ``PHOTO_MAX_SIDE``
    pixels a side, turned upright, without its metadata (a phone's photo carries where it was
    taken); or a ValidationError saying what is wrong with it."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError("The selected file is empty.", code="empty")
    if size > max_bytes:
        raise ValidationError(
            f"The selected photo must be smaller than {_megabytes(max_bytes)} MB.",
            code="too_large",
        )
    kinds = ", ".join(PHOTO_FORMATS.values())
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in PHOTO_FORMATS:
                raise ValidationError(f"The selected file must be a photo: {kinds}.", "not_image")
            width, height = image.size
            if width * height > PHOTO_MAX_PIXELS:
                raise ValidationError("The selected photo is too large in pixels.", "too_large")
            if min(width, height) < PHOTO_MIN_SIDE:
                raise ValidationError(
                    f"The selected photo is too small: at least {PHOTO_MIN_SIDE} pixels a side.",
                    code="too_small",
                )
            image.load()
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except ValidationError:
        raise
    except Exception as error:
        # Pillow reading hostile or damaged bytes can fail in many ways.
        raise ValidationError(
            f"The selected file is not a photo that can be opened: {kinds}.", code="not_image"
        ) from error
    finally:
        upload.seek(0)
    upright.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    buffer = io.BytesIO()
    upright.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def extract_text(
    file: IO[bytes],
    *,
    max_pages: int = TEXT_MAX_PAGES,
    max_chars: int = TEXT_MAX_CHARS,
    max_seconds: float = TEXT_MAX_SECONDS,
) -> str:
    """The text of a PDF, for search: at most ``max_pages`` pages and ``max_chars`` characters,
    stopping after the page that passes ``max_seconds``. A PDF whose text cannot be read gives
    "" — extraction never fails an upload. The file is rewound afterwards."""
    parts: list[str] = []
    length = 0
    try:
        file.seek(0)
        reader = PdfReader(file)
        deadline = time.monotonic() + max_seconds
        for number, page in enumerate(reader.pages, start=1):
            text = _CONTROL.sub(" ", page.extract_text() or "").strip()
            if text:
                parts.append(text)
                length += len(text)
            if number >= max_pages or length >= max_chars or time.monotonic() > deadline:
                break
    except Exception:
        # pypdf reading hostile or damaged bytes can fail in many ways; keep what was read.
        logger.warning("Text extraction stopped early on an uploaded PDF", exc_info=True)
    finally:
        file.seek(0)
    return _BLANK_LINES.sub("\n\n", "\n\n".join(parts))[:max_chars]


def safe_download_name(title: str, suffix: str = ".pdf") -> str:
    """An ASCII filename from a paper's title.

    "Budget 2026/27 – draft" becomes "budget-2026-27-draft.pdf"; at most 80 characters before the
    suffix, cut between words, and "paper" when the title has no usable letters.
    """
    # Punctuation other than apostrophes separates words ("2026/27" is two); slugify then folds
    # accents to ASCII and drops what is left.
    words = re.findall(r"[a-z0-9]+", slugify(_SEPARATORS.sub(" ", title)))
    name = ""
    for word in words:
        candidate = f"{name}-{word}" if name else word
        if len(candidate) > _MAX_NAME_LENGTH:
            break
        name = candidate
    if not name and words:
        name = words[0][:_MAX_NAME_LENGTH]
    return f"{name or 'paper'}{suffix}"


# Word and OpenDocument files ------------------------------------------------------------------
#
# A report or appendix may be uploaded as a Word document (.docx) or an OpenDocument text
# (.odt); the task worker converts it to a tagged PDF (``boards.conversion``) and keeps it. As
# with a PDF, the content decides what a file is, never its name: a .docx and an .odt are zip
# packages that declare what they hold ([Content_Types].xml; the ``mimetype`` entry and
# META-INF/manifest.xml). Refused, each with what to do: a password (Office keeps an encrypted
# .docx in an OLE compound file; OpenDocument marks encrypted entries in its manifest), macros
# and ActiveX controls, tracked changes and comments (which would show, or travel, in what is
# published), pictures or objects linked from outside the file (which the converter would fetch),
# and packages that unpack to more than ``PDF_MAX_DECOMPRESSED_BYTES``.

PDF = "pdf"
DOCX = "docx"
ODT = "odt"
DOCUMENT_CONTENT_TYPES = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ODT: "application/vnd.oasis.opendocument.text",
}
_ZIP_HEADER = b"PK\x03\x04"
_OLE_HEADER = bytes.fromhex("d0cf11e0a1b11ae1")
# The stream an encrypted Office file keeps its package in, as its directory names it.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_MAX_PACKAGE_ENTRIES = 10_000
# The parts of a package read to check it, each at most this large once unpacked.
_MAX_PART_BYTES = 100 * _BYTES_PER_MB

_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELATIONSHIPS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_WORD_TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_MANIFEST_NS = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
_ODF_TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODF_OFFICE_NS = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Relationships a Word document may have to something outside it: links a reader follows, and
# the template it was made from (which Word records and nothing fetches).
_EXTERNAL_ALLOWED = ("/hyperlink", "/attachedTemplate")
_WORD_TRACKED = {f"{_WORD_NS}{tag}" for tag in ("ins", "del", "moveFrom", "moveTo")}
_WORD_COMMENTS = {f"{_WORD_NS}{tag}" for tag in ("commentReference", "commentRangeStart")}
# Fields that make Word (and LibreOffice) load a picture or text from elsewhere.
_WORD_FIELD_CODE = f"{_WORD_NS}instrText"
_WORD_SIMPLE_FIELD = f"{_WORD_NS}fldSimple"
_WORD_LOADING_FIELD = re.compile(r"\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO)\b", re.I)
_WORD_STORIES = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")

NOT_A_PAPER = (
    "The selected file must be a PDF, a Word document (.docx) or an OpenDocument text (.odt)."
)
DOCUMENT_DAMAGED = (
    "The selected document is damaged and cannot be opened. Save it again and upload the new "
    "copy, or save it as a PDF and upload that."
)
DOCUMENT_ENCRYPTED = (
    "The selected document is password-protected, so it cannot be converted to PDF. Save it "
    "without a password and upload it again."
)
DOCUMENT_MACROS = (
    "The selected document contains macros, which a paper must not carry. Save a copy as a "
    "plain Word document (.docx, not .docm) or OpenDocument text (.odt) without macros, and "
    "upload that."
)
DOCUMENT_TRACKED_CHANGES = (
    "The selected document has tracked changes, which would show in the published PDF. Accept "
    "or reject every change, turn off Track Changes, save it and upload it again."
)
DOCUMENT_COMMENTS = (
    "The selected document has comments, which must not reach a published paper. Delete every "
    "comment, save it and upload it again."
)
DOCUMENT_LINKS = (
    "The selected document shows pictures or objects linked from outside it. Insert them into "
    "the document itself (not as links), save it and upload it again."
)


@dataclass
class CleanPaper:
    """An uploaded paper that passed the checks: a PDF ready to store (``pages`` counted,
    ``removed`` what was taken out of it), or a document (``kind`` "docx" or "odt") to keep and
    convert."""

    kind: str
    file: File
    pages: int | None = None
    removed: Removed = field(default_factory=Removed)

    @property
    def is_document(self) -> bool:
        return self.kind != PDF


def clean_paper(upload: UploadedFile | File, *, max_bytes: int) -> CleanPaper:
    """An uploaded report or appendix: a PDF, checked and cleaned (``clean_pdf``), or a Word or
    OpenDocument file, checked (``check_document``); or a ValidationError saying what is wrong
    with it and what to do."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError("The selected file is empty.", code="empty")
    upload.seek(0)
    head = upload.read(len(_OLE_HEADER))
    upload.seek(0)
    if head.startswith(_PDF_HEADER):
        clean = clean_pdf(upload, max_bytes=max_bytes)
        return CleanPaper(kind=PDF, file=clean.file, pages=clean.pages, removed=clean.removed)
    if head.startswith(_ZIP_HEADER) or head == _OLE_HEADER:
        return CleanPaper(kind=check_document(upload, max_bytes=max_bytes), file=upload)
    raise ValidationError(NOT_A_PAPER, code="not_paper")


def check_document(upload: UploadedFile | File, *, max_bytes: int) -> str:
    """The kind of an uploaded document ("docx" or "odt"), or a ValidationError saying what is
    wrong with it and what to do. The file is rewound afterwards."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError("The selected file is empty.", code="empty")
    if size > max_bytes:
        raise ValidationError(
            f"The selected file must be smaller than {_megabytes(max_bytes)} MB.",
            code="too_large",
        )
    try:
        upload.seek(0)
        if upload.read(len(_OLE_HEADER)) == _OLE_HEADER:
            upload.seek(0)
            _refuse_compound_file(upload)
        upload.seek(0)
        try:
            package = zipfile.ZipFile(cast(IO[bytes], upload))
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise ValidationError(DOCUMENT_DAMAGED, code="corrupt") from error
        with package:
            return _check_package(package)
    finally:
        upload.seek(0)


def _refuse_compound_file(upload: UploadedFile | File) -> None:
    """An OLE compound file is an encrypted Office document or one in the old binary formats
    (.doc, .xls): neither can be taken."""
    found = False
    tail = b""
    for chunk in iter(lambda: upload.read(_BYTES_PER_MB), b""):
        if _ENCRYPTED_PACKAGE in tail + chunk:
            found = True
            break
        tail = chunk[-len(_ENCRYPTED_PACKAGE) :]
    if found:
        raise ValidationError(DOCUMENT_ENCRYPTED, code="encrypted")
    raise ValidationError(
        "The selected file is in an old format (such as Word 97-2003, .doc). Save it as a Word "
        "document (.docx) and upload it again, or save it as a PDF and upload that.",
        code="old_format",
    )


def _check_package(package: zipfile.ZipFile) -> str:
    entries = package.infolist()
    if len(entries) > _MAX_PACKAGE_ENTRIES:
        raise ValidationError(DOCUMENT_DAMAGED, code="corrupt")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise ValidationError(DOCUMENT_ENCRYPTED, code="encrypted")
    budget = settings.PDF_MAX_DECOMPRESSED_BYTES
    if sum(entry.file_size for entry in entries) > budget:
        raise _too_much(budget)
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" in names:
        kind = _check_word(package, names)
    elif "mimetype" in names:
        kind = _check_opendocument(package, names)
    else:
        raise ValidationError(NOT_A_PAPER, code="not_paper")
    _check_unpacks(package, entries, budget)
    return kind


def _too_much(budget: int) -> ValidationError:
    return ValidationError(
        f"The selected document expands to more than {_megabytes(budget)} MB when it is "
        "opened, which is more than a paper needs. Make its pictures smaller, or save it as a "
        "PDF and upload that.",
        code="too_much_content",
    )


def _check_unpacks(package: zipfile.ZipFile, entries: list[zipfile.ZipInfo], budget: int) -> None:
    """Unpack every entry, a chunk at a time and keeping nothing: a damaged entry (its
    checksum wrong) or one bigger than it says fails here rather than in the converter."""
    for entry in entries:
        if entry.is_dir():
            continue
        try:
            with package.open(entry) as stream:
                while chunk := stream.read(_BYTES_PER_MB):
                    budget -= len(chunk)
                    if budget < 0:
                        raise _too_much(settings.PDF_MAX_DECOMPRESSED_BYTES)
        except ValidationError:
            raise
        except Exception as error:
            # zipfile reading hostile bytes fails in many ways (bad checksums, methods, headers).
            raise ValidationError(DOCUMENT_DAMAGED, code="corrupt") from error


def _xml(package: zipfile.ZipFile, name: str):
    """An XML part of the package, parsed with entities and DTDs refused; ValidationError if it
    is damaged or larger than a part of a paper needs to be."""
    try:
        if package.getinfo(name).file_size > _MAX_PART_BYTES:
            raise ValidationError(DOCUMENT_DAMAGED, code="corrupt")
        with package.open(name) as stream:
            return ElementTree.parse(stream).getroot()
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError(DOCUMENT_DAMAGED, code="corrupt") from error


def _iter_xml(package: zipfile.ZipFile, name: str) -> Iterable[Any]:
    """The elements of an XML part as each ends, without holding the whole tree."""
    try:
        with package.open(name) as stream:
            for _event, element in ElementTree.iterparse(stream, events=("end",)):
                yield element
                element.clear()
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError(DOCUMENT_DAMAGED, code="corrupt") from error


def _check_word(package: zipfile.ZipFile, names: set[str]) -> str:
    """A Word document (.docx): its main part a document's, no macros or ActiveX controls, no
    tracked changes or comments, nothing shown from outside it."""
    types = _xml(package, "[Content_Types].xml")
    declared = [
        (element.get("PartName", ""), element.get("ContentType", ""))
        for element in types.iter(f"{_CONTENT_TYPES_NS}Override")
    ] + [
        (element.get("Extension", ""), element.get("ContentType", ""))
        for element in types.iter(f"{_CONTENT_TYPES_NS}Default")
    ]
    lowered = [name.lower() for name in names]
    if any("macroenabled" in kind.lower() or "vba" in kind.lower() for _, kind in declared) or any(
        name.endswith(("vbaproject.bin", "vbadata.xml")) or name.startswith("word/activex/")
        for name in lowered
    ):
        raise ValidationError(DOCUMENT_MACROS, code="macros")
    main = dict(declared).get("/word/document.xml", "")
    if main == _WORD_TEMPLATE:
        raise ValidationError(
            "The selected file is a Word template (.dotx). Make a document from it, save that "
            "as a Word document (.docx) and upload it.",
            code="template",
        )
    if main != _WORD_MAIN or "word/document.xml" not in names:
        raise ValidationError(
            "The selected file is not a Word document: it may be a spreadsheet or a "
            "presentation. Save it as a PDF and upload that.",
            code="not_paper",
        )
    for name in sorted(names):
        if name.endswith(".rels"):
            for relationship in _xml(package, name).iter(f"{_RELATIONSHIPS_NS}Relationship"):
                if relationship.get("TargetMode") == "External" and not relationship.get(
                    "Type", ""
                ).endswith(_EXTERNAL_ALLOWED):
                    raise ValidationError(DOCUMENT_LINKS, code="linked")
    for name in sorted(n for n in names if _WORD_STORIES.match(n)):
        for element in _iter_xml(package, name):
            if element.tag in _WORD_TRACKED:
                raise ValidationError(DOCUMENT_TRACKED_CHANGES, code="tracked_changes")
            if element.tag in _WORD_COMMENTS:
                raise ValidationError(DOCUMENT_COMMENTS, code="comments")
            if element.tag == _WORD_FIELD_CODE:
                field = element.text or ""
            elif element.tag == _WORD_SIMPLE_FIELD:
                field = element.get(f"{_WORD_NS}instr", "")
            else:
                continue
            if _WORD_LOADING_FIELD.match(field):
                raise ValidationError(DOCUMENT_LINKS, code="linked")
    return DOCX


def _check_opendocument(package: zipfile.ZipFile, names: set[str]) -> str:
    """An OpenDocument text (.odt): not encrypted, no macros or scripts, no tracked changes or
    comments, nothing shown from outside it."""
    try:
        mimetype = package.read("mimetype")[:200].decode("ascii", "replace").strip()
    except Exception as error:
        raise ValidationError(DOCUMENT_DAMAGED, code="corrupt") from error
    if mimetype != DOCUMENT_CONTENT_TYPES[ODT]:
        raise ValidationError(
            "The selected file is not an OpenDocument text: it may be a spreadsheet or a "
            "presentation. Save it as a PDF and upload that.",
            code="not_paper",
        )
    if "META-INF/manifest.xml" not in names or "content.xml" not in names:
        raise ValidationError(DOCUMENT_DAMAGED, code="corrupt")
    manifest = _xml(package, "META-INF/manifest.xml")
    if next(manifest.iter(f"{_MANIFEST_NS}encryption-data"), None) is not None:
        raise ValidationError(DOCUMENT_ENCRYPTED, code="encrypted")
    if any(name.startswith(("Basic/", "Scripts/")) for name in names):
        raise ValidationError(DOCUMENT_MACROS, code="macros")
    for name in ("content.xml", "styles.xml"):
        if name not in names:
            continue
        for element in _xml(package, name).iter():
            if element.tag == f"{_ODF_TEXT_NS}changed-region":
                raise ValidationError(DOCUMENT_TRACKED_CHANGES, code="tracked_changes")
            if element.tag == f"{_ODF_OFFICE_NS}annotation":
                raise ValidationError(DOCUMENT_COMMENTS, code="comments")
            href = element.get(_XLINK_HREF)
            if href is not None and not _inside_package(element.tag, href):
                raise ValidationError(DOCUMENT_LINKS, code="linked")
    return ODT


# OpenDocument elements whose xlink:href the converter loads (pictures, objects, linked
# sections), as against links a reader follows.
_ODF_LOADED = re.compile(
    r"\{urn:oasis:names:tc:opendocument:xmlns:(drawing|text):1\.0\}"
    r"(image|object|object-ole|plugin|applet|floating-frame|section-source)$"
)


def _inside_package(tag: str, href: str) -> bool:
    if not _ODF_LOADED.match(tag):
        return True
    target = href.strip().removeprefix("./")
    return bool(target) and ":" not in target and not target.startswith(("/", "..", "\\"))
