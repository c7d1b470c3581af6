"""An inquiry's conclusions: the statement (desired outcomes, numbered paragraphs with footnotes,
appendices) and its recommendations, the executive's responses, and the board's tracking of
each recommendation until it is achieved or no longer monitored.

The statement lives here, with its recommendations, rather than with the inquiry: the two are
built, published and answered as one (a paragraph restates a recommendation in a box; a
statement cannot be published without one), and the inquiry itself needs neither.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from boards import formatting, text
from boards.models import AgendaItem, Board, Paper, Person, Post, TimeStampedModel
from inquiries.models import Inquiry
from recommendations import categories


class StatementQuerySet(models.QuerySet):
    def published(self) -> StatementQuerySet:
        return self.filter(published_on__isnull=False)

    def visible_to(self, audience) -> StatementQuerySet:
        """What the audience may read: officers, clerks and administrators read drafts too;
        everyone else only published statements."""
        if audience.sees_drafts:
            return self
        return self.filter(
            Q(published_on__isnull=False) | Q(inquiry__board_id__in=audience.draft_board_ids)
        )


class Statement(TimeStampedModel):
    """The inquiry's final report, as structured data."""

    inquiry = models.OneToOneField(Inquiry, on_delete=models.PROTECT, related_name="statement")
    title = models.CharField(max_length=300)
    month = models.DateField(help_text="The month of the statement (the day is ignored).")
    chair = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Signs the statement on behalf of the board.",
    )
    author = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="report author",
    )
    published_on = models.DateField(null=True, blank=True)
    response_due_on = models.DateField(
        null=True,
        blank=True,
        help_text="Two months after publication (Local Government Act 2000, s9FE); editable.",
    )

    objects = StatementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(response_due_on__isnull=False),
                name="statement_published_has_response_due_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("statements:statement-detail", kwargs={"slug": self.inquiry.slug})

    @property
    def is_published(self) -> bool:
        return self.published_on is not None

    def is_visible_to(self, audience) -> bool:
        """``StatementQuerySet.visible_to`` for a statement in hand."""
        return self.is_published or audience.sees_drafts_of(self.inquiry.board_id)


class DesiredOutcome(TimeStampedModel):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "position"], name="desiredoutcome_one_position"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Section(TimeStampedModel):
    """A themed section of the statement ("Introduction and Background")."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)

    class Meta:
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "position"], name="section_one_position"),
        ]

    def __str__(self) -> str:
        return self.heading


class Paragraph(TimeStampedModel):
    """A numbered paragraph; numbers run through the whole statement (1–51 in the reference)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="paragraphs")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(help_text="Markdown. Mark a footnote with [^1].")
    recommendation = models.ForeignKey(
        "Recommendation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A recommendation restated in a box after this paragraph.",
    )

    class Meta:
        ordering = ["section__statement", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"

    @property
    def html(self):
        return text.render_markdown(self.text)


class Footnote(TimeStampedModel):
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="footnotes")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["paragraph", "number"]

    def __str__(self) -> str:
        return f"[{self.number}] {self.text[:60]}"


class Appendix(TimeStampedModel):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="appendices")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text="Markdown.")

    class Meta:
        ordering = ["statement", "position"]
        verbose_name_plural = "appendices"

    def __str__(self) -> str:
        return self.title


