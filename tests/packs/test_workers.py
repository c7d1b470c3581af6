"""Workers that recover: the heartbeat, the tasks of stopped workers put back on the queue (or
failed after too many tries), the pack's page when no worker is running, and a worker killed
mid-task in a real process, whose task the next worker finishes."""

import datetime
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as project_settings
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from packs import workers
from packs.models import AgendaPack, Worker
from packs.tasks import build_agenda_pack
from tests.conftest import DATABASE_TASKS, DUMMY_TASKS
from tests.packs import worker_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_lease(settings):
    settings.WORKER_HEARTBEAT_SECONDS = 5
    settings.WORKER_LEASE_SECONDS = 30
    settings.WORKER_MAX_ATTEMPTS = 3
    settings.PACK_RENDER_PROCESSES = 1


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_TASKS


def _worker(worker_id: str, *, silent_for: float = 0, queues: str = "*") -> Worker:
    """A worker whose last beat was ``silent_for`` seconds ago."""
    beat = timezone.now() - datetime.timedelta(seconds=silent_for)
    return Worker.objects.create(
        id=worker_id,
        pid=4242,
        queues=queues,
        started=beat - datetime.timedelta(hours=1),
        last_beat=beat,
    )


def _running(task, *worker_ids: str, started_ago: float = 0) -> DBTaskResult:
    """The queued ``task`` as it is after each of ``worker_ids`` took it in turn."""
    row = DBTaskResult.objects.get(pk=task.id)
    for worker_id in worker_ids:
        row.claim(worker_id)
    row.started_at = timezone.now() - datetime.timedelta(seconds=started_ago)
    row.save(update_fields=["started_at"])
    return row


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.1):
    """Poll ``condition`` until it gives something true, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Gave up after {timeout} s waiting for {what}")


# Reclaiming the tasks of stopped workers ------------------------------------------------------


def test_a_running_task_whose_worker_stopped_beating_goes_back_on_the_queue(database_queue):
    _worker("stopped", silent_for=31)
    row = _running(worker_tasks.slow_the_first_time.enqueue("x"), "stopped")

    reclaimed = workers.reclaim()

    row.refresh_from_db()
    assert reclaimed.requeued == [row] and reclaimed.failed == []
    assert row.status == TaskResultStatus.READY and row.started_at is None
    assert row.worker_ids == ["stopped"]  # one attempt so far
    assert list(DBTaskResult.objects.ready()) == [row]  # the next worker takes it


def test_a_running_task_of_a_live_worker_is_left_alone(database_queue):
    _worker("alive", silent_for=29)
    row = _running(worker_tasks.slow_the_first_time.enqueue("x"), "stopped", "alive")

    reclaimed = workers.reclaim()

    row.refresh_from_db()
    assert reclaimed.requeued == [] and row.status == TaskResultStatus.RUNNING


def test_a_task_of_a_worker_that_never_beat_is_reclaimed_a_lease_after_it_started(database_queue):
    """``db_worker`` itself doesn't beat: its task is given a lease from when it started."""
    recent = _running(worker_tasks.slow_the_first_time.enqueue("a"), "db_worker", started_ago=10)
    old = _running(worker_tasks.slow_the_first_time.enqueue("b"), "db_worker", started_ago=31)

    workers.reclaim()

    recent.refresh_from_db()
    old.refresh_from_db()
    assert recent.status == TaskResultStatus.RUNNING
    assert old.status == TaskResultStatus.READY


def test_a_task_whose_worker_stops_every_time_fails_after_the_last_attempt_saying_why(
    database_queue,
):
    _worker("third", silent_for=60)
    row = _running(worker_tasks.slow_the_first_time.enqueue("x"), "first", "second", "third")

    reclaimed = workers.reclaim()

    row.refresh_from_db()
    assert reclaimed.failed == [row] and reclaimed.requeued == []
    assert row.status == TaskResultStatus.FAILED and row.finished_at is not None
    assert row.exception_class_path == "packs.workers.WorkerLost"
    assert "stopped before it finished, 3 times" in row.traceback
    assert "worker third" in row.traceback
    # Django's own view of the result says the same.
    result = worker_tasks.slow_the_first_time.get_result(str(row.pk))
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "packs.workers.WorkerLost"


