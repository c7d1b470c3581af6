"""Demo data: a fictional council modelled on the reference papers (a scrutiny board like
"Strategy and Resources" with eleven members), with its 2015/16 year of meetings
(``demo_meetings``) and a current year dated from the day it is loaded (``demo_current``).
Every name here is invented.

Loading is idempotent: each record is found by its natural key and only changed where it
differs from what is written here, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction

from boards import demo_current, demo_meetings
from boards.models import Board, Council, Membership, Party, Person, Venue, Ward
from boards.roles import Role

DEMO_PASSWORD = "scrutiny-demo-2026"  # noqa: S105 - a published demo password, refused in production

COUNCIL = {
    "name": "Aldermoor City Council",
    "address": "Civic Hall, Market Street, Aldermoor AM1 1AA",
    "telephone": "0113 496 0000",
    "email": "scrutiny@aldermoor.example",
    "website": "https://www.aldermoor.example",
}

PARTIES = [
    ("Labour", "Lab"),
    ("Conservative", "Con"),
    ("Liberal Democrat", "LD"),
    ("Green", "Grn"),
    ("Independent", "Ind"),
]

# (given name, family name, ward, party, membership role) — the board's eleven members.
BOARD_MEMBERS = [
    ("Sadia", "Brierley", "Whinmoor", "Liberal Democrat", Membership.Role.MEMBER),
    ("Daniel", "Cordingley", "Oakwood Edge", "Conservative", Membership.Role.MEMBER),
    ("Carol", "Dawtrey", "Kirkgate and Fellside", "Labour", Membership.Role.MEMBER),
    ("Kathryn", "Greenhalgh", "Moorside Park", "Labour", Membership.Role.CHAIR),
    ("Helen", "Haworth", "Temple Beck", "Labour", Membership.Role.VICE_CHAIR),
    ("Jan", "Jaworski", "Pudley", "Conservative", Membership.Role.MEMBER),
    ("James", "McCrory", "Armfield", "Labour", Membership.Role.MEMBER),
    ("Dominic", "Naylor", "Rothby", "Labour", Membership.Role.MEMBER),
    ("Aaron", "Sowerby", "Moortop", "Labour", Membership.Role.MEMBER),
    ("Tessa", "Wilberforce", "Farley and Wortham", "Labour", Membership.Role.MEMBER),
    ("Ruth", "Woodhouse", "Calverton and Farsby", "Green", Membership.Role.MEMBER),
]
# Councillors who are not on the board (substitutes, other boards).
OTHER_COUNCILLORS = [
    ("Brian", "Ackroyd", "Guiseley Moor", "Conservative"),
    ("Nadia", "Fairbairn", "Beeston Vale", "Independent"),
]

BOARD = {
    "name": "Scrutiny Board (Strategy and Resources)",
    "slug": "strategy-and-resources",
    "kind": Board.Kind.SCRUTINY,
    "remit": (
        "Scrutinises the council's strategy, budget and resources: finance, human resources, "
        "digital and information services, procurement and commissioning, and the council's "
        "buildings and assets."
    ),
}
MEMBERSHIP_START = datetime.date(2015, 5, 21)  # the annual meeting opening 2015/16


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    person: tuple[str, str] | None  # (given, family) of the Person it belongs to

    @property
    def password(self) -> str:
        return DEMO_PASSWORD


OFFICERS = [
    # (given, family, job title, team, telephone)
    ("Guy", "Ellerby", "Principal Scrutiny Adviser", "Scrutiny Support Unit", "0113 496 0878"),
    (
        "Patricia",
        "Marchbank",
        "Head of Scrutiny and Member Development",
        "Scrutiny Support Unit",
        "0113 496 0151",
    ),
    ("Harriet", "Doyle", "Senior Governance Officer", "Governance Services", "0113 496 0243"),
    (
        "Owen",
        "Pickersgill",
        "Systems Administrator",
        "Digital and Information Service",
        "0113 496 0400",
    ),
]

DEMO_ACCOUNTS = [
    DemoAccount("officer", Role.OFFICER, ("Guy", "Ellerby")),
    DemoAccount("clerk", Role.CLERK, ("Harriet", "Doyle")),
    DemoAccount("councillor", Role.COUNCILLOR, ("Kathryn", "Greenhalgh")),
    DemoAccount("admin", Role.ADMINISTRATOR, ("Owen", "Pickersgill")),
]


def upsert[M: models.Model](model: type[M], lookup: dict, **values) -> M:
    """Find a record by its natural key; create it, or change only the fields that differ."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save()
        return instance
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.full_clean()
        instance.save()
    return instance


@transaction.atomic
def load() -> list[DemoAccount]:
    """Load the demo council; returns the demo accounts so the caller can print them."""
    upsert(Council, {"pk": 1}, **COUNCIL)
    parties = {name: upsert(Party, {"name": name}, short_name=short) for name, short in PARTIES}

    people: dict[tuple[str, str], Person] = {}
    for given, family, ward, party, _role in BOARD_MEMBERS:
        people[given, family] = _councillor(given, family, ward, parties[party])
    for given, family, ward, party in OTHER_COUNCILLORS:
        people[given, family] = _councillor(given, family, ward, parties[party])
    for given, family, job_title, team, telephone in OFFICERS:
        people[given, family] = upsert(
            Person,
            {"given_name": given, "family_name": family, "kind": Person.Kind.OFFICER},
            job_title=job_title,
            team=team,
            telephone=telephone,
            email=f"{given}.{family}@aldermoor.example".lower(),
        )

    board = upsert(
        Board,
        {"slug": BOARD["slug"]},
        name=BOARD["name"],
        kind=BOARD["kind"],
        remit=BOARD["remit"],
        support_officer=people["Guy", "Ellerby"],
        head_of_scrutiny=people["Patricia", "Marchbank"],
    )
    for given, family, _ward, _party, role in BOARD_MEMBERS:
        upsert(
            Membership,
            {"board": board, "person": people[given, family], "starts_on": MEMBERSHIP_START},
            role=role,
            ends_on=None,
        )

    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        person = people[account.person] if account.person else None
        values = {
            "first_name": person.given_name if person else "",
            "last_name": person.family_name if person else "",
            "email": person.email if person else "",
            "is_staff": account.role == Role.ADMINISTRATOR,
        }
        user = User.objects.filter(username=account.username).first()
        if user is None:
            # The password is set only when the account is created, never reset by a reload.
            user = User(username=account.username, **values)
            user.set_password(account.password)
            user.save()
        elif any(getattr(user, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(user, name, value)
            user.save()
        group = Group.objects.get(name=account.role)
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
        if person is not None and person.user_id != user.pk:
            person.user = user
            person.save(update_fields=["user", "modified"])
    clerk = User.objects.get(username="clerk")
    demo_meetings.load(board=board, clerk=clerk)
    demo_current.load(board=board, clerk=clerk, venue=Venue.objects.get(name="Civic Hall"))
    return DEMO_ACCOUNTS


def _councillor(given: str, family: str, ward: str, party: Party) -> Person:
    return upsert(
        Person,
        {"given_name": given, "family_name": family, "kind": Person.Kind.COUNCILLOR},
        ward=upsert(Ward, {"name": ward}),
        party=party,
        email=f"cllr.{family}@aldermoor.example".lower(),
    )
