"""Import from a spreadsheet: an XLSX workbook with a sheet per kind of record, or CSV files
(one per kind, in a folder or a zip, or a single one named by its kind), and the papers' PDFs in
a zip beside it. The layout is docs/moving-in.md's; ``COLUMNS`` is the same in code.

Every row is read and checked before anything is written (``read``), each problem named by its
file, sheet, row and column; then the plan is written (``transfer.writing``). Each row's ID is
its identity: the same file twice changes nothing, and a row changed since updates its record.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from django.utils import timezone

from boards.models import AgendaItem, Board, Meeting, Membership, Paper, Person
from transfer import values
from transfer.importing import Importer, ImportStopped
from transfer.plan import (
    BodyRow,
    ItemRow,
    MeetingRow,
    MembershipRow,
    PaperRow,
    PersonRow,
    Plan,
    pdf_problem,
    prepare_pdf,
)

if TYPE_CHECKING:
    from transfer.running import ImportInput

# Limits on what is read: a workbook or CSV file of this many bytes (unpacked, for a workbook
# or a zip), rows in a sheet, and files in a zip.
MAX_BYTES = 100 * 1024 * 1024
MAX_ROWS = 100_000
MAX_FILES = 10_000


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    help: str = ""


# The kinds of record, in the order they are read and written, with their columns.
COLUMNS: dict[str, list[Column]] = {
    "people": [
        Column("id", True, "Its identity in your records: any text, unique in the sheet."),
        Column("kind", True, "councillor, officer, coopted or witness"),
        Column("title", help="Mr, Ms, Dr… (a councillor's is added by the app)"),
        Column("given_name", True),
        Column("family_name", True),
        Column("ward", help="Councillors only: the ward's name (made if it is new)"),
        Column("party", help="Councillors only: the party's name (made if it is new)"),
        Column("job_title"),
        Column("organisation"),
        Column("email"),
        Column("telephone"),
        Column("elected_on", help="Councillors only: a date"),
        Column("term_ends_on", help="Councillors only: a date"),
    ],
    "bodies": [
        Column("id", True),
        Column("name", True, "As the public knows it: Scrutiny Board (Strategy and Resources)"),
        Column(
            "kind",
            help="scrutiny, overview, executive, council, regulatory, working_group or other; "
            "empty: worked out from the name",
        ),
        Column("remit"),
        Column("set_up_on", help="A date"),
        Column("last_day", help="A date: a body dissolved after it"),
        Column("support_officer", help="A person's ID (people sheet)"),
    ],
    "memberships": [
        Column("id", True),
        Column("body", True, "A body's ID"),
        Column("person", True, "A person's ID"),
        Column(
            "role",
            help="chair, vice_chair, member, coopted_voting or coopted_non_voting; empty: member",
        ),
        Column("starts_on", True, "A date"),
        Column("ends_on", help="A date; empty while it lasts"),
    ],
    "meetings": [
        Column("id", True),
        Column("body", True, "A body's ID"),
        Column("date", True, "A date, with its time or without"),
        Column("time", help="When it started (needed unless the date gives it): 10:00, 2.30 pm"),
        Column("ends", help="When it ended: a time"),
        Column("venue", help="The venue's name (made if it is new)"),
        Column(
            "status",
            help="scheduled, agenda_published, held, cancelled or postponed; empty: held once "
            "it has taken place",
        ),
        Column("status_reason", help="Why it was cancelled or postponed (needed then)"),
        Column(
            "published_on",
            help="When its agenda was published: a date; “no” if it never was; empty: on its "
            "deadline, five clear working days before",
        ),
    ],
    "items": [
        Column("id", True),
        Column("meeting", True, "A meeting's ID"),
        Column("number", help="Its place on the agenda: 1, 2, 3…; empty: after the one above"),
        Column("published_number", help="Only if the agenda printed another: 5a"),
        Column("title", True),
        Column(
            "kind", help="report, minutes, apologies… (docs/moving-in.md); empty: from the title"
        ),
        Column("purpose", help="What the body was asked to do"),
        Column("exempt", help="yes or no"),
        Column("exempt_paragraph", help="Schedule 12A paragraph, 1 to 7 (needed if exempt)"),
        Column("wards", help="The wards it affects, separated by semicolons"),
    ],
    "papers": [
        Column("id", True),
        Column("item", True, "An item's ID"),
        Column("title", True),
        Column("file", True, "The PDF's name in the papers' zip"),
        Column("kind", help="report, appendix or background; empty: report, or appendix"),
        Column("appendix_to", help="The ID of the report it is an appendix to"),
        Column("exempt", help="yes or no"),
        Column("exempt_paragraph", help="Schedule 12A paragraph, 1 to 7 (needed if exempt)"),
    ],
}
# Other names a sheet or file may have.
_KIND_NAMES = {
    "person": "people",
    "body": "bodies",
    "committees": "bodies",
    "membership": "memberships",
    "meeting": "meetings",
    "item": "items",
    "agenda items": "items",
    "agenda_items": "items",
    "paper": "papers",
}
# The name each kind's rows go by where another row refers to one.
SINGULAR = {
    "people": "person",
    "bodies": "body",
    "memberships": "membership",
    "meetings": "meeting",
    "items": "item",
    "papers": "paper",
}


def source(given: ImportInput) -> str:
    """A spreadsheet's rows are the council's own records, whatever the file is called: its
    IDs are matched across every spreadsheet imported."""
    return "spreadsheet"


@dataclass
class Table:
    kind: str
    label: str  # "meetings (history.xlsx)"
    header: list[str]
    rows: list[tuple[int, list[Any]]]


def read(importer: Importer, given: ImportInput) -> Plan:
    """Every row of every sheet read and checked, the papers' PDFs too; nothing written."""
    if given.path is None:
        raise ImportStopped("Give a spreadsheet: an XLSX workbook, or CSV files.")
    tables = _tables(importer, given.path, given.label or given.path.name)
    papers = _Papers(importer, given)
    plan = Plan()
    readers = {
        "people": _person,
        "bodies": _body,
        "memberships": _membership,
        "meetings": _meeting,
        "items": _item,
        "papers": _paper,
    }
    with papers:
        for kind in COLUMNS:
            table = tables.get(kind)
            if table is None:
                continue
            header = _check_header(importer, table)
            seen: dict[str, int] = {}
            for done, (number, cells) in enumerate(table.rows, start=1):
                importer.progress(f"Reading {table.label}", done, len(table.rows))
                row = _Cells(importer, table, number, dict(zip(header, cells, strict=False)))
                row_id = row.text("id", required=True)
                if row_id and row_id in seen:
                    row.problem("id", f"Row {seen[row_id]} has the same ID: give each its own.")
                    continue
                if row_id:
                    seen[row_id] = number
                result = readers[kind](row, plan, papers) if row_id else None
                if result is None or not row.ok:
                    plan.failed.add((SINGULAR[kind], row_id))
    if not tables:
        raise ImportStopped(
            "No sheet or file of the spreadsheet is named as a kind of record: name them "
            "people, bodies, memberships, meetings, items and papers (docs/moving-in.md).",
            where=given.label,
        )
    return plan


