"""Each pack built once: requests at once start one build, a rebuild joins a build under way,
builds at once never spoil each other's files, and a failed build is a failed task."""

import datetime
import os
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.tasks import TaskResultStatus, task_backends
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from boards.models import ReportSection
from packs import pdfparts
from packs import services as packs
from packs.models import AgendaPack
from packs.tasks import build_agenda_pack
from tests.conftest import DATABASE_TASKS, DUMMY_TASKS, meeting_with_exempt_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_process(settings):
    settings.PACK_RENDER_PROCESSES = 1
    settings.PACK_INLINE_MAX_PAGES = 1000


def _builds_queued() -> int:
    return sum(1 for r in task_backends["default"].results if r.task.name == "build_agenda_pack")


def test_two_clerks_pressing_rebuild_start_one_build(
    settings, published_meeting, client_for, clerk, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    settings.PACK_INLINE_MAX_PAGES = 0
    rebuild = reverse("packs:pack-build", args=[published_meeting.pk, "members"])
    first, second = client_for(clerk), client_for(clerk)

    with django_capture_on_commit_callbacks(execute=True):
        first.post(rebuild, {"rebuild": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        second.post(rebuild, {"rebuild": "1"})
        first.get(reverse("packs:pack-download", args=[published_meeting.pk, "members"]))

    assert _builds_queued() == 1
    pack = AgendaPack.objects.get(meeting=published_meeting, edition="members")
    assert pack.status == "queued" and pack.build_task_id


def test_a_rebuild_once_the_build_has_finished_builds_again(
    settings, published_meeting, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        packs.request(published_meeting, "public", background=True)
    pack = AgendaPack.objects.get(meeting=published_meeting, edition="public")
    packs.build(pack)  # what the worker does

    with django_capture_on_commit_callbacks(execute=True):
        packs.request(published_meeting, "public", rebuild=True, background=True)

    assert _builds_queued() == 2


def test_a_queued_build_whose_task_will_not_run_is_queued_again(
    settings, published_meeting, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        packs.request(published_meeting, "public", background=True)
    pack = AgendaPack.objects.get(meeting=published_meeting, edition="public")
    assert packs.build_under_way(pack)
    DBTaskResult.objects.filter(pk=pack.build_task_id).update(status=TaskResultStatus.FAILED)
    pack.refresh_from_db()
    assert not packs.build_under_way(pack)

    with django_capture_on_commit_callbacks(execute=True):
        packs.request(published_meeting, "public", background=True)

    assert DBTaskResult.objects.filter(task_path=build_agenda_pack.module_path).count() == 2
    pack.refresh_from_db()
    assert str(DBTaskResult.objects.ready().get().pk) == pack.build_task_id


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_start_one_build(settings, board, monkeypatch):
    """The first request holds the pack's row while it queues the build; the second waits for
    it, then joins that build. (SQLite lets one transaction write at a time, and its test
    database lives in memory, where a second connection is refused rather than made to wait:
    there the requests are made one after the other.)"""
    settings.TASKS = DATABASE_TASKS
    meeting = meeting_with_exempt_item(board)
    packs.plan(meeting, "public")  # templates loaded once, before the threads
    AgendaPack.objects.create(meeting=meeting, edition="public")  # asked for before, say
    if connection.vendor != "postgresql":
        for _ in range(2):
            packs.request(meeting, "public", background=True)
        assert DBTaskResult.objects.count() == 1
        return

    queued, release, done = threading.Event(), threading.Event(), threading.Event()
    real_progress = packs._progress

    def hold_while_queuing(pack, **fields):
        real_progress(pack, **fields)
        if threading.current_thread().name == "first" and fields.get("status") == "queued":
            queued.set()
            release.wait(timeout=20)

    monkeypatch.setattr(packs, "_progress", hold_while_queuing)
    errors = []

    def ask(name):
        try:
            packs.request(meeting, "public", background=True)
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()
            if name == "second":
                done.set()

    first = threading.Thread(target=ask, args=["first"], name="first")
    second = threading.Thread(target=ask, args=["second"], name="second")
    first.start()
    assert queued.wait(timeout=20)
    second.start()

    def second_waits_for_the_lock() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0

    deadline = time.monotonic() + 20
    while not (done.is_set() or second_waits_for_the_lock()):
        assert time.monotonic() < deadline, "the second request neither waited nor finished"
        time.sleep(0.05)
    release.set()
    first.join(timeout=20)
    second.join(timeout=20)

    assert errors == []
    assert DBTaskResult.objects.filter(task_path=build_agenda_pack.module_path).count() == 1


# Builds at once -------------------------------------------------------------------------------


def _leftovers(settings) -> list[Path]:
    return list((Path(settings.MEDIA_ROOT) / "packs").glob(".building-*"))


def test_two_builds_at_once_each_write_their_own_file_and_both_succeed(
    published_meeting, monkeypatch, settings
):
    pack = AgendaPack.objects.create(meeting=published_meeting, edition="members")
    real_assemble = pdfparts.assemble
    outputs = []

    def assemble_while_another_build_runs(document, out_path):
        outputs.append(Path(out_path))
        pages = real_assemble(document, out_path)
        if len(outputs) == 1:  # the first build: a second one runs to the end meanwhile
            packs.build(AgendaPack.objects.get(pk=pack.pk))
        return pages

    monkeypatch.setattr(pdfparts, "assemble", assemble_while_another_build_runs)
    packs.build(pack)

    pack.refresh_from_db()
    assert len(outputs) == 2 and outputs[0] != outputs[1]
    assert pack.status == "ready" and pack.error == ""
    assert len(PdfReader(pack.file.path).pages) == pack.page_count
    assert pack.file.name == f"packs/{published_meeting.pk}-members-{pack.fingerprint[:16]}.pdf"
    assert _leftovers(settings) == []


def test_a_build_overtaken_by_a_change_keeps_its_file_and_leaves_the_newer_build_queued(
    published_meeting, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    pack = AgendaPack.objects.create(meeting=published_meeting, edition="members")
    real_assemble = pdfparts.assemble

    def assemble_while_the_papers_change(document, out_path):
        section = ReportSection.objects.get(paper__title="Budget report")
        section.body = "Changed while the pack was being put together."
        section.save()
        with django_capture_on_commit_callbacks(execute=True):
            packs.request(published_meeting, "members", background=True)
        return real_assemble(document, out_path)

    monkeypatch.setattr(pdfparts, "assemble", assemble_while_the_papers_change)
    packs.build(pack)

    pack.refresh_from_db()
    assert pack.has_file and pack.page_count  # the good pack it built is kept...
    assert pack.status == "queued" and pack.wanted_fingerprint != pack.fingerprint  # ...and
    assert _builds_queued() == 1  # the newer content's build is still to come
    assert _leftovers(settings) == []


def test_builds_killed_part_way_leave_files_that_pruning_deletes(settings):
    folder = Path(settings.MEDIA_ROOT) / "packs"
    folder.mkdir(parents=True)
    old, recent = folder / ".building-1-public-abc-old.pdf", folder / ".building-2-new.pdf"
    for path in (old, recent):
        path.write_bytes(b"%PDF-1.7 half a pack")
    two_days_ago = time.time() - datetime.timedelta(days=2).total_seconds()
    os.utime(old, (two_days_ago, two_days_ago))

    packs.prune_cache(unused_for=datetime.timedelta(days=30))

    assert not old.exists() and recent.exists()


# A failed build is a failed task --------------------------------------------------------------


def test_a_failed_build_is_recorded_on_the_pack_and_as_a_failed_task(
    settings, published_meeting, monkeypatch
):
    settings.TASKS = DATABASE_TASKS

    def disk_full(document, out_path):
        raise OSError("No space left on device")

    monkeypatch.setattr(pdfparts, "assemble", disk_full)
    pack = AgendaPack.objects.create(meeting=published_meeting, edition="public")
    row = DBTaskResult.objects.get(pk=build_agenda_pack.enqueue(pack.pk).id)
    row.claim("w")

    DatabaseWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w",
        excluded_queue_names=[],
    ).run_task(row)

    row.refresh_from_db()
    pack.refresh_from_db()
    assert pack.status == "failed"
    assert pack.error == "The papers could not be put together: No space left on device"
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "packs.services.PackError"
    assert "No space left on device" in row.traceback
    assert _leftovers(settings) == []
