"""Agenda packs: the printed agenda, minutes and papers of a meeting as one PDF, in a public and a
members' edition. One row per meeting and edition holds the last good pack and the state of the
build under way, so a failed build never loses the pack people are reading."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from boards.models.meetings import Meeting
from boards.models.people import TimeStampedModel


def pack_upload_to(pack: AgendaPack, filename: str) -> str:
    return pack_file_name(pack, pack.fingerprint)


def pack_file_name(pack: AgendaPack, fingerprint: str) -> str:
    """Where the pack of that content is kept: builds of the same content publish to one name."""
    return f"packs/{pack.meeting_id}-{pack.edition}-{fingerprint[:16]}.pdf"


class AgendaPack(TimeStampedModel):
    class Edition(models.TextChoices):
        PUBLIC = "public", "Public pack"
        MEMBERS = "members", "Members' pack"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be built"
        BUILDING = "building", "Being built"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    edition = models.CharField(max_length=10, choices=Edition.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)

    # The build under way (or the last one tried).
    stage = models.CharField(max_length=200, blank=True)
    parts_done = models.PositiveIntegerField(default=0)
    parts_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    wanted_fingerprint = models.CharField(max_length=64, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    build_task_id = models.CharField(
        max_length=64,
        blank=True,
        help_text="The task queued for the worker to build it; empty for a build in a request.",
    )

    # The last good pack.
    file = models.FileField(upload_to=pack_upload_to, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    holds = models.JSONField(
        null=True,
        blank=True,
        help_text=(
            "What of the meeting the file reveals (papers, items, minutes), so that it is "
            "served only while its audience may still read all of it; unknown for old files."
        ),
    )
    agenda_version = models.CharField(max_length=200, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    build_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "edition"], name="agendapack_one_per_edition"
            ),
            models.CheckConstraint(
                condition=Q(edition__in=["public", "members"]), name="agendapack_edition_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "building", "ready", "failed"]),
                name="agendapack_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(file="") | Q(built_at__isnull=False, page_count__isnull=False),
                name="agendapack_file_has_build_details",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_edition_display()} for {self.meeting}"

    @property
    def has_file(self) -> bool:
        return bool(self.file)

    @property
    def in_progress(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.BUILDING}


def worker_lease() -> datetime.timedelta:
    """How long a worker stays alive after its last heartbeat (``WORKER_LEASE_SECONDS``)."""
    return datetime.timedelta(seconds=settings.WORKER_LEASE_SECONDS)


class WorkerQuerySet(models.QuerySet["Worker"]):
    def alive(self, now: datetime.datetime | None = None) -> WorkerQuerySet:
        """Workers whose last heartbeat is within the lease."""
        return self.filter(last_beat__gte=(now or timezone.now()) - worker_lease())

    def dead(self, now: datetime.datetime | None = None) -> WorkerQuerySet:
        return self.filter(last_beat__lt=(now or timezone.now()) - worker_lease())

    def serving(self, queue_name: str) -> list[Worker]:
        return [worker for worker in self if worker.serves(queue_name)]


class Worker(models.Model):
    """A running ``manage.py worker``: a thread in it beats every ``WORKER_HEARTBEAT_SECONDS``.
    A worker whose beat is older than ``WORKER_LEASE_SECONDS`` has stopped, and any live worker
    puts its running tasks back on the queue (``packs.workers.reclaim``)."""

    id = models.CharField(
        primary_key=True, max_length=64, help_text="The worker id its tasks record."
    )
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField()
    queues = models.CharField(max_length=255, help_text="The queues it runs, comma-separated.")
    started = models.DateTimeField()
    last_beat = models.DateTimeField()

    objects = WorkerQuerySet.as_manager()

    class Meta:
        ordering = ["-last_beat"]
        indexes = [models.Index(fields=["last_beat"], name="worker_last_beat_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_beat__gte=models.F("started")), name="worker_beats_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Worker {self.pid} on {self.host or 'this server'} ({self.queues})"

    def serves(self, queue_name: str) -> bool:
        queues = self.queues.split(",")
        return "*" in queues or queue_name in queues
