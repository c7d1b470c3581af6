"""What the whole suite shares: settings, the audiences of a board, published meetings with an
exempt canary, inquiries, the demo council, and PDFs left unprinted.

Tests sit under the app they test (``tests/<app>/``), browser journeys in ``tests/browser/``, and
what crosses every app (the canary in every channel, URL coverage, what each page says about
itself, the project's settings and its architecture) at the top of ``tests/``.
"""

import datetime
import io
import itertools
import os
import shutil
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from asgiref.local import Local
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.dispatch import receiver
from django.tasks import task_backends
from django.test import Client, override_settings
from django.test.signals import setting_changed

from boards.roles import Role
from tests.factories import BoardFactory, MembershipFactory, PersonFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"
LONDON = zoneinfo.ZoneInfo("Europe/London")


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


FAST_SETTINGS = {
    "TASKS": IMMEDIATE_TASKS,
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    # Tests run at the priority they started at (the worker and render processes would lower
    # the test process's own, for good); tests of it set their own.
    "PACK_RENDER_NICENESS": 0,
}


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    for name, value in FAST_SETTINGS.items():
        setattr(settings, name, value)
    settings.MEDIA_ROOT = tmp_path / "media"
    # Nothing cached by one test reaches the next (the OParl API keeps objects' JSON there).
    caches["default"].clear()


# The demo council -------------------------------------------------------------------------------


def _tables() -> list[type[models.Model]]:
    """A model for each table the project's migrations make (many-to-many tables included)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


@dataclass(frozen=True)
class DemoCouncil:
    """The database as ``load_demo`` leaves it (every row of every table), the files it
    uploaded, and what it printed."""

    rows: dict[type[models.Model], list[models.Model]]
    media: Path
    output: str

    def restore(self, media_root: Path) -> None:
        """Put the demo in place of whatever the database holds: inside a test's transaction, or
        committed for a browser test (whose database is flushed afterwards, as ever)."""
        shutil.copytree(self.media, media_root, dirs_exist_ok=True)
        with transaction.atomic(), connection.cursor() as cursor:
            # Foreign keys are checked when the transaction ends, so the order does not matter.
            for model in self.rows:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a table name, quoted
            for model, rows in self.rows.items():
                # Inserted as loaddata saves them (raw: timestamps kept, no signals), in bulk.
                fields = [f for f in model._meta.local_concrete_fields if not f.generated]
                for batch in itertools.batched(rows, 500):
                    model._base_manager._insert(batch, fields=fields, raw=True)
            # Rows inserted with their ids leave PostgreSQL's sequences where they were, which a
            # transactional test's flush sets back to 1: bring them past the ids inserted.
            for statement in connection.ops.sequence_reset_sql(no_style(), list(self.rows)):
                cursor.execute(statement)
        ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def demo_council(django_db_setup, django_db_blocker, tmp_path_factory) -> DemoCouncil:
    """The demo council, loaded once per test process (and rolled back at once)."""
    media = tmp_path_factory.mktemp("demo-media")
    output = io.StringIO()
    with (
        django_db_blocker.unblock(),
        override_settings(**FAST_SETTINGS, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=output)
        rows = {model: list(model._base_manager.order_by("pk")) for model in _tables()}
        transaction.set_rollback(True)
    ContentType.objects.clear_cache()
    return DemoCouncil(rows=rows, media=media, output=output.getvalue())


@pytest.fixture
def demo(demo_council, db, settings) -> DemoCouncil:
    """The demo council in the database and MEDIA_ROOT, as ``load_demo`` leaves them: what a
    test makes before asking for it is gone, and what it changes after is undone as ever."""
    demo_council.restore(media_root=settings.MEDIA_ROOT)
    yield demo_council
    ContentType.objects.clear_cache()


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
        """Signed in with the password and, for staff, the second factor."""
        from tests.factories import sign_in

        return sign_in(Client(), user)

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


# Inquiries and their statements ---------------------------------------------------------------


@pytest.fixture
def inquiry(board):
    """An inquiry of the board, just proposed."""
    from inquiries import services

    return services.inquiry_create(
        board=board, title="Inquiry into ICT Capacity", on=datetime.date(2016, 6, 1)
    )


@pytest.fixture
def inquiries_with_statements(board, officer):
    """Two inquiries of the board, each with a recommendation: one still drafting its statement,
    one whose statement is published; and a meeting of the board in September 2017."""
    from boards import services as board_services
    from inquiries import services
    from recommendations import services as recommendation_services
    from tests.factories import RecommendationFactory, StatementFactory, VenueFactory

    draft = services.inquiry_create(
        board=board, title="Inquiry into bus lanes", on=datetime.date(2017, 1, 9)
    )
    RecommendationFactory(statement=StatementFactory(inquiry=draft))
    published = services.inquiry_create(
        board=board, title="Inquiry into ICT", on=datetime.date(2016, 6, 1)
    )
    statement = StatementFactory(inquiry=published)
    RecommendationFactory(statement=statement)
    recommendation_services.statement_publish(statement=statement, on=datetime.date(2017, 5, 31))
    board_services.meeting_create(
        board=board,
        starts_at=datetime.datetime(2017, 9, 18, 10, tzinfo=LONDON),
        venue=VenueFactory(),
    )
    return SimpleNamespace(board=board, draft=draft, published=published)


@pytest.fixture
def published_inquiry(board):
    """An inquiry of the board whose published statement has a desired outcome, a section of
    two paragraphs and a footnote, and five tracked recommendations."""
    from inquiries import services
    from recommendations import services as recommendation_services
    from tests.factories import DesiredOutcomeFactory, StatementFactory, tracked_recommendations

    inquiry = services.inquiry_create(
        board=board, title="Inquiry into ICT", on=datetime.date(2016, 6, 1)
    )
    statement = StatementFactory(
        inquiry=inquiry,
        published_on=datetime.date(2017, 5, 31),
        response_due_on=datetime.date(2017, 7, 31),
    )
    DesiredOutcomeFactory(statement=statement)
    section = statement.sections.create(position=1, heading="Introduction")
    recommendation_services.section_save(section=section, body="One.[^1]\n\n[^1]: A note.\n\nTwo.")
    tracked_recommendations(statement, 5)
    return inquiry


@pytest.fixture
def pdf_layout_skipped():
    """PDF views answer without WeasyPrint's layout (see ``tests.pdfs.layout_skipped``)."""
    from tests.pdfs import layout_skipped

    with layout_skipped():
        yield
