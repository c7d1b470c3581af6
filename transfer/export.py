"""The full export: everything the council holds here, in one zip, to take it elsewhere.

``export_council(out, site_url=...)`` writes:

- ``oparl/<Type>.json``: one file per OParl 1.1 type, each a list of objects following OParl's
  schema (``transfer.export_oparl``), each carrying ``scrutiny:record``: every field of the record
  behind it, so that nothing is lost;
- ``scrutiny/<app>.<model>.json``: the records of every other model of the domain (minutes,
  decisions, inquiries, recommendations, their history…) as objects holding ``scrutiny:record``
  alone, and the accounts (``auth.user``: name, e-mail, roles and whether active; never a
  password, session or second factor);
- ``files/<name>``: every stored file the records name, under the name it is stored by;
- ``manifest.json``: the format and its version, the app's version, when, the counts per model,
  each file's size and SHA-512 checksum, and the migrations the records were written under.

It is the council's own copy, exempt information and drafts included: NOT for publication (the
public's copy is the OParl API). ``transfer.importers.archive`` reads it back into an empty
install. Each JSON file is a list with one object a line, written as the records are read
(``iterator()``), so neither side holds a whole council in memory.

Every model of the domain apps is exported without code of its own: a new model is exported as
soon as it exists (``tests/transfer`` fails for a model neither exported nor in ``LEFT_OUT``).
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import io
import json
import tomllib
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.storage import Storage
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalChanges

from boards.models import Council, Paper
from transfer import export_oparl

DOMAIN_APPS = ("boards", "minutes", "decisions", "inquiries", "recommendations")
# The records the council keeps: the domain's, and the dispatch list of each meeting's summons
# (its evidence that members were summoned), which the summons room keeps. Read through the
# app registry by label, never imported: the export carries rows, not that room's code.
RECORD_APPS = (*DOMAIN_APPS, "summons")
FORMAT = "scrutiny-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
README = "README.txt"
RECORD = "scrutiny:record"
USERS = "auth.user"
# What an account is exported as: never its password, sessions or second factors.
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
    "date_joined",
)
CHUNK = 500

NOTICE = (
    "NOT FOR PUBLICATION. This archive is the council's complete record as Scrutiny held it: "
    "exempt information (Schedule 12A to the Local Government Act 1972), drafts, unpublished "
    "papers and people's contact details included. Keep it as securely as the live system, "
    "share it with nobody not entitled to all of it, and delete copies once they have served. "
    "The public's copy of the open record is the OParl API."
)

# Domain models deliberately not exported, each with the reason. None: every record of the
# domain is the council's record. (Derived and operational data lives above the domain, in
# rooms this export does not read: the search index, agenda packs, the task queue, follow
# subscriptions; see docs/export.md.)
LEFT_OUT: dict[str, str] = {}


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def domain_models() -> list[type[models.Model]]:
    """Every model of the domain apps, history models included (their auto-created
    many-to-many tables travel as lists on the records that hold them)."""
    return [model for app in RECORD_APPS for model in apps.get_app_config(app).get_models()]


def exported_models() -> list[type[models.Model]]:
    """The domain's models in the order they must be written back: each after those it refers
    to. A model referring to one the archive does not carry (but accounts, matched by user
    name) could not come back: it stops the export, for a developer to teach this module."""
    exported = [m for m in domain_models() if label(m) not in LEFT_OUT]
    carried = {*exported, User}
    for model in exported:
        for f in [*references(model), *many_to_many(model)]:
            if target_of(f) not in carried:
                raise TypeError(
                    f"{label(model)}.{f.name} refers to {label(target_of(f))}, which the "
                    "export does not carry: teach transfer.export how to."
                )
    return dependency_order(exported)


def references(model: type[models.Model]) -> list[models.ForeignKey]:
    """The model's foreign keys (one-to-one fields included)."""
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def many_to_many(model: type[models.Model]) -> list[models.ManyToManyField]:
    """The model's many-to-many fields whose table Django makes (a table of its own would be a
    model, exported by itself)."""
    fields = []
    for f in model._meta.local_many_to_many:
        through = f.remote_field.through if isinstance(f, models.ManyToManyField) else None
        if through is not None and through._meta.auto_created:
            fields.append(f)
    return fields


def is_history(model: type[models.Model]) -> bool:
    """A model of django-simple-history's: the history of another, or of its many-to-many."""
    return issubclass(model, HistoricalChanges)