# Opening the spreadsheet --------------------------------------------------------------------------


def _kind_of(name: str) -> str | None:
    key = " ".join(name.strip().lower().replace("-", " ").split())
    key = _KIND_NAMES.get(key, key)
    return key if key in COLUMNS else None


def _tables(importer: Importer, path: Path, label: str) -> dict[str, Table]:
    if path.is_dir():
        return _csv_tables(
            importer,
            ((file.name, file.read_bytes) for file in sorted(path.iterdir()) if file.is_file()),
            label,
        )
    if not path.exists():
        raise ImportStopped(f"There is no file or folder {path}.")
    if path.stat().st_size > MAX_BYTES:
        raise ImportStopped(
            f"{label} is larger than the {MAX_BYTES // 2**20} MB a spreadsheet may be."
        )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        kind = _kind_of(path.stem)
        if kind is None:
            raise ImportStopped(
                f"{label} does not say which kind of record it holds: name it people.csv, "
                "bodies.csv, memberships.csv, meetings.csv, items.csv or papers.csv."
            )
        return {kind: _csv_table(importer, kind, path.read_bytes(), label)}
    if not zipfile.is_zipfile(path):
        raise ImportStopped(
            f"{label} is neither a workbook (XLSX) nor a CSV file nor a zip of CSV files."
        )
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        _check_zip(members, label)
        names = {member.filename for member in members}
        if "[Content_Types].xml" in names:
            return _workbook(importer, path, label)
        return _csv_tables(
            importer,
            (
                (PurePosixPath(member.filename).name, lambda m=member: archive.read(m))
                for member in members
                if not member.is_dir()
            ),
            label,
        )


