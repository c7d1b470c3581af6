"""Agenda packs: the printed agenda, minutes and papers of a meeting as one PDF, in a public and a
members' edition. One row per meeting and edition holds the last good pack and the state of the
build under way, so a failed build never loses the pack people are reading."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from boards.models.meetings import Meeting
from boards.models.people import TimeStampedModel


def pack_upload_to(pack: AgendaPack, filename: str) -> str:
    return f"packs/{pack.meeting_id}-{pack.edition}-{pack.fingerprint[:16]}.pdf"


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
