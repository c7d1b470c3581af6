"""Moving in from a spreadsheet: CSV and XLSX, papers from a zip beside it, a dry run that lists
every row's problems and writes nothing, and runs again that change nothing unless the file
did."""

import datetime
import io
import zipfile
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from boards.models import AgendaItem, Board, Meeting, Membership, Paper, Person, Publication, Ward
from search.models import SearchEntry
from tests.factories import UserFactory, pdf_bytes
from transfer.models import ImportedRecord, ImportRun

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")

PEOPLE = """id,kind,title,given_name,family_name,ward,party,job_title,email
P1,councillor,,Kim,Groves,Weetwood,Labour,,
P2,councillor,,Sam,Bentley,Headingley,Liberal Democrat,,
P3,officer,Ms,Angela,Brogden,,,Principal Scrutiny Adviser,angela.brogden@example.gov.uk
"""
BODIES = """id,name,kind,support_officer
B1,Scrutiny Board (Strategy and Resources),scrutiny,P3
B2,Executive Board,,
"""
MEMBERSHIPS = """id,body,person,role,starts_on,ends_on
M1,B1,P1,Chair,21/05/2015,
M2,B1,P2,member,2015-05-21,
"""
MEETINGS = """id,body,date,time,venue,published_on
MT1,B1,21/03/2016,10.00 am,Civic Hall,11/03/2016
MT2,B1,22 February 2016,10:00,Civic Hall,
"""
ITEMS = """id,meeting,number,title,purpose,exempt,exempt_paragraph,wards
I1,MT1,1,Appeals against refusal of inspection of documents,,,,
I2,MT1,2,Minutes – 22 February 2016,To confirm the minutes.,,,
I3,MT1,3,Inquiry into ICT – session 3,To receive evidence.,,,Weetwood; Headingley
I4,MT1,4,Sale of the depot,To consider the terms of the sale.,yes,3,
I5,MT2,1,Budget proposals 2016/17,To consider the budget.,,,
"""
PAPERS = """id,item,title,file,appendix_to
D1,I3,ICT capacity report,ict-report.pdf,
D2,I3,Appendix A – supplier list,papers/appendix-a.pdf,D1
"""


def write_folder(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / f"{name}.csv").write_text(content, encoding="utf-8")
    return folder


