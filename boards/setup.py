"""Setting up the council in the app's own pages: its bodies and their standard agendas, its
people and posts, who sits on each body and who may substitute.

Each write is a typed, keyword-only service, atomic, checking what the database cannot (dates
within a body's life, one chair at a time, the right people in the right roles) and naming the
field a message is about. Every record it changes keeps its history (django-simple-history): who
changed what, and when.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from boards import dates, formatting, uploads
from boards.models import (
    AgendaItem,
    AgendaTemplateItem,
    Board,
    Membership,
    NamedSubstitute,
    Party,
    Person,
    Post,
    PostHolding,
    Ward,
)
from boards.services import CLOSING_KINDS, STANDARD_AGENDA, STANDARD_AGENDAS, StandardItem

# Who may hold which role on a body: councillors chair, vice-chair and sit as members; people
# from outside the council sit as co-opted members, voting or not. Officers and witnesses attend
# meetings but never sit on a body.
COUNCILLOR_ROLES = (Membership.Role.CHAIR, Membership.Role.VICE_CHAIR, Membership.Role.MEMBER)
COOPTED_ROLES = (Membership.Role.COOPTED_VOTING, Membership.Role.COOPTED_NON_VOTING)
# Who may hold a post: officers, and councillors (a cabinet member's portfolio is a post).
POST_HOLDER_KINDS = (Person.Kind.OFFICER, Person.Kind.COUNCILLOR)
# Whose photograph is kept: the members of the council's bodies, whose pages show them.
PHOTO_KINDS = (Person.Kind.COUNCILLOR, Person.Kind.COOPTED)


def _today() -> datetime.date:
    return timezone.localdate()


def check_dates(
    *,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    start_field: str = "starts_on",
    end_field: str = "ends_on",
    what: str = "it",
) -> None:
    """Dates a council could mean (``boards.dates.plausible``), the end not before the start.
    Forms ask it too, so that their messages are these rather than a constraint's."""
    errors: dict[str, str] = {}
    earliest, latest = dates.plausible_bounds(_today())
    for field, day in ((start_field, starts_on), (end_field, ends_on)):
        if day is not None and not dates.plausible(day, _today()):
            errors[field] = (
                f"Check the year: give a date between {formatting.short_date(earliest)} and "
                f"{formatting.short_date(latest)}."
            )
    if not errors and starts_on and ends_on and ends_on < starts_on:
        errors[end_field] = (
            f"The last day cannot be before {what} starts, on {formatting.short_date(starts_on)}."
        )
    if errors:
        raise ValidationError(errors)


def _check_within_life(
    board: Board, starts_on: datetime.date, ends_on: datetime.date | None, what: str
) -> None:
    """A membership or naming lasts no longer than its body."""
    if board.starts_on is not None and starts_on < board.starts_on:
        raise ValidationError(
            {
                "starts_on": f"{board.name} was set up on {formatting.short_date(board.starts_on)}"
                f": {what} cannot start before then."
            }
        )
    if board.ends_on is not None and ends_on is not None and ends_on > board.ends_on:
        raise ValidationError(
            {
                "ends_on": f"{board.name}'s last day is {formatting.short_date(board.ends_on)}: "
                f"{what} ends by then."
            }
        )


def _check_not_dissolved(board: Board) -> None:
    if board.is_dissolved:
        raise ValidationError(board.dissolved_notice)


def _overlapping(queryset, starts_on: datetime.date, ends_on: datetime.date | None):
    """The records of ``queryset`` whose dates overlap ``starts_on`` to ``ends_on``."""
    overlapping = queryset.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    return overlapping


def _period(starts_on: datetime.date, ends_on: datetime.date | None) -> str:
    if ends_on is None:
        return f"from {formatting.short_date(starts_on)}"
    return f"from {formatting.short_date(starts_on)} to {formatting.short_date(ends_on)}"


# Bodies ------------------------------------------------------------------------------------------


