"""The record of a meeting: attendance, declarations of interest, numbered minutes with their
lettered resolutions (some of them actions), and the minutes' approval at the next meeting."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords

from boards import formatting, numbering, text
from boards.models import (
    AgendaItem,
    Board,
    Meeting,
    MunicipalYear,
    Person,
    Post,
    Subject,
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
        return self.filter(
            Q(status=MinutesRecord.Status.APPROVED)
            | Q(released_at__isnull=False)
            | Q(meeting__board_id__in=audience.draft_board_ids)
        )


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
        return (
            self.is_approved or self.is_released or audience.sees_drafts_of(self.meeting.board_id)
        )

    @property
    def is_released(self) -> bool:
        """A draft released to the public before its approval."""
        return self.released_at is not None

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


def minutes_name(person: Person) -> str:
    """A person as a minute's sentence names them: "Councillor K Groves", "Dylan Roberts"."""
    if person.kind == Person.Kind.COUNCILLOR:
        return f"Councillor {person.short_name}"
    return person.full_name


class Attendance(TimeStampedModel):
    """Who was at the meeting and in what capacity; for those there for part of it, which items.
    Someone may be recorded by the post they attended in alone ("Cabinet Member for Corporate
    Services"), by a person alone, or by both."""

    class Kind(models.TextChoices):
        MEMBER = "member", "Member"
        SUBSTITUTE = "substitute", "Substitute"
        COUNCILLOR = "councillor", "Councillor (not a member of the board)"
        OFFICER = "officer", "Officer"
        WITNESS = "witness", "Witness"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        NOT_RECORDED = "not_recorded", "Not recorded"
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendances",
        help_text="Who attended; none when the minutes name only the post.",
    )
    post = models.ForeignKey(
        Post,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendances",
        help_text="The post they attended in, such as Cabinet Member for Corporate Services.",
    )
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
            models.UniqueConstraint(
                fields=["meeting", "post"], name="attendance_post_once_per_meeting"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["member", "substitute", "councillor", "officer", "witness", "other"]
                ),
                name="attendance_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False)
                | (Q(post__isnull=False) & ~Q(kind__in=["member", "substitute"])),
                name="attendance_names_a_person_or_a_post",
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
        return f"{self.listed_as} – {self.get_kind_display()}, {self.get_status_display()}"

    @property
    def is_councillor(self) -> bool:
        return self.person is not None and self.person.kind == Person.Kind.COUNCILLOR

    @property
    def named(self) -> str:
        """As a sentence of the minutes names them: "Councillor J Smith", "Dylan Roberts", or
        for a post alone "the Cabinet Member for Corporate Services"."""
        if self.person is not None:
            return minutes_name(self.person)
        return f"the {self.post}"

    @property
    def listed_as(self) -> str:
        """As the minutes list those in attendance: "Cabinet Member for Corporate Services",
        "Councillor J Smith, Cabinet Member for Corporate Services", "Councillor X (ward member
        for Y)", "Dylan Roberts, Chief Digital Officer"."""
        return self._listed(items=False)

    @property
    def printed_as(self) -> str:
        """``listed_as``, with the items of someone there for only some of them: "Dylan
        Roberts, Chief Digital Officer (items 7 and 8)"."""
        return self._listed(items=True)

    def _listed(self, *, items: bool) -> str:
        notes = []
        if self.person is None:
            listed = str(self.post)
        else:
            listed = minutes_name(self.person) + (f", {self.post}" if self.post else "")
        if self.capacity:
            # A councillor's capacity, or a post holder's, is a note ("ward member for Y"); an
            # officer's or a witness's is the role they are named by.
            if self.is_councillor or self.post:
                notes.append(self.capacity)
            else:
                listed = f"{listed}, {self.capacity}"
        numbers = [item.shown_number for item in self.items.all()] if items else []
        if numbers:
            *others, last = numbers
            joined = f"{', '.join(others)} and {last}" if others else last
            notes.append(f"item{'s' if others else ''} {joined}")
        return f"{listed} ({'; '.join(notes)})" if notes else listed


class Declaration(TimeStampedModel):
    """An interest declared in an item by anyone at the meeting (a member, a substitute, a
    councillor attending, an officer), and whether they left the room for it."""

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
    nature = models.TextField(help_text="The nature of the interest, as they described it.")
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
        return f"{self.person}: {self.get_kind_display()} in item {self.agenda_item.shown_number}"

    @property
    def declared(self) -> str:
        """What they declared, as a sentence says it: "a disclosable pecuniary interest", "an
        other registrable interest"."""
        kind = self.get_kind_display().lower()
        return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"

    @property
    def left_room_note(self) -> str:
        """What the item's own minute says of someone who left the room for it."""
        return (
            f"{minutes_name(self.person)}, having declared an interest in this item, left the "
            "room and took no part in it."
        )