def test_a_pack_whose_build_kept_killing_its_worker_is_marked_failed(
    database_queue, published_meeting, client_for, clerk
):
    pack = AgendaPack.objects.create(
        meeting=published_meeting, edition="members", status=AgendaPack.Status.BUILDING
    )
    _worker("gone", silent_for=60)
    _running(build_agenda_pack.enqueue(pack.pk), "a", "b", "gone")

    workers.reclaim()

    pack.refresh_from_db()
    assert pack.status == AgendaPack.Status.FAILED
    assert pack.error == "The print worker stopped while building this pack, more than once."
    page = client_for(clerk).get(
        reverse("packs:pack-status", args=[published_meeting.pk, "members"])
    )
    assert "The pack could not be built" in page.text
    assert "The print worker stopped while building this pack" in page.text
    assert "Try again" in page.text


def test_rows_of_dead_workers_are_kept_a_day(database_queue):
    _worker("yesterday", silent_for=25 * 3600)
    _worker("an hour ago", silent_for=3600)
    _worker("alive")

    workers.reclaim()

    assert set(Worker.objects.values_list("pk", flat=True)) == {"an hour ago", "alive"}


# The heartbeat --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_registers_the_worker_beats_it_and_retires_it(settings, monkeypatch):
    settings.WORKER_HEARTBEAT_SECONDS = 0.05
    beats, reclaims = threading.Event(), []
    real_beat, real_reclaim = workers.beat, workers.reclaim

    def counted_beat(worker):
        real_beat(worker)
        if len(reclaims) >= 3:
            beats.set()

    def counted_reclaim(now=None):
        reclaims.append(threading.current_thread().name)
        return real_reclaim(now)

    monkeypatch.setattr(workers, "beat", counted_beat)
    monkeypatch.setattr(workers, "reclaim", counted_reclaim)
    heartbeat = workers.Heartbeat(worker_id="w-1", queues=["packs", "email"])

    heartbeat.start()
    # Registered, and stopped workers' tasks reclaimed, before the worker takes its first task.
    worker = Worker.objects.get(pk="w-1")
    started = worker.last_beat
    assert worker.pid == os.getpid() and worker.queues == "packs,email"
    assert reclaims == ["MainThread"]
    assert beats.wait(timeout=10), "the heartbeat never beat"
    heartbeat.stop()

    assert not heartbeat.running
    assert "worker-heartbeat" in reclaims  # and again at every beat
    assert not Worker.objects.filter(pk="w-1").exists()  # a clean stop leaves no row
    assert heartbeat.worker.last_beat > started


def test_a_beat_brings_back_the_row_of_a_worker_taken_for_dead(database_queue):
    worker = workers.register(worker_id="w-2", queues=["*"])
    Worker.objects.all().delete()

    workers.beat(worker)

    assert Worker.objects.alive().get().pk == "w-2"


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_beats_under_the_id_its_tasks_record(database_queue):
    result = worker_tasks.live_workers.enqueue()

    call_command("worker", queue_name="*", batch=True, no_startup_delay=True, verbosity=0)

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == row.worker_ids  # alive while it ran the task...
    assert not Worker.objects.exists()  # ...and gone once it stopped


def test_a_restarted_worker_first_takes_up_what_a_killed_one_left(database_queue, monkeypatch):
    """The worker reclaims before it looks for work (the command is stopped before running)."""
    from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

    _worker("killed", silent_for=31)
    row = _running(worker_tasks.slow_the_first_time.enqueue("x"), "killed")
    seen = []
    monkeypatch.setattr(
        DatabaseWorkerCommand,
        "handle",
        lambda self, **o: seen.append(
            list(DBTaskResult.objects.ready().values_list("pk", flat=True))
        ),
    )

    call_command("worker", queue_name="*", batch=True)

    assert seen == [[row.pk]]


# The pack's page knows whether a worker is running --------------------------------------------


@pytest.fixture
def queued_pack(settings, published_meeting, django_capture_on_commit_callbacks):
    """Both packs of the published meeting, queued for the worker."""
    from packs import services as packs

    settings.TASKS = DUMMY_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        for edition in AgendaPack.Edition.values:
            packs.request(published_meeting, edition, background=True)
    return AgendaPack.objects.get(meeting=published_meeting, edition="public")