class TrackingCategoryQuerySet(models.QuerySet["TrackingCategory"]):
    def offered(self) -> TrackingCategoryQuerySet:
        """The categories a new judgement may use: not those retired."""
        return self.filter(retired_at__isnull=True)

    def with_use(self) -> TrackingCategoryQuerySet:
        """Each annotated ``judgement_count``: the judgements recorded in it. One in use may be
        retired, never removed."""
        judgements = (
            Judgement.objects.filter(category=models.OuterRef("pk"))
            .order_by()
            .values("category")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(judgement_count=Coalesce(models.Subquery(judgements), models.Value(0)))


class TrackingCategory(TimeStampedModel):
    """The board's judgement of a recommendation: a council's own vocabulary, with a colour.
    Officers and clerks change it on its page; one a judgement has used is retired, not
    removed, so that every judgement recorded keeps its category."""

    name = models.CharField(
        max_length=120,
        unique=True,
        error_messages={"unique": "Another category has this name: choose another."},
    )
    description = models.CharField(max_length=300, blank=True)
    colour = models.CharField(
        max_length=7,
        default="#b1b4b6",
        validators=[categories.hex_colour],
        help_text="A hex colour: # and six digits or letters A to F, for example #00703c.",
    )
    ends_monitoring = models.BooleanField(
        default=False, help_text="A recommendation judged so is no longer tracked."
    )
    position = models.PositiveSmallIntegerField(default=0)
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="No longer offered for new judgements; those recorded keep it.",
    )

    objects = TrackingCategoryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "tracking categories"
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9A-Fa-f]{6}$"), name="trackingcategory_colour_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def text_colour(self) -> str:
        """The text colour legible on the category's colour ("dark" or "light"): whichever
        contrasts more, which is always at least 4.5:1 (WCAG AA)."""
        return categories.text_colour_on(self.colour)


class RecommendationQuerySet(models.QuerySet):
    def trackable(self) -> RecommendationQuerySet:
        """What is tracked: each lettered part, or the recommendation itself if it has none."""
        return self.filter(parts__isnull=True)

    def open(self) -> RecommendationQuerySet:
        return self.exclude(current_category__ends_monitoring=True)

    def overdue(self, today: datetime.date) -> RecommendationQuerySet:
        return self.trackable().open().filter(deadline_on__lt=today)

    def due_within(self, today: datetime.date, days: int) -> RecommendationQuerySet:
        return (
            self.trackable()
            .open()
            .filter(deadline_on__gte=today, deadline_on__lte=today + datetime.timedelta(days=days))
        )

    def published(self) -> RecommendationQuerySet:
        return self.filter(statement__published_on__isnull=False)

    def open_or_closed_since(self, day: datetime.date) -> RecommendationQuerySet:
        """Those still monitored, and those the board stopped monitoring on or after ``day``
        (the day of its latest judgement; one with none recorded is kept, its day unknown):
        what the tracker lists by default, from the start of the previous municipal year."""
        latest = (
            Judgement.objects.filter(recommendation=models.OuterRef("pk"))
            .order_by("-on", "-pk")
            .values("on")[:1]
        )
        return self.alias(closed_on=models.Subquery(latest)).filter(
            Q(current_category__isnull=True)
            | Q(current_category__ends_monitoring=False)
            | Q(closed_on__gte=day)
            | Q(closed_on__isnull=True)
        )

    def visible_to(self, audience) -> RecommendationQuerySet:
        """What the audience may see: officers, clerks and administrators see the
        recommendations of draft statements too; everyone else only published ones."""
        if audience.sees_drafts:
            return self
        return self.filter(
            Q(statement__published_on__isnull=False)
            | Q(statement__inquiry__board_id__in=audience.draft_board_ids)
        )

    def with_tracking(self) -> RecommendationQuerySet:
        """With what a tracking report shows, for any number of rows in two queries: the
        response, the current category, the parent's text and ``newest_updates``, a list of the
        latest progress update (or none)."""
        return self.select_related(
            "statement__inquiry", "current_category", "response", "parent"
        ).prefetch_related(
            models.Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.order_by("-on", "-pk")[:1],
                to_attr="newest_updates",
            )
        )


