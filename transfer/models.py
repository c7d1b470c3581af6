"""Moving a council's records in and out: each import run, with its progress and problems, and
where every imported record came from (its provenance), which also makes a second run of the
same file find the records the first one wrote instead of writing them again."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse

from boards.models.people import TimeStampedModel


def import_upload_to(run: ImportRun, filename: str) -> str:
    return f"imports/{run.created:%Y/%m}/{filename}"


class ImportRun(TimeStampedModel):
    """One import, from the command or the administrators' page: what it read, how far it has
    gone, what it found wrong and what it wrote."""

    class Source(models.TextChoices):
        SPREADSHEET = "spreadsheet", "Spreadsheet (CSV or XLSX)"
        MODERNGOV = "moderngov", "ModernGov web service"
        ARCHIVE = "archive", "An export from Scrutiny"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    source = models.CharField(max_length=20, choices=Source.choices)
    label = models.CharField(
        max_length=500, help_text="What was read: the file's name or the site's address."
    )
    dry_run = models.BooleanField(
        default=False, help_text="Check every row and report, writing nothing."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    upload = models.FileField(
        upload_to=import_upload_to,
        blank=True,
        help_text="The file given on the administrators' page (a spreadsheet, a zip, XML).",
    )
    papers = models.FileField(
        upload_to=import_upload_to,
        blank=True,
        help_text="A zip of the papers a spreadsheet names, beside it.",
    )
    options = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(
        default=dict,
        blank=True,
        help_text='Records by type and what happened to them: {"meeting": {"created": 3}}.',
    )
    problems = models.JSONField(
        default=list,
        blank=True,
        help_text='Every problem found: [{"where": "meetings.csv row 4", "field": "date", '
        '"message": "…"}].',
    )
    error = models.TextField(blank=True, help_text="Why the run stopped, if it failed.")

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=["spreadsheet", "moderngov", "archive"]),
                name="importrun_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="importrun_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("transfer:import-detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def errors(self) -> list[dict[str, str]]:
        """The problems that stopped anything being written (warnings are listed, not counted)."""
        return [problem for problem in self.problems if problem.get("level") != "warning"]

    @property
    def warnings(self) -> list[dict[str, str]]:
        """What was left out or assumed, said so that someone can check it; nothing stops."""
        return [problem for problem in self.problems if problem.get("level") == "warning"]

    @property
    def wrote(self) -> bool:
        """Whether the run wrote what it read: finished, not a dry run, and nothing wrong."""
        return self.status == self.Status.DONE and not self.dry_run and not self.errors


class ImportedRecord(models.Model):
    """Where one record came from: the source (a ModernGov site's address, a spreadsheet's
    council, an export's council) and the record's identity there."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    source = models.CharField(
        max_length=500, help_text="For example moderngov:https://democracy.example.gov.uk."
    )
    external_id = models.CharField(
        max_length=500, help_text="The record's identity in the source, such as its ID there."
    )
    first_run = models.ForeignKey(
        ImportRun, null=True, on_delete=models.SET_NULL, related_name="first_imported"
    )
    last_run = models.ForeignKey(
        ImportRun, null=True, on_delete=models.SET_NULL, related_name="last_imported"
    )
    fingerprint = models.CharField(
        max_length=64,
        blank=True,
        help_text="A hash of the file imported with the record (a paper's PDF), so that a second "
        "run of the same source knows whether it changed.",
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "content_type", "external_id"],
                name="importedrecord_one_per_source_identity",
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="importedrecord_object_idx")
        ]

    def __str__(self) -> str:
        return f"{self.content_type} {self.object_id} from {self.source} ({self.external_id})"