def file_fields(model: type[models.Model]) -> list[tuple[models.Field, Storage]]:
    """The fields holding the names of stored files, with the storage keeping them: a model's
    file fields, and a history model's copies of them (which django-simple-history keeps as
    text: the file a record named before it was replaced)."""
    tracked = getattr(model, "instance_type", None) if is_history(model) else None
    if isinstance(tracked, type) and issubclass(tracked, models.Model):
        storages = {
            f.attname: f.storage
            for f in tracked._meta.concrete_fields
            if isinstance(f, models.FileField)
        }
        fields = model._meta.concrete_fields
        return [(f, storages[f.attname]) for f in fields if f.attname in storages]
    return [(f, f.storage) for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def target_of(field: models.Field) -> type[models.Model]:
    related = field.related_model
    if not isinstance(related, type):
        raise TypeError(f"{field} refers to a model by name only")
    return related


def pk_of(model: type[models.Model]) -> models.Field:
    pk = model._meta.pk
    if pk is None:
        raise TypeError(f"{label(model)} has no primary key")
    return pk


def dependency_order(among: list[type[models.Model]]) -> list[type[models.Model]]:
    """``among`` ordered so that each model comes after every other one it refers to (a model
    referring to itself is ordered within: ``self_references``)."""
    wanted = set(among)
    needs = {
        model: {
            target_of(f)
            for f in [*references(model), *many_to_many(model)]
            if target_of(f) in wanted and target_of(f) is not model
        }
        for model in among
    }
    ordered: list[type[models.Model]] = []
    placed: set[type[models.Model]] = set()
    while len(ordered) < len(among):
        ready = [m for m in among if m not in placed and needs[m] <= placed]
        if not ready:
            cycle = sorted(label(m) for m in among if m not in placed)
            raise ValueError(f"These models refer to each other in a cycle: {cycle}")
        for model in ready:
            ordered.append(model)
            placed.add(model)
    return ordered


def self_references(model: type[models.Model]) -> list[models.ForeignKey]:
    return [f for f in references(model) if target_of(f) is model]


def record_path(model: type[models.Model]) -> str:
    """Where a model's records are: its OParl type's file, or one of its own."""
    oparl_type = export_oparl.TYPE_OF.get(label(model))
    return f"oparl/{oparl_type}.json" if oparl_type else f"scrutiny/{label(model)}.json"


def encode(value: Any) -> Any:
    """A field's value as JSON: dates and times in ISO 8601 to the microsecond (with their
    offset), identifiers and decimals as strings, files by the name they are stored under."""
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    raise TypeError(f"No JSON form for {type(value).__name__} values: teach transfer.export.")


def record(obj: models.Model) -> dict[str, Any]:
    """Every field of the record: ``{"model", "pk", "fields"}``, a foreign key as the id it
    refers to, a many-to-many field as the ids, in order."""
    model = type(obj)
    fields: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        if isinstance(f, models.ForeignKey):
            fields[f.name] = encode(getattr(obj, f.attname))
        else:
            fields[f.name] = encode(f.value_from_object(obj))
    for f in many_to_many(model):
        fields[f.name] = sorted(related.pk for related in getattr(obj, f.name).all())
    return {"model": label(model), "pk": encode(obj.pk), "fields": fields}


def user_record(user: User) -> dict[str, Any]:
    fields = {name: encode(getattr(user, name)) for name in USER_FIELDS}
    fields["groups"] = sorted(group.name for group in user.groups.all())
    return {"model": USERS, "pk": user.pk, "fields": fields}


def app_version() -> str:
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as project:
            return str(tomllib.load(project)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def council_slug(name: str) -> str:
    """The council's identity in the provenance of what is imported from its archive."""
    return slugify(name) or "council"


# Writing the zip.


@dataclass
class StoredFile:
    """A file a record names: where it is stored, and which record and field name it. One
    only history names may have gone from the storage (the file of a paper deleted before it
    was published), and is then left out without remark."""

    name: str
    storage: Storage
    owner: tuple[str, Any, str]  # the record's model label, its id and the field's name
    named_by_history_only: bool


@dataclass
class Export:
    """What an export wrote, as its manifest says it."""

    counts: dict[str, int] = field(default_factory=dict)
    files: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)


def write_list(archive: zipfile.ZipFile, path: str, objects: Iterable[dict]) -> int:
    """A JSON list with one object a line (so it can be read back a line at a time)."""
    count = 0
    info = zipfile.ZipInfo(path, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    with (
        archive.open(info, "w", force_zip64=True) as raw,
        io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as out,
    ):
        out.write("[\n")
        for obj in objects:
            out.write((",\n" if count else "") + json.dumps(obj, ensure_ascii=False))
            count += 1
        out.write("\n]\n")
    return count


def write_file(archive: zipfile.ZipFile, stored: StoredFile) -> dict[str, Any] | None:
    """Copy a stored file into ``files/``, with its size and checksum; None when the storage
    does not hold it."""
    storage = stored.storage
    info = zipfile.ZipInfo(f"files/{stored.name}", date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED  # PDFs and photos are compressed already
    digest, size = hashlib.sha512(), 0
    try:
        source = storage.open(stored.name, "rb")
    except (OSError, ValueError):
        return None
    with source, archive.open(info, "w", force_zip64=True) as out:
        while chunk := source.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {
        "path": info.filename,
        "name": stored.name,
        "size": size,
        "sha512": digest.hexdigest(),
    }


@contextmanager
def snapshot() -> Iterator[None]:
    """One transaction for the whole export, so that it is one moment's record: on PostgreSQL a
    repeatable-read snapshot (the site goes on as usual); on SQLite the transaction holds back
    other writes until the export ends."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def export_council(
    out: IO[bytes],
    *,
    site_url: str,
    report: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Write the whole council into ``out`` as a zip; returns the manifest."""
    say = report or (lambda line: None)
    done = Export()
    oparl = export_oparl.OParlObjects(site_url)
    with snapshot(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        council = Council.load()
        archive.writestr(README, readme(council.name))
        write_list(archive, "oparl/System.json", [oparl.system(council)])
        stored: dict[str, StoredFile] = {}
        for model in exported_models():
            path = record_path(model)
            count = write_list(archive, path, _objects(model, oparl, stored))
            done.counts[label(model)] = count
            done.records.append({"model": label(model), "path": path, "count": count})
            say(f"{label(model)}: {count}")
        users = User.objects.order_by("pk").prefetch_related("groups")
        count = write_list(
            archive,
            f"scrutiny/{USERS}.json",
            ({RECORD: user_record(user)} for user in users.iterator(chunk_size=CHUNK)),
        )
        done.counts[USERS] = count
        done.records.append({"model": USERS, "path": f"scrutiny/{USERS}.json", "count": count})
        say(f"accounts: {count}")
        for name, file in stored.items():
            written = write_file(archive, file)
            if written is None and file.named_by_history_only:
                continue
            if written is None:
                owner, pk, field_name = file.owner
                done.missing.append({"name": name, "model": owner, "pk": pk, "field": field_name})
                say(f"Not in the file storage, left out: {name} ({owner} {pk})")
            else:
                done.files.append(written)
        say(f"files: {len(done.files)}")
        by_name = {entry["name"]: entry for entry in done.files}
        write_list(
            archive,
            "oparl/File.json",
            (
                oparl.file(file.owner, by_name[name])
                for name, file in stored.items()
                if name in by_name
            ),
        )
        write_list(
            archive,
            "oparl/Consultation.json",
            (
                oparl.consultation(*row)
                for row in Paper.objects.filter(parent__isnull=True)
                .order_by("pk")
                .values_list("pk", "agenda_item_id", "agenda_item__meeting_id")
                .iterator(chunk_size=CHUNK)
            ),
        )
        manifest = {
            "format": FORMAT,
            "formatVersion": FORMAT_VERSION,
            "appVersion": app_version(),
            "exportedAt": timezone.now().isoformat(),
            "notice": NOTICE,
            "council": {"name": council.name, "slug": council_slug(council.name)},
            "siteUrl": site_url,
            "migrations": applied_migrations(),
            "records": done.records,
            "counts": done.counts,
            "files": done.files,
            "missingFiles": done.missing,
            "leftOut": LEFT_OUT,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def _objects(
    model: type[models.Model], oparl: export_oparl.OParlObjects, stored: dict[str, StoredFile]
) -> Iterator[dict]:
    """Each record of the model as its object in the archive; the files it names are noted in
    ``stored``, to be copied once every list is written."""
    queryset = oparl.queryset(model).prefetch_related(*(f.name for f in many_to_many(model)))
    files = file_fields(model)
    history = is_history(model)
    for obj in queryset.order_by("pk").iterator(chunk_size=CHUNK):
        for f, storage in files:
            value = getattr(obj, f.attname)
            name = value.name if isinstance(value, FieldFile) else value
            known = stored.get(name) if name else None
            if name and (known is None or (known.named_by_history_only and not history)):
                stored[name] = StoredFile(name, storage, (label(model), obj.pk, f.name), history)
        yield {**oparl.object(obj), RECORD: record(obj)}


def applied_migrations() -> dict[str, list[str]]:
    """The migrations applied to the exporting database, for each app the archive holds."""
    wanted = {*RECORD_APPS, "auth"}
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        if app in wanted:
            applied.setdefault(app, []).append(name)
    return applied


def readme(council: str) -> str:
    return (
        f"The complete record of {council}, exported from Scrutiny.\n\n{NOTICE}\n\n"
        "What is here (docs/export.md in Scrutiny's source says it in full):\n"
        "- manifest.json: the format and its version, when it was made, the number of records\n"
        "  of each kind, and every file's size and SHA-512 checksum;\n"
        "- oparl/: one file per OParl 1.1 type (https://oparl.org/), each a JSON list of\n"
        "  objects; every object's scrutiny:record holds every field of the record behind it;\n"
        "- scrutiny/: the records OParl has no type for (minutes, decisions, inquiries,\n"
        "  recommendations, the history of changes, the accounts), as scrutiny:record objects;\n"
        "- files/: every stored file (papers, photos, evidence, reports), by its stored name.\n\n"
        "Accounts carry their user name, name, e-mail, roles and whether they are active: never\n"
        "a password, a session or a second factor. Agenda packs are not here: they are built\n"
        "again from the papers.\n\n"
        "To move in: manage.py import_council archive <this zip>, into an empty install.\n"
    )
