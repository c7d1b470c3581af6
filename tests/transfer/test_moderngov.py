"""Moving in from a ModernGov site: saved responses (fixtures/moderngov, in the shape real sites
answer: see its README) and the site's address (a local server answering the same), into
bodies, people, wards, parties, memberships, meetings, items, papers and attendance that the
public pages show."""

import datetime
import http.server
import io
import shutil
import threading
import urllib.parse
import zipfile
import zoneinfo
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from boards.models import (
    AgendaItem,
    Board,
    Meeting,
    Membership,
    Paper,
    Party,
    Person,
    Publication,
    Ward,
)
from boards.signals import agenda_published
from minutes.models import Attendance
from tests.factories import PartyFactory, UserFactory, pdf_bytes
from transfer.importers import moderngov
from transfer.models import ImportedRecord, ImportRun

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
FIXTURES = Path(__file__).parent / "fixtures" / "moderngov"
SITE = "https://democracy.example.gov.uk"
DOCUMENTS = {
    "60860": pdf_bytes(2, "minutes-of-november"),
    "60901": pdf_bytes(3, "ict-capacity-text"),
    "60902": pdf_bytes(1, "supplier-list-text"),
    "60903": pdf_bytes(1, "contract-prices-secret"),
}


@pytest.fixture
def admin_user(db):
    return UserFactory(username="importer", is_superuser=True)


@pytest.fixture
def saved(tmp_path):
    """The saved responses, with the documents beside them named by attachment ID."""
    folder = tmp_path / "saved"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("*.md"))
    (folder / "documents").mkdir()
    for attachment, content in DOCUMENTS.items():
        (folder / "documents" / f"{attachment}.pdf").write_bytes(content)
    return folder


def run_import(path, *options):
    out = io.StringIO()
    call_command(
        "import_council",
        "moderngov",
        str(path),
        "--user",
        "importer",
        "--since",
        "2019-01-01",
        *options,
        stdout=out,
    )
    return ImportRun.objects.latest("pk"), out.getvalue()