class Movement(TimeStampedModel):
    """Someone arriving after the meeting began, or leaving before it ended (and perhaps coming
    back): by the time, the item it happened during, or both. It prints in that item's minute
    ("Councillor J Smith left the meeting during this item."), or with the attendance."""

    class Kind(models.TextChoices):
        ARRIVED = "arrived", "Arrived"
        LEFT = "left", "Left the meeting"

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="movements")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.TimeField(null=True, blank=True, verbose_name="time")
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements",
        verbose_name="during item",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = [
            models.F("agenda_item__number").asc(nulls_last=True),
            models.F("at").asc(nulls_last=True),
            "pk",
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["arrived", "left"]), name="movement_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(at__isnull=False) | Q(agenda_item__isnull=False),
                name="movement_has_a_time_or_an_item",
            ),
        ]

    def __str__(self) -> str:
        return self.sentence

    @property
    def _verb(self) -> str:
        return "arrived" if self.kind == self.Kind.ARRIVED else "left the meeting"

    @property
    def _time(self) -> str:
        return f" at {formatting.clock(self.at)}" if self.at else ""

    @property
    def sentence(self) -> str:
        """As the attendance part of the minutes says it: "Councillor J Smith arrived at 10.20 am
        during item 7, Budget."."""
        item = self.agenda_item
        during = f" during item {item.shown_number}, {item.title.rstrip('.')}" if item else ""
        return f"{capfirst(self.attendance.named)} {self._verb}{self._time}{during}."

    @property
    def in_its_minute(self) -> str:
        """As the item's own minute says it: "Councillor J Smith left the meeting during this
        item.", "Councillor J Smith arrived at 10.20 am during this item."."""
        return f"{capfirst(self.attendance.named)} {self._verb}{self._time} during this item."


class MeetingEvent(TimeStampedModel):
    """Something that happened to the meeting itself, printed where it happened: an adjournment
    (after the minute of the item it happened during or after, or with the start of the
    meeting), or a change of chair (at the start of the minute of the item from which the new
    chair presided)."""

    class Kind(models.TextChoices):
        ADJOURNED = "adjourned", "Adjournment"
        CHAIR_CHANGED = "chair_changed", "Change of chair"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="An adjournment: the item it happened during or after. A change of chair: "
        "the item from which the new chair presided.",
    )
    adjourned_at = models.TimeField(null=True, blank=True)
    resumed_at = models.TimeField(
        null=True, blank=True, help_text="Empty while the meeting is still adjourned."
    )
    chair = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The councillor who took the Chair.",
    )
    why = models.CharField(
        max_length=300,
        blank=True,
        verbose_name="why the chair changed",
        help_text="For example: Councillor K Groves left the meeting.",
    )

    history = HistoricalRecords()

    # Set by ``minutes.documents``: the number of the last item this chair presided over, when
    # the chair changed again later in the meeting (none: to the end of the meeting).
    last_item_number: int | None = None
    last_item_shown = ""  # that item's number as printed

    class Meta:
        ordering = [
            models.F("agenda_item__number").asc(nulls_first=True),
            "kind",
            models.F("adjourned_at").asc(nulls_last=True),
            "pk",
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["adjourned", "chair_changed"]),
                name="meetingevent_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="adjourned", adjourned_at__isnull=False, chair__isnull=True)
                | Q(
                    kind="chair_changed",
                    chair__isnull=False,
                    agenda_item__isnull=False,
                    adjourned_at__isnull=True,
                    resumed_at__isnull=True,
                ),
                name="meetingevent_has_what_its_kind_needs",
            ),
            models.CheckConstraint(
                condition=Q(resumed_at__isnull=True) | Q(resumed_at__gt=models.F("adjourned_at")),
                name="meetingevent_resumes_after_it_adjourns",
            ),
            models.UniqueConstraint(
                fields=["agenda_item"],
                condition=Q(kind="chair_changed"),
                name="meetingevent_one_change_of_chair_per_item",
            ),
        ]

    def __str__(self) -> str:
        return self.sentence

    @property
    def is_adjournment(self) -> bool:
        return self.kind == self.Kind.ADJOURNED

    @property
    def _adjournment(self) -> str:
        at = formatting.clock(self.adjourned_at) if self.adjourned_at else "a time not recorded"
        adjourned = f"The meeting adjourned at {at}"
        if self.resumed_at is None:
            return f"{adjourned}."
        return f"{adjourned} and resumed at {formatting.clock(self.resumed_at)}."

    @property
    def _reason(self) -> str:
        why = self.why.strip().rstrip(".")
        return f"{capfirst(why)}. " if why else ""

    @property
    def _chair(self) -> str:
        return minutes_name(self.chair) if self.chair else "The new chair"

    @property
    def in_its_minute(self) -> str:
        """As it prints in its item's minute: "The meeting adjourned at 11.05 am and resumed at
        11.20 am." after it; "Councillor J Smith took the Chair for this item and the rest of
        the meeting." (or "for items 8 to 10.") at its start, after the reason if given."""
        if self.is_adjournment:
            return self._adjournment
        item = self.agenda_item
        last = self.last_item_number
        if last is None or item is None:
            span = "for this item and the rest of the meeting"
        elif last <= item.number:
            span = "for this item"
        else:
            span = f"for items {item.shown_number} to {self.last_item_shown or last}"
        return f"{self._reason}{self._chair} took the Chair {span}."

    @property
    def sentence(self) -> str:
        """As the console lists it, and the minutes print it where its item has no minute:
        "The meeting adjourned at 11.05 am and resumed at 11.20 am (item 7, Budget).",
        "Councillor J Smith took the Chair from item 8, Budget."."""
        item = self.agenda_item
        where = f"item {item.shown_number}, {item.title.rstrip('.')}" if item else ""
        if self.is_adjournment:
            return f"{self._adjournment[:-1]} ({where})." if where else self._adjournment
        return f"{self._reason}{self._chair} took the Chair from {where}."


