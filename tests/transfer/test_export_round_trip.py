"""Take it all out, bring it all back: the demo council, with a record of every kind the demo
lacks, is exported, the install emptied (a new one: nothing but what ``migrate`` makes, and an
administrator), and the archive imported. Every record of every domain model comes back with
its id and every field as it was, many-to-many lists, history and files' bytes included, the
accounts without passwords, and search finds what it found; importing again changes nothing."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, models, transaction
from django.test import override_settings

from boards.models import AgendaItem, AgendaTemplateItem, Board, Meeting, NamedSubstitute, Paper
from boards.models import Person as PersonModel
from boards.roles import sync_role_groups
from boards.services import paper_upload
from decisions.models import CallInRules, ExecutiveDecision, ForwardPlanEntry
from inquiries.models import Evidence, Inquiry, Session, WorkScheduleEntry
from minutes.models import Attendance, Decision, MeetingEvent, Minute, Movement
from recommendations.categories import ensure_default_categories
from recommendations.models import Appendix, ProgressUpdate, Statement
from search import index
from search.models import SearchEntry
from summons.models import ExtraRecipient
from tests.conftest import FAST_SETTINGS
from tests.factories import pdf_bytes
from transfer import export
from transfer.models import ImportedRecord, ImportRun

pytestmark = pytest.mark.django_db

# What a new install holds before anyone uses it: what ``migrate`` makes.
KEPT_BY_A_NEW_INSTALL = {ContentType, Permission, Group, Group.permissions.through}
ADMIN = "admin"  # the new install's administrator, and a user name the demo has too


def complete_the_council() -> None:
    """A record of each kind the demo has none of (and its history), files of every field."""
    board = Board.objects.get(slug="strategy-and-resources")
    meeting = Meeting.objects.filter(board=board, attendances__isnull=False).first()
    assert meeting is not None
    item = meeting.agenda_items.order_by("number").first()
    councillors = list(PersonModel.objects.councillors().order_by("pk")[:2])
    NamedSubstitute.objects.create(
        board=board,
        person=councillors[0],
        for_member=councillors[1],
        starts_on=datetime.date(2015, 5, 21),
    )
    AgendaTemplateItem.objects.create(
        board=board, position=1, kind=AgendaItem.Kind.APOLOGIES, title="Apologies for absence"
    )
    attendance = Attendance.objects.filter(meeting=meeting).order_by("pk").first()
    Movement.objects.create(
        attendance=attendance,
        kind=Movement.Kind.LEFT,
        at=datetime.time(11, 5, 30),
        agenda_item=item,
    )
    MeetingEvent.objects.create(
        meeting=meeting,
        kind=MeetingEvent.Kind.ADJOURNED,
        agenda_item=item,
        adjourned_at=datetime.time(10, 30),
        resumed_at=datetime.time(10, 45),
    )
    minute = Minute.objects.filter(decision__isnull=True).order_by("pk").first()
    Decision.objects.create(minute=minute, reasons="To balance the budget.", key_decision=True)
    CallInRules.objects.create(window_days=6, window_working_days=False)
    inquiry = Inquiry.objects.order_by("pk").first()
    Evidence.objects.create(
        inquiry=inquiry,
        kind=Evidence.Kind.WRITTEN,
        title="Written evidence from the Citizens Advice Bureau",
        received_on=datetime.date(2016, 2, 1),
        file=ContentFile(pdf_bytes(2, "Evidence"), name="evidence.pdf"),
        page_count=2,
        exempt=True,
    )
    WorkScheduleEntry.objects.create(
        board=board,
        area="Budget",
        month=datetime.date(2016, 1, 1),
        note="Initial budget proposals",
        forward_plan_entry=ForwardPlanEntry.objects.order_by("pk").first(),
    )
    Appendix.objects.create(
        statement=Statement.objects.order_by("pk").first(),
        position=1,
        title="Witnesses",
        body="The board heard from **officers**.",
    )
    Session.objects.order_by("pk").first().witnesses.add(  # type: ignore[union-attr]
        PersonModel.objects.officers().order_by("pk").first()
    )
    ProgressUpdate.objects.order_by("pk").first().evidence.add(  # type: ignore[union-attr]
        Paper.objects.order_by("pk").first()
    )
    councillors[0].photo.save("photo.jpg", ContentFile(b"\xff\xd8\xff\xe0 a photograph"))
    # A paper's file replaced: the first is named by its history alone.
    replaced = Paper.objects.exclude(file="").order_by("pk").first()
    assert replaced is not None
    paper_upload(paper=replaced, upload=ContentFile(pdf_bytes(3, "Corrected"), name="new.pdf"))
    decision = ExecutiveDecision.objects.order_by("pk").first()
    assert decision is not None
    decision.report.save("report.pdf", ContentFile(pdf_bytes(1, "Decision report")))
    # The summons' list: someone a clerk added to a body's list.
    ExtraRecipient.objects.create(
        board=Board.objects.order_by("pk").first(),
        name="Press office",
        email="press@example.gov.uk",
        reason="Press office",
    )


def domain_tables() -> list[type[models.Model]]:
    """Every table of the domain: its models, their history, and many-to-many tables."""
    return [
        model
        for app in export.RECORD_APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    ]


def snapshot() -> dict[str, Any]:
    """Every row of every domain table, field by field (accounts by user name: they get ids of
    the new install's); the rows of a many-to-many table (whose own ids are not kept) as the
    pairs they join."""
    usernames = dict(User.objects.values_list("pk", "username"))

    def value_of(record: models.Model, field: models.Field) -> Any:
        value = getattr(record, field.attname)
        if isinstance(field, models.ForeignKey) and field.related_model is User:
            return None if value is None else usernames.get(value, f"missing {value}")
        if isinstance(value, models.fields.files.FieldFile):
            return value.name
        return value

    rows: dict[str, Any] = {}
    for model in domain_tables():
        fields = model._meta.concrete_fields
        records = model._base_manager.order_by("pk")
        if model._meta.auto_created:
            pairs = [f for f in fields if not f.primary_key]
            rows[export.label(model)] = sorted(
                tuple(getattr(r, f.attname) for f in pairs) for r in records
            )
        else:
            rows[export.label(model)] = {
                r.pk: {f.name: value_of(r, f) for f in fields} for r in records
            }
    return rows


def stored_files() -> dict[str, bytes]:
    """The bytes of every file a domain record names, or its history (a paper's file before
    it was replaced)."""
    found = {}
    for model in domain_tables():
        for field, storage in export.file_fields(model):
            names = model._base_manager.exclude(**{field.attname: ""}).values_list(
                field.attname, flat=True
            )
            for name in names:
                if storage.exists(name):  # history may name a file deleted since
                    with storage.open(name, "rb") as content:
                        found[name] = content.read()
    return found


def accounts() -> dict[str, tuple]:
    return {
        user.username: (
            user.first_name,
            user.last_name,
            user.email,
            user.is_active,
            user.is_staff,
            user.is_superuser,
            user.date_joined,
            sorted(group.name for group in user.groups.all()),
        )
        for user in User.objects.prefetch_related("groups")
    }


def search_entries() -> set[tuple]:
    return set(SearchEntry.objects.values_list("kind", "object_id", "listing", "title", "date"))


def empty_install() -> User:
    """The database of a new install: every table emptied but what ``migrate`` makes (its
    default tracking categories and role groups made again, as after migrate), and an
    administrator, who will run the import. (The caller gives it an empty MEDIA_ROOT.)"""
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if not model._meta.managed or model._meta.proxy or model in KEPT_BY_A_NEW_INSTALL:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a table name, quoted
    ensure_default_categories()
    sync_role_groups()
    return User.objects.create_superuser(ADMIN, "new-admin@example.gov.uk", "a-long-new-password")


def export_to(path: Path, **options: Any) -> Path:
    call_command(
        "export_council", str(path), site_url="http://testserver", stdout=io.StringIO(), **options
    )
    return path


def import_from(path: Path, **options: Any) -> str:
    out = io.StringIO()
    call_command("import_council", "archive", str(path), stdout=out, **options)
    return out.getvalue()


@dataclass(frozen=True)
class Journey:
    """The council before it left and after it came back, and what importing again did."""

    before: dict[str, Any]
    after: dict[str, Any]
    output: str
    again: ImportRun
    after_again: dict[str, Any]
    provenance: tuple[int, int]  # records remembered after the first import and the second
    meeting_provenance: ImportedRecord


def state() -> dict[str, Any]:
    return {
        "rows": snapshot(),
        "files": stored_files(),
        "accounts": accounts(),
        "search": search_entries(),
        "usable_passwords": sorted(
            user.username for user in User.objects.all() if user.has_usable_password()
        ),
    }


@pytest.fixture(scope="module")
def journey(demo_council, django_db_blocker, tmp_path_factory) -> Journey:
    """The whole journey once for the module (it takes a while), in a transaction rolled back
    at the end: the complete demo council out, a new install, the archive in, and in again."""
    folder = tmp_path_factory.mktemp("journey")
    with (
        django_db_blocker.unblock(),
        override_settings(**FAST_SETTINGS, MEDIA_ROOT=folder / "old-media"),
        transaction.atomic(),
    ):
        demo_council.restore(media_root=folder / "old-media")
        complete_the_council()
        index.rebuild()
        before = state()
        empty = [label for label, rows in before["rows"].items() if not rows]
        assert not empty, f"Give the test's council records of these kinds too: {empty}"
        archive = export_to(folder / "council.zip")
        with override_settings(MEDIA_ROOT=folder / "new-media"):
            empty_install()
            output = import_from(archive)
            after = state()
            remembered = ImportedRecord.objects.count()
            meeting = Meeting.objects.order_by("pk").first()
            assert meeting is not None
            meeting_provenance = ImportedRecord.objects.get(
                content_type=ContentType.objects.get_for_model(Meeting),
                object_id=str(meeting.pk),
            )
            import_from(archive)
            again = ImportRun.objects.order_by("-pk").first()
            assert again is not None
            after_again = state()
            provenance = (remembered, ImportedRecord.objects.count())
        transaction.set_rollback(True)
    ContentType.objects.clear_cache()
    return Journey(before, after, output, again, after_again, provenance, meeting_provenance)


def test_every_record_comes_back_with_its_id_and_every_field(journey):
    assert "Imported." in journey.output
    before, after = journey.before["rows"], journey.after["rows"]
    assert after.keys() == before.keys()
    for label, rows in before.items():
        assert after[label] == rows, f"{label} did not come back as it was"


def test_every_file_comes_back_byte_for_byte(journey):
    # The demo's papers, a photo, written evidence, a decision's report, a replaced paper.
    assert len(journey.before["files"]) >= 27
    assert journey.after["files"] == journey.before["files"]


def test_accounts_come_back_without_passwords_and_the_administrator_is_kept(journey):
    before, after = dict(journey.before["accounts"]), dict(journey.after["accounts"])
    admin = after.pop(ADMIN)
    assert admin[2] == "new-admin@example.gov.uk" and admin[5]  # kept as it was, superuser
    del before[ADMIN]
    assert after == before
    assert journey.after["usable_passwords"] == [ADMIN]


def test_search_finds_what_it_found_before(journey):
    assert journey.before["search"]
    assert journey.after["search"] == journey.before["search"]


def test_importing_the_archive_again_changes_nothing(journey):
    run = journey.again
    assert run.status == ImportRun.Status.DONE and not run.problems
    actions = {action for kinds in run.counts.values() for action in kinds}
    assert actions <= {"unchanged", "matched"}, run.counts
    assert journey.after_again == journey.after
    remembered, again = journey.provenance
    assert remembered == again > 1900


def test_each_record_remembers_the_archive_it_came_from(journey):
    provenance = journey.meeting_provenance
    assert provenance.source == "archive:aldermoor-city-council"
    assert provenance.external_id == f"boards.meeting:{provenance.object_id}"
