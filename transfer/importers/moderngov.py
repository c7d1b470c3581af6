"""Import from a ModernGov site's public web service (``mgWebService.asmx``), which most
English councils publish: its committees (``GetCommittees``), councillors by ward
(``GetCouncillorsByWard``), each committee's meetings (``GetMeetings``) and each meeting with
its agenda items, attendees and linked documents (``GetMeeting``).

Two ways in:

- **The site's address** (``https://democracy.example.gov.uk``), where this server can reach it:
  each method is asked over HTTP(S), with a timeout and a size limit on every answer, at most
  ``max_meetings`` meetings and ``max_documents`` documents, documents only from the site
  itself. Meetings from six years ago (the time papers must stay open to inspection) to a year
  ahead, unless told otherwise.
- **Saved responses**: a folder or zip of the XML each method answered, named as you like (each
  is known by its root element), with the documents beside them named by their attachment ID
  (``60860.pdf``), if you have them.

Every XML document is read with defusedxml: one that declares entities (the "billion laughs")
or fetches others is refused. Documents are checked as uploads are (``boards.uploads``); one
that is not a usable PDF, is restricted, or could not be fetched is left out with a warning
naming it, so that someone can attach it by hand: a live site's documents cannot be corrected
and run again as a spreadsheet's rows can.

ModernGov publishes no memberships with dates: they are read from who is listed at each
meeting, in what role (first and last meeting listed; still open if listed at the committee's
latest meeting read). Attendance is recorded for meetings that have taken place.
"""

from __future__ import annotations

