"""The history of the council's set-up as pages show it: who changed which record, when, and
what each change was ("Role: Member → Chair").

Records keep their history with django-simple-history. This reads a bounded number of history
rows per model in one query each, and the names their foreign keys point at in one query per
related model, whatever the number of rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import models
from django.db.models import Model, QuerySet

from boards import formatting
from boards.models import (
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

# Bookkeeping, not something anyone changed.
_LEFT_OUT = {"id", "created", "modified", "slug"}
# How many history rows of a model a page reads at most (newest first).
LIMIT = 200
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    """One saved change of one record."""

    when: datetime.datetime
    who: User | None
    record: str
    action: str
    reason: str = ""
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def who_name(self) -> str:
        if self.who is None:
            return "the system"
        return self.who.get_full_name() or self.who.get_username()


def _person_name(values: dict[str, Any]) -> str:
    return Person(
        kind=values["kind"],
        title=values.get("title", ""),
        given_name=values["given_name"],
        family_name=values["family_name"],
    ).display_name


# What each record is called in a history, from its historical row and the names of what its
# foreign keys point at (``names[model][pk]``).
type Names = dict[type[Model], dict[Any, str]]
LABELS: dict[type[Model], Callable[[Any, Names], str]] = {
    Board: lambda row, names: row.name,
    Membership: lambda row, names: f"Membership of {names[Person].get(row.person_id, '?')}",
    NamedSubstitute: lambda row, names: (
        f"{names[Person].get(row.person_id, '?')}, named substitute"
    ),
    AgendaTemplateItem: lambda row, names: f"Standard agenda line “{row.title}”",
    Person: lambda row, names: _person_name(row.__dict__),
    Post: lambda row, names: row.title,
    PostHolding: lambda row, names: (
        f"{names[Post].get(row.post_id, '?')} held by {names[Person].get(row.person_id, '?')}"
    ),
    Ward: lambda row, names: f"Ward “{row.name}”",
    Party: lambda row, names: f"Party “{row.name}”",
}


def _fields(model: type[Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in _LEFT_OUT and not f.primary_key]


def _shown(model_field: models.Field, value: Any, names: Names) -> str:
    if value in (None, ""):
        return "–"
    if model_field.is_relation:
        related = model_field.related_model
        return names.get(related, {}).get(value, "?") if isinstance(related, type) else "?"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return formatting.long_datetime(value)
    if isinstance(value, datetime.date):
        return formatting.short_date(value)
    if isinstance(model_field, models.FileField):
        return "a photo"
    return str(value)


def _names(rows_by_model: dict[type[Model], list[Any]]) -> Names:
    """The names of every record the rows' foreign keys point at: one query per related model."""
    wanted: dict[type[Model], set[Any]] = {}
    for model, rows in rows_by_model.items():
        for model_field in _fields(model):
            related = model_field.related_model
            if model_field.is_relation and isinstance(related, type):
                ids = {getattr(row, model_field.attname) for row in rows}
                wanted.setdefault(related, set()).update(ids - {None})
    names: Names = {model: {} for model in (Person, Post, Board)}
    for related, ids in wanted.items():
        if not ids:
            continue
        queryset: QuerySet = related._default_manager.filter(pk__in=ids)
        names[related] = {record.pk: str(record) for record in queryset}
    return names


def changes(*histories: QuerySet) -> list[Change]:
    """The changes the history rows of ``histories`` record, newest first, each with what it
    changed from the version before it."""
    rows_by_model: dict[type[Model], list[Any]] = {}
    for history in histories:
        model = history.model.instance_type
        rows = list(history.select_related("history_user").order_by("-history_date")[:LIMIT])
        rows_by_model.setdefault(model, []).extend(rows)
    names = _names(rows_by_model)
    found: list[Change] = []
    for model, rows in rows_by_model.items():
        model_fields = _fields(model)
        previous: dict[Any, Any] = {}
        # Oldest first, so that each row is compared with the one before it.
        for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
            before = previous.get(row.id)
            change = Change(
                when=row.history_date,
                who=row.history_user,
                record=LABELS[model](row, names),
                action=ACTIONS.get(row.history_type, "Changed"),
                reason=row.history_change_reason or "",
            )
            if row.history_type == "~" and before is not None:
                change.fields = _differences(model_fields, before, row, names)
                if not change.fields:
                    previous[row.id] = row
                    continue  # saved without a change anyone made
            elif row.history_type == "+":
                change.fields = [
                    FieldChange(f.verbose_name.capitalize(), "", _shown(f, value, names))
                    for f in model_fields
                    if (value := getattr(row, f.attname)) not in (None, "", False)
                ]
            previous[row.id] = row
            found.append(change)
    return sorted(found, key=lambda c: c.when, reverse=True)


def _differences(
    model_fields: Iterable[models.Field], before: Any, after: Any, names: Names
) -> list[FieldChange]:
    return [
        FieldChange(
            f.verbose_name.capitalize(),
            _shown(f, getattr(before, f.attname), names),
            _shown(f, getattr(after, f.attname), names),
        )
        for f in model_fields
        if getattr(before, f.attname) != getattr(after, f.attname)
    ]