class MinuteQuerySet[M: Minute](models.QuerySet[M]):
    def numbered(self) -> MinuteQuerySet[M]:
        """With what prints each minute's number as its body does (``Minute.label``)."""
        return self.select_related("board", "municipal_year", "agenda_item")

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
    notes_after = models.TextField(
        blank=True,
        verbose_name="after the resolutions",
        help_text=(
            "Markdown, printed after the resolutions: for example, that the Board observed a "
            "minute's silence."
        ),
    )
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
    # Fixed when the minutes are released or approved: the number and the resolutions' style
    # as printed then, whatever the body's numbering later becomes (``boards.numbering``).
    printed_number = models.CharField(max_length=30, blank=True, editable=False)
    resolution_style = models.CharField(
        max_length=20, blank=True, editable=False, choices=numbering.ResolutionStyle.choices
    )
    version = models.PositiveIntegerField(default=1)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MinuteQuerySet.as_manager()
    history = HistoricalRecords()

    # Set by ``minutes.documents`` on the minutes it prints: the changes of chair printed at the
    # start of the minute, the adjournments printed after it, and who arrived or left during
    # its item.
    opening_events: list[MeetingEvent]
    closing_events: list[MeetingEvent]
    people_moving: list[Movement]
    # And the subject its item is filed under, if the audience may see the item: the page
    # links it to the subject's history.
    subject: Subject | None

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
        return f"{self.label} {self.title}"

    @property
    def label(self) -> str:
        """The minute's number as its body prints it: "59", "EX 21/16", or its agenda item's
        number; as printed when the minutes were released or approved, from then on."""
        return self.printed_number or self.label_now

    @property
    def style(self) -> str:
        """How its resolutions are marked: as when released or approved, else the body's."""
        return self.resolution_style or self.board.resolution_style

    @property
    def label_now(self) -> str:
        """The number by the body's numbering today (read with ``numbered()``)."""
        board = self.board
        return numbering.minute_label(
            scheme=board.minute_numbering,
            prefix=board.minute_prefix,
            number=self.number,
            year_starts=self.municipal_year.starts_on.year,
            agenda_number=self.agenda_item.shown_number if self.agenda_item else None,
        )

    @property
    def recorded_decision(self) -> Decision | None:
        """The decision this minute records, if its body takes decisions and it was recorded
        as one (read with ``select_related("decision")``)."""
        return getattr(self, "decision", None)

    @property
    def narrative_html(self) -> SafeString:
        return text.render_markdown(self.narrative)

    @property
    def notes_after_html(self) -> SafeString:
        return text.render_markdown(self.notes_after)


if TYPE_CHECKING:
    type VisibleMinute = WithAnnotations[Minute, ContentVisible]


