"""The console's choosers: the people and posts its forms name, as the meeting's day had them.

A select in every member's row and in every minute offering everyone the council ever named
grows with each year held, and makes the console heavy to send and slow to render. The console
offers instead those current on the meeting's day (``Person.objects.current_on``,
``Post.objects.current_on``), plus whoever a form has recorded already (a value recorded is
never dropped), and anyone else through a chooser: a text box naming a person or a post, with
the page's one ``<datalist>`` of suggestions for its kind (rendered once, shared by every box of
that kind). As one types, the box asks the console's search (``search``, through htmx) to fill
that list with whoever matches, past councillors and posts included. Without JavaScript the box
takes a name as typed: ``resolve_person`` and ``resolve_post`` find it, or say why they cannot
(nobody matches, or several do). A box also takes an id, as the select it replaces sent one.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from boards.models import Person, Post
from boards.models.people import PersonQuerySet

# What each chooser finds, and the id of its page's one datalist ("chooser-people").
KINDS = ("people", "councillors", "posts")
# The most suggestions a search sends back.
LIMIT = 20
# Beside a suggestion not current on the meeting's day.
EARLIER = "Not current on the day"
# Someone named with the id that tells apart two people of one name: "John Smith #123".
_ID = re.compile(r"\s*#(\d{1,12})$")
# Words in a name as the minutes write it that no record holds.
_HONORIFICS = frozenset(("councillor", "cllr", "cllr."))


@dataclass(frozen=True, slots=True)
class Named:
    """What a chooser shows of someone, read as values rather than as a Person (a list of a
    hundred councillors builds in a third of the time)."""

    pk: int
    kind: str
    title: str
    given_name: str
    family_name: str
    ward_name: str
    job_title: str
    organisation: str

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """As ``Person.display_name``."""
        full_name = f"{self.given_name} {self.family_name}"
        if self.kind == Person.Kind.COUNCILLOR:
            return f"Councillor {full_name}"
        return " ".join(part for part in (self.title, full_name) if part)


_NAMED_FIELDS = (
    "pk",
    "kind",
    "title",
    "given_name",
    "family_name",
    "ward__name",
    "job_title",
    "organisation",
)


def named(people: QuerySet[Person]) -> list[Named]:
    """The people of a query, in its order, as ``Named`` (one query)."""
    return [
        Named(pk, kind, title, given, family, ward or "", job, organisation)
        for pk, kind, title, given, family, ward, job, organisation in people.values_list(
            *_NAMED_FIELDS
        )
    ]


def named_person(person: Person) -> Named:
    """A Person in hand as ``Named`` (read with its ward)."""
    return Named(
        person.pk,
        person.kind,
        person.title,
        person.given_name,
        person.family_name,
        person.ward.name if person.ward_id and person.ward else "",
        person.job_title,
        person.organisation,
    )


def person_label(person: Person | Named) -> str:
    """Someone as a chooser names them: "Councillor Kathryn Groves (Rothwell)", "Dylan Roberts,
    Chief Digital Officer", "Ada Moss, Digital Inclusion Network" (a Person read with the
    ward)."""
    someone = person if isinstance(person, Named) else named_person(person)
    name = someone.display_name
    if someone.kind == Person.Kind.COUNCILLOR:
        return f"{name} ({someone.ward_name})" if someone.ward_name else name
    extra = someone.job_title or someone.organisation
    return f"{name}, {extra}" if extra else name


def labels(people: Iterable[Person | Named]) -> list[str]:
    """The people's labels, in order, each once; two people of one label each with their id."""
    people = list({person.pk: person for person in people}.values())
    named_as = [person_label(person) for person in people]
    seen: dict[str, int] = {}
    for label in named_as:
        seen[label] = seen.get(label, 0) + 1
    return [
        f"{label} #{person.pk}" if seen[label] > 1 else label
        for person, label in zip(people, named_as, strict=True)
    ]


def _words(text: str) -> list[str]:
    words = re.split(r"[\s,()]+", _ID.sub("", text))
    return [word for word in words if word and word.casefold() not in _HONORIFICS][:8]


def _matching_people[People: QuerySet[Person]](queryset: People, text: str) -> People:
    found = queryset
    for word in _words(text):
        found = found.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(organisation__icontains=word)
            | Q(ward__name__icontains=word)
            | Q(title__iexact=word)
        )
    return found


def _matching_posts[Posts: QuerySet[Post]](queryset: Posts, text: str) -> Posts:
    found = queryset
    for word in _words(text):
        found = found.filter(title__icontains=word)
    return found


def _people_of(kind: str) -> PersonQuerySet:
    return Person.objects.councillors() if kind == "councillors" else Person.objects.all()


