"""Inquiries: a board's investigation from its terms of reference, through evidence sessions, to
the published statement with its desired outcomes and numbered paragraphs."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.safestring import SafeString
from simple_history.models import HistoricalRecords

from boards import text
from boards.models import AgendaItem, Board, Person, TimeStampedModel
from boards.models.exemption import ContentVisible
from boards.models.papers import paper_upload_to
from decisions.models import ForwardPlanEntry

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from boards.visibility import Audience


class InquiryQuerySet(models.QuerySet["Inquiry"]):
    def open(self) -> InquiryQuerySet:
        return self.exclude(stage=Inquiry.Stage.CLOSED)

    def active_between(
        self, start: datetime.date, end: datetime.date | None = None
    ) -> InquiryQuerySet:
        """The inquiries under way at some time from ``start`` to ``end`` (open-ended: to
        today): begun by ``end`` (their first stage, or when they were entered) and open, or
        closed on or after ``start``."""
        changes = StageChange.objects.filter(inquiry=models.OuterRef("pk"))
        began = Coalesce(
            models.Subquery(changes.order_by("on").values("on")[:1]), TruncDate("created")
        )
        closed = Coalesce(
            models.Subquery(
                changes.filter(stage=Inquiry.Stage.CLOSED).order_by("-on").values("on")[:1]
            ),
            TruncDate("modified"),
        )
        found = self.alias(began_on=began, closed_on=closed).filter(
            ~Q(stage=Inquiry.Stage.CLOSED) | Q(closed_on__gte=start)
        )
        return found.filter(began_on__lte=end) if end is not None else found


class Inquiry(TimeStampedModel):
    class Stage(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        TERMS_AGREED = "terms_agreed", "Terms of reference agreed"
        EVIDENCE = "evidence", "Evidence gathering"
        DRAFTING = "drafting", "Drafting the statement"
        PUBLISHED = "published", "Statement published"
        RESPONSE_RECEIVED = "response_received", "Response received"
        MONITORING = "monitoring", "Monitoring recommendations"
        CLOSED = "closed", "Closed"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="inquiries")
    title = models.CharField(max_length=300, help_text="For example Inquiry into ICT capacity.")
    slug = models.SlugField(max_length=120, unique=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.PROPOSED)
    scope = models.TextField(blank=True, help_text="The terms of reference: what it covers.")
    lines_of_enquiry = models.TextField(blank=True, help_text="Markdown: one point a line.")
    subject = models.OneToOneField(
        "boards.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="inquiry"
    )
    terms_agreed_at = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The meeting item that agreed the terms of reference.",
    )

    objects = InquiryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "title"]
        verbose_name_plural = "inquiries"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    stage__in=[
                        "proposed",
                        "terms_agreed",
                        "evidence",
                        "drafting",
                        "published",
                        "response_received",
                        "monitoring",
                        "closed",
                    ]
                ),
                name="inquiry_stage_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inquiries:inquiry-detail", kwargs={"slug": self.slug})

    @property
    def lines_of_enquiry_html(self) -> SafeString:
        return text.render_markdown(self.lines_of_enquiry)


class StageChange(TimeStampedModel):
    """Each move of an inquiry from one stage to the next, dated and recorded."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="stage_changes")
    stage = models.CharField(max_length=20, choices=Inquiry.Stage.choices)
    on = models.DateField()
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["inquiry", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.inquiry}: {self.get_stage_display()} on {self.on}"


class Session(TimeStampedModel):
    """An evidence session: one agenda item of a meeting, the same record, not a copy."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField()
    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, related_name="inquiry_session"
    )
    focus = models.TextField(blank=True, help_text="The points of focus (Markdown).")
    witnesses = models.ManyToManyField(Person, blank=True, related_name="inquiry_sessions")

    history = HistoricalRecords(m2m_fields=[witnesses])

    class Meta:
        ordering = ["inquiry", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["inquiry", "number"], name="session_one_number_per_inquiry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry} – Session {self.number}"

    @property
    def focus_html(self) -> SafeString:
        return text.render_markdown(self.focus)


class EvidenceQuerySet[E: Evidence](models.QuerySet[E]):
    def visible_to(self, audience: Audience) -> EvidenceQuerySet[VisibleEvidence]:
        """All evidence is listed, each annotated ``content_visible``: exempt evidence is read
        only by the board's members and officers (``Audience.sees_exempt_of``)."""
        if audience.sees_drafts:
            return self.annotate(content_visible=Value(True))
        return self.annotate(
            content_visible=Case(
                When(exempt=False, then=Value(True)),
                When(inquiry__board_id__in=audience.member_board_ids, then=Value(True)),
                default=Value(False),
            )
        )


class Evidence(TimeStampedModel):
    """Written evidence and notes of visits, received outside meetings."""

    class Kind(models.TextChoices):
        WRITTEN = "written", "Written evidence"
        VISIT = "visit", "Notes of a visit"

    inquiry = models.ForeignKey(Inquiry, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=300)
    received_on = models.DateField()
    source = models.CharField(max_length=200, blank=True, help_text="Who gave it, or where.")
    body = models.TextField(blank=True, help_text="Markdown.")
    file = models.FileField(upload_to=paper_upload_to, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(
        blank=True, editable=False, help_text="The text of the uploaded PDF, for search."
    )
    exempt = models.BooleanField(default=False)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["inquiry", "received_on"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title


if TYPE_CHECKING:
    type VisibleEvidence = WithAnnotations[Evidence, ContentVisible]


class WorkScheduleEntry(TimeStampedModel):
    """A cell of a board's work schedule that no session or agenda item fills: a briefing, the
    budget, performance monitoring… in a month of the municipal year; or a notice of a key
    decision the board picked from the forward plan."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="work_schedule")
    area = models.CharField(max_length=200, help_text="The area of review: a row of the grid.")
    month = models.DateField(help_text="The first day of the month.")
    note = models.CharField(max_length=300)
    forward_plan_entry = models.ForeignKey(
        ForwardPlanEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_schedule_entries",
        verbose_name="notice in the forward plan",
        help_text="The key decision the board picked from the forward plan.",
    )

    class Meta:
        ordering = ["board", "area", "month"]
        verbose_name_plural = "work schedule entries"
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="workscheduleentry_month_start"),
            models.UniqueConstraint(
                fields=["board", "forward_plan_entry"],
                condition=Q(forward_plan_entry__isnull=False),
                name="workscheduleentry_notice_once_per_board",
                violation_error_message="This notice is already in the board's work schedule.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area}, {self.month:%Y-%m}: {self.note}"
