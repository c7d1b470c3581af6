"""The record of a meeting: attendance, declarations of interest, numbered minutes with their
lettered resolutions (some of them actions), and the minutes' approval at the next meeting."""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils.safestring import SafeString
from simple_history.models import HistoricalRecords

from boards import text
from boards.models import (
    AgendaItem,
    Board,
    Meeting,
    MunicipalYear,
    Person,
    Post,
    TimeStampedModel,
)
from boards.models.exemption import ContentVisible, Withdrawable

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from boards.visibility import Audience


class MinutesRecordQuerySet(models.QuerySet["MinutesRecord"]):
    def published_to(self, audience: Audience) -> MinutesRecordQuerySet:
        """The minutes the audience may read: staff read drafts as they are typed; everyone else
        reads approved minutes, and drafts once an officer or clerk has released them."""
        if audience.sees_drafts:
            return self
        return self.filter(Q(status=MinutesRecord.Status.APPROVED) | Q(released_at__isnull=False))


class MinutesRecord(TimeStampedModel):
    """The minutes of one meeting as a whole: who presided, the times, and their approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    chair = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who was in the chair when the meeting opened.",
    )
    started_at = models.TimeField(null=True, blank=True)
    ended_at = models.TimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_at_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the draft was released to the public, before its approval.",
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MinutesRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "minutes"
        verbose_name_plural = "minutes"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved"]), name="minutesrecord_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(approved_at_meeting__isnull=False, approved_on__isnull=False),
                name="minutesrecord_approval_is_recorded",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True)
                | Q(started_at__isnull=True)
                | Q(ended_at__gt=models.F("started_at")),
                name="minutesrecord_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("minutes:minutes-detail", kwargs={"pk": self.meeting_id})

    def is_published_to(self, audience: Audience) -> bool:
        """``MinutesRecordQuerySet.published_to`` for the minutes in hand."""
        return audience.sees_drafts or self.is_approved or self.is_released

    @property
    def is_released(self) -> bool:
        """A draft released to the public before its approval."""
        return self.released_at is not None

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class Attendance(TimeStampedModel):
    """Who was at the meeting and in what capacity; for those there for part of it, which items."""

    class Kind(models.TextChoices):
        MEMBER = "member", "Member"
        SUBSTITUTE = "substitute", "Substitute"
        OFFICER = "officer", "Officer"
        WITNESS = "witness", "Witness"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        NOT_RECORDED = "not_recorded", "Not recorded"
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Recorded, never assumed: a member is "not recorded" until the minute-taker says otherwise.
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_RECORDED)
    substitute_for = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="substituted_by",
        help_text="The member this councillor substituted for.",
    )
    capacity = models.CharField(
        max_length=200, blank=True, help_text="For example Chief Digital Officer."
    )
    items = models.ManyToManyField(
        AgendaItem,
        blank=True,
        related_name="attendances",
        help_text="Only these items; none means the whole meeting.",
    )

    history = HistoricalRecords(m2m_fields=[items])

    class Meta:
        ordering = ["meeting", "kind", "person__family_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="attendance_once_per_meeting"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["member", "substitute", "officer", "witness", "other"]),
                name="attendance_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["not_recorded", "present", "apologies", "absent"]),
                name="attendance_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="substitute", substitute_for__isnull=False)
                | (~Q(kind="substitute") & Q(substitute_for__isnull=True)),
                name="attendance_substitute_names_the_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_kind_display()}, {self.get_status_display()}"


class Declaration(TimeStampedModel):
    class Kind(models.TextChoices):
        PECUNIARY = "pecuniary", "Disclosable pecuniary interest"
        REGISTRABLE = "registrable", "Other registrable interest"
        NON_REGISTRABLE = "non_registrable", "Non-registrable interest"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="declarations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="declarations")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="declarations"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    nature = models.TextField(help_text="The nature of the interest, as the member described it.")
    left_room = models.BooleanField(
        default=False, verbose_name="left the room and took no part in the item"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "agenda_item__number", "person__family_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["pecuniary", "registrable", "non_registrable"]),
                name="declaration_kind_valid",
            ),
            models.CheckConstraint(condition=~Q(nature=""), name="declaration_has_nature"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()} in item {self.agenda_item.number}"


class MinuteQuerySet[M: Minute](models.QuerySet[M]):
    def visible_to(self, audience: Audience) -> MinuteQuerySet[VisibleMinute]:
        """Minutes the audience may read in full, annotated ``content_visible``: the public reads
        an exempt item's minute as its public summary only."""
        if audience.sees_drafts:
            return self.annotate(content_visible=Value(True))
        return self.annotate(
            content_visible=Case(
                When(agenda_item__isnull=True, then=Value(True)),
                When(agenda_item__exempt=False, then=Value(True)),
                When(board_id__in=audience.member_board_ids, then=Value(True)),
                When(meeting_id__in=audience.substitute_meeting_ids, then=Value(True)),
                default=Value(False),
            )
        )