def search(kind: str, text: str, day: datetime.date) -> list[tuple[str, str]]:
    """Up to ``LIMIT`` suggestions for what was typed, as (value, note): those current on the
    day first (the councillors serving, the posts held), then anyone else the council has
    named, noted so. Two queries. With nothing typed, those current on the day."""
    if kind not in KINDS:
        raise ValueError(kind)
    typed = bool(text.strip())
    if kind == "posts":
        posts = _matching_posts(Post.objects.all(), text)
        current_posts = list(posts.current_on(day)[:LIMIT])
        other_posts = (
            list(posts.exclude(pk__in=[p.pk for p in current_posts])[: LIMIT - len(current_posts)])
            if typed
            else []
        )
        return [
            *((post.title, "") for post in current_posts),
            *((post.title, EARLIER) for post in other_posts),
        ]
    people = _matching_people(_people_of(kind), text)
    current = named(people.current_on(day)[:LIMIT])
    others = (
        named(people.exclude(pk__in=[p.pk for p in current])[: LIMIT - len(current)])
        if typed
        else []
    )
    notes = [*("" for _ in current), *(EARLIER for _ in others)]
    return list(zip(labels([*current, *others]), notes, strict=True))


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def resolve_person(text: str, queryset: QuerySet[Person], *, what: str = "person") -> Person:
    """The one person of ``queryset`` that ``text`` names: an id (as a select sends it), a
    chooser's label, a name, or words of one (a surname and a ward, a name and a job), or the
    label with its id ("John Smith #12"). Refuses, saying why, when nobody or several match."""
    text = " ".join(text.split())
    if text.isdigit():
        found = queryset.filter(pk=int(text)).first()
        if found is None:
            raise ValidationError(f"Choose the {what} from the list, or type their name.")
        return found
    by_id = _ID.search(text)
    if by_id:
        found = queryset.filter(pk=int(by_id.group(1))).first()
        if found is not None and _normal(person_label(found)) == _normal(_ID.sub("", text)):
            return found
    if not _words(text):
        raise ValidationError(f"Type the name of the {what}.")
    candidates = list(_matching_people(queryset.select_related("ward"), text)[:50])
    typed = _normal(_ID.sub("", text))
    exact = [
        person
        for person in candidates
        if typed in {_normal(person_label(person)), _normal(person.display_name)}
        or typed == _normal(person.full_name)
    ]
    if len(exact) == 1:
        return exact[0]
    if len(candidates) == 1 and not exact:
        return candidates[0]
    if not candidates:
        raise ValidationError(
            f"No {what} called “{text}” was found: check the spelling, or choose from the list."
        )
    many = exact or candidates
    shown = "; ".join(labels(many)[:5]) + ("…" if len(many) > 5 else "")
    raise ValidationError(
        f"More than one {what} matches “{text}”: {shown}. Type the name as the list shows it."
    )


def resolve_post(text: str, queryset: QuerySet[Post]) -> Post:
    """The one post of ``queryset`` that ``text`` names: an id, its title, or words of it."""
    text = " ".join(text.split())
    if text.isdigit():
        found = queryset.filter(pk=int(text)).first()
        if found is None:
            raise ValidationError("Choose the post from the list, or type its title.")
        return found
    if not _words(text):
        raise ValidationError("Type the title of the post.")
    exact = queryset.filter(title__iexact=text).first()
    if exact is not None:
        return exact
    candidates = list(_matching_posts(queryset, text)[:6])
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ValidationError(
            f"No post called “{text}” was found: check the title, or choose from the list."
        )
    shown = "; ".join(post.title for post in candidates[:5]) + ("…" if len(candidates) > 5 else "")
    raise ValidationError(
        f"More than one post matches “{text}”: {shown}. Type the title as the list shows it."
    )


class ChooserInput(forms.TextInput):
    """A text box with a datalist of suggestions (by default the page's one of its kind,
    "chooser-people"); given the console's search address, it asks the search to fill that
    list as one types (htmx)."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, kind: str = "people") -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.kind = kind
        self.datalist = f"chooser-{kind}"
        self.search_url = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["list"] = self.datalist
        if self.search_url:
            joiner = "&" if "?" in self.search_url else "?"
            widget_attrs.update(
                {
                    "hx-get": f"{self.search_url}{joiner}field={name}",
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": f"#{self.datalist}",
                    "hx-swap": "innerHTML",
                    "hx-sync": "this:replace",
                }
            )
        return context


class ChooserField(forms.CharField):
    """A person or a post named in a ``ChooserInput``: cleaned to the one it names (or None
    when left empty), from ``queryset``. ``recorded``: whom the form recorded already, kept
    when the box still names them as it showed them (two people may share a label)."""

    def __init__(self, *, kind: str, queryset: QuerySet, what: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("widget", ChooserInput(kind=kind))
        super().__init__(**kwargs)
        self.kind = kind
        self.queryset = queryset
        self.what = what or ("post" if kind == "posts" else "person")
        self.recorded: Person | Post | None = None

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        recorded = self.recorded
        if recorded is not None and _normal(text) == _normal(self.prepare_value(recorded)):
            return recorded
        if self.kind == "posts":
            return resolve_post(text, self.queryset)
        return resolve_person(text, self.queryset, what=self.what)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Person):
            return person_label(value)
        if isinstance(value, Post):
            return value.title
        return value

    def search_from(self, url: str, datalist: str = "") -> None:
        """Let the box ask the search at ``url`` for suggestions as one types, into its own
        ``datalist`` if given (else its kind's)."""
        widget = self.widget
        if isinstance(widget, ChooserInput):
            widget.search_url = url
            if datalist:
                widget.datalist = datalist