import datetime
import functools
import re
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeXML  # type: ignore[import-untyped]
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from boards import dates
from boards.models import Meeting, Membership, Paper, Person
from minutes.models import Attendance
from transfer import values
from transfer.importing import Importer, ImportStopped
from transfer.plan import (
    AttendanceRow,
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

SERVICE = "mgWebService.asmx"
TIMEOUT_SECONDS = 30
MAX_RESPONSE_BYTES = 20 * 1024 * 1024
MAX_MEETINGS = 2000
MAX_DOCUMENTS = 5000
MAX_FILES = 20_000
YEARS_BACK = 6  # papers stay open to inspection for six years (LGA 1972 s100C)
DATE = "%d/%m/%Y"  # as ModernGov writes and reads dates


# The responses, read ---------------------------------------------------------------------------


@dataclass
class Committee:
    id: str
    title: str
    deleted: bool
    expired: bool


@dataclass
class Councillor:
    id: str
    name: str
    ward: str
    party: str
    email: str
    elected_on: datetime.date | None
    term_ends_on: datetime.date | None


@dataclass
class Document:
    id: str
    title: str
    url: str
    restricted: bool
    restriction: str
    published_on: datetime.date | None


@dataclass
class Item:
    id: str
    order: int
    shown_number: str
    title: str
    text: str
    restricted: bool
    shown: bool
    documents: list[Document]


@dataclass
class Attendee:
    member_id: str
    name: str
    role: str
    attendance: str
    party: str
    ward: str


@dataclass
class MeetingRead:
    id: str
    committee: str
    day: datetime.date
    time: datetime.time | None
    finished: datetime.time | None
    status: str
    location: str
    agenda_published: bool
    items: list[Item] = field(default_factory=list)
    attendees: list[Attendee] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _descendants(element: Element, name: str) -> Iterator[Element]:
    for found in element.iter():
        if _local(found.tag) == name:
            yield found


def _text(element: Element | None, name: str) -> str:
    child = _child(element, name) if element is not None else None
    return " ".join((child.text or "").split()) if child is not None else ""


def _raw_text(element: Element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "").strip() if child is not None else ""


def _true(text: str) -> bool:
    return text.strip().lower() == "true"


def _day(text: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(text.strip().split(" ")[0], DATE).date()
    except ValueError:
        return None


def _time(text: str) -> datetime.time | None:
    try:
        return values.parse_time(text) if text.strip() else None
    except ValueError:
        return None


def parse(content: bytes, *, name: str) -> Element:
    """A response read safely: entities and external references are refused."""
    try:
        root = SafeXML.fromstring(content)
    except DefusedXmlException as error:
        raise ImportStopped(
            f"{name} was refused: its XML declares entities or refers to other documents "
            f"({type(error).__name__}), which a ModernGov response never does.",
            where=name,
        ) from error
    except SafeXML.ParseError as error:
        raise ImportStopped(f"{name} is not XML that can be read: {error}.", where=name) from error
    # A SOAP answer holds the response inside its body: use the response itself.
    for element in root.iter():
        if _local(element.tag) in KINDS:
            return element
    return root


KINDS = {"committees", "councillorsbyward", "getmeetings", "meeting"}


def committees_of(root: Element) -> list[Committee]:
    return [
        Committee(
            id=_text(element, "committeeid"),
            title=_text(element, "committeetitle"),
            deleted=_true(_text(element, "committeedeleted")),
            expired=_true(_text(element, "committeeexpired")),
        )
        for element in _descendants(root, "committee")
        if _text(element, "committeeid")
    ]


def councillors_of(root: Element) -> list[Councillor]:
    found = []
    for ward in _descendants(root, "ward"):
        ward_title = _text(ward, "wardtitle")
        for element in _descendants(ward, "councillor"):
            terms = [
                (_day(_text(term, "startdate")), _day(_text(term, "enddate")))
                for term in _descendants(element, "termofoffice")
            ]
            elected_on, term_ends_on = terms[-1] if terms else (None, None)
            if elected_on and term_ends_on and term_ends_on <= elected_on:
                term_ends_on = None
            found.append(
                Councillor(
                    id=_text(element, "councillorid"),
                    name=_text(element, "fullusername"),
                    ward=ward_title,
                    party=_text(element, "politicalpartytitle"),
                    # The work address only: a councillor's home is not the council's to copy.
                    email=_text(_child(element, "workaddress"), "email"),
                    elected_on=elected_on,
                    term_ends_on=term_ends_on,
                )
            )
    return [councillor for councillor in found if councillor.id and councillor.name]


def meeting_stubs_of(root: Element) -> list[tuple[str, str, datetime.date | None]]:
    """(meeting id, committee id, date) of each meeting a ``GetMeetings`` answer lists."""
    stubs = []
    for committee in _descendants(root, "committee"):
        committee_id = _text(committee, "committeeid")
        for meeting in _descendants(committee, "meeting"):
            if meeting_id := _text(meeting, "meetingid"):
                stubs.append((meeting_id, committee_id, _day(_text(meeting, "meetingdate"))))
    return stubs


def meeting_of(root: Element, committee: str) -> MeetingRead | None:
    day = _day(_text(root, "meetingdate"))
    if day is None:
        return None
    meeting = MeetingRead(
        id=_text(root, "meetingid"),
        committee=committee,
        day=day,
        time=_time(_text(root, "meetingtime")),
        finished=_time(_text(root, "meetingactualfinishtime")),
        status=_text(root, "meetingstatus"),
        location=_text(root, "meetinglocation"),
        agenda_published=_true(_text(root, "agendapublished")),
    )
    items = _child(root, "agendaitems")
    for index, element in enumerate(_children(items, "agendaitem") if items is not None else []):
        documents = _child(element, "linkeddocuments")
        try:
            order = int(_text(element, "agendaitemnumber"))
        except ValueError:
            order = index
        meeting.items.append(
            Item(
                id=_text(element, "agendaitemid"),
                order=order,
                shown_number=_text(element, "fulldisplaynumberformat"),
                title=_text(element, "agendaitemtitle"),
                text=_raw_text(element, "agendatext"),
                restricted=_true(_text(element, "isrestricted")),
                shown=_text(element, "isdisplayallowed").lower() != "false",
                documents=[
                    Document(
                        id=_text(doc, "attachmentid"),
                        title=_text(doc, "title"),
                        url=_text(doc, "url"),
                        restricted=_true(_text(doc, "isrestricted")),
                        restriction=_text(doc, "restrictionsref"),
                        published_on=_day(_text(doc, "publicationdate")),
                    )
                    for doc in (_children(documents, "linkeddoc") if documents is not None else [])
                    if _text(doc, "attachmentid")
                ],
            )
        )
    attendees = _child(root, "attendees")
    for element in _children(attendees, "attendee") if attendees is not None else []:
        if member_id := (element.get("memberid") or "").strip():
            meeting.attendees.append(
                Attendee(
                    member_id=member_id,
                    name=" ".join((element.get("name") or "").split()),
                    role=(element.get("roledescription") or "").strip(),
                    attendance=(element.get("attendance") or "").strip(),
                    party=(element.get("politicalparty") or "").strip(),
                    ward=(element.get("ward") or "").strip(),
                )
            )
    return meeting


# Where the responses come from -------------------------------------------------------------------


def site_base(address: str) -> str:
    """The site's own address from whatever was given: the home page, a page of it, the web
    service or its description (``…/mgWebService.asmx?WSDL``). Only http(s)."""
    parts = urllib.parse.urlsplit(address.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImportStopped(
            f"“{address}” is not a web address: give the site's, such as "
            "https://democracy.example.gov.uk."
        )
    path = parts.path
    lowered = path.lower()
    if SERVICE.lower() in lowered:
        path = path[: lowered.index(SERVICE.lower())]
    elif lowered.endswith((".aspx", ".asmx", ".htm", ".html")):
        path = path.rsplit("/", 1)[0]
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), "", ""))


