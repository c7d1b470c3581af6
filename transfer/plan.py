"""What an importer read, in one shape whatever the source: the rows of each kind, with where
each came from (for its problems) and its identity in the source (for its provenance), and the
papers' PDFs already checked. ``transfer.writing`` writes a plan; the spreadsheet and ModernGov
importers each read their source into one.

References between rows are by the source's identities: a meeting names its body by the body's
ID in the source, an item its meeting, a paper its item.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File

from boards import uploads


@dataclass
class Row:
    id: str
    where: str


@dataclass
class PersonRow(Row):
    kind: str
    given_name: str
    family_name: str
    title: str = ""
    ward: str = ""
    party: str = ""
    # A party known only by its short name ("LAB", from a ModernGov attendee): the party with
    # that short name, if there is one.
    party_short: str = ""
    job_title: str = ""
    organisation: str = ""
    email: str = ""
    telephone: str = ""
    elected_on: datetime.date | None = None
    term_ends_on: datetime.date | None = None


@dataclass
class BodyRow(Row):
    name: str
    kind: str
    # A kind worked out from the name (ModernGov says nothing of it): given to a new body only,
    # so that a clerk's correction stays.
    kind_is_guess: bool = False
    remit: str = ""
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    support_officer: str = ""  # a person's id


@dataclass
class MembershipRow(Row):
    body: str
    person: str
    role: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None


@dataclass
class MeetingRow(Row):
    body: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None = None
    venue: str = ""
    status: str = ""  # empty: held if it has taken place, scheduled otherwise
    status_reason: str = ""
    # Whether its agenda was published, and when (None: on its deadline, five clear working
    # days before the meeting).
    published: bool = True
    published_on: datetime.date | None = None


@dataclass
class ItemRow(Row):
    meeting: str
    title: str
    kind: str
    kind_is_guess: bool = False
    number: int | None = None  # its place; None: after the rows before it
    published_number: str = ""
    purpose: str = ""
    exempt: bool = False
    exempt_paragraph: int | None = None
    wards: list[str] = field(default_factory=list)
    # False keeps it from the public (unpublished, for staff) whatever the meeting's agenda.
    published: bool = True


@dataclass
class PreparedPdf:
    """A paper's PDF, checked as an upload is (``boards.uploads.clean_pdf``) and with its text
    read, waiting on the disk for the writing."""

    path: Path
    original_name: str
    size: int
    pages: int
    text: str
    fingerprint: str  # sha256 of the bytes as they came


@dataclass
class PaperRow(Row):
    item: str
    title: str
    kind: str
    pdf: PreparedPdf | None
    parent: str = ""  # the report it is an appendix to (a paper's id)
    position: int | None = None
    exempt: bool = False
    exempt_paragraph: int | None = None
    published: bool = True


@dataclass
class AttendanceRow(Row):
    meeting: str
    person: str
    kind: str
    status: str
    capacity: str = ""


@dataclass
class Plan:
    people: list[PersonRow] = field(default_factory=list)
    bodies: list[BodyRow] = field(default_factory=list)
    memberships: list[MembershipRow] = field(default_factory=list)
    meetings: list[MeetingRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    papers: list[PaperRow] = field(default_factory=list)
    attendances: list[AttendanceRow] = field(default_factory=list)
    # Rows of the source that could not be read (their problems are listed): what refers to
    # them is left out quietly rather than reported again.
    failed: set[tuple[str, str]] = field(default_factory=set)
    # Papers already imported whose file was not read again (a ModernGov document is fixed
    # once published): the writing keeps the file they have.
    kept_files: set[str] = field(default_factory=set)

    @property
    def size(self) -> int:
        return sum(
            len(rows)
            for rows in (
                self.people,
                self.bodies,
                self.memberships,
                self.meetings,
                self.items,
                self.papers,
                self.attendances,
            )
        )


def prepare_pdf(data: bytes, *, name: str, workdir: Path) -> PreparedPdf:
    """Check a paper's PDF as an upload is checked (content, size, pages, limits; active content
    removed) and read its text for search, keeping the result in ``workdir``. Raises
    ValidationError, in the upload's words, for a file that is not a usable PDF."""
    fingerprint = hashlib.sha256(data).hexdigest()
    clean = uploads.clean_pdf(
        File(io.BytesIO(data), name=name), max_bytes=settings.PAPER_UPLOAD_MAX_BYTES
    )
    text = uploads.extract_text(clean.file)
    path = workdir / f"{fingerprint}.pdf"
    clean.file.seek(0)
    path.write_bytes(clean.file.read())
    return PreparedPdf(
        path=path,
        original_name=Path(name).name[:255],
        size=path.stat().st_size,
        pages=clean.pages,
        text=text,
        fingerprint=fingerprint,
    )


def pdf_problem(error: ValidationError) -> str:
    return " ".join(error.messages)