# Slugs a page's own address uses (``setup/bodies/new/``).
RESERVED_SLUGS = {"new"}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90].strip("-") or "body"
    slug, number = base, 2
    while slug in RESERVED_SLUGS or Board.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_body(board: Board) -> None:
    check_dates(starts_on=board.starts_on, ends_on=board.ends_on, what="the body")
    errors = {}
    for field in ("support_officer", "head_of_scrutiny"):
        person = getattr(board, field)
        if person is not None and person.kind != Person.Kind.OFFICER:
            errors[field] = f"{person} is not one of the council's officers: choose an officer."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def body_create(*, board: Board) -> Board:
    """A new body, with the standard agenda of its kind as its own (editable) standard agenda."""
    board.name = board.name.strip()
    board.slug = board.slug or _unique_slug(board.name)
    _check_body(board)
    board.full_clean()
    board.save()
    _give_standard_agenda(board, STANDARD_AGENDAS.get(board.kind, STANDARD_AGENDA))
    return board


def _give_standard_agenda(board: Board, items: Iterable[StandardItem]) -> None:
    for position, item in enumerate(items, start=1):
        AgendaTemplateItem.objects.create(
            board=board, position=position, kind=item.kind, title=item.title, purpose=item.purpose
        )


@transaction.atomic
def body_update(*, board: Board) -> Board:
    """Save a body's details as changed. A body that changes kind while its standard agenda is
    still its old kind's takes its new kind's."""
    stored = Board.objects.get(pk=board.pk)
    _check_not_dissolved(stored)
    board.name = board.name.strip()
    _check_body(board)
    board.full_clean()
    before = stored.kind
    board.save()
    if board.kind != before:
        rows = [StandardItem(r.kind, r.title, r.purpose) for r in board.agenda_template.all()]
        if rows in ([], STANDARD_AGENDAS.get(before, STANDARD_AGENDA)):
            for row in board.agenda_template.all():
                row.delete()
            _give_standard_agenda(board, STANDARD_AGENDAS.get(board.kind, STANDARD_AGENDA))
    return board


@transaction.atomic
def body_dissolve(*, board: Board, ends_on: datetime.date, successor: Board | None) -> Board:
    """Dissolve a body after its last day, naming the body that takes over its work, if any.
    Memberships and namings still open end with it; once the day has passed, its record is
    kept as it was (``boards.access``)."""
    _check_not_dissolved(board)
    check_dates(starts_on=board.starts_on, ends_on=ends_on, what="the body")
    if successor is not None:
        if successor.pk == board.pk:
            raise ValidationError({"successor": "A body cannot succeed itself."})
        if successor.is_dissolved:
            raise ValidationError(
                {"successor": f"{successor} has been dissolved: choose a body that still exists."}
            )
        ancestor: Board | None = successor
        seen = set()
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.successor_id == board.pk:
                raise ValidationError(
                    {
                        "successor": f"{successor} already follows {board.name}: it cannot "
                        "precede it."
                    }
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.successor
    later = board.meetings.filter(starts_at__date__gt=ends_on).exclude(status="cancelled")
    if first := later.order_by("starts_at").first():
        raise ValidationError(
            {
                "ends_on": f"{board.name} has a meeting on {formatting.short_date(first.starts_at)}"
                ", after that day: cancel or move it first, or give a later last day."
            }
        )
    for model, what in ((Membership, "membership"), (NamedSubstitute, "naming as a substitute")):
        starting_later = model.objects.filter(board=board, starts_on__gt=ends_on)
        if record := starting_later.select_related("person").first():
            raise ValidationError(
                {
                    "ends_on": f"The {what} of {record.person} starts after that day: end or "
                    "change it first, or give a later last day."
                }
            )
        for record in model.objects.filter(board=board).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=ends_on)
        ):
            record.ends_on = ends_on
            record.save(update_fields=["ends_on", "modified"])
    board.ends_on = ends_on
    board.successor = successor
    board.full_clean()
    board.save(update_fields=["ends_on", "successor", "modified"])
    return board


