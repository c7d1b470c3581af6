"""Workers that recover: the task worker's heartbeat, and the tasks of workers that stopped.

``manage.py worker`` (django-tasks-db's ``db_worker``) records itself as a ``Worker`` as it
starts, and a thread of its own beats that row every ``WORKER_HEARTBEAT_SECONDS``. A worker
whose last beat is older than ``WORKER_LEASE_SECONDS`` has stopped (killed, out of memory, its
server gone). Every live worker, as it starts and at every beat, ``reclaim``\\s the tasks such a
worker left running: back on the queue for the next worker to take, or, once a task has been
tried ``WORKER_MAX_ATTEMPTS`` times, failed with the reason given, so that a task that kills its
worker doesn't kill every worker in turn. A task left running by a worker with no row at all (a
plain ``db_worker``, which doesn't beat) is taken to have stopped a lease after it started.

So no task stays "running" for ever, any live worker covers for a dead one, and the pack's page
can say that no worker is running (``alive``) rather than "building" for a quarter of an hour.
Reclaiming is safe with several workers at once: each locks the rows it puts back with ``SELECT
… FOR UPDATE SKIP LOCKED`` on PostgreSQL (SQLite has one writer at a time).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import TracebackType

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from packs.models import AgendaPack, Worker, worker_lease
from packs.tasks import build_agenda_pack

logger = logging.getLogger(__name__)

# Dead workers' rows are kept this long, for whoever looks into what happened.
KEEP_DEAD_WORKERS = datetime.timedelta(days=1)


class WorkerLost(Exception):  # noqa: N818 - named for what happened, as the task records it
    """The worker running a task stopped before the task finished."""


WORKER_LOST = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


def register(*, worker_id: str, queues: Iterable[str]) -> Worker:
    now = timezone.now()
    worker, _ = Worker.objects.update_or_create(
        pk=worker_id,
        defaults={
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "queues": ",".join(queues),
            "started": now,
            "last_beat": now,
        },
    )
    return worker


def beat(worker: Worker) -> None:
    """Say the worker is alive; its row comes back if another worker took it for dead."""
    worker.last_beat = timezone.now()
    if not Worker.objects.filter(pk=worker.pk).update(last_beat=worker.last_beat):
        worker.save(force_insert=True)


def retire(worker: Worker) -> None:
    """A worker stopping cleanly (it finishes its task first) takes its row with it."""
    Worker.objects.filter(pk=worker.pk).delete()


def alive(queue_name: str) -> bool:
    """Whether a live worker runs the queue."""
    return bool(Worker.objects.alive().serving(queue_name))


@dataclass
class Reclaimed:
    requeued: list[DBTaskResult] = field(default_factory=list)
    failed: list[DBTaskResult] = field(default_factory=list)


def reclaim(now: datetime.datetime | None = None) -> Reclaimed:
    """Put the tasks of stopped workers back on the queue, or fail those tried too often."""
    now = now or timezone.now()
    reclaimed = Reclaimed()
    with transaction.atomic():
        living = set(Worker.objects.alive(now).values_list("pk", flat=True))
        known = set(Worker.objects.values_list("pk", flat=True))
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True).order_by()
        for task in running:
            last = task.worker_ids[-1] if task.worker_ids else ""
            if last in living:
                continue
            if last not in known and task.started_at and now - task.started_at < worker_lease():
                continue  # a worker that doesn't beat: given a lease from the task's start
            attempts = len(task.worker_ids)
            if attempts >= settings.WORKER_MAX_ATTEMPTS:
                _fail(task, now, attempts=attempts, last=last)
                reclaimed.failed.append(task)
            else:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                reclaimed.requeued.append(task)
                logger.warning(
                    "Worker %s stopped while running task %s (%s): put back on the queue",
                    last,
                    task.pk,
                    task.task_path,
                )
        Worker.objects.filter(last_beat__lt=now - KEEP_DEAD_WORKERS).delete()
    return reclaimed


def _fail(task: DBTaskResult, now: datetime.datetime, *, attempts: int, last: str) -> None:
    message = (
        f"The worker running this task stopped before it finished, {attempts} times (the last "
        f"was worker {last or 'unknown'}); it is not tried again."
    )
    task.status = TaskResultStatus.FAILED
    task.finished_at = now
    task.return_value = None
    task.exception_class_path = WORKER_LOST
    task.traceback = f"{WORKER_LOST}: {message}\n"
    task.save(
        update_fields=["status", "finished_at", "return_value", "exception_class_path", "traceback"]
    )
    logger.error("Task %s (%s) failed: %s", task.pk, task.task_path, message)
    if task.task_path == build_agenda_pack.module_path:
        arguments = task.args_kwargs
        pack_id = arguments["args"][0] if arguments["args"] else arguments["kwargs"]["pack_id"]
        AgendaPack.objects.filter(
            pk=pack_id, status__in=[AgendaPack.Status.QUEUED, AgendaPack.Status.BUILDING]
        ).update(
            status=AgendaPack.Status.FAILED,
            stage="",
            error="The print worker stopped while building this pack, more than once.",
            modified=now,
        )


class Heartbeat:
    """The worker's row, beaten by a thread of its own while the worker runs::

        with Heartbeat(worker_id=..., queues=["*"]):
            worker.run()

    Starting registers the worker and reclaims stopped workers' tasks at once; the thread beats
    and reclaims every ``WORKER_HEARTBEAT_SECONDS``; stopping ends the thread and the row."""

    def __init__(self, *, worker_id: str, queues: Iterable[str]) -> None:
        self.worker_id = worker_id
        self.queues = list(queues)
        self.worker: Worker | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker-heartbeat", daemon=True)

    def start(self) -> None:
        self.worker = register(worker_id=self.worker_id, queues=self.queues)
        reclaim()
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()
        if self.worker is not None:
            retire(self.worker)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def __enter__(self) -> Heartbeat:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        interval = settings.WORKER_HEARTBEAT_SECONDS
        try:
            while not self._stopping.wait(interval):
                try:
                    assert self.worker is not None  # noqa: S101 - started only after registering
                    beat(self.worker)
                    reclaim()
                except Exception:
                    logger.exception("The worker's heartbeat failed; trying again shortly")
                finally:
                    close_old_connections()
        finally:
            connection.close()
