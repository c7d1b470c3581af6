"""Checks on uploaded PDF papers and photographs.

The filename and the browser's content type are the client's word only: a paper is a PDF when its
bytes start with ``%PDF-`` and pypdf can open it and count its pages; a photograph is a JPEG, PNG
or WebP image when Pillow reads it as one, and it is stored re-encoded (``photo_from``).
"""

import io
import logging
import re
import time
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import slugify
from PIL import Image, ImageOps
from pypdf import PdfReader

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


def validate_pdf(upload: UploadedFile, *, max_bytes: int) -> int:
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