# A body's standard agenda, line by line -----------------------------------------------------------


def _lines(board: Board) -> list[AgendaTemplateItem]:
    """The body's standard agenda as its own lines: a body that has never edited it (one entered
    before bodies were set up here) is first given its kind's."""
    rows = list(board.agenda_template.select_for_update().order_by("position"))
    if not rows:
        _give_standard_agenda(board, STANDARD_AGENDAS.get(board.kind, STANDARD_AGENDA))
        rows = list(board.agenda_template.order_by("position"))
    return rows


def _line_at(rows: list[AgendaTemplateItem], position: int) -> AgendaTemplateItem:
    for row in rows:
        if row.position == position:
            return row
    raise ValidationError(
        "The standard agenda has changed since this page was loaded. Reload and try again."
    )


def _renumber(rows: list[AgendaTemplateItem]) -> None:
    """Number the lines 1, 2, 3… in the order given; the changed ones step out of the way
    first, so no two share a position at any moment."""
    changed = [row for number, row in enumerate(rows, start=1) if row.position != number]
    if not changed:
        return
    AgendaTemplateItem.objects.filter(pk__in=[row.pk for row in changed]).update(
        position=F("position") + 1000
    )
    for number, row in enumerate(rows, start=1):
        if row in changed:
            row.position = number
            row.save(update_fields=["position", "modified"])


def _check_line(kind: str, title: str) -> None:
    errors = {}
    if kind not in AgendaItem.Kind.values:
        errors["kind"] = "Choose what kind of item it is."
    if not title.strip():
        errors["title"] = "Enter the title of the item."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def standard_line_add(*, board: Board, kind: str, title: str, purpose: str = "") -> int:
    """Add a line to the body's standard agenda: before the work schedule and the next
    meeting's date, unless it is one of them. Returns its position."""
    _check_not_dissolved(board)
    _check_line(kind, title)
    rows = _lines(board)
    closing = [row for row in rows if row.kind in CLOSING_KINDS]
    at = rows.index(closing[0]) if closing and kind not in CLOSING_KINDS else len(rows)
    line = AgendaTemplateItem(
        board=board, position=len(rows) + 1001, kind=kind, title=title.strip(), purpose=purpose
    )
    line.full_clean(exclude=["position"])
    line.save()
    rows.insert(at, line)
    _renumber(rows)
    return at + 1


@transaction.atomic
def standard_line_update(
    *, board: Board, position: int, kind: str, title: str, purpose: str = ""
) -> AgendaTemplateItem:
    _check_not_dissolved(board)
    _check_line(kind, title)
    line = _line_at(_lines(board), position)
    line.kind, line.title, line.purpose = kind, title.strip(), purpose
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def standard_line_move(*, board: Board, position: int, by: int) -> int:
    """Move a line up (by=-1) or down (by=+1); returns its new position."""
    _check_not_dissolved(board)
    rows = _lines(board)
    line = _line_at(rows, position)
    index = rows.index(line)
    target = min(max(index + by, 0), len(rows) - 1)
    rows.insert(target, rows.pop(index))
    _renumber(rows)
    return target + 1


@transaction.atomic
def standard_line_remove(*, board: Board, position: int) -> AgendaTemplateItem:
    """Leave a line out of the standard agenda (meetings already created keep theirs)."""
    _check_not_dissolved(board)
    rows = _lines(board)
    line = _line_at(rows, position)
    rows.remove(line)
    line.delete()
    _renumber(rows)
    return line


# Memberships and named substitutes ---------------------------------------------------------------


