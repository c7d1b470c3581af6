"""The administrators' import pages: who may use them, starting a run with its files, the run's
progress while it runs and its problems after, and bounded queries."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from boards.models import AgendaItem, Meeting
from boards.roles import Role
from tests.factories import UserFactory, pdf_bytes
from tests.transfer.test_spreadsheet import BODIES, ITEMS, MEETINGS, PAPERS, PEOPLE
from transfer.models import ImportRun

pytestmark = pytest.mark.django_db

URLS = ["transfer:import-list", "transfer:import-start"]


def csv_zip(**files: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(f"{name}.csv", content)
    return SimpleUploadedFile("history.zip", buffer.getvalue(), "application/zip")


def papers_zip() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ict-report.pdf", pdf_bytes(2))
        archive.writestr("papers/appendix-a.pdf", pdf_bytes(1))
    return SimpleUploadedFile("papers.zip", buffer.getvalue(), "application/zip")


@pytest.fixture
def admin_client(administrator, client_for):
    return client_for(administrator)


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize("role", [Role.CLERK, Role.OFFICER, Role.COUNCILLOR])
def test_only_administrators_may_import(name, role, client_for):
    client = client_for(UserFactory(roles=[role]))

    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse("transfer:import-start"), {}).status_code == 403


def test_the_public_is_sent_to_sign_in(client):
    response = client.get(reverse("transfer:import-list"))

    assert response.status_code == 302 and "sign-in" in response.url


def test_a_dry_run_started_on_the_page_lists_its_problems_and_writes_nothing(
    admin_client, administrator, django_capture_on_commit_callbacks
):
    bad = MEETINGS.replace("21/03/2016", "31/02/2016")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("transfer:import-start"),
            {
                "source": "spreadsheet",
                "upload": csv_zip(
                    people=PEOPLE, bodies=BODIES, meetings=bad, items=ITEMS, papers=PAPERS
                ),
                "papers": papers_zip(),
                "dry_run": "on",
            },
        )

    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    assert (run.started_by, run.dry_run, run.status) == (administrator, True, "done")
    page = admin_client.get(run.get_absolute_url()).content.decode()
    assert "Nothing was written" in page
    assert "meetings.csv (history.zip), row 2" in page
    assert "31 February" not in page or "not a date" in page
    assert "hx-trigger" not in page  # finished: no more polling
    assert not Meeting.objects.exists()


def test_a_clean_dry_run_is_imported_for_real_with_one_button(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("transfer:import-start"),
            {
                "source": "spreadsheet",
                "upload": csv_zip(
                    people=PEOPLE, bodies=BODIES, meetings=MEETINGS, items=ITEMS, papers=PAPERS
                ),
                "papers": papers_zip(),
                "dry_run": "on",
            },
        )
    dry = ImportRun.objects.get()
    assert not dry.errors, dry.problems
    page = admin_client.get(dry.get_absolute_url()).content.decode()
    assert "Import it now" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("transfer:import-again", args=[dry.pk]))

    run = ImportRun.objects.latest("pk")
    assert response.url == run.get_absolute_url()
    assert run.wrote, run.problems
    assert AgendaItem.objects.count() == 5
    page = admin_client.get(run.get_absolute_url()).content.decode()
    assert "What was written" in page
    assert "the records this import wrote or found" in page


def test_a_run_in_progress_is_polled_every_two_seconds(admin_client):
    run = ImportRun.objects.create(
        source="spreadsheet",
        label="history.xlsx",
        status="running",
        stage="Reading",
        done=3,
        total=10,
    )

    page = admin_client.get(run.get_absolute_url()).content.decode()
    fragment = admin_client.get(run.get_absolute_url(), headers={"HX-Request": "true"})

    assert 'hx-trigger="every 2s"' in page
    assert "3 of 10" in page
    assert fragment.content.decode().lstrip().startswith('<div id="import-progress"')
    assert "<html" not in fragment.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"source": "spreadsheet"}, "upload", "Choose the file"),
        ({"source": "moderngov"}, "upload", "Choose the file of saved responses"),
        (
            {"source": "spreadsheet", "address": "https://democracy.example.gov.uk"},
            "address",
            "Only a ModernGov site is read at its address.",
        ),
        (
            {"source": "moderngov", "address": "ftp://example.gov.uk"},
            "address",
            "is not a web address",
        ),
    ],
)
def test_a_form_that_is_wrong_says_what_is_wrong(admin_client, data, field, message):
    response = admin_client.post(reverse("transfer:import-start"), data)

    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert not ImportRun.objects.exists()


def test_an_upload_of_the_wrong_type_or_size_is_refused(admin_client, settings):
    fake = SimpleUploadedFile("history.xlsx", b"not a workbook")
    response = admin_client.post(
        reverse("transfer:import-start"), {"source": "spreadsheet", "upload": fake}
    )
    assert "not a real XLSX file" in response.content.decode()

    pdf = SimpleUploadedFile("history.pdf", pdf_bytes(1))
    response = admin_client.post(
        reverse("transfer:import-start"), {"source": "spreadsheet", "upload": pdf}
    )
    assert "The file must be a workbook (XLSX), a CSV file or a zip of CSV files." in (
        response.content.decode()
    )

    settings.IMPORT_UPLOAD_MAX_BYTES = 10
    big = SimpleUploadedFile("people.csv", PEOPLE.encode())
    response = admin_client.post(
        reverse("transfer:import-start"), {"source": "spreadsheet", "upload": big}
    )
    assert response.status_code == 422
    assert "The file must be smaller than" in response.content.decode()


def test_the_list_of_runs_takes_a_fixed_number_of_queries(
    admin_client, administrator, django_assert_max_num_queries
):
    for number in range(30):
        ImportRun.objects.create(
            source="spreadsheet",
            label=f"history-{number}.xlsx",
            started_by=administrator,
            status="done",
            problems=[{"where": "x", "field": "", "message": "y"}],
        )

    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("transfer:import-list"))

    assert response.content.decode().count("history-") == 30


def test_a_run_s_page_takes_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    run = ImportRun.objects.create(
        source="spreadsheet",
        label="history.xlsx",
        status="done",
        counts={"meeting": {"created": 3}},
        problems=[
            {"where": f"row {n}", "field": "date", "message": "Wrong here."} for n in range(300)
        ],
    )

    with django_assert_max_num_queries(12):
        response = admin_client.get(run.get_absolute_url())

    assert response.content.decode().count("Wrong here.") == 300


def test_the_task_runs_a_run_once_and_again_only_if_its_worker_stopped(tmp_path, administrator):
    from transfer import tasks

    (tmp_path / "people.csv").write_text(PEOPLE)
    finished = ImportRun.objects.create(
        source="spreadsheet", label=str(tmp_path), status="done", started_by=administrator
    )
    stopped = ImportRun.objects.create(
        source="spreadsheet", label=str(tmp_path), status="running", started_by=administrator
    )

    tasks.run_import.call(finished.pk)
    tasks.run_import.call(stopped.pk)

    finished.refresh_from_db()
    stopped.refresh_from_db()
    assert finished.counts == {}
    assert stopped.wrote and stopped.counts["person"] == {"created": 3}


def test_where_each_record_came_from_is_in_the_administration_site(
    admin_client, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("transfer:import-start"),
            {"source": "spreadsheet", "upload": csv_zip(people=PEOPLE, bodies=BODIES)},
        )
    run = ImportRun.objects.get()

    response = admin_client.get(
        reverse("admin:transfer_importedrecord_changelist") + f"?last_run__id__exact={run.pk}"
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Scrutiny Board (Strategy and Resources)" in page
    assert "spreadsheet" in page
