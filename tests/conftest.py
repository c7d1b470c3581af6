import os

import pytest
from asgiref.local import Local
from django.dispatch import receiver
from django.tasks import task_backends
from django.test import Client
from django.test.signals import setting_changed

from boards.roles import Role
from tests.factories import BoardFactory, MembershipFactory, PersonFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI nothing is skipped: a test that would skip for a missing service fails."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI=true, which counts as a failure: {report.longrepr}"


def tasks_setting(backend: str) -> dict:
    """TASKS with another backend and the project's queues."""
    from scrutiny import settings as project

    return {"default": {**project.TASKS["default"], "BACKEND": backend}}


# Tests run background tasks at once, inside the request; a test that wants the database queue
# and a worker (or the dummy backend, to see what was queued) sets TASKS itself.
IMMEDIATE_TASKS = tasks_setting("django.tasks.backends.immediate.ImmediateBackend")
DATABASE_TASKS = tasks_setting("django_tasks_db.DatabaseBackend")
DUMMY_TASKS = tasks_setting("django.tasks.backends.dummy.DummyBackend")


@receiver(setting_changed)
def _reset_task_backends(*, setting, **kwargs):
    """Django keeps its task backends once made; a changed TASKS setting makes them anew."""
    if setting == "TASKS":
        task_backends.__dict__.pop("settings", None)
        task_backends._settings = None
        task_backends._connections = Local(task_backends.thread_critical)


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.TASKS = IMMEDIATE_TASKS
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def make_user(db):
    """A user in the given role; officers support a board, councillors sit on one."""

    def make(role: Role | None, **kwargs):
        return UserFactory(roles=[role] if role else [], **kwargs)

    return make


@pytest.fixture
def board(db):
    return BoardFactory()


@pytest.fixture
def officer(db, board):
    user = UserFactory(roles=[Role.OFFICER])
    board.support_officer = PersonFactory(officer=True, user=user)
    board.save()
    return user


@pytest.fixture
def clerk(db):
    return UserFactory(roles=[Role.CLERK])


@pytest.fixture
def councillor(db, board):
    user = UserFactory(roles=[Role.COUNCILLOR])
    MembershipFactory(board=board, person=PersonFactory(user=user))
    return user


@pytest.fixture
def administrator(db):
    return UserFactory(roles=[Role.ADMINISTRATOR], is_staff=True)


@pytest.fixture
def client_for():
    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


CANARY = "CANARY-7f3a9c-exempt"


def meeting_with_exempt_item(board, *, subject=None):
    """An unpublished meeting of ``board``: an open report with an exempt appendix (a PDF) and
    an open one, and an exempt item with its report, the exempt parts holding the canary."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from boards import services
    from boards.models import AgendaItem, Paper, ReportSection
    from tests.factories import MeetingFactory, pdf_bytes

    meeting = MeetingFactory(board=board)
    open_item = services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(title="Open report on budgets", purpose="Open purpose.", subject=subject),
    )
    report = services.paper_write(
        paper=Paper(agenda_item=open_item, title="Budget report", summary="Open summary.")
    )
    ReportSection.objects.create(paper=report, number=1, heading="Purpose", body="Open body.")
    services.paper_upload(
        paper=Paper(
            agenda_item=open_item,
            parent=report,
            kind=Paper.Kind.APPENDIX,
            title="Appendix A – supplier prices",
            exempt=True,
            exempt_paragraph=3,
            public_interest_reasoning="Commercially sensitive.",
        ),
        upload=SimpleUploadedFile("prices.pdf", pdf_bytes(2, CANARY), "application/pdf"),
    )
    services.paper_upload(
        paper=Paper(
            agenda_item=open_item, title="Open appendix", parent=report, kind=Paper.Kind.APPENDIX
        ),
        upload=SimpleUploadedFile("open.pdf", pdf_bytes(1, "open-text"), "application/pdf"),
    )
    exempt_item = services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(
            title="Staffing restructure",
            purpose=f"Exempt purpose {CANARY}.",
            exempt=True,
            exempt_paragraph=1,
            public_interest_reasoning="Individuals could be identified.",
            subject=subject,
        ),
    )
    exempt_report = services.paper_write(
        paper=Paper(agenda_item=exempt_item, title="Restructure report", summary=CANARY)
    )
    ReportSection.objects.create(paper=exempt_report, number=1, heading="Detail", body=CANARY)
    return meeting


@pytest.fixture
def published_meeting(db, board, clerk):
    """``meeting_with_exempt_item`` with its agenda published; then a draft item added since."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from boards import services
    from boards.models import AgendaItem, Paper
    from tests.factories import pdf_bytes

    meeting = meeting_with_exempt_item(board)
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")
    draft = services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Draft item not yet published", purpose="Draft.")
    )
    services.paper_upload(
        paper=Paper(agenda_item=draft, title="Draft paper"),
        upload=SimpleUploadedFile("draft.pdf", pdf_bytes(1, "draft-text"), "application/pdf"),
    )
    return meeting


@pytest.fixture
def audiences(board, officer, clerk, councillor, administrator):
    """A signed-in client for each audience of a permission matrix, and the public."""
    from tests.factories import audience_clients

    return audience_clients(
        officer=officer, clerk=clerk, councillor=councillor, administrator=administrator
    )


@pytest.fixture
def editor(client_for, officer):
    return client_for(officer)