def _check_membership(membership: Membership) -> None:
    board, person = membership.board, membership.person
    errors = {}
    if person.kind == Person.Kind.COUNCILLOR and membership.role not in COUNCILLOR_ROLES:
        errors["role"] = f"{person} is a councillor: choose chair, vice-chair or member."
    elif person.kind == Person.Kind.COOPTED and membership.role not in COOPTED_ROLES:
        errors["role"] = f"{person} is co-opted: choose whether they vote."
    elif person.kind not in (Person.Kind.COUNCILLOR, Person.Kind.COOPTED):
        errors["person"] = (
            f"{person} is not a councillor or co-opted member: only they sit on a body."
        )
    if errors:
        raise ValidationError(errors)
    check_dates(starts_on=membership.starts_on, ends_on=membership.ends_on, what="the membership")
    if board.ends_on is not None and membership.ends_on is None:
        membership.ends_on = board.ends_on  # no seat outlives its body
    _check_within_life(board, membership.starts_on, membership.ends_on, "a membership")
    others = Membership.objects.filter(board=board).exclude(pk=membership.pk)
    period = (membership.starts_on, membership.ends_on)
    if same := _overlapping(others.filter(person=person), *period).first():
        raise ValidationError(
            {
                "starts_on": f"{person} is already a member of this body "
                f"{_period(same.starts_on, same.ends_on)}: change or end that membership instead."
            }
        )
    if membership.role == Membership.Role.CHAIR:
        chairs = _overlapping(others.filter(role=Membership.Role.CHAIR), *period)
        if chair := chairs.select_related("person").first():
            raise ValidationError(
                {
                    "role": "This body already has a chair "
                    f"{_period(chair.starts_on, chair.ends_on)}: {chair.person}. A body has "
                    "one chair at a time: end that membership as chair first, or choose another "
                    "role."
                }
            )


@transaction.atomic
def membership_add(
    *,
    board: Board,
    person: Person,
    role: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> Membership:
    """Seat someone on a body in a role, from a date (and to one, if known)."""
    _check_not_dissolved(board)
    membership = Membership(
        board=board, person=person, role=role, starts_on=starts_on, ends_on=ends_on
    )
    _check_membership(membership)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_update(*, membership: Membership) -> Membership:
    """Save a membership's role and dates as corrected."""
    _check_not_dissolved(membership.board)
    _check_membership(membership)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, ends_on: datetime.date) -> Membership:
    """End a membership: ``ends_on`` is its last day."""
    _check_not_dissolved(membership.board)
    membership.ends_on = ends_on
    return membership_update(membership=membership)


def _check_naming(named: NamedSubstitute) -> None:
    board, person = named.board, named.person
    if person.kind != Person.Kind.COUNCILLOR:
        raise ValidationError(
            {"person": f"{person} is not a councillor: only a councillor substitutes."}
        )
    check_dates(starts_on=named.starts_on, ends_on=named.ends_on, what="the naming")
    if board.ends_on is not None and named.ends_on is None:
        named.ends_on = board.ends_on
    _check_within_life(board, named.starts_on, named.ends_on, "a substitute's naming")
    period = (named.starts_on, named.ends_on)
    if _overlapping(board.memberships.filter(person=person), *period).exists():
        raise ValidationError(
            {"person": f"{person} is a member of this body then: a member is not its substitute."}
        )
    if named.for_member is not None:
        member = named.for_member
        if not _overlapping(board.memberships.filter(person=member), *period).exists():
            raise ValidationError(
                {"for_member": f"{member} is not a member of this body {_period(*period)}."}
            )
    others = NamedSubstitute.objects.filter(
        board=board, person=person, for_member=named.for_member
    ).exclude(pk=named.pk)
    if same := _overlapping(others, *period).first():
        raise ValidationError(
            {
                "person": f"{person} is already named {_period(same.starts_on, same.ends_on)}: "
                "change or end that naming instead."
            }
        )


