"""The summons to a meeting and its dispatch list.

Publishing an agenda (and each supplement after it) sends it to everyone on the meeting's list:
the members of the body on the day of the meeting, its named substitutes, the officers who
support it, and the others a clerk adds (``ExtraRecipient``). A ``Dispatch`` records, for each
of them and each publication, what was sent (which edition of the pack was linked, and why), to
which address, when, and what went wrong: the council's evidence that every member was summoned
(Local Government Act 1972, Schedule 12, paragraph 4(2)). Each try to send it is kept too
(``DispatchAttempt``): the first sending, and every resend a clerk asks for.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from boards import publication as deadlines
from boards.models import Board, Meeting, Person, Publication
from boards.models.people import TimeStampedModel


class ExtraRecipientQuerySet(models.QuerySet["ExtraRecipient"]):
    def for_meeting(self, meeting: Meeting) -> ExtraRecipientQuerySet:
        """Those added to this meeting's list, and to every meeting of its body."""
        return self.filter(Q(meeting=meeting) | Q(board_id=meeting.board_id))


class ExtraRecipient(TimeStampedModel):
    """Someone a clerk adds to the list, beyond the members, substitutes and officers: to one
    meeting's list, or to every meeting of a body (a press officer, a ward councillor, an
    officer presenting a report). They are sent the public pack: the exempt papers are for the
    body's members and officers only."""

    board = models.ForeignKey(
        Board,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="summons_recipients",
        help_text="Sent the papers of every meeting of this body.",
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="summons_recipients",
        help_text="Sent the papers of this meeting only.",
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(verbose_name="e-mail address")
    reason = models.CharField(
        max_length=300,
        verbose_name="why they are sent the papers",
        help_text="For example: Press office; ward councillor for item 7.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ExtraRecipientQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(board__isnull=False, meeting__isnull=True)
                | Q(board__isnull=True, meeting__isnull=False),
                name="extrarecipient_of_a_body_or_a_meeting",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "board",
                condition=Q(board__isnull=False),
                name="extrarecipient_once_per_body",
                violation_error_message="This address is already on the list of every meeting "
                "of this body.",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "meeting",
                condition=Q(meeting__isnull=False),
                name="extrarecipient_once_per_meeting",
                violation_error_message="This address is already on this meeting's list.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class DispatchQuerySet(models.QuerySet["Dispatch"]):
    def of_meeting(self, meeting: Meeting) -> DispatchQuerySet:
        return self.filter(publication__meeting=meeting)

    def for_list(self) -> DispatchQuerySet:
        """With what the list shows of each row, fetched at once."""
        return self.select_related(
            "publication__meeting", "person", "resent_by", "delivery_recorded_by"
        ).order_by("publication__published_at", "publication_id", "role", "name", "pk")


class Dispatch(models.Model):
    """The papers of one publication sent to one person on the meeting's list.

    Sent at most once per try: the sender claims the row (queued → sending, in a committed
    update) before it hands the e-mail to the mail server, and nothing sends a row it has not
    claimed. A row left ``sending`` by a worker that stopped may or may not have gone; it is not
    sent again unless a clerk resends it.
    """

    class Role(models.TextChoices):
        # In the order a person on the list in two ways is listed as the first.
        MEMBER = "member", "Member"
        SUBSTITUTE = "substitute", "Named substitute"
        OFFICER = "officer", "Supporting officer"
        OTHER = "other", "Other"

    class Edition(models.TextChoices):
        MEMBERS = "members", "Members' pack"
        PUBLIC = "public", "Public pack"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent"
        DELIVERED = "delivered", "Delivered another way"

    class Delivery(models.TextChoices):
        BY_HAND = "by_hand", "Delivered by hand"
        BY_POST = "by_post", "Sent by post"

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="summons_dispatches"
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="summons_dispatches",
        help_text="Empty for someone a clerk added by name and address.",
    )
    extra = models.ForeignKey(
        ExtraRecipient,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dispatches",
        help_text="The clerk's addition that put them on the list, while it is kept.",
    )
    name = models.CharField(max_length=200, help_text="As on the list when it was made.")
    role = models.CharField(max_length=20, choices=Role.choices)
    role_detail = models.CharField(
        max_length=300, blank=True, help_text="Chair; substitute for a member; why added."
    )
    edition = models.CharField(max_length=10, choices=Edition.choices)
    edition_reason = models.CharField(max_length=300)
    address = models.EmailField(
        blank=True, verbose_name="e-mail address", help_text="Where it was sent; empty if none."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When it first went to the mail server."
    )
    last_sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the last try failed.")
    attempts = models.PositiveSmallIntegerField(default=0)
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resent_at = models.DateTimeField(null=True, blank=True)
    delivered_how = models.CharField(max_length=10, choices=Delivery.choices, blank=True)
    delivered_on = models.DateField(null=True, blank=True)
    delivery_note = models.CharField(max_length=300, blank=True)
    delivery_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivery_recorded_at = models.DateTimeField(null=True, blank=True)

    objects = DispatchQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "dispatches"
        ordering = ["publication", "role", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["member", "substitute", "officer", "other"]),
                name="dispatch_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(edition__in=["members", "public"]), name="dispatch_edition_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed", "delivered"]),
                name="dispatch_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(delivered_how__in=["", "by_hand", "by_post"]),
                name="dispatch_delivered_how_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="dispatch_sent_has_a_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""),
                name="dispatch_failure_says_why",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered")
                | Q(delivered_on__isnull=False) & ~Q(delivered_how=""),
                name="dispatch_delivery_says_how_and_when",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(address=""),
                name="dispatch_to_a_person_or_an_address",
            ),
            # Once per recipient and publication: a person once, an address added by hand once.
            models.UniqueConstraint(
                fields=["publication", "person"],
                condition=Q(person__isnull=False),
                name="dispatch_once_per_person_and_publication",
            ),
            models.UniqueConstraint(
                Lower("address"),
                "publication",
                condition=Q(person__isnull=True),
                name="dispatch_once_per_address_and_publication",
            ),
        ]
        indexes = [models.Index(fields=["status", "publication"])]

    def __str__(self) -> str:
        return f"{self.publication} to {self.name}: {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("summons:dispatch-list", kwargs={"pk": self.publication.meeting_id}) + (
            f"#dispatch-{self.pk}"
        )

    @property
    def reached_on(self) -> datetime.date | None:
        """The day it first reached them: sent by e-mail, or delivered another way."""
        if self.sent_at is not None:
            return timezone.localdate(self.sent_at)
        if self.status == self.Status.DELIVERED:
            return self.delivered_on
        return None

    def is_late_for(self, meeting_on: datetime.date) -> bool:
        """Fewer than five clear working days between the day it reached them and the meeting
        (or it has not reached them at all): ``boards.publication.is_late``."""
        reached = self.reached_on
        return reached is None or deadlines.is_late(reached, meeting_on)

    @property
    def late(self) -> bool:
        """Late for its meeting, or not reached at all (load it with its publication's
        meeting: ``for_list``)."""
        return self.is_late_for(self.publication.meeting.date)


class DispatchAttempt(models.Model):
    """One try to send a dispatch by e-mail: the first, by the worker after publication, or a
    resend a clerk asked for (``by``)."""

    class Outcome(models.TextChoices):
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="tries")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    address = models.EmailField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SENDING)
    error = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who asked for it to be sent again; empty for the first sending.",
    )

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["sending", "sent", "failed"]),
                name="dispatchattempt_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dispatch}: {self.get_outcome_display()} at {self.started_at:%Y-%m-%d %H:%M}"