def test_saved_responses_become_bodies_people_meetings_items_papers_and_attendance(
    saved, admin_user, client
):
    published = []
    agenda_published.connect(
        lambda **kwargs: published.append(kwargs), weak=False, dispatch_uid="moderngov-test"
    )
    try:
        run, _output = run_import(saved)
    finally:
        agenda_published.disconnect(dispatch_uid="moderngov-test")

    assert run.wrote, run.problems
    # Bodies: the deleted committee and the expired one with no meetings are left out.
    scrutiny = Board.objects.get(name="Scrutiny Board (Strategy and Resources)")
    assert scrutiny.kind == Board.Kind.SCRUTINY
    assert Board.objects.get(name="Executive Board").kind == Board.Kind.EXECUTIVE
    assert Board.objects.count() == 2
    # People, wards and parties; the home address is never copied.
    groves = Person.objects.get(family_name="Groves")
    assert (groves.given_name, groves.kind) == ("Kim", Person.Kind.COUNCILLOR)
    assert (groves.ward.name, groves.party.name) == ("Weetwood", "Labour")
    assert groves.email == "kim.groves@example.gov.uk"
    assert groves.elected_on == datetime.date(2018, 5, 3)
    bentley = Person.objects.get(family_name="Bentley")
    assert bentley.term_ends_on == datetime.date(2027, 5, 7)
    curley = Person.objects.get(family_name="Curley")  # listed at a meeting only
    assert curley.ward.name == "Charlestown"
    assert Ward.objects.count() == 3 and Party.objects.count() == 2
    assert not Person.objects.filter(telephone__contains="0113").exists()
    # Memberships, from who was listed at each meeting in what role.
    chair = Membership.objects.get(person=groves, board=scrutiny)
    assert (chair.role, chair.starts_on, chair.ends_on) == (
        Membership.Role.CHAIR,
        datetime.date(2025, 1, 13),
        None,
    )
    assert Membership.objects.get(person=curley).role == Membership.Role.MEMBER
    # Meetings: the cancelled one with its reason; the held one with its agenda.
    cancelled = Meeting.objects.get(starts_at=datetime.datetime(2025, 1, 13, 10, tzinfo=LONDON))
    assert cancelled.status == Meeting.Status.CANCELLED
    assert "ModernGov" in cancelled.status_reason
    meeting = Meeting.objects.get(starts_at=datetime.datetime(2025, 2, 10, 10, tzinfo=LONDON))
    assert meeting.status == Meeting.Status.HELD
    assert meeting.venue.name == "Civic Hall, Leeds"
    assert meeting.ends_at == datetime.datetime(2025, 2, 10, 11, 35, tzinfo=LONDON)
    items = list(meeting.agenda_items.order_by("number"))
    assert [(i.number, i.shown_number, i.kind) for i in items] == [
        (1, "1", AgendaItem.Kind.MINUTES),
        (2, "5a", AgendaItem.Kind.REPORT),
        (3, "9", AgendaItem.Kind.WORK_SCHEDULE),
        (4, "10", AgendaItem.Kind.REPORT),
    ]
    assert items[1].purpose == "To receive evidence on the council’s ICT capacity & resilience."
    # The restricted item is kept from the public; the rest were published, as recorded.
    assert items[3].publication is None
    publication = Publication.objects.get(meeting=meeting)
    assert publication.is_recorded_afterwards
    assert publication.published_at.astimezone(LONDON).date() == datetime.date(2025, 1, 30)
    assert all(item.publication == publication for item in items[:3])
    # Papers: the documents, checked; the appendix under its report; the restricted one left out.
    report = Paper.objects.get(title="ICT Capacity Report")
    appendix = Paper.objects.get(title="Appendix 1 - Supplier List")
    assert (appendix.parent, appendix.kind, report.page_count) == (report, "appendix", 3)
    assert not Paper.objects.filter(title__contains="Contract Prices").exists()
    assert Paper.objects.count() == 3
    # Attendance of the meeting held (not of the cancelled one).
    assert Attendance.objects.get(meeting=meeting, person=groves).status == "present"
    assert Attendance.objects.get(meeting=meeting, person=bentley).status == "apologies"
    assert not Attendance.objects.filter(meeting=cancelled).exists()
    # Said, not hidden: what was left out.
    warnings = " ".join(w["message"] for w in run.warnings)
    assert "restricted" in warnings
    # No e-mails, no packs: history is not news.
    assert published == [] and mail.outbox == []
    # Provenance: each record knows the site and its ID there.
    assert ImportedRecord.objects.filter(source=f"moderngov:{SITE}", external_id="4967").exists()
    # The public pages show them.
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Inquiry into ICT Capacity - Session 3" in page
    assert "ICT Capacity Report" in page
    assert "Sale of the Kirkstall Depot" not in page
    board_page = client.get(scrutiny.get_absolute_url()).content.decode()
    assert "Kim Groves" in board_page or "K Groves" in board_page
    # A meeting older than the current and previous municipal years is on its own year's page,
    # which the board's page links to.
    assert meeting.municipal_year is not None
    year = meeting.municipal_year.starts_on.year
    assert f"?year={year}" in board_page
    year_page = client.get(f"{scrutiny.get_absolute_url()}?year={year}").content.decode()
    assert "10 February 2025" in year_page


def test_saved_responses_imported_again_change_nothing(saved, admin_user):
    run_import(saved)

    run, _output = run_import(saved)

    assert run.wrote, run.problems
    assert all(set(actions) == {"unchanged"} for actions in run.counts.values()), run.counts
    assert Meeting.objects.count() == 3


def test_a_zip_of_saved_responses_imports_as_the_folder_does(saved, tmp_path, admin_user):
    archive = tmp_path / "moderngov.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for file in saved.rglob("*"):
            if file.is_file():
                out.write(file, file.relative_to(saved))

    run, _output = run_import(archive)

    assert run.wrote, run.problems
    assert AgendaItem.objects.count() == 5