class ResolutionQuerySet(models.QuerySet["Resolution"]):
    def with_due(self) -> ResolutionQuerySet:
        """Each resolution with ``next_meeting_on`` (for an action due by the next meeting: the
        date of the board's next meeting after the one that set it, if one is scheduled) and
        ``due``, the date it is due however it was given (none if not known yet)."""
        return self.annotate(
            next_meeting_on=Case(
                When(due_next_meeting=True, then=_next_meeting_date()),
                default=Value(None),
                output_field=models.DateField(),
            ),
            due=Coalesce("due_on", "next_meeting_on"),
        )

    def open_actions(self) -> ResolutionQuerySet:
        """Actions from minutes not yet done, the soonest due first."""
        return (
            self.filter(is_action=True, done_on__isnull=True, minute__withdrawn_at__isnull=True)
            .with_due()
            .select_related(
                "minute__meeting__board",
                "minute__board",
                "minute__municipal_year",
                "minute__agenda_item",
                "owner_post",
                "owner_person",
            )
            .order_by(models.F("due").asc(nulls_last=True), "pk")
        )

    def visible_to(self, audience: Audience) -> ResolutionQuerySet:
        """The resolutions the audience may read: those of minutes published to it (drafts to
        staff only) whose minute it reads in full (the public reads an exempt item's minute as
        its summary, without its resolutions)."""
        if audience.sees_drafts:
            return self
        readable = Minute.objects.visible_to(audience).filter(content_visible=True)
        published = MinutesRecord.objects.published_to(audience)
        return self.filter(
            minute__in=readable.values("pk"), minute__meeting__in=published.values("meeting_id")
        )