def _status_page(client, pack):
    return client.get(reverse("packs:pack-status", args=[pack.meeting_id, pack.edition])).text


NO_WORKER = "No worker is running</strong>: the pack will be built when one starts."


def test_without_a_live_worker_the_page_says_so_and_staff_are_told_how_to_start_one(
    queued_pack, client, client_for, clerk
):
    _worker("stopped", silent_for=31)
    _worker("email only", queues="email")
    assert queued_pack.build_task_id

    public_page = _status_page(client, queued_pack)
    clerk_page = _status_page(client_for(clerk), queued_pack)

    for page in (public_page, clerk_page):
        assert NO_WORKER in page
        assert "Being built" not in page and "<progress" not in page
        assert 'hx-trigger="every 5s"' in page  # and it says when one has started
    assert "<code>manage.py worker --queue-name '*'</code>" in clerk_page
    assert "manage.py worker" not in public_page


def test_with_a_live_worker_the_page_shows_the_builds_progress(queued_pack, client):
    _worker("alive", queues="default,packs")

    page = _status_page(client, queued_pack)

    assert "No worker is running" not in page
    assert "Waiting to be built" in page and "<progress" in page
    assert 'hx-trigger="every 1s"' in page


# A worker killed mid-task, in real processes -------------------------------------------------


def _database_for_processes(tmp_path: Path) -> tuple[str, object]:
    """The test database as a DATABASE_URL other processes can open, and a function giving a
    task's status and worker ids read from it. SQLite's test database lives in memory, so it is
    copied to a file (the processes then share that file, not the test's database)."""
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
        host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        url = f"postgres://{auth}@{host}/{params['NAME']}"

        def read(task_id: str) -> tuple[str, list[str]]:
            row = DBTaskResult.objects.get(pk=task_id)
            return row.status, row.worker_ids

        return url, read
    path = tmp_path / "worker-test.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()

    def read(task_id: str) -> tuple[str, list[str]]:
        import json

        table = DBTaskResult._meta.db_table
        with sqlite3.connect(path, timeout=20) as database:
            status, worker_ids = database.execute(
                f"SELECT status, worker_ids FROM {table} WHERE id = ?",  # noqa: S608 - our table
                [task_id.replace("-", "")],
            ).fetchone()
        database.close()
        return status, json.loads(worker_ids)

    return f"sqlite:///{path}", read


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_is_covered_for_by_the_next_one(database_queue, tmp_path):
    marker = tmp_path / "started"
    result = worker_tasks.slow_the_first_time.enqueue(str(marker))
    url, read = _database_for_processes(tmp_path)
    environment = {
        key: value for key, value in os.environ.items() if key not in {"TASKS_BACKEND", "DEBUG"}
    } | {
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PACK_RENDER_PROCESSES": "1",
        "WORKER_HEARTBEAT_SECONDS": "0.3",
        "WORKER_LEASE_SECONDS": "1.5",
    }
    command = [sys.executable, "manage.py", "worker", "--queue-name", "*"]
    command += ["--no-reload", "--no-startup-delay", "--interval", "0.2", "--verbosity", "0"]

    def start(name: str) -> subprocess.Popen:
        log = (tmp_path / f"{name}.log").open("w")
        return subprocess.Popen(  # noqa: S603 - our own manage.py, with our own arguments
            command, cwd=project_settings.BASE_DIR, env=environment, stdout=log, stderr=log
        )

    first = start("first")
    try:
        wait_until(marker.exists, timeout=20, what="the first worker to start the task")
        status, first_ids = read(str(result.id))
        assert status == TaskResultStatus.RUNNING and len(first_ids) == 1
        first.kill()  # kill -9, mid-task: no clean shutdown
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()

    second = start("second")
    try:
        status, worker_ids = wait_until(
            lambda: (row := read(str(result.id)))[0] == TaskResultStatus.SUCCESSFUL and row,
            timeout=25,
            what=f"the second worker to finish the task (log: {tmp_path / 'second.log'})",
        )
    finally:
        second.terminate()  # a clean stop
        second.wait(timeout=20)
    assert worker_ids[0] == first_ids[0] and len(worker_ids) == 2
    assert second.returncode == 0