def papers_zip(path: Path, files: dict[str, bytes] | None = None) -> Path:
    files = files or {
        "ict-report.pdf": pdf_bytes(2, "capacity-report-text"),
        "papers/appendix-a.pdf": pdf_bytes(1, "supplier-list-text"),
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path


@pytest.fixture
def admin_user(db):
    return UserFactory(username="importer", is_superuser=True)


@pytest.fixture
def history(tmp_path):
    return write_folder(
        tmp_path / "history",
        people=PEOPLE,
        bodies=BODIES,
        memberships=MEMBERSHIPS,
        meetings=MEETINGS,
        items=ITEMS,
        papers=PAPERS,
    )


def run_import(path, *, papers=None, dry_run=False, user="importer", source="spreadsheet"):
    out = io.StringIO()
    args = [source, str(path)]
    if papers:
        args += ["--papers", str(papers)]
    if dry_run:
        args.append("--dry-run")
    if user:
        args += ["--user", user]
    call_command("import_council", *args, stdout=out)
    return ImportRun.objects.latest("pk"), out.getvalue()


def test_a_folder_of_csv_files_brings_bodies_people_meetings_items_and_papers_in(
    history, tmp_path, admin_user, client
):
    run, output = run_import(history, papers=papers_zip(tmp_path / "papers.zip"))

    assert run.wrote, run.problems
    assert "Imported." in output
    board = Board.objects.get(name="Scrutiny Board (Strategy and Resources)")
    assert board.kind == Board.Kind.SCRUTINY
    assert board.support_officer.family_name == "Brogden"
    assert Board.objects.get(name="Executive Board").kind == Board.Kind.EXECUTIVE
    groves = Person.objects.get(family_name="Groves")
    assert (groves.ward.name, groves.party.name) == ("Weetwood", "Labour")
    assert Membership.objects.get(person=groves).role == Membership.Role.CHAIR
    meeting = Meeting.objects.get(starts_at=datetime.datetime(2016, 3, 21, 10, tzinfo=LONDON))
    assert meeting.status == Meeting.Status.HELD
    assert meeting.venue.name == "Civic Hall"
    assert [item.title for item in meeting.agenda_items.order_by("number")][:2] == [
        "Appeals against refusal of inspection of documents",
        "Minutes – 22 February 2016",
    ]
    assert meeting.agenda_items.get(number=1).kind == AgendaItem.Kind.APPEALS
    session = meeting.agenda_items.get(number=3)
    assert {ward.name for ward in session.wards.all()} == {"Weetwood", "Headingley"}
    exempt = meeting.agenda_items.get(number=4)
    assert (exempt.exempt, exempt.exempt_paragraph) == (True, 3)
    # Recorded as published on the day given, as a publication made before the app.
    publication = Publication.objects.get(meeting=meeting)
    assert publication.is_recorded_afterwards
    assert publication.recorded_by == admin_user
    assert publication.published_at.date() == datetime.date(2016, 3, 11)
    assert not publication.late
    # Without a date, its deadline: five clear working days before.
    february = Publication.objects.get(meeting__starts_at__date=datetime.date(2016, 2, 22))
    assert february.published_at.astimezone(LONDON).date() == datetime.date(2016, 2, 12)
    report = Paper.objects.get(title="ICT capacity report")
    assert (report.page_count, report.original_filename) == (2, "ict-report.pdf")
    assert report.publication == publication
    appendix = Paper.objects.get(title="Appendix A – supplier list")
    assert (appendix.parent, appendix.kind) == (report, Paper.Kind.APPENDIX)
    assert "supplier-list-text" in appendix.text
    # Search found them (the domain's signal), and the public pages show them.
    assert SearchEntry.objects.filter(title="ICT capacity report").exists()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Inquiry into ICT – session 3" in page
    assert "ICT capacity report" in page
    assert "Sale of the depot" in page
    assert "To consider the terms of the sale." not in page  # exempt: the public sees its title
    board_page = client.get(board.get_absolute_url()).content.decode()
    assert "Groves" in board_page
    assert client.get(reverse("boards:paper-download", args=[report.pk])).status_code == 200
    # Every record remembers where it came from.
    assert ImportedRecord.objects.filter(source="spreadsheet", external_id="MT1").exists()
    assert run.counts["meeting"] == {"created": 2}
    assert run.counts["agendaitem"] == {"created": 5}


def test_the_same_file_twice_changes_nothing(history, tmp_path, admin_user):
    zip_path = papers_zip(tmp_path / "papers.zip")
    run_import(history, papers=zip_path)
    modified = {paper.pk: paper.modified for paper in Paper.objects.all()}

    run, _output = run_import(history, papers=zip_path)

    assert run.wrote
    assert all(set(actions) == {"unchanged"} for actions in run.counts.values()), run.counts
    assert run.counts["meeting"] == {"unchanged": 2}
    assert Meeting.objects.count() == 2
    assert AgendaItem.objects.count() == 5
    assert {paper.pk: paper.modified for paper in Paper.objects.all()} == modified


def test_a_row_changed_since_updates_its_record_and_nothing_else(history, tmp_path, admin_user):
    zip_path = papers_zip(tmp_path / "papers.zip")
    run_import(history, papers=zip_path)
    (history / "items.csv").write_text(
        ITEMS.replace("Budget proposals 2016/17", "Budget proposals 2016/17 (revised)")
    )

    run, _output = run_import(history, papers=zip_path)

    assert run.counts["agendaitem"] == {"updated": 1, "unchanged": 4}
    assert AgendaItem.objects.filter(title="Budget proposals 2016/17 (revised)").count() == 1
    assert AgendaItem.objects.count() == 5


def test_a_changed_pdf_replaces_the_paper_s_file(history, tmp_path, admin_user):
    run_import(history, papers=papers_zip(tmp_path / "papers.zip"))
    changed = papers_zip(
        tmp_path / "papers2.zip",
        {
            "ict-report.pdf": pdf_bytes(3, "capacity-report-text"),
            "papers/appendix-a.pdf": pdf_bytes(1, "supplier-list-text"),
        },
    )

    run, _output = run_import(history, papers=changed)

    assert run.counts["paper"] == {"updated": 1, "unchanged": 1}
    assert Paper.objects.get(title="ICT capacity report").page_count == 3


def test_items_reordered_in_the_file_take_their_new_places(history, tmp_path, admin_user):
    run_import(history, papers=papers_zip(tmp_path / "papers.zip"))
    swapped = ITEMS.replace("I1,MT1,1,", "I1,MT1,X,").replace("I2,MT1,2,", "I2,MT1,1,")
    (history / "items.csv").write_text(swapped.replace("I1,MT1,X,", "I1,MT1,2,"))

    run, _output = run_import(history, papers=tmp_path / "papers.zip")

    assert run.wrote, run.problems
    meeting = Meeting.objects.get(starts_at__date=datetime.date(2016, 3, 21))
    assert meeting.agenda_items.get(number=1).title.startswith("Minutes")
    assert meeting.agenda_items.get(number=2).title.startswith("Appeals")


BAD_MEETINGS = """id,body,date,time,venue
MT1,B1,31/02/2016,10.00 am,Civic Hall
MT2,B9,22/02/2016,10:00,Civic Hall
MT3,B1,02/22/2016,,Civic Hall
MT4,B1,2016-03-01,25:00,Civic Hall
"""


def test_a_dry_run_lists_every_row_s_problems_and_writes_nothing(history, tmp_path, admin_user):
    (history / "meetings.csv").write_text(BAD_MEETINGS)
    (history / "people.csv").write_text(PEOPLE + "P4,officer,,Bob,Smith,Weetwood,,,\nP5,,,,,,,,\n")
    zip_path = papers_zip(tmp_path / "papers.zip", {"ict-report.pdf": b"not a pdf"})

    with pytest.raises(CommandError, match="problem"):
        run_import(history, papers=zip_path, dry_run=True)

    run = ImportRun.objects.latest("pk")
    found = {(p["where"], p["field"]) for p in run.errors}
    assert ("meetings.csv (history), row 2", "date") in found  # 31 February
    assert ("meetings.csv (history), row 4", "date") in found  # month first
    assert ("meetings.csv (history), row 5", "time") in found  # 25:00
    assert ("people.csv (history), row 5", "ward") in found  # an officer with a ward
    assert ("people.csv (history), row 6", "kind") in found
    assert ("people.csv (history), row 6", "given_name") in found
    assert ("papers.csv (history), row 2", "file") in found  # not a PDF
    assert ("papers.csv (history), row 3", "file") in found  # not in the zip
    assert ("meetings.csv (history), row 3", "body") in found  # no body B9
    messages = " ".join(p["message"] for p in run.errors)
    assert "The selected file must be a PDF." in messages
    assert "There is no file “papers/appendix-a.pdf”" in messages
    assert "There is no body with the ID “B9”" in messages
    # Nothing was written, not even the rows without problems.
    assert not Board.objects.exists()
    assert not Person.objects.exists()
    assert not Ward.objects.exists()
    assert not ImportedRecord.objects.exists()


def test_a_clean_dry_run_counts_what_it_would_write_and_writes_nothing(
    history, tmp_path, admin_user
):
    run, output = run_import(history, papers=papers_zip(tmp_path / "papers.zip"), dry_run=True)

    assert run.status == ImportRun.Status.DONE and not run.errors
    assert run.counts["meeting"] == {"created": 2}
    assert "Dry run: nothing was written." in output
    assert not Meeting.objects.exists()
    assert not Paper.objects.exists()


def test_a_workbook_with_a_sheet_per_kind_imports_as_the_csv_files_do(
    history, tmp_path, admin_user
):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for kind in ("people", "bodies", "meetings", "items"):
        sheet = workbook.create_sheet(kind.capitalize())
        import csv

        for row in csv.reader(io.StringIO((history / f"{kind}.csv").read_text())):
            sheet.append(row)
    # A spreadsheet's own dates and times, as Excel keeps them.
    meetings = workbook["Meetings"]
    meetings["C2"] = datetime.datetime(2016, 3, 21)
    meetings["D2"] = datetime.time(10, 0)
    path = tmp_path / "history.xlsx"
    workbook.save(path)

    run, _output = run_import(path)

    assert run.wrote, run.problems
    assert Meeting.objects.filter(
        starts_at=datetime.datetime(2016, 3, 21, 10, tzinfo=LONDON)
    ).exists()
    assert AgendaItem.objects.count() == 5
    # Run again: unchanged.
    again, _output = run_import(path)
    assert again.counts["agendaitem"] == {"unchanged": 5}


def test_a_workbook_s_problems_name_its_sheet_row_and_column(history, tmp_path, admin_user):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "meetings"
    sheet.append(["id", "body", "date", "time"])
    sheet.append(["MT1", "B1", "21/13/2016", "10:00"])
    path = tmp_path / "history.xlsx"
    workbook.save(path)

    with pytest.raises(CommandError):
        run_import(path, dry_run=True)

    problem = ImportRun.objects.latest("pk").errors[0]
    assert problem["where"] == "meetings (history.xlsx), row 2"
    assert problem["field"] == "date"


def test_a_file_that_is_not_a_spreadsheet_is_a_problem_not_a_failure(tmp_path, admin_user):
    path = tmp_path / "history.xlsx"
    path.write_bytes(b"this is not a workbook")

    with pytest.raises(CommandError, match="problem"):
        run_import(path)

    run = ImportRun.objects.latest("pk")
    assert run.status == ImportRun.Status.DONE
    assert "neither a workbook" in run.errors[0]["message"]


@pytest.mark.django_db(transaction=True)
def test_progress_is_saved_on_the_run_while_reading_where_the_page_can_see_it(history, tmp_path):
    from transfer.running import perform

    UserFactory(username="importer", is_superuser=True)
    run = ImportRun.objects.create(
        source="spreadsheet",
        label=str(history),
        options={"papers": str(papers_zip(tmp_path / "p.zip"))},
    )
    seen = []

    def report(line):
        # What another connection (the run's page) reads now.
        seen.append((line, ImportRun.objects.values_list("stage", flat=True).get(pk=run.pk)))

    perform(run, report=report)

    reading = [saved for line, saved in seen if line.startswith("Reading meetings.csv")]
    assert reading and all(saved.startswith("Reading meetings.csv") for saved in reading)
    run.refresh_from_db()
    assert run.stage == "Imported" and run.wrote


def test_a_workbook_whose_xml_declares_entities_is_refused_cleanly(tmp_path, admin_user):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "people"
    workbook.active.append(["id", "kind", "given_name", "family_name"])
    plain = tmp_path / "plain.xlsx"
    workbook.save(plain)
    hostile = tmp_path / "history.xlsx"
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(hostile, "w") as out:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', b""
                )
                content = laughs.encode() + content.split(b"?>", 1)[-1]
            out.writestr(member, content)

    with pytest.raises(CommandError, match="problem"):
        run_import(hostile)

    run = ImportRun.objects.latest("pk")
    assert run.status == ImportRun.Status.DONE
    assert "Entit" in run.errors[0]["message"], run.errors
    assert not Person.objects.exists()
