"""The search index: one row per searchable record (and a second, smaller row with only what may
be listed of a record whose content some audiences may not read).

The rows hold text, never permission: which rows an audience may see is decided when searching,
through the same ``visible_to(audience)`` querysets as the pages (``search/index.py``). A stale
row can only hold out-of-date text; it can never show a record to someone the record is hidden
from.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.safestring import SafeString

from boards.models import Board, Subject


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        ITEM = "item", "Agenda item"
        PAPER = "paper", "Paper"
        MINUTE = "minute", "Minutes"
        INQUIRY = "inquiry", "Inquiry"
        EVIDENCE = "evidence", "Evidence"
        STATEMENT = "statement", "Statement"
        RECOMMENDATION = "recommendation", "Recommendation"
        DECISION = "decision", "Executive decision"
        FORWARD_PLAN = "forward_plan", "Forward plan notice"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(help_text="The primary key of the record.")
    listing = models.BooleanField(
        default=False,
        help_text=(
            "Only what may be listed of the record (its title; for minutes the public "
            "summary), for those who may see it listed but not read it."
        ),
    )
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=400)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    # Weighted title (A) and body (B), written on PostgreSQL only; NULL on SQLite.
    vector = SearchVectorField(null=True, editable=False)

    # Not fields: set on each result of a page by ``search.index.add_snippets`` and
    # ``add_subjects`` (the subject its item is filed under, for a link to its history).
    snippet: SafeString
    subject: Subject | None

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "listing"], name="searchentry_one_per_record"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "item",
                        "paper",
                        "minute",
                        "inquiry",
                        "evidence",
                        "statement",
                        "recommendation",
                        "decision",
                        "forward_plan",
                    ]
                ),
                name="searchentry_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["board", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
