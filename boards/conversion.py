"""Word and OpenDocument reports to tagged PDF, with LibreOffice.

The task worker runs ``to_pdf`` on an uploaded document that ``boards.uploads.check_document``
accepted (``boards.services.paper_convert``). Each run is LibreOffice headless
(``soffice``, Debian's ``libreoffice-writer-nogui``) in a process group of its own, with a user
profile and home made for it and thrown away after, so that runs never share state or lock each
other out, and killed whole when it passes ``DOCUMENT_CONVERSION_SECONDS``. It reads the file
with the import filter its checked kind names (never by guessing from the bytes) and exports
with the tagged, PDF/UA filter options, so that a pack made of Word reports stays tagged.

What comes out is checked before anyone sees it: a PDF that opens, has pages and is tagged
(``/MarkInfo /Marked`` and a structure tree), titled with the paper's title. The service then
puts it through the same checks and cleaning as an uploaded PDF (``boards.uploads.clean_pdf``).
Anything wrong is a ``ConversionError`` whose message the uploader reads.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from boards import uploads

logger = logging.getLogger(__name__)

# LibreOffice's import filter for each kind of document accepted.
IMPORT_FILTERS = {uploads.DOCX: "MS Word 2007 XML", uploads.ODT: "writer8"}
# The export filter, with options as JSON (LibreOffice 7.4 and later): tagged, PDF/UA-1.
EXPORT_OPTIONS = {
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "PDFUACompliance": {"type": "boolean", "value": "true"},
    "ExportBookmarks": {"type": "boolean", "value": "true"},
    "ExportNotes": {"type": "boolean", "value": "false"},
    "ExportFormFields": {"type": "boolean", "value": "false"},
}
EXPORT_FILTER = f"pdf:writer_pdf_Export:{json.dumps(EXPORT_OPTIONS, separators=(',', ':'))}"

TRY_A_PDF = "Save it as a PDF from Word or LibreOffice and upload that instead."
OR_TRY_A_PDF = "or save it as a PDF from Word or LibreOffice and upload that instead."


class ConversionError(Exception):
    """A document that could not become the paper's PDF, with a message for the uploader."""


def soffice() -> str | None:
    """The LibreOffice program: ``LIBREOFFICE_PROGRAM`` if set, else ``soffice`` on the path."""
    return shutil.which(settings.LIBREOFFICE_PROGRAM)


def to_pdf(source: Path, *, kind: str, title: str) -> bytes:
    """The tagged PDF of the document at ``source`` ("docx" or "odt"), titled ``title``."""
    program = soffice()
    if program is None:
        logger.error("LibreOffice (%s) is not installed", settings.LIBREOFFICE_PROGRAM)
        raise ConversionError(
            "The server cannot convert documents at the moment (LibreOffice is not installed). "
            f"Tell the site's administrator. {TRY_A_PDF}"
        )
    with tempfile.TemporaryDirectory(prefix="scrutiny-convert-") as work:
        folder = Path(work)
        document = folder / f"document.{kind}"
        shutil.copyfile(source, document)
        out = folder / "out"
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nodefault",
            "--nolockcheck",
            "--nologo",
            "--norestore",
            f"--infilter={IMPORT_FILTERS[kind]}",
            "--convert-to",
            EXPORT_FILTER,
            "--outdir",
            str(out),
            str(document),
        ]
        _run(command, home=folder)
        produced = out / "document.pdf"
        if not produced.is_file() or produced.stat().st_size == 0:
            raise ConversionError(f"LibreOffice could not read the document. {TRY_A_PDF}")
        return finish(produced.read_bytes(), title=title)


def _run(command: list[str], *, home: Path) -> None:
    """Run LibreOffice in a process group of its own, killed whole if it takes too long."""
    seconds = settings.DOCUMENT_CONVERSION_SECONDS
    environment = {
        "HOME": str(home),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TMPDIR": str(home),
    }
    process = subprocess.Popen(  # noqa: S603 - the program is found, its arguments are ours
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        cwd=home,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired as error:
        _kill_group(process)
        raise ConversionError(
            f"Converting it took longer than {seconds:g} seconds, so it was stopped. "
            f"Make it smaller (split it, or make its pictures smaller), {OR_TRY_A_PDF}"
        ) from error
    finally:
        _kill_group(process)  # nothing of it outlives the conversion
    if process.returncode != 0:
        logger.warning(
            "LibreOffice exited with %s: %s",
            process.returncode,
            stderr[-2000:].decode(errors="replace"),
        )
    logger.debug("LibreOffice said: %s", stdout[-2000:].decode(errors="replace"))


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    if process.poll() is None:
        process.wait(timeout=10)


def finish(pdf_bytes: bytes, *, title: str) -> bytes:
    """The PDF LibreOffice made, checked to open, to have pages and to be tagged, and titled
    with the paper's title (PDF/UA asks for a title, shown in the reader's title bar)."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
            if not len(pdf.pages):
                raise ConversionError(f"The document has no pages to convert. {TRY_A_PDF}")
            root = pdf.Root
            marked = root.get("/MarkInfo", pikepdf.Dictionary()).get("/Marked", False)
            if not bool(marked) or "/StructTreeRoot" not in root:
                raise ConversionError(
                    "The PDF made from the document is not tagged for screen readers, so it "
                    f"cannot be published. {TRY_A_PDF}"
                )
            with pdf.open_metadata(set_pikepdf_as_editor=False) as metadata:
                metadata["dc:title"] = title
            pdf.docinfo["/Title"] = title
            viewer = root.get("/ViewerPreferences")
            if not isinstance(viewer, pikepdf.Dictionary):
                root.ViewerPreferences = viewer = pikepdf.Dictionary()
            viewer.DisplayDocTitle = True
            out = io.BytesIO()
            pdf.save(out)
    except pikepdf.PdfError as error:
        raise ConversionError(
            f"LibreOffice made a PDF that cannot be opened. {TRY_A_PDF}"
        ) from error
    return out.getvalue()
