"""Papers: reports written in the app (with their front sheet and numbered sections) and
reports or appendices uploaded as PDF files, or as Word or OpenDocument files that the task
worker converts to PDF (``boards.conversion``), keeping the original."""

from __future__ import annotations

import datetime
import re
import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from simple_history.models import HistoricalRecords

from boards import text
from boards.models.exemption import ContentVisible, Exemptible, Withdrawable
from boards.models.meetings import AgendaItem, Publication
from boards.models.people import Post, TimeStampedModel

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from boards.visibility import Audience

# A conversion takes seconds; one still waiting after this long has been lost.
CONVERSION_STALLS_AFTER = datetime.timedelta(minutes=15)
LIST_OR_TABLE = re.compile(r"^([-*+] |\d+[.)] |\|)")


def paper_upload_to(paper: Paper, filename: str) -> str:
    """Uploaded files are stored under generated names, never the uploader's."""
    return f"papers/{uuid.uuid4().hex}.pdf"


def original_upload_to(paper: Paper, filename: str) -> str:
    """An uploaded document is stored under a generated name with the extension its content
    showed (the service names it), never the uploader's."""
    suffix = PurePath(filename).suffix.lower()
    return f"papers/originals/{uuid.uuid4().hex}{suffix if suffix in ('.docx', '.odt') else ''}"


class PaperQuerySet[P: Paper](models.QuerySet[P]):
    def visible_to(self, audience: Audience) -> PaperQuerySet[VisiblePaper]:
        """The papers the audience may see listed, each annotated ``content_visible``: whether
        they may read or download it. The public sees an exempt paper's title and the
        paragraph of Schedule 12A that keeps it back, never its content. (The text read from
        an uploaded PDF is for search: pages leave it in the database.)"""
        papers = self.defer("text")
        if audience.sees_drafts:
            return papers.annotate(content_visible=Value(True))
        member = Q(agenda_item__meeting__board_id__in=audience.member_board_ids) | Q(
            agenda_item__meeting_id__in=audience.substitute_meeting_ids
        )
        drafts = Q(agenda_item__meeting__board_id__in=audience.draft_board_ids)
        return papers.filter(Q(publication__isnull=False) | drafts).annotate(
            content_visible=Case(
                When(drafts, then=Value(True)),
                When(withdrawn_at__isnull=False, then=Value(False)),
                When(agenda_item__withdrawn_at__isnull=False, then=Value(False)),
                When(member, then=Value(True)),
                When(
                    Q(exempt=False, agenda_item__exempt=False)
                    & (Q(parent__isnull=True) | Q(parent__exempt=False)),
                    then=Value(True),
                ),
                default=Value(False),
            )
        )

    def readable_by(self, audience: Audience) -> PaperQuerySet[VisiblePaper]:
        return self.visible_to(audience).filter(content_visible=True)

    def unconverted(self) -> PaperQuerySet[P]:
        """Uploaded documents whose PDF is not there: waiting for the worker, being converted,
        or failed. They are left out of packs and hold up publication."""
        return self.filter(conversion__in=Paper.UNCONVERTED)


