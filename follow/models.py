"""Following: a signed-in user's subscription to a board, an inquiry or a recommendation, which
brings them an e-mail when something new about it is published."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from boards.models.people import Board, TimeStampedModel

if TYPE_CHECKING:
    from recommendations.models import Recommendation


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def for_list(self) -> SubscriptionQuerySet:
        return self.select_related("board", "inquiry__board", "recommendation__statement__inquiry")

    def of_thing(self, thing: models.Model) -> SubscriptionQuerySet:
        return self.filter(**{Subscription.kind_of(thing): thing})


class Subscription(TimeStampedModel):
    """One user following one thing.

    The thing is one of three explicit nullable foreign keys, with a check that exactly one is
    set, rather than a GenericForeignKey: real foreign keys keep the database honest (a
    subscription cannot point at a row that does not exist, and it goes when its board, inquiry
    or recommendation goes), each kind gets its own named unique constraint, and the senders
    find a thing's subscribers with a plain indexed join. A generic key would give none of that
    for a fixed, short list of things that can be followed.
    """

    class Kind(models.TextChoices):
        BOARD = "board", "Board"
        INQUIRY = "inquiry", "Inquiry"
        RECOMMENDATION = "recommendation", "Recommendation"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    board = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    inquiry = models.ForeignKey(
        "inquiries.Inquiry",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(board__isnull=False, inquiry__isnull=True, recommendation__isnull=True)
                | Q(board__isnull=True, inquiry__isnull=False, recommendation__isnull=True)
                | Q(board__isnull=True, inquiry__isnull=True, recommendation__isnull=False),
                name="subscription_follows_exactly_one_thing",
            ),
            models.UniqueConstraint(
                fields=["user", "board"],
                condition=Q(board__isnull=False),
                name="subscription_once_per_user_and_board",
            ),
            models.UniqueConstraint(
                fields=["user", "inquiry"],
                condition=Q(inquiry__isnull=False),
                name="subscription_once_per_user_and_inquiry",
            ),
            models.UniqueConstraint(
                fields=["user", "recommendation"],
                condition=Q(recommendation__isnull=False),
                name="subscription_once_per_user_and_recommendation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.thing}"

    @property
    def kind(self) -> str:
        if self.board_id is not None:
            return self.Kind.BOARD
        if self.inquiry_id is not None:
            return self.Kind.INQUIRY
        return self.Kind.RECOMMENDATION

    @property
    def thing(self):
        return getattr(self, self.kind)

    @property
    def thing_url(self) -> str:
        if self.board is not None:
            return reverse("boards:board-detail", kwargs={"slug": self.board.slug})
        return self.thing.get_absolute_url()

    @property
    def label(self) -> str:
        """What is followed, in words ("Recommendation 2(a) of Inquiry into ICT capacity")."""
        if self.board is not None:
            return self.board.name
        if self.inquiry is not None:
            return self.inquiry.title
        # The check constraint leaves only the recommendation.
        recommendation = cast("Recommendation", self.recommendation)
        return f"Recommendation {recommendation.reference} of {recommendation.statement.inquiry}"

    @classmethod
    def kind_of(cls, thing: models.Model) -> str:
        kind = thing._meta.model_name
        if kind not in cls.Kind.values:
            raise TypeError(f"{type(thing).__name__} cannot be followed.")
        return kind


class SentEmail(models.Model):
    """One alert e-mail to one person about one event, recorded as it goes out (``sending``,
    then ``sent``), so that a task run again after its worker stopped part-way sends nobody
    the same e-mail twice: it skips whoever has a row. A row left ``sending`` is an e-mail
    that may or may not have gone; it is not sent again (at most once).

    The person is a user; or, for someone told without an account of theirs (a councillor who
    signed a call-in, written to at the address the council holds for them), their address."""

    class Status(models.TextChoices):
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"

    event = models.CharField(max_length=40)
    record_id = models.PositiveBigIntegerField(help_text="The record the event is about.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    address = models.EmailField(
        blank=True, help_text="Where it went, for someone without an account (no user)."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "record_id", "user"], name="sentemail_once_per_user_and_event"
            ),
            models.UniqueConstraint(
                fields=["event", "record_id", "address"],
                condition=Q(user__isnull=True),
                name="sentemail_once_per_address_and_event",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, address="") | Q(user__isnull=True) & ~Q(address=""),
                name="sentemail_to_a_user_or_an_address",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["sending", "sent"]), name="sentemail_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.event} {self.record_id} to {self.user or self.address}: "
            f"{self.get_status_display()}"
        )
