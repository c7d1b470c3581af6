"""The search index: one row per searchable record (and a second, smaller row with only what may
be listed of a record whose content some audiences may not read).

Each row keeps, beside its text, what the visibility rule needs to know about its record: the
board and meeting it belongs to, who may see it listed (``listed_to``) and who may read it
(``readers``), written with the text whenever the record is indexed. A search narrows the index
by these columns, then checks the rows it found against the records' own
``visible_to(audience)`` querysets (``search/index.py``): a stale row can hide a record until it
is indexed again, never show one to someone it is hidden from.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils.safestring import SafeString

from boards.models import Board, Meeting, Subject


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

    class Listed(models.TextChoices):
        """Who may see the record listed (as ``visible_to`` filters its rows)."""

        EVERYONE = "everyone", "Everyone: it is published"
        DRAFTS = "drafts", "Those who read the board's drafts"
        STAFF = "staff", "Officers, clerks and administrators (a draft forward plan notice)"

    class Readers(models.TextChoices):
        """Who of those it is listed to may read its content (``content_visible``); the others
        find it by its listing row. Clerks and administrators read all but ``NOBODY``'s."""

        EVERYONE = "everyone", "Everyone it is listed to"
        MEMBERS_AND_OFFICERS = (
            "members_officers",
            "The board's members, the meeting's substitutes and those who read the board's drafts",
        )
        MEMBERS = "members", "The board's members and the meeting's substitutes"
        OFFICERS = "officers", "Those who read the board's drafts (it was withdrawn)"
        NOBODY = "nobody", "Nobody: only its listing is shown (a withdrawn minute)"

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
    # What the visibility rule needs, as the record stood when it was last indexed.
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="An item's, paper's or minute's: its substitutes read its exempt content.",
    )
    listed_to = models.CharField(max_length=10, choices=Listed.choices, default=Listed.EVERYONE)
    readers = models.CharField(max_length=20, choices=Readers.choices, default=Readers.EVERYONE)
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
            models.CheckConstraint(
                condition=Q(listed_to__in=["everyone", "drafts", "staff"]),
                name="searchentry_listed_to_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    readers__in=["everyone", "members_officers", "members", "officers", "nobody"]
                ),
                name="searchentry_readers_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["board", "date"]),
            # A search's candidates are the newest entries that match (``search.index``).
            models.Index(F("date").desc(), F("id").desc(), name="searchentry_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