def _meetings_after(board: Any, starts_at: Any) -> models.QuerySet[Meeting]:
    """The board's meetings after a time, soonest first, leaving out those cancelled: the first
    is "the next meeting" (its date unknown while it is postponed)."""
    return (
        Meeting.objects.filter(board=board, starts_at__gt=starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at")
    )


def _next_meeting_date() -> Subquery:
    """``_meetings_after`` the resolution's meeting, the first one's date, for ``with_due``."""
    meetings = _meetings_after(OuterRef("minute__board"), OuterRef("minute__meeting__starts_at"))
    dated = meetings.annotate(
        on=Case(
            When(status=Meeting.Status.POSTPONED, then=Value(None)),
            default=TruncDate("starts_at"),
            output_field=models.DateField(),
        )
    )
    return Subquery(dated.values("on")[:1], output_field=models.DateField())


MAX_DUE_MONTHS = 60
_NUMBERS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


def months_in_words(months: int) -> str:
    """How minutes word an action due some months on: "within six months", "within 18 months"."""
    number = _NUMBERS[months - 1] if 1 <= months <= len(_NUMBERS) else str(months)
    return f"within {number} month{'' if months == 1 else 's'}"


NEXT_MEETING_WORDS = "by the next meeting"


class Resolution(TimeStampedModel):
    """A lettered resolution of a minute, (a), (b)…; an action when it asks someone to act.

    An action's owner is a post, a person, someone named in words ("the Democratic Services
    Manager"), or nobody named. It is due by a date, some months after the meeting (the date
    worked out from the meeting's), by the next meeting (its date read from the board's
    meetings: none until it is scheduled), or at no date; ``due_wording`` keeps how the council
    wrote it ("within six months"), which the minutes print with the date.
    """

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
    owner_text = models.CharField(
        max_length=200,
        blank=True,
        verbose_name="owner in words",
        help_text="As the minutes name them, for example the Democratic Services Manager.",
    )
    due_on = models.DateField(
        null=True,
        blank=True,
        help_text="As given, or worked out from the meeting's date for an action due in months.",
    )
    due_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DUE_MONTHS)],
        help_text="Due this many months after the meeting.",
    )
    due_next_meeting = models.BooleanField(default=False, verbose_name="due by the next meeting")
    due_wording = models.CharField(
        max_length=200,
        blank=True,
        help_text="When it is due as the minutes word it: within six months, by the next meeting.",
    )
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField(blank=True)

    objects = ResolutionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["minute", "position"]
        indexes = [
            # The open actions (a board's page, What needs attention, the officer's desk):
            # a few among years of resolutions, found without reading the rest.
            models.Index(
                fields=["minute"],
                condition=Q(is_action=True, done_on__isnull=True),
                name="resolution_open_action",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["minute", "position"], name="resolution_one_letter_per_minute"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="resolution_has_text"),
            models.CheckConstraint(
                condition=Q(owner_post__isnull=True, owner_person__isnull=True)
                | Q(owner_post__isnull=True, owner_text="")
                | Q(owner_person__isnull=True, owner_text=""),
                name="resolution_at_most_one_owner",
                violation_error_message="An action has one owner at most.",
            ),
            models.CheckConstraint(
                condition=Q(is_action=True)
                | Q(
                    owner_post__isnull=True,
                    owner_person__isnull=True,
                    owner_text="",
                    due_on__isnull=True,
                    due_months__isnull=True,
                    due_next_meeting=False,
                    due_wording="",
                    done_on__isnull=True,
                ),
                name="resolution_only_an_action_has_owner_due_or_done",
                violation_error_message="Only an action has an owner, a due date or is done.",
            ),
            models.CheckConstraint(
                condition=Q(due_months__isnull=True)
                | Q(due_months__gte=1, due_on__isnull=False, due_next_meeting=False),
                name="resolution_due_in_months_is_dated",
                violation_error_message="An action due in some months has its date.",
            ),
            models.CheckConstraint(
                condition=Q(due_next_meeting=False) | Q(due_on__isnull=True),
                name="resolution_due_by_the_next_meeting_takes_its_date",
                violation_error_message="An action due by the next meeting takes its date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.marker} {self.text}"

    @property
    def letter(self) -> str:
        return numbering.letters(self.position)

    @property
    def _style(self) -> str:
        return self.minute.style

    @property
    def marker(self) -> str:
        """Its place as the minutes print it before the text, in the body's style: "(a)",
        "1.", "(ii)" (read with ``minute__board``)."""
        return numbering.resolution_marker(self._style, self.position)

    @property
    def reference(self) -> str:
        """How it is cited elsewhere: "59(a)", "EX 21/16.1"."""
        return numbering.resolution_reference(self._style, self.minute.label, self.position)

    @property
    def owner(self) -> str:
        """As a list of actions shows the owner: the post, the person, or the words."""
        return str(self.owner_post or self.owner_person or self.owner_text)

    @property
    def owner_in_words(self) -> str:
        """As a minute's sentence names the owner: "the Chief Digital Officer", "Councillor
        K Groves", or as written ("the Democratic Services Manager"); empty if none."""
        if self.owner_post is not None:
            return f"the {self.owner_post}"
        if self.owner_person is not None:
            return minutes_name(self.owner_person)
        return self.owner_text

    @property
    def due_date(self) -> datetime.date | None:
        """The date it is due: given, worked out from the meeting's, or for an action due by
        the next meeting that meeting's date, once it is scheduled."""
        if not self.due_next_meeting:
            return self.due_on
        if hasattr(self, "next_meeting_on"):  # read through ``with_due()``
            return cast("datetime.date | None", self.next_meeting_on)
        meeting = self.minute.meeting
        following = _meetings_after(meeting.board_id, meeting.starts_at).first()
        if following is None or following.status == Meeting.Status.POSTPONED:
            return None
        return following.date

    @property
    def due_as_written(self) -> str:
        """When it is due as the council wrote it: "within six months", "by the next meeting",
        "by 30 September 2016"; empty if no date was set."""
        if self.due_wording:
            return self.due_wording
        if self.due_months:
            return months_in_words(self.due_months)
        if self.due_next_meeting:
            return NEXT_MEETING_WORDS
        if self.due_on:
            return f"by {formatting.short_date(self.due_on)}"
        return ""

    @property
    def due_in_words(self) -> str:
        """As the minutes print it: the wording, and the date when the wording does not give
        it ("within six months – 22 August 2016", "by 30 September 2016")."""
        written, day = self.due_as_written, self.due_date
        if day is None:
            return written
        date = formatting.short_date(day)
        if not written:
            return f"by {date}"
        return written if date in written else f"{written} – {date}"

    @property
    def action_terms(self) -> str:
        """Who is to act and by when, as the minutes say it: "the Chief Digital Officer, by 30
        September 2016"; empty when neither was set."""
        return ", ".join(part for part in (self.owner_in_words, self.due_in_words) if part)

    @property
    def action_note(self) -> str:
        """What the minutes print after an action: "Action: the Chief Digital Officer, by 30
        September 2016"; "Action" alone when neither owner nor date was set."""
        terms = self.action_terms
        return f"Action: {terms}" if terms else "Action"


class Decision(TimeStampedModel):
    """A decision of a body that takes decisions (the executive, full council), recorded as
    such beside its minute: what was decided is the minute's resolutions; this keeps why, the
    alternative options considered and rejected, and whether it is a key decision."""

    minute = models.OneToOneField(Minute, on_delete=models.CASCADE, related_name="decision")
    reasons = models.TextField(verbose_name="reasons for the decision")
    alternatives = models.TextField(
        blank=True, verbose_name="alternative options considered and rejected"
    )
    key_decision = models.BooleanField(
        default=False,
        help_text="Significant spending or savings, or significant effects on two or more wards.",
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(reasons=""), name="decision_has_reasons"),
        ]

    def __str__(self) -> str:
        return f"Decision: {self.minute.title}"
