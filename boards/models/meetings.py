"""Municipal years, venues, meetings, their agendas and the publication of agendas and papers."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Self, cast

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from boards import formatting, publication, signals
from boards.models.exemption import ContentVisible, Exemptible, Withdrawable
from boards.models.people import Board, Person, Post, TimeStampedModel, Ward

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from boards.visibility import Audience


class MunicipalYearQuerySet(models.QuerySet["MunicipalYear"]):
    def covering(self, day: datetime.date) -> MunicipalYear | None:
        return self.filter(starts_on__lte=day).order_by("-starts_on").first()


class MunicipalYear(TimeStampedModel):
    """The council's working year, from one annual meeting to the next ("2015/16")."""

    starts_on = models.DateField(unique=True, help_text="The date of the annual meeting.")

    objects = MunicipalYearQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.starts_on.year}/{(self.starts_on.year + 1) % 100:02d}"


class Venue(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True, help_text="For example Civic Hall.")
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def one_line(self) -> str:
        return ", ".join([self.name, *self.address.splitlines()]) if self.address else self.name


# Generic in its rows, so that rows a Prefetch(to_attr=...) or an annotation gives more
# attributes keep them through the methods below.
class MeetingQuerySet[M: Meeting](models.QuerySet[M]):
    def upcoming(self, now: datetime.datetime) -> Self:
        return self.filter(starts_at__gte=now).order_by("starts_at")

    def past(self, now: datetime.datetime) -> Self:
        return self.filter(starts_at__lt=now).order_by("-starts_at")

    def for_list(self) -> Self:
        return self.select_related("board", "venue", "municipal_year")


