"""The council's bodies and people: the council itself, wards, parties, people, boards and
their memberships over time."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from boards import formatting, numbering

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class TimeStampedModel(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Council(TimeStampedModel):
    """The one council this installation serves (always the row with pk 1)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    officers_read_every_board = models.BooleanField(
        default=False,
        verbose_name="Scrutiny officers read every board's drafts and exempt papers",
        help_text="Off (least privilege, the default): each officer reads the drafts and exempt "
        "papers of the boards they support only. Clerks and administrators read every board's.",
    )

    class Meta:
        verbose_name = "council details"
        verbose_name_plural = "council details"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="council_is_a_single_row"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def load(cls) -> Council:
        """The council's details; before an administrator has entered them, the configured name."""
        council = cls.objects.filter(pk=1).first()
        return council or cls(pk=1, name=settings.COUNCIL_NAME)


class Ward(TimeStampedModel):
    name = models.CharField(max_length=100, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Party(TimeStampedModel):
    name = models.CharField(max_length=100, unique=True)
    short_name = models.CharField(max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet["Person"]):
    def councillors(self) -> PersonQuerySet:
        return self.filter(kind=Person.Kind.COUNCILLOR)

    def officers(self) -> PersonQuerySet:
        return self.filter(kind=Person.Kind.OFFICER)

    def search(self, words: str) -> PersonQuerySet:
        """People whose names, job title, organisation, ward or party hold every word given."""
        found = self
        for word in words.split()[:8]:
            found = found.filter(
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(job_title__icontains=word)
                | Q(organisation__icontains=word)
                | Q(ward__name__icontains=word)
                | Q(party__name__icontains=word)
            )
        return found

    def current_on(self, day: datetime.date) -> PersonQuerySet:
        """Those the council's papers name on a day, as nothing recorded says otherwise:
        councillors serving (within their term where it is recorded; without a recorded
        election, while they sit on a body or if no seat was ever recorded), co-opted members
        on a body that day (or with no seat recorded), officers holding a post that day (or
        with no post recorded). Outside witnesses are never current: they are found by name."""
        seat = Membership.objects.current(day).filter(person=OuterRef("pk"))
        any_seat = Membership.objects.filter(person=OuterRef("pk"))
        post = PostHolding.objects.current(day).filter(person=OuterRef("pk"))
        any_post = PostHolding.objects.filter(person=OuterRef("pk"))
        councillor = (
            Q(kind=Person.Kind.COUNCILLOR)
            & ~Q(term_ends_on__lt=day)
            & ~Q(elected_on__gt=day)
            & (Q(elected_on__isnull=False) | Exists(seat) | ~Exists(any_seat))
        )
        coopted = Q(kind=Person.Kind.COOPTED) & (Exists(seat) | ~Exists(any_seat))
        officer = Q(kind=Person.Kind.OFFICER) & (Exists(post) | ~Exists(any_post))
        return self.filter(councillor | coopted | officer)


def person_photo_upload_to(person: Person, filename: str) -> str:
    """Photos are stored under generated names, never the uploader's (always a JPEG: they are
    re-encoded when uploaded, ``boards.uploads.photo_from``)."""
    return f"people/{uuid.uuid4().hex}.jpg"


class Person(TimeStampedModel):
    """Anyone the council's papers name: councillors, officers and outside witnesses."""

    class Kind(models.TextChoices):
        COUNCILLOR = "councillor", "Councillor"
        OFFICER = "officer", "Council officer"
        COOPTED = "coopted", "Co-opted member"
        WITNESS = "witness", "Outside witness"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=20, blank=True, help_text="For example Mr, Ms or Dr.")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    ward = models.ForeignKey(
        Ward, null=True, blank=True, on_delete=models.PROTECT, related_name="councillors"
    )
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="councillors"
    )
    job_title = models.CharField(max_length=200, blank=True)
    team = models.CharField(
        max_length=200, blank=True, help_text="For example Scrutiny Support Unit."
    )
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    # A councillor's term: when they were elected, and when the term ends (the next election of
    # their seat). Unknown dates stay empty.
    elected_on = models.DateField(null=True, blank=True)
    term_ends_on = models.DateField(null=True, blank=True, verbose_name="term ends on")
    photo = models.ImageField(
        upload_to=person_photo_upload_to,
        blank=True,
        help_text="A councillor's or co-opted member's photograph, shown with their name.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The account this person signs in with, if any.",
    )

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["councillor", "officer", "coopted", "witness"]),
                name="person_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="councillor") | Q(ward__isnull=True, party__isnull=True),
                name="person_only_councillors_have_ward_and_party",
            ),
            models.CheckConstraint(
                condition=Q(kind="councillor")
                | Q(elected_on__isnull=True, term_ends_on__isnull=True),
                name="person_only_councillors_have_a_term",
            ),
            models.CheckConstraint(
                condition=Q(elected_on__isnull=True)
                | Q(term_ends_on__isnull=True)
                | Q(term_ends_on__gt=models.F("elected_on")),
                name="person_term_ends_after_election",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def short_name(self) -> str:
        """The name as councils print it in lists: "K Greenhalgh"."""
        return f"{self.given_name[:1]} {self.family_name}".strip()

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.COUNCILLOR:
            return f"Councillor {self.full_name}"
        return " ".join(part for part in (self.title, self.full_name) if part)


class BoardQuerySet(models.QuerySet["Board"]):
    def supported_by(self, user: User) -> BoardQuerySet:
        return self.filter(support_officer__user=user)

    def editable_by(self, user: User | AnonymousUser) -> models.QuerySet[Board]:
        """The boards whose business the user may change (the rule is ``boards.access``)."""
        from boards.access import editable_boards  # access reads the models

        return editable_boards(self, user)

    def with_member(self, user: User, on: datetime.date) -> BoardQuerySet:
        return self.filter(
            Q(memberships__person__user=user),
            Q(memberships__starts_on__lte=on),
            Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=on),
        ).distinct()