class Minute(Withdrawable, TimeStampedModel):
    """One numbered minute: the board's sequence for the municipal year, never reused."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minute_entries")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    municipal_year = models.ForeignKey(MunicipalYear, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    order = models.PositiveIntegerField(
        default=0,
        help_text=(
            "Where the minute stands among the meeting's: its item's place on the agenda when it "
            "was taken, or, for business off the agenda, just after the minute taken before it."
        ),
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="minute_entries"
    )
    title = models.CharField(max_length=300)
    narrative = models.TextField(blank=True, help_text="Markdown: paragraphs and bullet points.")
    public_summary = models.TextField(
        blank=True, help_text="For an exempt item: what the public may read instead."
    )
    chair = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who was in the chair for this item, if not the meeting's chair.",
    )
    version = models.PositiveIntegerField(default=1)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MinuteQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "municipal_year", "number"]
        constraints = [
            *Withdrawable.Meta.constraints,
            models.UniqueConstraint(
                fields=["board", "municipal_year", "number"],
                name="minute_one_number_per_board_and_year",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="minute_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def narrative_html(self) -> SafeString:
        return text.render_markdown(self.narrative)


if TYPE_CHECKING:
    type VisibleMinute = WithAnnotations[Minute, ContentVisible]


class ResolutionQuerySet(models.QuerySet["Resolution"]):
    def open_actions(self) -> ResolutionQuerySet:
        """Actions from minutes not yet done, the soonest due first."""
        return (
            self.filter(is_action=True, done_on__isnull=True, minute__withdrawn_at__isnull=True)
            .select_related("minute__meeting__board", "owner_post", "owner_person")
            .order_by(models.F("due_on").asc(nulls_last=True), "pk")
        )


class Resolution(TimeStampedModel):
    """A lettered resolution of a minute, (a), (b)…; an action when it asks someone to act."""

    minute = models.ForeignKey(Minute, on_delete=models.CASCADE, related_name="resolutions")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    is_action = models.BooleanField(default=False, verbose_name="this is an action")
    owner_post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    owner_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField(blank=True)

    objects = ResolutionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["minute", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["minute", "position"], name="resolution_one_letter_per_minute"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="resolution_has_text"),
            models.CheckConstraint(
                condition=Q(is_action=False, done_on__isnull=True)
                | Q(is_action=True, owner_post__isnull=False)
                | Q(is_action=True, owner_person__isnull=False),
                name="resolution_action_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"({self.letter}) {self.text}"

    @property
    def letter(self) -> str:
        letters = string.ascii_lowercase
        index = self.position - 1
        return (
            letters[index]
            if index < len(letters)
            else f"{letters[index // 26 - 1]}{letters[index % 26]}"
        )

    @property
    def owner(self) -> str:
        return str(self.owner_post or self.owner_person or "")