class Paper(Exemptible, Withdrawable, TimeStampedModel):
    """A report or appendix on an agenda item: written in the app, or an uploaded PDF, or an
    uploaded Word or OpenDocument file with the PDF made from it."""

    class Kind(models.TextChoices):
        REPORT = "report", "Report"
        APPENDIX = "appendix", "Appendix"
        BACKGROUND = "background", "Background paper"

    class Conversion(models.TextChoices):
        """Where the PDF of an uploaded document stands. A PDF uploaded, or a report written
        here, has none."""

        NONE = "", "None"
        WAITING = "waiting", "Waiting to be converted to PDF"
        CONVERTING = "converting", "Being converted to PDF"
        DONE = "done", "Converted to PDF"
        FAILED = "failed", "Conversion to PDF failed"

    # The states in which an uploaded document has no PDF yet.
    UNCONVERTED = (Conversion.WAITING, Conversion.CONVERTING, Conversion.FAILED)

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="papers")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appendices",
        help_text="The report this is an appendix to.",
    )
    position = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REPORT)
    title = models.CharField(max_length=300)

    # A report written in the app: its front sheet and text (Markdown, sanitised when shown).
    report_of = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    report_date = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True, verbose_name="summary of main issues")
    recommendations = models.TextField(blank=True)

    # An uploaded PDF.
    file = models.FileField(upload_to=paper_upload_to, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(
        blank=True, editable=False, help_text="The text of the uploaded PDF, for search."
    )

    # An uploaded Word (.docx) or OpenDocument (.odt) file: kept as uploaded, under a generated
    # name (the uploader's is ``original_filename``), while ``file`` is the PDF made from it,
    # set only once the conversion has succeeded.
    original = models.FileField(upload_to=original_upload_to, blank=True)
    original_size = models.PositiveIntegerField(null=True, blank=True)
    conversion = models.CharField(
        max_length=20, choices=Conversion.choices, blank=True, default=Conversion.NONE
    )
    conversion_error = models.TextField(
        blank=True, help_text="Why the conversion to PDF failed, in words the uploader can act on."
    )

    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.PROTECT, related_name="papers"
    )

    objects = PaperQuerySet.as_manager()
    # The extracted text is derived from the file, which the history already identifies.
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["agenda_item", "position", "pk"]
        constraints = [
            *Exemptible.Meta.constraints,
            *Withdrawable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(kind__in=["report", "appendix", "background"]),
                name="paper_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(file="") | Q(file_size__isnull=False, page_count__isnull=False),
                name="paper_upload_has_size_and_pages",
            ),
            models.CheckConstraint(
                condition=Q(conversion__in=["", "waiting", "converting", "done", "failed"]),
                name="paper_conversion_valid",
            ),
            # A document and its conversion go together; its PDF is there once converted and
            # only then.
            models.CheckConstraint(
                condition=Q(original="", conversion="")
                | (
                    ~Q(original="")
                    & Q(original_size__isnull=False)
                    & Q(conversion="done")
                    & ~Q(file="")
                )
                | (
                    ~Q(original="")
                    & Q(original_size__isnull=False)
                    & Q(conversion__in=["waiting", "converting", "failed"], file="")
                ),
                name="paper_pdf_only_once_converted",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("boards:paper-detail", kwargs={"pk": self.pk})

    @property
    def is_upload(self) -> bool:
        """Whether the paper is a PDF file (uploaded, or made from an uploaded document)."""
        return bool(self.file)

    @property
    def is_written(self) -> bool:
        """Whether the paper is a report written in the app (neither a PDF nor a document)."""
        return not self.file and not self.original

    @property
    def is_converting(self) -> bool:
        return self.conversion in (self.Conversion.WAITING, self.Conversion.CONVERTING)

    @property
    def conversion_failed(self) -> bool:
        return self.conversion == self.Conversion.FAILED

    @property
    def conversion_stalled(self) -> bool:
        """Whether a conversion has waited so long that its task has likely been lost (no
        worker running, or one that gave it up): it may then be tried again."""
        return self.is_converting and self.modified < timezone.now() - CONVERSION_STALLS_AFTER

    @property
    def original_kind(self) -> str:
        """ "Word" or "OpenDocument", and the extension, of the uploaded document."""
        return "OpenDocument" if self.original_extension == ".odt" else "Word"

    @property
    def original_extension(self) -> str:
        return PurePath(self.original.name or "").suffix.lower()

    @property
    def is_published(self) -> bool:
        return self.publication_id is not None

    @property
    def summary_html(self) -> SafeString:
        return text.render_markdown(self.summary)

    @property
    def recommendations_html(self) -> SafeString:
        return text.render_markdown(self.recommendations)


if TYPE_CHECKING:
    type VisiblePaper = WithAnnotations[Paper, ContentVisible]


class ReportSection(TimeStampedModel):
    """A numbered section of a written report ("3 Main issues"); its paragraphs are numbered
    3.1, 3.2…"""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown; each paragraph is numbered.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["paper", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "number"], name="reportsection_one_number_per_paper"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.heading}"

    def numbered_paragraphs(self) -> list[tuple[str, str]]:
        """The body as (number, html) pairs: "3.1", "3.2"… Lists and tables that follow a
        paragraph belong to it and take no number of their own."""
        blocks: list[list[str]] = []
        for block in (b.strip() for b in self.body.replace("\r\n", "\n").split("\n\n")):
            if not block:
                continue
            continues = bool(LIST_OR_TABLE.match(block))
            if continues and blocks:
                blocks[-1].append(block)
            else:
                blocks.append([block])
        return [
            (f"{self.number}.{index}", text.render_markdown("\n\n".join(parts)))
            for index, parts in enumerate(blocks, start=1)
        ]