class Board(TimeStampedModel):
    """A body of the council: a scrutiny board or committee, the executive, full council, a
    regulatory committee, a working group or another.

    A body lives from ``starts_on`` to ``ends_on`` (either unknown for a body entered without
    them). Once its last day has passed it is dissolved: it stays in the record as it was, read
    only (``boards.access``), and names the body that took over its work, if any.
    """

    class Kind(models.TextChoices):
        SCRUTINY = "scrutiny", "Scrutiny board"
        OVERVIEW = "overview", "Overview and scrutiny committee"
        EXECUTIVE = "executive", "Executive (cabinet)"
        COUNCIL = "council", "Full council"
        REGULATORY = "regulatory", "Regulatory committee"
        WORKING_GROUP = "working_group", "Working group"
        OTHER = "other", "Other committee"

    # The bodies that decide: their minutes record decisions as such, with the reasons. The
    # executive and full council; and regulatory committees (planning, licensing), which decide
    # applications and must give their reasons.
    DECIDING_KINDS = (Kind.EXECUTIVE, Kind.COUNCIL, Kind.REGULATORY)

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SCRUTINY)
    remit = models.TextField(blank=True)
    support_officer = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supported_boards",
        help_text="Compiles the agendas and takes the minutes.",
    )
    head_of_scrutiny = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # How the body numbers its minutes and their resolutions (``boards.numbering``).
    minute_numbering = models.CharField(
        max_length=20,
        choices=numbering.MinuteNumbering.choices,
        default=numbering.MinuteNumbering.SEQUENCE,
    )
    minute_prefix = models.CharField(
        max_length=20,
        blank=True,
        help_text="Printed before each minute's number, for example EX or CAB: “EX 21/16”.",
    )
    resolution_style = models.CharField(
        max_length=20,
        choices=numbering.ResolutionStyle.choices,
        default=numbering.ResolutionStyle.LETTERS,
    )
    starts_on = models.DateField(
        null=True, blank=True, verbose_name="set up on", help_text="When the body was set up."
    )
    ends_on = models.DateField(
        null=True,
        blank=True,
        verbose_name="last day",
        help_text="The body's last day: after it, the body is dissolved and its record is kept "
        "as it was.",
    )
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text="The body that took over its work when it was dissolved.",
    )

    objects = BoardQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "scrutiny",
                        "overview",
                        "executive",
                        "council",
                        "regulatory",
                        "working_group",
                        "other",
                    ]
                ),
                name="board_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="board_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(successor=models.F("pk")),
                name="board_is_not_its_own_successor",
            ),
            models.CheckConstraint(
                condition=Q(minute_numbering__in=numbering.MinuteNumbering.values),
                name="board_minute_numbering_valid",
            ),
            models.CheckConstraint(
                condition=Q(resolution_style__in=numbering.ResolutionStyle.values),
                name="board_resolution_style_valid",
            ),
        ]
        permissions = [
            ("prepare_meetings", "Can prepare meetings and minutes for the boards they support"),
            ("publish_agendas", "Can publish agendas and print agenda packs"),
            ("read_member_papers", "Can read their boards' papers, exempt ones included"),
            ("administer", "Can administer the site: reference data, users and groups"),
            ("set_up_bodies", "Can set up the council's bodies, wards and parties"),
            ("set_up_people", "Can set up the council's people, posts and who holds them"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("boards:board-detail", kwargs={"slug": self.slug})

    @property
    def takes_decisions(self) -> bool:
        """The executive, full council and regulatory committees decide; their minutes record
        decisions as such."""
        return self.kind in self.DECIDING_KINDS

    @property
    def is_dissolved(self) -> bool:
        """Its last day has passed: the body is kept in the record, read only."""
        return self.ends_on is not None and self.ends_on < timezone.localdate()

    @property
    def dissolved_notice(self) -> str:
        """Why the body's record can no longer be changed, as pages say it."""
        if self.ends_on is None:
            return ""
        notice = f"{self.name} was dissolved after {formatting.long_date(self.ends_on)}"
        if self.successor_id is not None:
            notice += f"; its work passed to {self.successor}"
        return f"{notice}. Its record is kept as it was, and can no longer be changed here."

    def current_memberships(self, on: datetime.date | None = None) -> models.QuerySet[Membership]:
        return self.memberships.current(on or datetime.date.today())


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: datetime.date) -> MembershipQuerySet:
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Membership(TimeStampedModel):
    """A person's seat on a board from one date to another (open-ended while it lasts)."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"
        COOPTED_VOTING = "coopted_voting", "Co-opted member (voting)"
        COOPTED_NON_VOTING = "coopted_non_voting", "Co-opted member (non-voting)"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "person__family_name", "person__given_name", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    role__in=[
                        "chair",
                        "vice_chair",
                        "member",
                        "coopted_voting",
                        "coopted_non_voting",
                    ]
                ),
                name="membership_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["board"],
                condition=Q(role="chair", ends_on__isnull=True),
                name="membership_one_open_chair_per_board",
                violation_error_message="This body already has a chair. End that membership "
                "first, or choose another role.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}, {self.board}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


class NamedSubstituteQuerySet(models.QuerySet["NamedSubstitute"]):
    def current(self, on: datetime.date) -> NamedSubstituteQuerySet:
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class NamedSubstitute(TimeStampedModel):
    """A councillor named as a substitute for a body's members, or for one member in particular,
    from one date to another. Naming is not membership: a substitute sits on the body only at a
    meeting where they are recorded as substituting (``minutes``'s attendance), and the
    minute-taker's console offers the named substitutes first."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="named_substitutes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="substitute_namings")
    for_member = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="named_substitutes",
        help_text="Leave empty for a substitute for any member of the body.",
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    objects = NamedSubstituteQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "person__family_name", "person__given_name", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="namedsubstitute_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(for_member__isnull=True) | ~Q(for_member=models.F("person")),
                name="namedsubstitute_not_for_themselves",
            ),
        ]

    def __str__(self) -> str:
        for_whom = f"for {self.for_member}" if self.for_member_id else "for any member"
        return f"{self.person} – substitute {for_whom}, {self.board}"


class PostQuerySet(models.QuerySet["Post"]):
    def current_on(self, day: datetime.date) -> PostQuerySet:
        """The posts held on a day, and those no holder was ever recorded for (nothing says
        they ended)."""
        held = PostHolding.objects.current(day).filter(post=OuterRef("pk"))
        ever = PostHolding.objects.filter(post=OuterRef("pk"))
        return self.filter(Exists(held) | ~Exists(ever))


class Post(TimeStampedModel):
    """A job the council's papers address, such as "Director of Adults and Health".

    Recommendations and reports name posts, not people: a post outlives whoever holds it.
    """

    title = models.CharField(max_length=200, unique=True)

    objects = PostQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def holder_on(self, day: datetime.date) -> Person | None:
        holding = self.holdings.current(day).select_related("person").first()
        return holding.person if holding else None


class PostHoldingQuerySet(models.QuerySet["PostHolding"]):
    def current(self, on: datetime.date) -> PostHoldingQuerySet:
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class PostHolding(TimeStampedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="holdings")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="post_holdings")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    objects = PostHoldingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["post", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="postholding_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.post}"