class Meeting(TimeStampedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        AGENDA_PUBLISHED = "agenda_published", "Agenda published"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"
        POSTPONED = "postponed", "Postponed"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    municipal_year = models.ForeignKey(
        MunicipalYear, on_delete=models.PROTECT, related_name="meetings"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    pre_meeting_at = models.TimeField(
        null=True, blank=True, help_text="When the members' pre-meeting starts, if there is one."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    status_reason = models.TextField(
        blank=True, help_text="Why the meeting was cancelled, postponed or moved."
    )
    moved_from = models.DateTimeField(
        null=True, blank=True, help_text="When the meeting was to have been held before it moved."
    )
    sequence = models.PositiveIntegerField(
        default=0, help_text="Raised each time the date, time or venue changes (for calendars)."
    )
    recording_allowed = models.BooleanField(default=True)
    compiler = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="agenda compiled by",
    )
    agenda_published_at = models.DateTimeField(null=True, blank=True)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["scheduled", "agenda_published", "held", "cancelled", "postponed"]
                ),
                name="meeting_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["cancelled", "postponed"]) | ~Q(status_reason=""),
                name="meeting_cancellation_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["board", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.board.name}, {formatting.short_date(self.starts_at)}"

    def get_absolute_url(self) -> str:
        return reverse("boards:meeting-detail", kwargs={"pk": self.pk})

    @property
    def date(self) -> datetime.date:
        return timezone.localdate(self.starts_at)

    @property
    def publication_deadline(self) -> datetime.date:
        return publication.publication_deadline(self.date)

    @property
    def is_agenda_published(self) -> bool:
        return self.agenda_published_at is not None

    @cached_property
    def agenda_publication(self) -> Publication | None:
        """The publication of the agenda itself (one query), if it has been published."""
        if not self.is_agenda_published:
            return None
        return self.publications.filter(kind=Publication.Kind.AGENDA).first()

    @property
    def agenda_working_days_left(self) -> int | None:
        """Working days after today left to publish the agenda on time (0: today is the last
        day), None once it would be late (``publication.working_days_left``)."""
        return publication.working_days_left(timezone.localdate(), self.date)

    @property
    def agenda_is_overdue(self) -> bool:
        """Past its publication deadline with the agenda still unpublished."""
        return not self.is_agenda_published and publication.is_late(timezone.localdate(), self.date)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class PublicationQuerySet(models.QuerySet["Publication"]):
    def announced(self) -> Self:
        """Publications made through the app: those that are news when they happen (feeds and
        e-mails carry them), not records of earlier ones entered afterwards."""
        return self.filter(recorded_at__isnull=True)

    def recorded_afterwards(self) -> Self:
        """Records of publications made before they were entered here (a meeting held before
        the council used the app)."""
        return self.filter(recorded_at__isnull=False)


class Publication(TimeStampedModel):
    """A publication of a meeting's papers: the agenda itself, or a supplement after it.

    Most are made here, by a clerk, at ``published_at``. A meeting held before the council used
    the app has its publication *recorded afterwards*: ``published_at`` is the date it really
    went out (and its time, if known), ``recorded_by`` and ``recorded_at`` say who entered it and
    when, and nobody is told of it as news.
    """

    class Kind(models.TextChoices):
        AGENDA = "agenda", "Agenda"
        SUPPLEMENT = "supplement", "Supplement"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="publications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    published_at = models.DateTimeField()
    published_time_known = models.BooleanField(
        default=True,
        help_text="False when a publication recorded afterwards gives only the day it went out "
        "(it is then dated at the start of that day).",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who published it here; empty for a publication recorded afterwards.",
    )
    deadline = models.DateField(help_text="Five clear working days before the meeting.")
    late = models.BooleanField(default=False)
    late_reason = models.TextField(blank=True)
    recorded_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a publication made before it was entered here was recorded; empty when "
        "it was published here.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who recorded a publication made before it was entered here.",
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["published_at"]
        # "Recently published" on the home page: the newest few, without sorting every one.
        indexes = [models.Index(fields=["-published_at", "-id"], name="publication_newest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["agenda", "supplement"]), name="publication_kind_valid"
            ),
            # A record entered afterwards says it was late if it was, but nobody can now be
            # asked why.
            models.CheckConstraint(
                condition=Q(late=False) | ~Q(late_reason="") | Q(recorded_at__isnull=False),
                name="publication_late_has_reason",
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(kind="agenda"),
                name="publication_one_agenda_per_meeting",
            ),
            # Published here by someone, or recorded afterwards by someone, at a known moment.
            models.CheckConstraint(
                condition=Q(
                    recorded_at__isnull=True,
                    recorded_by__isnull=True,
                    published_by__isnull=False,
                    published_time_known=True,
                )
                | Q(recorded_at__isnull=False, recorded_by__isnull=False),
                name="publication_published_or_recorded_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(recorded_at__isnull=True)
                | Q(published_at__lte=models.F("recorded_at")),
                name="publication_recorded_after_it_was_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.meeting}"

    @property
    def is_recorded_afterwards(self) -> bool:
        """Recorded after the fact: published before it was entered here."""
        return self.recorded_at is not None

    @property
    def published_when(self) -> str:
        """When it was published, as councils write it: the day alone when only the day of a
        publication recorded afterwards is known."""
        if self.published_time_known:
            return formatting.long_datetime(self.published_at)
        return formatting.long_date(self.published_at)


class SubjectQuerySet(models.QuerySet["Subject"]):
    def visible_to(self, audience: Audience) -> SubjectQuerySet:
        """The subjects the audience may see: clerks every one; officers those nothing is filed
        under yet, and as anyone else, a subject with an
        item they may see listed (its title, at least), or one a room above declares public
        (an inquiry's, public from the day the inquiry is proposed). A subject made from a
        draft item's title stays with staff until the item is published."""
        if audience.sees_drafts:
            return self
        listed = AgendaItem.objects.visible_to(audience).filter(subject=models.OuterRef("pk"))
        shown = Q(models.Exists(listed))
        if audience.staff:
            # One nothing is filed under yet is nobody's draft: every officer sees it.
            shown |= ~Q(models.Exists(AgendaItem.objects.filter(subject=models.OuterRef("pk"))))
        # django-stubs types a receiver's answer as ``str | None``; these answer with ids.
        for _receiver, subject_ids in signals.public_subjects.send(sender=Subject):
            shown |= Q(pk__in=cast("models.QuerySet", subject_ids))
        return self.filter(shown)


class Subject(TimeStampedModel):
    """A topic that returns to meetings (an inquiry, a budget, a contract), so that one page can
    list every meeting, body and item where it was considered. It is the council's, not one
    board's: any officer or clerk may make one, and link items of the boards they edit to it."""

    title = models.CharField(
        max_length=300,
        help_text="As the public will know it, for example Budget 2016/17 or Library closures.",
    )
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(
        blank=True,
        help_text="Optional: what it covers, in a sentence or two. Shown on its history.",
    )

    objects = SubjectQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("minutes:subject-detail", kwargs={"slug": self.slug})


class AgendaItemQuerySet[I: AgendaItem](models.QuerySet[I]):
    def visible_to(self, audience: Audience) -> AgendaItemQuerySet[VisibleAgendaItem]:
        """The items the audience may see listed, each annotated ``content_visible``: whether
        they may read its purpose and papers (an exempt item shows the public only its title)."""
        if audience.sees_drafts:
            return self.annotate(content_visible=Value(True))
        drafts = Q(meeting__board_id__in=audience.draft_board_ids)
        return self.filter(Q(publication__isnull=False) | drafts).annotate(
            content_visible=Case(
                When(drafts, then=Value(True)),
                When(withdrawn_at__isnull=False, then=Value(False)),
                When(exempt=False, then=Value(True)),
                When(meeting__board_id__in=audience.member_board_ids, then=Value(True)),
                When(meeting_id__in=audience.substitute_meeting_ids, then=Value(True)),
                default=Value(False),
            )
        )


class AgendaItem(Exemptible, Withdrawable, TimeStampedModel):
    class Kind(models.TextChoices):
        APPEALS = "appeals", "Appeals against refusal of inspection of documents"
        EXEMPT_INFORMATION = "exempt_information", "Exempt information"
        LATE_ITEMS = "late_items", "Late items"
        DECLARATIONS = "declarations", "Declarations of interests"
        APOLOGIES = "apologies", "Apologies and substitutes"
        MINUTES = "minutes", "Minutes of the previous meeting"
        REPORT = "report", "Report"
        INQUIRY_SESSION = "inquiry_session", "Inquiry session"
        CALL_IN = "call_in", "Call-in of an executive decision"
        WORK_SCHEDULE = "work_schedule", "Work schedule"
        NEXT_MEETING = "next_meeting", "Date and time of next meeting"
        OTHER = "other", "Other business"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda_items")
    # Its place on the agenda; it is printed as its number unless the agenda was published with
    # a number of its own ("5a", or a full council's "14").
    number = models.PositiveSmallIntegerField()
    published_number = models.CharField(
        max_length=10,
        blank=True,
        validators=[
            RegexValidator(
                r"^[0-9]{1,4}[A-Za-z]{0,2}$|^[A-Za-z]{1,2}[0-9]{0,3}$",
                "Give the number as the agenda prints it: digits, perhaps with a letter (5a).",
            )
        ],
        verbose_name="number as published",
        help_text="Only if the agenda numbers it otherwise than by its place, such as 5a or 14.",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.REPORT)
    title = models.CharField(max_length=300)
    purpose = models.TextField(blank=True, help_text="What the board is asked to do (Markdown).")
    wards = models.ManyToManyField(Ward, blank=True, related_name="agenda_items")
    equality_implications = models.BooleanField(default=False)
    eligible_for_call_in = models.BooleanField(default=False)
    late = models.BooleanField(
        default=False, help_text="Admitted by the chair after the agenda was published."
    )
    special_circumstances = models.TextField(
        blank=True, help_text="Why the chair admitted the late item; carried into the minutes."
    )
    lead_post = models.ForeignKey(
        Post,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name="lead officer",
    )
    minutes_of = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The meeting whose minutes this item confirms.",
    )
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    subject = models.ForeignKey(
        Subject,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        help_text="A topic that returns to meetings: its history lists every item about it.",
    )

    objects = AgendaItemQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[wards])

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            *Exemptible.Meta.constraints,
            *Withdrawable.Meta.constraints,
            models.UniqueConstraint(
                fields=["meeting", "number"], name="agendaitem_one_number_per_meeting"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="agendaitem_number_positive"),
            models.UniqueConstraint(
                fields=["meeting", "published_number"],
                condition=~Q(published_number=""),
                name="agendaitem_one_published_number_per_meeting",
                violation_error_message="Another item of this meeting has that number.",
            ),
            models.CheckConstraint(
                condition=Q(late=False) | ~Q(special_circumstances=""),
                name="agendaitem_late_has_special_circumstances",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shown_number}. {self.title}"

    @property
    def shown_number(self) -> str:
        """The item's number as the agenda prints it: "7", "5a"."""
        return self.published_number or str(self.number)

    @property
    def is_published(self) -> bool:
        return self.publication_id is not None

    def is_listed_to(self, audience: Audience) -> bool:
        """``AgendaItemQuerySet.visible_to`` for an item in hand: whether the audience may see it
        listed (its title, at least)."""
        return audience.sees_drafts or self.is_published


if TYPE_CHECKING:
    type VisibleAgendaItem = WithAnnotations[AgendaItem, ContentVisible]


class AgendaTemplateItem(TimeStampedModel):
    """One line of a board's standard agenda, copied into every new meeting's agenda."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="agenda_template")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=AgendaItem.Kind.choices)
    title = models.CharField(max_length=300)
    purpose = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "position"], name="agendatemplateitem_one_position_per_board"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.board}: {self.position}. {self.title}"