@transaction.atomic
def substitute_name(
    *,
    board: Board,
    person: Person,
    for_member: Person | None = None,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> NamedSubstitute:
    """Name a councillor as a substitute for the body's members, or for one member."""
    _check_not_dissolved(board)
    named = NamedSubstitute(
        board=board, person=person, for_member=for_member, starts_on=starts_on, ends_on=ends_on
    )
    _check_naming(named)
    named.full_clean()
    named.save()
    return named


@transaction.atomic
def substitute_end(*, named: NamedSubstitute, ends_on: datetime.date) -> NamedSubstitute:
    """No longer a named substitute after ``ends_on``."""
    _check_not_dissolved(named.board)
    named.ends_on = ends_on
    _check_naming(named)
    named.full_clean()
    named.save()
    return named


# People and posts --------------------------------------------------------------------------------


def check_term(elected_on: datetime.date | None, term_ends_on: datetime.date | None) -> None:
    """A councillor's term: dates a council could mean, ending after the day of the election."""
    check_dates(
        starts_on=elected_on,
        ends_on=term_ends_on,
        start_field="elected_on",
        end_field="term_ends_on",
        what="their term",
    )
    if elected_on and term_ends_on == elected_on:
        raise ValidationError({"term_ends_on": "The term ends after the day of the election."})


@transaction.atomic
def person_save(
    *, person: Person, photo: UploadedFile | None = None, remove_photo: bool = False
) -> Person:
    """Save someone as entered: only a councillor has a ward, a party and a term; only the
    members of bodies (councillors, co-opted members) a photograph, checked and stored
    re-encoded under a generated name (``boards.uploads.photo_from``)."""
    person.given_name, person.family_name = person.given_name.strip(), person.family_name.strip()
    if person.kind != Person.Kind.COUNCILLOR:
        person.ward = person.party = person.elected_on = person.term_ends_on = None
    check_term(person.elected_on, person.term_ends_on)
    if photo is not None and person.kind not in PHOTO_KINDS:
        raise ValidationError({"photo": "Only councillors and co-opted members have a photo."})
    old_photo = person.photo.name if person.pk else ""
    if photo is not None:
        try:
            stored = uploads.photo_from(photo, max_bytes=settings.PHOTO_UPLOAD_MAX_BYTES)
        except ValidationError as error:
            raise ValidationError({"photo": error.messages}) from error
        person.photo.save(stored.name or "photo.jpg", stored, save=False)
    elif remove_photo or person.kind not in PHOTO_KINDS:
        person.photo = ""
    person.full_clean()
    person.save()
    if old_photo and old_photo != person.photo.name:
        storage = person.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    return person


@transaction.atomic
def post_save(*, post: Post) -> Post:
    post.title = post.title.strip()
    post.full_clean()
    post.save()
    return post


def _check_holding(holding: PostHolding) -> None:
    person = holding.person
    if person.kind not in POST_HOLDER_KINDS:
        raise ValidationError(
            {"person": f"{person} is not an officer or councillor of the council."}
        )
    check_dates(starts_on=holding.starts_on, ends_on=holding.ends_on, what="the post")
    others = PostHolding.objects.filter(post=holding.post, person=person).exclude(pk=holding.pk)
    if same := _overlapping(others, holding.starts_on, holding.ends_on).first():
        raise ValidationError(
            {
                "starts_on": f"{person} already holds this post "
                f"{_period(same.starts_on, same.ends_on)}: change that record instead."
            }
        )


@transaction.atomic
def post_holding_save(*, holding: PostHolding) -> PostHolding:
    """Record who held a post, from when and (once known) to when."""
    _check_holding(holding)
    holding.full_clean()
    holding.save()
    return holding


@transaction.atomic
def ward_save(*, ward: Ward) -> Ward:
    ward.name = ward.name.strip()
    ward.full_clean()
    ward.save()
    return ward


@transaction.atomic
def party_save(*, party: Party) -> Party:
    party.name, party.short_name = party.name.strip(), party.short_name.strip()
    party.full_clean()
    party.save()
    return party