def _check_zip(members: list[zipfile.ZipInfo], label: str) -> None:
    if len(members) > MAX_FILES:
        raise ImportStopped(f"{label} holds more than {MAX_FILES:,} files.")
    if sum(member.file_size for member in members) > MAX_BYTES:
        raise ImportStopped(
            f"{label} unpacks to more than the {MAX_BYTES // 2**20} MB a spreadsheet may be."
        )


def _csv_tables(importer: Importer, files: Any, label: str) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for name, read_bytes in files:
        if not name.lower().endswith(".csv"):
            continue
        kind = _kind_of(name[:-4])
        if kind is None:
            importer.warn(
                f"{name} ({label})",
                "Left out: its name is not a kind of record (people, bodies, memberships, "
                "meetings, items or papers).",
            )
            continue
        tables[kind] = _csv_table(
            importer, kind, read_bytes(), f"{name} ({label})" if name != label else name
        )
    return tables


def _csv_table(importer: Importer, kind: str, content: bytes, label: str) -> Table:
    if len(content) > MAX_BYTES:
        raise ImportStopped(f"{label} is larger than {MAX_BYTES // 2**20} MB.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves CSV in Windows-1252 unless asked for UTF-8.
        text = content.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        header = next(reader, [])
        for number, cells in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS:
                raise ImportStopped(f"{label} has more than {MAX_ROWS:,} rows.")
            if any(cell.strip() for cell in cells):
                rows.append((number, list(cells)))
    except csv.Error as error:
        raise ImportStopped(f"{label} cannot be read as CSV: {error}.") from error
    return Table(kind=kind, label=label, header=header, rows=rows)


def _workbook(importer: Importer, path: Path, label: str) -> dict[str, Table]:
    # openpyxl reads the workbook's XML through defusedxml, which is installed.
    import openpyxl  # type: ignore[import-untyped]

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        # Damage of every kind; defusedxml refuses a workbook whose XML declares entities.
        raise ImportStopped(_unreadable(label, error)) from error
    try:
        return _sheets(importer, workbook, label)
    except ImportStopped:
        raise
    except Exception as error:
        # Sheets are read as they are iterated: damage (or entities, refused by defusedxml)
        # shows only then.
        raise ImportStopped(_unreadable(label, error)) from error
    finally:
        workbook.close()


def _unreadable(label: str, error: BaseException) -> str:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return (
                f"{label} was refused: its XML declares entities or refers to other documents "
                f"({type(cause).__name__}), which a workbook never needs."
            )
        cause = cause.__cause__ or cause.__context__
    return f"{label} cannot be read as a workbook (XLSX): {error}."


def _sheets(importer: Importer, workbook: Any, label: str) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for sheet in workbook.worksheets:
        kind = _kind_of(sheet.title)
        sheet_label = f"{sheet.title} ({label})"
        if kind is None:
            importer.warn(
                sheet_label,
                "Left out: the sheet's name is not a kind of record (people, bodies, "
                "memberships, meetings, items or papers).",
            )
            continue
        rows: list[tuple[int, list[Any]]] = []
        header: list[str] = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number == 1:
                header = ["" if cell is None else str(cell) for cell in cells]
                continue
            if number > MAX_ROWS + 1:
                raise ImportStopped(f"{sheet_label} has more than {MAX_ROWS:,} rows.")
            values_ = list(cells)
            if any(cell not in (None, "") for cell in values_):
                rows.append((number, values_))
        tables[kind] = Table(kind=kind, label=sheet_label, header=header, rows=rows)
    return tables


def _check_header(importer: Importer, table: Table) -> list[str]:
    """The header's columns as named in ``COLUMNS`` (any case, spaces for underscores); the
    required ones must be there, and an unknown one is said (it may be misspelt)."""
    names = [" ".join(str(name).strip().lower().split()).replace(" ", "_") for name in table.header]
    known = {column.name for column in COLUMNS[table.kind]}
    for name in names:
        if name and name not in known:
            importer.warn(
                f"{table.label}, row 1",
                f"The column “{name}” is not one of this sheet's, and was left out: "
                f"{', '.join(column.name for column in COLUMNS[table.kind])}.",
                field=name,
            )
    missing = [c.name for c in COLUMNS[table.kind] if c.required and c.name not in names]
    for name in missing:
        importer.problem(f"{table.label}, row 1", f"The column “{name}” is needed.", field=name)
    if missing:
        table.rows = []
    return names


# Reading a row ------------------------------------------------------------------------------------


class _Cells:
    """One row's cells, read by column; each problem is the row's, named by its column."""

    def __init__(
        self, importer: Importer, table: Table, number: int, cells: dict[str, Any]
    ) -> None:
        self.importer = importer
        self.where = f"{table.label}, row {number}"
        self.cells = cells
        self.ok = True

    def problem(self, column: str, message: str) -> None:
        self.ok = False
        self.importer.problem(self.where, message, field=column)

    def raw(self, column: str) -> Any:
        value = self.cells.get(column)
        if isinstance(value, str):
            return value.strip()
        return value

    def given(self, column: str) -> bool:
        return self.raw(column) not in (None, "")

    def text(self, column: str, *, required: bool = False, max_length: int = 0) -> str:
        value = self.raw(column)
        if value in (None, ""):
            if required:
                self.problem(column, f"Give the {column.replace('_', ' ')}.")
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # an ID typed as a number: 7, not 7.0
        text = " ".join(str(value).split()) if column not in {"purpose", "remit"} else str(value)
        if max_length and len(text) > max_length:
            self.problem(column, f"Keep it to {max_length} characters (it has {len(text)}).")
        return text

    def date(self, column: str, *, required: bool = False) -> datetime.date | None:
        if not self.given(column):
            if required:
                self.problem(column, f"Give the date: {values.DATE_HINT}.")
            return None
        try:
            return values.parse_date(self.raw(column))
        except ValueError as error:
            self.problem(column, f"{error}.")
            return None

    def time(self, column: str) -> datetime.time | None:
        if not self.given(column):
            return None
        try:
            return values.parse_time(self.raw(column))
        except ValueError as error:
            self.problem(column, f"{error}.")
            return None

    def boolean(self, column: str) -> bool:
        try:
            return values.parse_bool(self.raw(column))
        except ValueError as error:
            self.problem(column, f"{error}: write yes or no.")
            return False

    def choice(self, column: str, choices: list[tuple[str, str]], *, what: str) -> str:
        if not self.given(column):
            return ""
        try:
            return values.parse_choice(self.raw(column), choices, what=what)
        except ValueError as error:
            self.problem(column, f"{error}.")
            return ""

    def number(self, column: str, *, low: int, high: int) -> int | None:
        if not self.given(column):
            return None
        value = self.raw(column)
        try:
            number = int(float(value)) if not isinstance(value, int) else value
            if float(value) != number:
                raise ValueError
        except (TypeError, ValueError):
            self.problem(column, f"“{value}” is not a whole number.")
            return None
        if not low <= number <= high:
            self.problem(column, f"Give a number from {low} to {high}.")
            return None
        return number

    def exemption(self) -> tuple[bool, int | None]:
        exempt = self.boolean("exempt") if self.given("exempt") else False
        paragraph = self.number("exempt_paragraph", low=1, high=7)
        if exempt and paragraph is None and not self.given("exempt_paragraph"):
            self.problem(
                "exempt_paragraph",
                "Give the paragraph of Schedule 12A (1 to 7) that makes it exempt.",
            )
        if paragraph is not None and not exempt:
            self.problem("exempt", "Say yes here if it is exempt under that paragraph.")
        return exempt, paragraph if exempt else None


def _person(row: _Cells, plan: Plan, papers: _Papers) -> PersonRow | None:
    kind = row.choice("kind", Person.Kind.choices, what="kind of person")
    if not row.given("kind"):
        row.problem("kind", "Give the kind: councillor, officer, coopted or witness.")
    ward, party = row.text("ward", max_length=100), row.text("party", max_length=100)
    elected_on, term_ends_on = row.date("elected_on"), row.date("term_ends_on")
    if kind and kind != Person.Kind.COUNCILLOR:
        for column, given in (("ward", ward), ("party", party)):
            if given:
                row.problem(column, "Only a councillor has a ward and a party.")
        if elected_on or term_ends_on:
            row.problem("elected_on", "Only a councillor has a term of office.")
    person = PersonRow(
        id=row.text("id"),
        where=row.where,
        kind=kind,
        title=row.text("title", max_length=20),
        given_name=row.text("given_name", required=True, max_length=100),
        family_name=row.text("family_name", required=True, max_length=100),
        ward=ward,
        party=party,
        job_title=row.text("job_title", max_length=200),
        organisation=row.text("organisation", max_length=200),
        email=row.text("email", max_length=254),
        telephone=row.text("telephone", max_length=40),
        elected_on=elected_on,
        term_ends_on=term_ends_on,
    )
    if row.ok:
        plan.people.append(person)
    return person


def _body(row: _Cells, plan: Plan, papers: _Papers) -> BodyRow | None:
    name = row.text("name", required=True, max_length=200)
    kind = row.choice("kind", Board.Kind.choices, what="kind of body")
    body = BodyRow(
        id=row.text("id"),
        where=row.where,
        name=name,
        kind=kind or values.guess_board_kind(name),
        kind_is_guess=not kind,
        remit=row.text("remit"),
        starts_on=row.date("set_up_on"),
        ends_on=row.date("last_day"),
        support_officer=row.text("support_officer"),
    )
    if body.starts_on and body.ends_on and body.ends_on < body.starts_on:
        row.problem("last_day", "The last day comes before the body was set up.")
    if row.ok:
        plan.bodies.append(body)
    return body


def _membership(row: _Cells, plan: Plan, papers: _Papers) -> MembershipRow | None:
    starts_on, ends_on = row.date("starts_on", required=True), row.date("ends_on")
    membership = MembershipRow(
        id=row.text("id"),
        where=row.where,
        body=row.text("body", required=True),
        person=row.text("person", required=True),
        role=row.choice("role", Membership.Role.choices, what="role") or Membership.Role.MEMBER,
        starts_on=starts_on or datetime.date.min,
        ends_on=ends_on,
    )
    if starts_on and ends_on and ends_on < starts_on:
        row.problem("ends_on", "It ends before it starts.")
    if row.ok:
        plan.memberships.append(membership)
    return membership


def _meeting(row: _Cells, plan: Plan, papers: _Papers) -> MeetingRow | None:
    day, time = None, None
    if not row.given("date"):
        row.problem("date", f"Give the date: {values.DATE_HINT}.")
    else:
        try:
            day, time = values.parse_datetime_parts(row.raw("date"))
        except ValueError as error:
            row.problem("date", f"{error}.")
    if row.given("time"):
        time = row.time("time")
    elif day is not None and time is None:
        row.problem("time", "Give the time the meeting started, such as 10:00 or 2.30 pm.")
    ends = row.time("ends")
    status = row.choice("status", Meeting.Status.choices, what="status")
    reason = row.text("status_reason")
    if status in (Meeting.Status.CANCELLED, Meeting.Status.POSTPONED) and not reason:
        row.problem("status_reason", f"Say why the meeting was {status}.")
    published, published_on = True, None
    if row.given("published_on"):
        raw = row.raw("published_on")
        if isinstance(raw, str) and raw.lower() in {"no", "not published", "never", "n"}:
            published = False
        else:
            published_on = row.date("published_on")
    if day is None or time is None:
        return None
    starts_at = timezone.make_aware(datetime.datetime.combine(day, time))
    ends_at = None
    if ends is not None:
        ends_at = timezone.make_aware(datetime.datetime.combine(day, ends))
        if ends_at <= starts_at:
            row.problem("ends", "It ends before it starts.")
    meeting = MeetingRow(
        id=row.text("id"),
        where=row.where,
        body=row.text("body", required=True),
        starts_at=starts_at,
        ends_at=ends_at,
        venue=row.text("venue", max_length=200),
        status=status,
        status_reason=reason,
        published=published,
        published_on=published_on,
    )
    if published_on is not None and published_on > day:
        row.problem("published_on", "The agenda cannot have been published after the meeting.")
    if row.ok:
        plan.meetings.append(meeting)
    return meeting


def _item(row: _Cells, plan: Plan, papers: _Papers) -> ItemRow | None:
    title = row.text("title", required=True, max_length=300)
    kind = row.choice("kind", AgendaItem.Kind.choices, what="kind of item")
    exempt, paragraph = row.exemption()
    published_number = row.text("published_number", max_length=10)
    item = ItemRow(
        id=row.text("id"),
        where=row.where,
        meeting=row.text("meeting", required=True),
        title=title,
        kind=kind or values.guess_item_kind(title),
        number=row.number("number", low=1, high=999),
        published_number=published_number,
        purpose=row.text("purpose"),
        exempt=exempt,
        exempt_paragraph=paragraph,
        wards=[ward.strip() for ward in row.text("wards").split(";") if ward.strip()],
    )
    if row.ok:
        plan.items.append(item)
    return item


def _paper(row: _Cells, plan: Plan, papers: _Papers) -> PaperRow | None:
    parent = row.text("appendix_to")
    kind = row.choice("kind", Paper.Kind.choices, what="kind of paper") or (
        Paper.Kind.APPENDIX if parent else Paper.Kind.REPORT
    )
    exempt, paragraph = row.exemption()
    name = row.text("file", required=True)
    title = row.text("title", required=True, max_length=300)
    item = row.text("item", required=True)
    if not row.ok or not name:
        return None
    pdf = papers.prepare(row, name)
    if pdf is None:
        return None
    paper = PaperRow(
        id=row.text("id"),
        where=row.where,
        item=item,
        title=title,
        kind=kind,
        pdf=pdf,
        parent=parent,
        exempt=exempt,
        exempt_paragraph=paragraph,
    )
    if row.ok:
        plan.papers.append(paper)
    return paper


# The papers' PDFs -------------------------------------------------------------------------------


class _Papers:
    """The papers' files: in the zip given beside the spreadsheet, or in the spreadsheet's own
    folder. Each is checked as an upload is, once."""

    def __init__(self, importer: Importer, given: ImportInput) -> None:
        self.importer = importer
        self.given = given
        self.archive: zipfile.ZipFile | None = None
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.folder = given.path if given.path is not None and given.path.is_dir() else None
        self.prepared: dict[str, Any] = {}

    def __enter__(self) -> _Papers:
        papers = self.given.papers
        if papers is None:
            return self
        label = self.given.options.get("papers_filename") or papers.name
        if not zipfile.is_zipfile(papers):
            raise ImportStopped(f"{label} is not a zip file: give the papers as a zip.")
        self.archive = zipfile.ZipFile(papers)
        members = self.archive.infolist()
        if len(members) > MAX_FILES:
            raise ImportStopped(f"{label} holds more than {MAX_FILES:,} files.")
        self.label = label
        for member in members:
            if not member.is_dir():
                self.members[member.filename.lower()] = member
        return self

    def __exit__(self, *exc: object) -> None:
        if self.archive is not None:
            self.archive.close()

    def _content(self, row: _Cells, name: str) -> bytes | None:
        from django.conf import settings

        limit = settings.PAPER_UPLOAD_MAX_BYTES
        key = name.strip().replace("\\", "/").lower()
        if self.archive is not None:
            member = self.members.get(key)
            if member is None:
                by_name = [m for path, m in self.members.items() if PurePosixPath(path).name == key]
                member = by_name[0] if len(by_name) == 1 else None
            if member is None:
                row.problem("file", f"There is no file “{name}” in {self.label}.")
                return None
            if member.file_size > limit:
                row.problem(
                    "file", f"“{name}” must be smaller than {limit // 2**20} MB to be a paper."
                )
                return None
            with self.archive.open(member) as content:
                return content.read(limit + 1)
        if self.folder is not None:
            path = (self.folder / name).resolve()
            if self.folder.resolve() not in path.parents or not path.is_file():
                row.problem("file", f"There is no file “{name}” beside the spreadsheet.")
                return None
            if path.stat().st_size > limit:
                row.problem(
                    "file", f"“{name}” must be smaller than {limit // 2**20} MB to be a paper."
                )
                return None
            return path.read_bytes()
        row.problem("file", "Give the papers' zip beside the spreadsheet (--papers).")
        return None

    def prepare(self, row: _Cells, name: str) -> Any:
        key = name.strip().lower()
        if key in self.prepared:
            return self.prepared[key]
        self.importer.progress(f"Checking the paper {name}")
        content = self._content(row, name)
        if content is None:
            return None
        try:
            pdf = prepare_pdf(content, name=name, workdir=self.given.workdir)
        except ValidationError as error:
            row.problem("file", f"“{name}”: {pdf_problem(error)}")
            return None
        self.prepared[key] = pdf
        return pdf
