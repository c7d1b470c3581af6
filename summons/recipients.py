"""Who is on a meeting's list, and which edition of the agenda pack each of them is sent.

The list, as it stands on the day of the meeting:

- the **members** of the body (their seats current on that day: not past members, and members
  whose seat starts by then), chair and vice-chair first as the body lists them;
- its **named substitutes** on that day;
- the **officers** who support it: its support officer, whoever compiled this agenda, and the
  head of scrutiny;
- the **others** a clerk added, to this meeting's list or to every meeting of the body.

Someone on it in two ways is on it once, as the first of these. The link each is sent is to the
members' pack if the visibility rule lets them read this meeting's exempt papers (and they have
an account to sign in with), else to the public pack: an e-mail never carries exempt text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When

from boards.models import Meeting, Membership, NamedSubstitute, Person
from boards.visibility import Audience
from summons.models import Dispatch, ExtraRecipient

Role = Dispatch.Role
Edition = Dispatch.Edition

NO_ADDRESS = (
    "No e-mail address is held for them: deliver it by hand or by post, and record it here."
)

# Why someone is sent the members' pack, or only the public one, by their place on the list.
MEMBERS_BECAUSE = {
    Role.MEMBER: "A member of the body",
    Role.SUBSTITUTE: "Substituting at this meeting",
    Role.OFFICER: "Supports the body",
    Role.OTHER: "Entitled to the exempt papers",
}
PUBLIC_BECAUSE = {
    Role.MEMBER: "Their account may not read exempt papers",
    Role.SUBSTITUTE: "Not yet recorded as substituting",
    Role.OFFICER: "Their account may not read this body's exempt papers",
    Role.OTHER: "Not entitled to the exempt papers",
}
NO_ACCOUNT = "No account to sign in with"
ADDED = "Added by a clerk"


@dataclass
class Recipient:
    """One person on the list, as a dispatch will record them."""

    role: str
    name: str
    detail: str
    address: str
    person: Person | None = None
    extra: ExtraRecipient | None = None


def address_of(person: Person) -> str:
    """The address the council holds for the person, else their account's (if it is active)."""
    user = person.user
    if person.email:
        return person.email
    if user is not None and user.is_active:
        return user.email
    return ""


def summons_list(meeting: Meeting) -> list[Recipient]:
    """Everyone on the meeting's list, each once (four queries)."""
    on = meeting.date
    board = meeting.board
    found: dict[int, Recipient] = {}

    def add(person: Person, role: str, detail: str) -> None:
        if person.pk not in found:
            found[person.pk] = Recipient(
                role=role,
                name=person.display_name,
                detail=detail,
                address=address_of(person),
                person=person,
            )

    seats = (
        Membership.objects.current(on)
        .filter(board=board)
        .select_related("person__user")
        .annotate(
            precedence=Case(
                When(role=Membership.Role.CHAIR, then=Value(0)),
                When(role=Membership.Role.VICE_CHAIR, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("precedence", "person__family_name", "person__given_name", "pk")
    )
    for seat in seats:
        add(seat.person, Role.MEMBER, seat.get_role_display())
    namings = (
        NamedSubstitute.objects.current(on)
        .filter(board=board)
        .select_related("person__user", "for_member")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    for naming in namings:
        detail = f"For {naming.for_member}" if naming.for_member else "For any member"
        add(naming.person, Role.SUBSTITUTE, detail)
    officers = [
        (board.support_officer_id, "Supports the body"),
        (meeting.compiler_id, "Compiled the agenda"),
        (board.head_of_scrutiny_id, "Head of scrutiny"),
    ]
    officer_ids = [pk for pk, _detail in officers if pk is not None and pk not in found]
    people = Person.objects.select_related("user").in_bulk(officer_ids) if officer_ids else {}
    for pk, detail in officers:
        if pk in people:
            add(people[pk], Role.OFFICER, detail)
    recipients = list(found.values())
    addresses = {recipient.address.lower() for recipient in recipients if recipient.address}
    for extra in ExtraRecipient.objects.for_meeting(meeting).order_by("name", "pk"):
        if extra.email.lower() not in addresses:
            addresses.add(extra.email.lower())
            recipients.append(
                Recipient(
                    role=Role.OTHER,
                    name=extra.name,
                    detail=extra.reason,
                    address=extra.email,
                    extra=extra,
                )
            )
    return recipients


def edition_for(meeting: Meeting, role: str, person: Person | None) -> tuple[str, str]:
    """Which edition of the pack to link, and why: the members' pack for those the visibility
    rule lets read this meeting's exempt papers, and who can sign in to read them."""
    if person is None:
        return Edition.PUBLIC, ADDED
    user = person.user
    if user is None or not user.is_active:
        return Edition.PUBLIC, NO_ACCOUNT
    if Audience.of(user).sees_exempt_of_meeting(meeting):
        return Edition.MEMBERS, MEMBERS_BECAUSE[Role(role)]
    return Edition.PUBLIC, PUBLIC_BECAUSE[Role(role)]