def test_a_party_known_by_its_short_name_is_found_by_it(saved, admin_user):
    labour = PartyFactory(name="Labour", short_name="LAB")

    run_import(saved)

    assert Person.objects.get(family_name="Curley").party == labour


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<committees><committee><committeeid>1</committeeid><committeetitle>&lol4;</committeetitle>
</committee></committees>
"""


def test_hostile_xml_is_refused_cleanly_and_nothing_is_written(saved, admin_user):
    (saved / "committees.xml").write_text(BILLION_LAUGHS)

    with pytest.raises(CommandError, match="problem"):
        run_import(saved)

    run = ImportRun.objects.latest("pk")
    assert run.status == ImportRun.Status.DONE
    assert "declares entities" in run.errors[0]["message"]
    assert not Board.objects.exists() and not Person.objects.exists()


def test_a_meeting_without_its_committee_s_list_is_a_problem(saved, admin_user):
    (saved / "meetings-138.xml").unlink()

    with pytest.raises(CommandError):
        run_import(saved, "--dry-run")

    assert (
        "Which committee's is meeting 5001?" in ImportRun.objects.latest("pk").errors[0]["message"]
    )


@pytest.mark.parametrize(
    ("given", "base"),
    [
        ("https://democracy.example.gov.uk", SITE),
        ("https://democracy.example.gov.uk/", SITE),
        ("https://democracy.example.gov.uk/mgWebService.asmx?WSDL", SITE),
        ("https://democracy.example.gov.uk/mgCommitteeStructure.aspx", SITE),
        (
            "https://www.example.gov.uk/democracy/mgWebService.asmx",
            "https://www.example.gov.uk/democracy",
        ),
    ],
)
def test_a_site_is_known_by_its_own_address_whatever_page_is_given(given, base):
    assert moderngov.site_base(given) == base


@pytest.mark.parametrize("given", ["file:///etc/passwd", "ftp://example.gov.uk", "democracy"])
def test_only_a_web_address_is_a_site(given):
    with pytest.raises(moderngov.ImportStopped):
        moderngov.site_base(given)


# The site's address ------------------------------------------------------------------------------


class _ModernGov(http.server.BaseHTTPRequestHandler):
    """Answers as a ModernGov site does, from the fixtures, with its own address in them."""

    big_document = b""
    asked: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        parts = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        type(self).asked.append(self.path)
        base = f"http://{self.headers['Host']}"
        body, kind = None, "text/xml; charset=utf-8"
        if parts.path == "/mgWebService.asmx/GetCommittees":
            body = (FIXTURES / "committees.xml").read_bytes()
        elif parts.path == "/mgWebService.asmx/GetCouncillorsByWard":
            body = (FIXTURES / "councillors.xml").read_bytes()
        elif parts.path == "/mgWebService.asmx/GetMeetings":
            assert "sFromDate" in query and "sToDate" in query
            body = (FIXTURES / f"meetings-{query['lCommitteeId']}.xml").read_bytes()
        elif parts.path == "/mgWebService.asmx/GetMeeting":
            body = (FIXTURES / f"meeting-{query['lMeetingId']}.xml").read_bytes()
        elif parts.path == "/mgConvert2PDF.aspx":
            kind = "application/pdf"
            body = DOCUMENTS.get(query.get("ID", ""))
            if query.get("ID") == "60902" and self.big_document:
                body = self.big_document
        if body is None:
            self.send_error(404)
            return
        body = body.replace(SITE.encode(), base.encode())
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    _ModernGov.asked = []
    _ModernGov.big_document = b""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ModernGov)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_site_s_address_is_read_over_the_network_with_its_documents(site, admin_user):
    run, _output = run_import(site)

    assert run.wrote, run.problems
    assert Paper.objects.get(title="ICT Capacity Report").page_count == 3
    assert AgendaItem.objects.count() == 5
    assert ImportedRecord.objects.filter(source=f"moderngov:{site}", external_id="4967").exists()
    # The restricted document was never asked for.
    assert not any("ID=60903" in path for path in _ModernGov.asked)


def test_the_site_s_answers_are_bounded(site, admin_user, settings):
    settings.PAPER_UPLOAD_MAX_BYTES = 5000
    _ModernGov.big_document = pdf_bytes(1) + b"%" * 6000

    run, _output = run_import(site, "--max-meetings", "2", "--max-documents", "1")

    assert run.wrote, run.problems
    warnings = " ".join(w["message"] for w in run.warnings)
    assert "Only the first 2 meetings were read" in warnings
    assert "Only the first 1 documents were fetched" in warnings
    assert Meeting.objects.count() == 2
    assert Paper.objects.count() == 1
    # Run again with room for the rest: the documents already here are not fetched again.
    _ModernGov.asked = []
    run, _output = run_import(site)
    assert "larger than" in " ".join(w["message"] for w in run.warnings)  # 60902, too big
    assert not any("ID=60860" in path for path in _ModernGov.asked)
    assert Paper.objects.count() == 2


def test_a_site_that_does_not_answer_is_a_problem_not_a_failure(admin_user):
    with pytest.raises(CommandError, match="problem"):
        run_import("http://127.0.0.1:9/")

    run = ImportRun.objects.latest("pk")
    assert run.status == ImportRun.Status.DONE
    assert "could not be reached" in run.errors[0]["message"]