class Recommendation(TimeStampedModel):
    class Precision(models.TextChoices):
        DAY = "day", "A day"
        MONTH = "month", "A month"

    class Wording(models.TextChoices):
        BY = "by", "by"
        NO_LATER_THAN = "no later than", "no later than"
        DURING = "during", "during"

    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="recommendations"
    )
    outcome = models.ForeignKey(
        DesiredOutcome,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
        verbose_name="desired outcome",
    )
    number = models.PositiveSmallIntegerField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="parts"
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="For a part: 1 is (a), 2 is (b)…"
    )
    text = models.TextField(help_text="Markdown.")
    addressees = models.ManyToManyField(Post, blank=True, related_name="recommendations")
    deadline_on = models.DateField(
        null=True, blank=True, help_text="The last day it is due (for a month, its last day)."
    )
    deadline_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.MONTH
    )
    deadline_wording = models.CharField(max_length=20, choices=Wording.choices, default=Wording.BY)
    report_back_to = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    current_category = models.ForeignKey(
        TrackingCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[addressees])

    class Meta:
        ordering = ["statement", "number", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "number"],
                condition=Q(parent__isnull=True),
                name="recommendation_one_number_per_statement",
            ),
            models.UniqueConstraint(
                fields=["parent", "position"],
                condition=Q(parent__isnull=False),
                name="recommendation_one_letter_per_part",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, position=0)
                | Q(parent__isnull=False, position__gte=1),
                name="recommendation_parts_are_lettered",
            ),
            models.CheckConstraint(
                condition=Q(deadline_precision__in=["day", "month"]),
                name="recommendation_precision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:recommendation-detail", kwargs={"pk": self.pk})

    @property
    def letter(self) -> str:
        return "abcdefghijklmnopqrstuvwxyz"[self.position - 1] if self.parent_id else ""

    @property
    def reference(self) -> str:
        return f"{self.number}({self.letter})" if self.letter else str(self.number)

    @property
    def deadline_text(self) -> str:
        """The deadline as written: "by September 2017", "no later than 1 May 2018"."""
        if self.deadline_on is None:
            return ""
        when = (
            formatting.month_year(self.deadline_on)
            if self.deadline_precision == self.Precision.MONTH
            else formatting.short_date(self.deadline_on)
        )
        return f"{self.deadline_wording} {when}"

    def is_overdue(self, today: datetime.date) -> bool:
        ended = self.current_category is not None and self.current_category.ends_monitoring
        return self.deadline_on is not None and self.deadline_on < today and not ended

    @property
    def html(self):
        return text.render_markdown(self.text)


class Response(TimeStampedModel):
    """The executive's formal response to a recommendation or part."""

    class Decision(models.TextChoices):
        AGREED = "agreed", "Agreed"
        PARTLY_AGREED = "partly_agreed", "Partly agreed"
        NOT_AGREED = "not_agreed", "Not agreed"

    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.PROTECT, related_name="response"
    )
    decision = models.CharField(max_length=15, choices=Decision.choices)
    text = models.TextField(help_text="What will be done (Markdown).")
    responded_on = models.DateField()
    actioned_by = models.ForeignKey(
        Post,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="who will act",
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=["agreed", "partly_agreed", "not_agreed"]),
                name="response_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.recommendation}"


class ProgressUpdate(TimeStampedModel):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="updates"
    )
    on = models.DateField()
    text = models.TextField(help_text="Markdown.")
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    considered_at = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The meeting item where the board considered it.",
    )
    evidence = models.ManyToManyField(Paper, blank=True, related_name="+")

    history = HistoricalRecords(m2m_fields=[evidence])

    class Meta:
        ordering = ["recommendation", "-on", "-pk"]
        indexes = [
            # Each recommendation's latest update (the tracker, What needs attention).
            models.Index(fields=["recommendation", "-on", "-id"], name="progressupdate_latest"),
        ]

    def __str__(self) -> str:
        return f"Update on {self.recommendation}, {self.on}"


class Judgement(TimeStampedModel):
    """The board's judgement of a recommendation's progress, kept with its date and meeting."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="judgements"
    )
    category = models.ForeignKey(TrackingCategory, on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    considered_at = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["recommendation", "-on", "-pk"]
        indexes = [
            # Each recommendation's latest judgement: its status, and when it was closed.
            models.Index(fields=["recommendation", "-on", "-id"], name="judgement_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation}: {self.category} on {self.on}"