class _OnlyThisSite(urllib.request.HTTPRedirectHandler):
    """Redirects are followed only to http(s) addresses of the same host."""

    def __init__(self, host: str) -> None:
        self.host = host

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str):
        parts = urllib.parse.urlsplit(newurl)
        if parts.scheme not in ("http", "https") or parts.hostname != self.host:
            raise urllib.error.HTTPError(
                newurl, code, f"redirected away from the site, to {newurl}", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Site:
    """A ModernGov site over the network: each answer within a timeout and a size limit."""

    def __init__(self, base: str, *, timeout: float = TIMEOUT_SECONDS) -> None:
        self.base = base
        self.host = urllib.parse.urlsplit(base).hostname or ""
        self.timeout = timeout
        # No handler for file:, ftp: or data: addresses: only http(s) is ever opened.
        self.opener = urllib.request.OpenerDirector()
        for handler in (
            urllib.request.HTTPHandler(),
            urllib.request.HTTPSHandler(),
            _OnlyThisSite(self.host),
            urllib.request.HTTPDefaultErrorHandler(),
            urllib.request.HTTPErrorProcessor(),
        ):
            self.opener.add_handler(handler)

    def is_own(self, url: str) -> bool:
        parts = urllib.parse.urlsplit(url)
        return parts.scheme in ("http", "https") and parts.hostname == self.host

    def get(self, url: str, *, max_bytes: int) -> bytes:
        """The body at ``url``, or ImportStopped saying why not."""
        request = urllib.request.Request(  # noqa: S310 - only http(s): see the opener
            url, headers={"User-Agent": "Scrutiny (moving a council's records in)"}
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > max_bytes:
                    raise ImportStopped(f"{url} is larger than {max_bytes // 2**20} MB.")
                body = response.read(max_bytes + 1)
        except urllib.error.HTTPError as error:
            raise ImportStopped(f"{url} answered {error.code} ({error.reason}).") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise ImportStopped(f"{url} could not be reached: {reason}.") from error
        if len(body) > max_bytes:
            raise ImportStopped(f"{url} is larger than {max_bytes // 2**20} MB.")
        return body

    def call(self, method: str, **parameters: str) -> Element:
        query = urllib.parse.urlencode(parameters)
        url = f"{self.base}/{SERVICE}/{method}" + (f"?{query}" if query else "")
        return parse(self.get(url, max_bytes=MAX_RESPONSE_BYTES), name=f"{method} ({url})")


class SavedFiles:
    """Saved responses: a folder or zip of XML files, documents beside them by attachment ID."""

    def __init__(self, path: Path, label: str) -> None:
        self.label = label
        self.responses: dict[str, list[tuple[str, Element]]] = defaultdict(list)
        self.documents: dict[str, Callable[[], bytes]] = {}
        self._archive: zipfile.ZipFile | None = None
        self._path = path

    def __enter__(self) -> SavedFiles:
        files: list[tuple[str, int, Callable[[], bytes]]] = []
        path = self._path
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.is_file():
                    files.append(
                        (str(file.relative_to(path)), file.stat().st_size, file.read_bytes)
                    )
        elif zipfile.is_zipfile(path):
            self._archive = zipfile.ZipFile(path)
            archive = self._archive
            for member in archive.infolist():
                if not member.is_dir():
                    files.append(
                        (member.filename, member.file_size, functools.partial(archive.read, member))
                    )
        elif path.is_file():
            files.append((path.name, path.stat().st_size, path.read_bytes))
        else:
            raise ImportStopped(f"There is no file or folder {path}.")
        if len(files) > MAX_FILES:
            raise ImportStopped(f"{self.label} holds more than {MAX_FILES:,} files.")
        for name, size, read in files:
            suffix = PurePosixPath(name).suffix.lower()
            if suffix == ".xml":
                if size > MAX_RESPONSE_BYTES:
                    raise ImportStopped(f"{name} is larger than {MAX_RESPONSE_BYTES // 2**20} MB.")
                root = parse(read(), name=name)
                self.responses[_local(root.tag)].append((name, root))
            elif suffix == ".pdf":
                self.documents[PurePosixPath(name).stem] = read
        if not self.responses:
            raise ImportStopped(
                f"{self.label} holds no ModernGov responses: save GetCommittees, "
                "GetCouncillorsByWard, GetMeetings and GetMeeting as XML files."
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._archive is not None:
            self._archive.close()

    def site(self) -> str:
        """The site the responses were saved from, read from the addresses of its own pages
        inside them (``…/mgUserInfo.aspx?UID=192``, ``…/mgConvert2PDF.aspx?ID=60860``)."""
        for roots in self.responses.values():
            for _name, root in roots:
                for element in root.iter():
                    if match := _SITE_PAGE.match((element.text or "").strip()):
                        return site_base(match.group(1))
        return ""


_SITE_PAGE = re.compile(r"^(https?://[^?#\s]+?)/(?:mg|ie)\w+\.aspx", re.IGNORECASE)


# Reading the site into a plan ---------------------------------------------------------------------


def source(given: ImportInput) -> str:
    """Records are known by their IDs on the site they came from."""
    if given.address:
        return f"moderngov:{site_base(given.address)}"
    if site := given.options.get("site"):
        return f"moderngov:{site_base(site)}"
    return f"moderngov:{given.label}"


def read(importer: Importer, given: ImportInput) -> Plan:
    options = given.options
    today = timezone.localdate()
    since = _option_date(options.get("since")) or dates.add_months(today, -12 * YEARS_BACK)
    until = _option_date(options.get("until")) or dates.add_months(today, 12)
    wanted = {str(c) for c in options.get("committees") or []}
    max_meetings = int(options.get("max_meetings") or MAX_MEETINGS)
    max_documents = int(options.get("max_documents") or MAX_DOCUMENTS)
    fetch_documents = options.get("documents", True)
    if given.address:
        site = Site(site_base(given.address))
        reader: _Reader = _FromSite(importer, site, since, until, wanted, max_meetings)
        return _Planner(importer, reader, max_documents, fetch_documents, given.workdir).plan()
    if given.path is None:
        raise ImportStopped("Give the site's address, or a folder or zip of saved responses.")
    with SavedFiles(given.path, given.label) as files:
        if not options.get("site") and (found := files.site()):
            importer.source = f"moderngov:{found}"
        reader = _FromFiles(importer, files, since, until, wanted, max_meetings)
        return _Planner(importer, reader, max_documents, fetch_documents, given.workdir).plan()


def _option_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class _Reader:
    """Where the responses come from: the same questions, asked of the site or of the files."""

    def __init__(
        self,
        importer: Importer,
        since: datetime.date,
        until: datetime.date,
        wanted: set[str],
        max_meetings: int,
    ) -> None:
        self.importer = importer
        self.since, self.until = since, until
        self.wanted = wanted
        self.max_meetings = max_meetings

    def committees(self) -> list[Committee]:
        raise NotImplementedError

    def councillors(self) -> list[Councillor]:
        raise NotImplementedError

    def meetings(self, committees: list[Committee]) -> list[MeetingRead]:
        raise NotImplementedError

    def document(self, document: Document) -> bytes | None:
        raise NotImplementedError

    def _in_range(
        self, stubs: list[tuple[str, str, datetime.date | None]]
    ) -> list[tuple[str, str, datetime.date | None]]:
        """The meetings in the dates asked for, oldest first, at most ``max_meetings``."""
        chosen = sorted(
            (stub for stub in stubs if stub[2] is None or self.since <= stub[2] <= self.until),
            key=lambda stub: (stub[2] or datetime.date.min, stub[0]),
        )
        if len(chosen) > self.max_meetings:
            left = chosen[self.max_meetings :]
            self.importer.warn(
                "Meetings",
                f"Only the first {self.max_meetings:,} meetings were read; {len(left):,} more "
                f"(from {left[0][2] or 'an unknown date'}) were left for another run: give a "
                "later --since, or a higher --max-meetings.",
            )
            chosen = chosen[: self.max_meetings]
        return chosen


class _FromSite(_Reader):
    def __init__(self, importer: Importer, site: Site, *args: Any) -> None:
        super().__init__(importer, *args)
        self.site = site

    def committees(self) -> list[Committee]:
        self.importer.progress("Reading the committees")
        return committees_of(self.site.call("GetCommittees"))

    def councillors(self) -> list[Councillor]:
        self.importer.progress("Reading the councillors")
        return councillors_of(self.site.call("GetCouncillorsByWard"))

    def meetings(self, committees: list[Committee]) -> list[MeetingRead]:
        stubs = []
        for done, committee in enumerate(committees, start=1):
            self.importer.progress("Reading each committee's meetings", done, len(committees))
            answer = self.site.call(
                "GetMeetings",
                lCommitteeId=committee.id,
                sFromDate=self.since.strftime(DATE),
                sToDate=self.until.strftime(DATE),
            )
            stubs += [(m, committee.id, day) for m, _c, day in meeting_stubs_of(answer)]
        chosen = self._in_range(stubs)
        meetings = []
        for done, (meeting_id, committee_id, _when) in enumerate(chosen, start=1):
            self.importer.progress("Reading the meetings", done, len(chosen))
            try:
                answer = self.site.call("GetMeeting", lMeetingId=meeting_id)
            except ImportStopped as stop:
                self.importer.warn(f"Meeting {meeting_id}", f"Left out: {stop.message}")
                continue
            if (meeting := meeting_of(answer, committee_id)) is not None:
                meetings.append(meeting)
        return meetings

    def document(self, document: Document) -> bytes | None:
        if not self.site.is_own(document.url):
            self.importer.warn(
                _document_where(document),
                f"Left out: it is not on the site itself ({document.url}).",
            )
            return None
        try:
            return self.site.get(document.url, max_bytes=settings.PAPER_UPLOAD_MAX_BYTES)
        except ImportStopped as stop:
            self.importer.warn(_document_where(document), f"Left out: {stop.message}")
            return None


class _FromFiles(_Reader):
    def __init__(self, importer: Importer, files: SavedFiles, *args: Any) -> None:
        super().__init__(importer, *args)
        self.files = files

    def committees(self) -> list[Committee]:
        return [c for _n, root in self.files.responses["committees"] for c in committees_of(root)]

    def councillors(self) -> list[Councillor]:
        return [
            c
            for _n, root in self.files.responses["councillorsbyward"]
            for c in councillors_of(root)
        ]

    def meetings(self, committees: list[Committee]) -> list[MeetingRead]:
        committee_of: dict[str, str] = {}
        for _name, root in self.files.responses["getmeetings"]:
            for meeting_id, committee_id, _when in meeting_stubs_of(root):
                committee_of[meeting_id] = committee_id
        details = {}
        for name, root in self.files.responses["meeting"]:
            meeting_id = _text(root, "meetingid")
            if meeting_id not in committee_of:
                self.importer.problem(
                    name,
                    f"Which committee's is meeting {meeting_id}? Save that committee's "
                    "GetMeetings answer beside it.",
                )
                continue
            details[meeting_id] = root
        stubs = [
            (meeting_id, committee_of[meeting_id], _day(_text(root, "meetingdate")))
            for meeting_id, root in details.items()
        ]
        meetings = []
        for meeting_id, committee_id, _when in self._in_range(stubs):
            if (meeting := meeting_of(details[meeting_id], committee_id)) is not None:
                meetings.append(meeting)
        return meetings

    def document(self, document: Document) -> bytes | None:
        read = self.files.documents.get(document.id)
        if read is None:
            return None
        content = read()
        if len(content) > settings.PAPER_UPLOAD_MAX_BYTES:
            self.importer.warn(
                _document_where(document),
                f"Left out: larger than {settings.PAPER_UPLOAD_MAX_BYTES // 2**20} MB.",
            )
            return None
        return content


def _document_where(document: Document) -> str:
    return f"Document {document.id} “{document.title}”"


_MEMBER_ROLES = [
    (("vice", "chair"), Membership.Role.VICE_CHAIR),
    (("deputy", "chair"), Membership.Role.VICE_CHAIR),
    (("chair",), Membership.Role.CHAIR),
    (("non-voting",), Membership.Role.COOPTED_NON_VOTING),
    (("co-opt",), Membership.Role.COOPTED_VOTING),
    (("member",), Membership.Role.MEMBER),
]


def membership_role(role: str) -> str | None:
    """The seat a role at a meeting says the person holds on the committee, if any (a
    substitute, an officer or someone attending holds none)."""
    lowered = role.lower().replace("coopt", "co-opt")
    if any(word in lowered for word in ("substitute", "reserve", "officer", "observer", "guest")):
        return None
    for words, seat in _MEMBER_ROLES:
        if all(word in lowered for word in words):
            return seat
    return None


def attendance_status(attendance: str) -> str:
    lowered = attendance.lower()
    if "apolog" in lowered:
        return Attendance.Status.APOLOGIES
    if "absent" in lowered:
        return Attendance.Status.ABSENT
    if "present" in lowered or "in attendance" in lowered or "attended" in lowered:
        return Attendance.Status.PRESENT
    return Attendance.Status.NOT_RECORDED  # "Expected": nobody recorded otherwise


_SHOWN_NUMBER = re.compile(r"^[0-9]{1,4}[A-Za-z]{0,2}$|^[A-Za-z]{1,2}[0-9]{0,3}$")


class _Planner:
    """The answers made into a plan of rows (``transfer.plan``)."""

    def __init__(
        self,
        importer: Importer,
        reader: _Reader,
        max_documents: int,
        fetch_documents: bool,
        workdir: Path,
    ) -> None:
        self.importer = importer
        self.reader = reader
        self.max_documents = max_documents
        self.fetch_documents = fetch_documents
        self.workdir = workdir
        self.result = Plan()
        self.now = timezone.now()
        self.papers_planned: set[str] = set()

    def plan(self) -> Plan:
        committees = [c for c in self.reader.committees() if not c.deleted]
        if self.reader.wanted:
            committees = [c for c in committees if c.id in self.reader.wanted]
        if not committees:
            raise ImportStopped("The site lists no committees to import.")
        councillors = self.reader.councillors()
        meetings = self.reader.meetings(committees)
        self._people(councillors, meetings)
        self._bodies(committees, meetings)
        self._memberships(meetings)
        documents = self._documents(meetings)
        for meeting in meetings:
            self._meeting(meeting, documents)
        return self.result

    def _people(self, councillors: list[Councillor], meetings: list[MeetingRead]) -> None:
        known: set[str] = set()
        for councillor in councillors:
            if councillor.id in known:
                continue
            known.add(councillor.id)
            title, given, family = values.split_name(councillor.name)
            self.result.people.append(
                PersonRow(
                    id=councillor.id,
                    where=f"Councillor {councillor.id} “{councillor.name}”",
                    kind=Person.Kind.COUNCILLOR,
                    title=title,
                    given_name=given or "—",
                    family_name=family,
                    ward=councillor.ward[:100],
                    party=councillor.party[:100],
                    email=councillor.email,
                    elected_on=councillor.elected_on,
                    term_ends_on=councillor.term_ends_on,
                )
            )
        # Those listed at meetings who are no longer councillors (or never were).
        for meeting in meetings:
            for attendee in meeting.attendees:
                if attendee.member_id in known:
                    continue
                known.add(attendee.member_id)
                officer = "officer" in attendee.role.lower()
                title, given, family = values.split_name(attendee.name)
                self.result.people.append(
                    PersonRow(
                        id=attendee.member_id,
                        where=f"Member {attendee.member_id} “{attendee.name}”",
                        kind=Person.Kind.OFFICER if officer else Person.Kind.COUNCILLOR,
                        title=title,
                        given_name=given or "—",
                        family_name=family or attendee.name[:100],
                        ward="" if officer else attendee.ward[:100],
                        party_short="" if officer else attendee.party,
                    )
                )

    def _bodies(self, committees: list[Committee], meetings: list[MeetingRead]) -> None:
        last_meeting: dict[str, datetime.date] = {}
        for meeting in meetings:
            last_meeting[meeting.committee] = max(
                meeting.day, last_meeting.get(meeting.committee, meeting.day)
            )
        names: set[str] = set()
        for committee in committees:
            if committee.expired and committee.id not in last_meeting:
                continue  # a body long gone, with nothing in the dates asked for
            name = committee.title[:200] or f"Committee {committee.id}"
            if name.lower() in names:
                name = f"{name} ({committee.id})"[:200]
                self.importer.warn(
                    f"Committee {committee.id}",
                    f"Another committee has the same title: this one is called “{name}”.",
                )
            names.add(name.lower())
            self.result.bodies.append(
                BodyRow(
                    id=committee.id,
                    where=f"Committee {committee.id} “{committee.title}”",
                    name=name,
                    kind=values.guess_board_kind(committee.title),
                    kind_is_guess=True,
                    ends_on=last_meeting.get(committee.id) if committee.expired else None,
                )
            )

    def _memberships(self, meetings: list[MeetingRead]) -> None:
        latest: dict[str, datetime.date] = {}
        seats: dict[tuple[str, str, str], list[datetime.date]] = defaultdict(list)
        for meeting in meetings:
            latest[meeting.committee] = max(meeting.day, latest.get(meeting.committee, meeting.day))
            for attendee in meeting.attendees:
                if seat := membership_role(attendee.role):
                    seats[(meeting.committee, attendee.member_id, seat)].append(meeting.day)
        for (committee, member, seat), days in seats.items():
            last = max(days)
            self.result.memberships.append(
                MembershipRow(
                    id=f"{committee}:{member}:{seat}",
                    where=f"Member {member} at committee {committee}",
                    body=committee,
                    person=member,
                    role=seat,
                    starts_on=min(days),
                    ends_on=None if last == latest[committee] else last,
                )
            )

    def _documents(self, meetings: list[MeetingRead]) -> dict[str, Any]:
        """Each document fetched (or found among the saved files) and checked: by ID."""
        wanted: list[Document] = []
        seen: set[str] = set()
        for meeting in meetings:
            for item in meeting.items:
                if item.restricted or not item.shown:
                    continue
                for document in item.documents:
                    if document.id in seen:
                        continue
                    seen.add(document.id)
                    if document.restricted:
                        self.importer.warn(
                            _document_where(document),
                            "Left out: it is restricted (not for publication"
                            + (f", {document.restriction}" if document.restriction else "")
                            + "). Attach it by hand, marked exempt, if the members need it.",
                        )
                        continue
                    existing = self.importer.find(Paper, document.id)
                    if existing is not None and existing.file:
                        self.result.kept_files.add(document.id)
                        continue
                    wanted.append(document)
        if not self.fetch_documents:
            if wanted:
                self.importer.warn(
                    "Documents", f"{len(wanted):,} documents were not fetched, as asked."
                )
            return {}
        if len(wanted) > self.max_documents:
            self.importer.warn(
                "Documents",
                f"Only the first {self.max_documents:,} documents were fetched; "
                f"{len(wanted) - self.max_documents:,} more were left for another run "
                "(it fetches only those not yet here).",
            )
            wanted = wanted[: self.max_documents]
        prepared: dict[str, Any] = {}
        missing = 0
        for done, document in enumerate(wanted, start=1):
            self.importer.progress("Fetching and checking the documents", done, len(wanted))
            content = self.reader.document(document)
            if content is None:
                missing += isinstance(self.reader, _FromFiles)
                continue
            try:
                prepared[document.id] = prepare_pdf(
                    content, name=f"{document.id}.pdf", workdir=self.workdir
                )
            except ValidationError as error:
                self.importer.warn(_document_where(document), f"Left out: {pdf_problem(error)}")
        if missing:
            self.importer.warn(
                "Documents",
                f"{missing:,} documents are not among the saved files (named by their "
                "attachment ID, such as 60860.pdf), and were left out.",
            )
        return prepared

    def _meeting(self, meeting: MeetingRead, documents: dict[str, Any]) -> None:
        where = f"Meeting {meeting.id} ({meeting.day:%d/%m/%Y})"
        if meeting.time is None:
            self.importer.warn(where, "Left out: it has no time of day that can be read.")
            return
        starts_at = timezone.make_aware(datetime.datetime.combine(meeting.day, meeting.time))
        ends_at = None
        if meeting.finished is not None:
            ends_at = timezone.make_aware(datetime.datetime.combine(meeting.day, meeting.finished))
            if ends_at <= starts_at:
                ends_at = None
        status, reason = "", ""
        lowered = meeting.status.lower()
        for word, stopped in (
            ("cancel", Meeting.Status.CANCELLED),
            ("postpone", Meeting.Status.POSTPONED),
        ):
            if word in lowered:
                status = stopped
                reason = f"{meeting.status}, as the council's ModernGov site records it."
        published_dates = [
            document.published_on
            for item in meeting.items
            for document in item.documents
            if document.published_on and document.published_on <= meeting.day
        ]
        self.result.meetings.append(
            MeetingRow(
                id=meeting.id,
                where=where,
                body=meeting.committee,
                starts_at=starts_at,
                ends_at=ends_at,
                venue=meeting.location[:200],
                status=status,
                status_reason=reason,
                published=meeting.agenda_published,
                published_on=min(published_dates) if published_dates else None,
            )
        )
        items = sorted((item for item in meeting.items if item.shown), key=lambda item: item.order)
        for number, item in enumerate(items, start=1):
            self._item(meeting, item, number, documents)
        if starts_at < self.now and not status:  # held: who came is history
            for attendee in meeting.attendees:
                seat = membership_role(attendee.role)
                officer = "officer" in attendee.role.lower()
                substitute = "substitut" in f"{attendee.role} {attendee.attendance}".lower()
                self.result.attendances.append(
                    AttendanceRow(
                        id=f"{meeting.id}:{attendee.member_id}",
                        where=f"{where}, {attendee.name}",
                        meeting=meeting.id,
                        person=attendee.member_id,
                        kind=Attendance.Kind.OFFICER
                        if officer
                        else Attendance.Kind.MEMBER
                        if seat
                        else Attendance.Kind.COUNCILLOR,
                        status=attendance_status(attendee.attendance),
                        capacity="substitute"
                        if substitute and not seat
                        else ("" if seat else attendee.role[:200]),
                    )
                )

    def _item(
        self, meeting: MeetingRead, item: Item, number: int, documents: dict[str, Any]
    ) -> None:
        where = f"Agenda item {item.id} “{item.title}” (meeting {meeting.id})"
        shown = item.shown_number.rstrip(".").replace("(", "").replace(")", "").replace(" ", "")
        if not _SHOWN_NUMBER.match(shown) or shown == str(number):
            shown = ""
        if item.restricted:
            self.importer.warn(
                where,
                "Kept from the public: the site marks it restricted but does not say which "
                "paragraph of Schedule 12A; it is imported unpublished for a clerk to mark.",
            )
        title = item.title[:300] or f"Item {number}"
        self.result.items.append(
            ItemRow(
                id=item.id,
                where=where,
                meeting=meeting.id,
                title=title,
                kind=values.guess_item_kind(title),
                kind_is_guess=True,
                number=number,
                published_number=shown,
                purpose=values.html_to_text(item.text),
                published=not item.restricted,
            )
        )
        if item.restricted:
            return
        report = ""
        for position, document in enumerate(item.documents, start=1):
            if document.id in self.papers_planned:
                continue  # one paper, on the first item that links it
            if document.id in self.result.kept_files:
                pdf = None
            elif (pdf := documents.get(document.id)) is None:
                continue
            appendix = bool(re.match(r"(appendix|app\.?\s|annex)", document.title.lower()))
            self.result.papers.append(
                PaperRow(
                    id=document.id,
                    where=_document_where(document),
                    item=item.id,
                    title=document.title[:300] or f"Document {document.id}",
                    kind=Paper.Kind.APPENDIX if appendix and report else Paper.Kind.REPORT,
                    pdf=pdf,
                    parent=report if appendix else "",
                    position=position,
                )
            )
            self.papers_planned.add(document.id)
            if not appendix and not report:
                report = document.id


__all__ = ["read", "source"]
