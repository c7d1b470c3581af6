"""Import an export of Scrutiny (``manage.py export_council``) into an empty install.

``manage.py import_council archive council-export.zip`` writes back every record of the archive
with the id it had (so every address of the old site, ``/meetings/42/``, names the same meeting
here), each model after those it refers to, and puts every file back into the file storage
under the name it had, checked against its checksum. Each record remembers where it came from
(source ``archive:<council>``, external id ``<model label>:<id>``), so importing the same
archive again changes nothing, and a later export of the same council brings this install up to
it (records are added and changed, never deleted).

The install must be empty: a record here with an id the archive uses, which did not come from
this council's archive, stops the import before anything is written, saying which. The one
exception is what a new install makes by itself: the default tracking categories, unused and
unchanged, give way to the archive's. Accounts are matched by user name (an account already
here, such as the administrator running the import, is kept as it is); those created get no
usable password. Nothing here writes history: the archive's own history records are written
back instead, as they were.

Problems (a damaged zip, an archive from a newer version, a conflicting record, a file that does
not match its checksum) are reported as the run's problems, and nothing is written.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import posixpath
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.core.management.color import no_style
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import pre_save

from boards import signals
from recommendations.categories import DEFAULT_CATEGORIES
from recommendations.models import Judgement, Recommendation, TrackingCategory
from transfer import export
from transfer.importing import CREATED, UNCHANGED, UPDATED, Importer
from transfer.models import ImportedRecord

MAX_PROBLEMS = 100
BATCH = 500

_importing: ContextVar[bool] = ContextVar("transfer_archive_importing", default=False)


class Stop(Exception):
    """The run cannot go on; its problems are recorded."""


def run(importer: Importer, path: Path) -> None:
    where = path.name
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        importer.problem(where, f"There is no file {path}.")
        return
    except (zipfile.BadZipFile, OSError) as error:
        importer.problem(where, f"This is not a zip file that can be read ({error}).")
        return
    pre_save.connect(_without_history, weak=False, dispatch_uid="transfer.archive")
    token = _importing.set(True)
    reading = ArchiveImport(importer, archive, where)
    finished = False
    try:
        with archive:
            reading.run()
        finished = True
    except Stop:
        pass
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
        importer.problem(where, f"The zip is damaged and cannot be read to the end ({error}).")
    finally:
        _importing.reset(token)
        pre_save.disconnect(dispatch_uid="transfer.archive")
        # Whatever is rolled back leaves no files behind.
        if not finished or importer.problems or importer.dry_run:
            reading.remove_written_files()


def _without_history(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """While an archive is imported nothing writes history (django-simple-history skips an
    instance so marked, for its saves and its many-to-many changes): the archive's history
    records are written back as they were."""
    if _importing.get():
        instance.skip_history_when_saving = True  # type: ignore[attr-defined]


def external_id(model_label: str, pk: Any) -> str:
    return f"{model_label}:{pk}"


class ArchiveImport:
    def __init__(self, importer: Importer, archive: zipfile.ZipFile, where: str):
        self.importer = importer
        self.archive = archive
        self.where = where
        self.users: dict[Any, int] = {}  # an account's id in the archive: its id here
        self.files: dict[str, dict[str, Any]] = {}
        self.missing_files: set[str] = set()
        self.restored: dict[str, str] = {}  # a file's name in the archive: its name here
        self.written: list[tuple[Storage, str]] = []  # (storage, name) of the files written
        self.unknown_fields: set[tuple[str, str]] = set()
        self.files_of: dict[type[models.Model], dict[str, Storage]] = {}

    # Problems.

    def problem(self, where: str, message: str, *, field: str = "") -> None:
        self.importer.problem(where, message, field=field)
        if len(self.importer.problems) >= MAX_PROBLEMS:
            self.importer.problem(self.where, f"Stopped after {MAX_PROBLEMS} problems.")
            raise Stop

    def stop(self, message: str) -> Stop:
        self.importer.problem(self.where, message)
        return Stop()

    # The run.

    def run(self) -> None:
        manifest = self.manifest()
        self.importer.source = f"archive:{manifest['council']['slug']}"
        entries = self.entries(manifest)
        self.read_files(manifest)
        self.importer.progress("Checking the archive against this install")
        ids = {model: self.ids(model, path) for model, (path, _count) in entries.items()}
        self.give_way_defaults(ids)
        self.check_conflicts(ids)
        users = entries.pop(User, None)
        if users:
            self.import_users(*users)
        order = export.dependency_order(list(entries))
        for number, model in enumerate(order, start=1):
            path, count = entries[model]
            self.importer.progress(
                f"Writing {export.label(model)} ({count} records)", number, len(order)
            )
            self.import_model(model, path, count)
        self.reset_sequences(order)
        if not self.importer.problems and not self.importer.dry_run:
            self.importer.report(
                "Accounts brought in have no password: an administrator gives each one "
                "(manage.py changepassword <username>, or the administration site)."
            )

    def manifest(self) -> dict[str, Any]:
        try:
            manifest = json.loads(self.archive.read(export.MANIFEST))
        except KeyError:
            raise self.stop(
                "This zip has no manifest.json: it is not an export of Scrutiny."
            ) from None
        except (ValueError, UnicodeDecodeError):
            raise self.stop("The archive's manifest.json is not JSON.") from None
        if not isinstance(manifest, dict) or manifest.get("format") != export.FORMAT:
            raise self.stop("This zip is not an export of Scrutiny (its manifest says otherwise).")
        version = manifest.get("formatVersion")
        if version != export.FORMAT_VERSION:
            raise self.stop(
                f"This archive is in format version {version}; this install reads version "
                f"{export.FORMAT_VERSION}. Import it with the version of Scrutiny that made it "
                f"({manifest.get('appVersion', 'unknown')}) or a later one."
            )
        if not well_formed(manifest):
            raise self.stop("The archive's manifest is not as an export writes it.")
        self.check_migrations(manifest.get("migrations", {}))
        return manifest

    def check_migrations(self, migrations: dict[str, Any]) -> None:
        """An archive written by a newer version may hold what this one cannot."""
        applied = MigrationRecorder(connection).applied_migrations()
        newer = [
            f"{app}.{name}"
            for app, names in migrations.items()
            for name in names
            if (app, name) not in applied
        ]
        if newer:
            raise self.stop(
                "This archive was made by a newer version of Scrutiny than this install (it has "
                f"{', '.join(newer[:5])}{' and more' if len(newer) > 5 else ''}): upgrade this "
                "install first, then import it."
            )

    def entries(self, manifest: dict[str, Any]) -> dict[type[models.Model], tuple[str, int]]:
        """Each model the archive holds: the file its records are in, and how many."""
        names = set(self.archive.namelist())
        entries: dict[type[models.Model], tuple[str, int]] = {}
        known = {export.label(model): model for model in export.domain_models()}
        known[export.USERS] = User
        for entry in manifest["records"]:
            try:
                model_label, path, count = entry["model"], entry["path"], int(entry["count"])
            except (KeyError, TypeError, ValueError):
                raise self.stop("The archive's manifest lists records wrongly.") from None
            model = known.get(model_label)
            if model is None:
                self.problem(
                    self.where,
                    f"The archive holds records of {model_label}, which this install does not "
                    "have: upgrade this install first.",
                )
                continue
            if path not in names:
                self.problem(self.where, f"The manifest lists {path}, which the zip lacks.")
                continue
            entries[model] = (path, count)
        if self.importer.problems:
            raise Stop
        return entries

    def read_files(self, manifest: dict[str, Any]) -> None:
        names = set(self.archive.namelist())
        for entry in manifest["files"]:
            try:
                name, path = str(entry["name"]), str(entry["path"])
                str(entry["sha512"])
            except (KeyError, TypeError):
                raise self.stop("The archive's manifest lists files wrongly.") from None
            if not safe_name(name):
                self.problem(self.where, f"The archive names a file unsafely: {name!r}.")
            elif path not in names:
                self.problem(self.where, f"The manifest lists {path}, which the zip lacks.")
            else:
                self.files[name] = entry
        self.missing_files = {str(entry.get("name")) for entry in manifest.get("missingFiles", [])}
        if self.importer.problems:
            raise Stop

    # Reading the lists.

    def records(self, model: type[models.Model], path: str) -> Iterator[tuple[str, dict]]:
        """The records of ``path``, one a line, each with where it is."""
        expected = export.label(model)
        with self.archive.open(path) as raw:
            for number, line in enumerate(raw, start=1):
                text = line.strip().rstrip(b",")
                if text in (b"[", b"]", b""):
                    continue
                where = f"{path} line {number}"
                try:
                    obj = json.loads(text)
                except ValueError:
                    raise self.stop(f"{where} is not JSON as an export writes it.") from None
                record = obj.get(export.RECORD) if isinstance(obj, dict) else None
                if (
                    not isinstance(record, dict)
                    or record.get("model") != expected
                    or "pk" not in record
                    or not isinstance(record.get("fields"), dict)
                ):
                    raise self.stop(f"{where} is not a record of {expected} as exported.")
                yield where, record

    def ids(self, model: type[models.Model], path: str) -> set[Any]:
        pk = export.pk_of(model)
        found = set()
        for where, record in self.records(model, path):
            try:
                found.add(pk.to_python(record["pk"]))
            except ValidationError:
                self.problem(where, f"{record['pk']!r} is not an id.")
        return found

    # Before writing: is this install empty?

    def give_way_defaults(self, ids: dict[type[models.Model], set[Any]]) -> None:
        """A new install's default tracking categories, unused and unchanged, give way to the
        archive's own (which began as the same defaults, or as the council made them)."""
        if TrackingCategory not in ids:
            return
        content_type = ContentType.objects.get_for_model(TrackingCategory)
        if ImportedRecord.objects.filter(content_type=content_type).exists():
            return
        defaults = {
            (name, description, colour, ends, position)
            for position, (name, description, colour, ends) in enumerate(
                DEFAULT_CATEGORIES, start=1
            )
        }
        here = list(TrackingCategory.objects.all())
        untouched = here and all(
            (c.name, c.description, c.colour, c.ends_monitoring, c.position) in defaults
            and c.retired_at is None
            for c in here
        )
        used = (
            Judgement.objects.exists()
            or Recommendation.objects.filter(current_category__isnull=False).exists()
        )
        if untouched and not used:
            pks = [c.pk for c in here]
            TrackingCategory.objects.filter(pk__in=pks).delete()
            # After them: deleting them recorded their deletion in their history.
            TrackingCategory.history.model.objects.filter(id__in=pks).delete()

    def check_conflicts(self, ids: dict[type[models.Model], set[Any]]) -> None:
        """Records here with the archive's ids that did not come from this council's archive."""
        for model, wanted in ids.items():
            if model is User or not wanted:
                continue
            existing: set[Any] = set()
            for chunk in itertools.batched(sorted(wanted, key=str), BATCH):
                existing.update(
                    model._base_manager.filter(pk__in=chunk).values_list("pk", flat=True)
                )
            if not existing:
                continue
            ours = set(
                ImportedRecord.objects.filter(
                    source=self.importer.source,
                    content_type=ContentType.objects.get_for_model(model),
                ).values_list("object_id", flat=True)
            )
            conflicting = sorted((pk for pk in existing if str(pk) not in ours), key=str)
            if conflicting:
                shown = ", ".join(str(pk) for pk in conflicting[:10])
                self.problem(
                    export.label(model),
                    f"This install already holds {len(conflicting)} of the archive's "
                    f"{model._meta.verbose_name_plural} (by id: {shown}"
                    f"{'…' if len(conflicting) > 10 else ''}) that did not come from this "
                    "archive. "
                    "Import an archive only into an empty install.",
                )
        if self.importer.problems:
            raise Stop

    # Accounts.

    def import_users(self, path: str, count: int) -> None:
        """Accounts are matched by user name; those created have no usable password."""
        self.importer.progress("Accounts", 0, count)
        for where, record in self.records(User, path):
            fields, pk = record["fields"], record["pk"]
            key = external_id(export.USERS, pk)
            user = self.importer.find(User, key)
            if user is None:
                user = User.objects.filter(username=fields.get("username")).first()
                if user is not None:
                    self.importer.remember(user, key)
                    self.importer.count(User, "matched")
            else:
                self.importer.count(User, UNCHANGED)
            if user is None:
                user = self.create_user(where, key, fields)
            if user is not None:
                self.users[pk] = user.pk

    def create_user(self, where: str, key: str, fields: dict[str, Any]) -> User | None:
        values: dict[str, Any] = {}
        for name in export.USER_FIELDS:
            if name not in fields:
                continue
            try:
                field = User._meta.get_field(name)
                if isinstance(field, models.Field):
                    values[name] = field.to_python(fields[name])
            except ValidationError as error:
                self.problem(where, " ".join(error.messages), field=name)
                return None
        user = self.importer.upsert(User, key, values, where=where, exclude_from_clean=["password"])
        if user is None:
            return None
        user.set_unusable_password()
        user.save(update_fields=["password"])
        groups = [Group.objects.get_or_create(name=name)[0] for name in fields.get("groups", [])]
        user.groups.set(groups)
        return user

    # Records.

    def import_model(self, model: type[models.Model], path: str, count: int) -> None:
        model_label = export.label(model)
        history = export.is_history(model)
        exclude = [f.name for f in model._meta.concrete_fields] if history else None
        own = {f.attname for f in export.self_references(model)}
        waiting: dict[Any, list[tuple[str, Any, dict[str, Any], dict[str, list]]]] = {}
        done: set[Any] = set()
        changed: list[Any] = []
        read = 0

        def place(where: str, pk: Any, values: dict[str, Any], related: dict[str, list]) -> None:
            """Write the record, unless it refers to another of its model not yet written: then
            it waits for that one."""
            pending = [
                values[name]
                for name in own
                if values.get(name) is not None
                and values[name] not in done
                and values[name] != pk
                and not model._base_manager.filter(pk=values[name]).exists()
            ]
            if pending:
                waiting.setdefault(pending[0], []).append((where, pk, values, related))
                return
            action = self.write(model, where, pk, values, related, exclude)
            done.add(pk)
            if action in (CREATED, UPDATED) and not history:
                changed.append(pk)
            for later in waiting.pop(pk, []):
                place(*later)

        for where, record in self.records(model, path):
            read += 1
            decoded = self.decode(model, where, record)
            if decoded is not None:
                place(where, *decoded)
            if read % BATCH == 0:
                self.importer.progress(f"Writing {model_label}", read, count)
                self.announce(model, changed)
                changed.clear()
        for stuck in waiting.values():
            for where, pk, _values, _related in stuck:
                self.problem(where, f"{model_label} {pk} refers to one the archive lacks.")
        if read != count:
            self.problem(
                path, f"The manifest says {count} records, the file holds {read}: it is incomplete."
            )
        self.announce(model, changed)

    def decode(
        self, model: type[models.Model], where: str, record: dict[str, Any]
    ) -> tuple[Any, dict[str, Any], dict[str, list]] | None:
        """The record's id, its fields' values as this install keeps them (by attribute name)
        and its many-to-many lists; None, with the problems recorded, if they are not."""
        pk_field = export.pk_of(model)
        try:
            pk = pk_field.to_python(record["pk"])
        except ValidationError:
            self.problem(where, f"{record['pk']!r} is not an id.")
            return None
        values: dict[str, Any] = {pk_field.attname: pk}
        related: dict[str, list] = {}
        many = {f.name: f for f in export.many_to_many(model)}
        files = self.file_fields(model)
        ok = True
        for name, value in record["fields"].items():
            if name in many:
                target = export.pk_of(export.target_of(many[name]))
                try:
                    related[name] = [target.to_python(v) for v in value]
                except (ValidationError, TypeError):
                    self.problem(where, "These are not ids.", field=name)
                    ok = False
                continue
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            if not isinstance(field, models.Field) or not field.concrete or field.primary_key:
                if (export.label(model), name) not in self.unknown_fields:
                    self.unknown_fields.add((export.label(model), name))
                    self.problem(
                        where,
                        f"The archive has a field {export.label(model)}.{name} this install "
                        "does not: import it with the version of Scrutiny that made it.",
                    )
                ok = False
                continue
            try:
                if field.attname in files and value:
                    # Only a record of now must find its file; history may name one gone.
                    storage = files[field.attname]
                    values[field.attname] = self.restore_file(
                        storage, str(value), required=not export.is_history(model)
                    )
                else:
                    values[field.attname] = self.value(field, value)
            except ValidationError as error:
                self.problem(where, " ".join(error.messages), field=name)
                ok = False
        return (pk, values, related) if ok else None

    def value(self, field: models.Field, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(field, models.ForeignKey):
            target = field.target_field
            if export.target_of(field) is User:
                mapped = self.users.get(value)
                if mapped is None and getattr(field, "db_constraint", True) and not field.null:
                    raise ValidationError(f"The account {value} is not in the archive.")
                return mapped
            return target.to_python(value)
        return field.to_python(value)

    def file_fields(self, model: type[models.Model]) -> dict[str, Storage]:
        if model not in self.files_of:
            self.files_of[model] = {f.attname: s for f, s in export.file_fields(model)}
        return self.files_of[model]

    def write(
        self,
        model: type[models.Model],
        where: str,
        pk: Any,
        values: dict[str, Any],
        related: dict[str, list],
        exclude: list[str] | None,
    ) -> str | None:
        """Write one record (through the importer: a second run finds it and changes nothing),
        then its timestamps as they were and its many-to-many lists."""
        counts = self.importer.counts.get(model._meta.model_name or "", {})
        before = dict(counts)
        record = self.importer.upsert(
            model,
            external_id(export.label(model), pk),
            values,
            where=f"{where} ({export.label(model)} {pk})",
            exclude_from_clean=exclude,
        )
        if record is None:
            if len(self.importer.problems) >= MAX_PROBLEMS:
                self.problem(self.where, "Too many problems.")
            return None
        after = self.importer.counts.get(model._meta.model_name or "", {})
        action = next((a for a, n in after.items() if n != before.get(a, 0)), UNCHANGED)
        # Times Django sets on every save (auto_now, auto_now_add) are put back as they were.
        stamps = {
            f.attname: values[f.attname]
            for f in model._meta.concrete_fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            if f.attname in values and getattr(record, f.attname) != values[f.attname]
        }
        if stamps:
            model._base_manager.filter(pk=record.pk).update(**stamps)
            for name, value in stamps.items():
                setattr(record, name, value)
        for name, pks in related.items():
            manager = getattr(record, name)
            if set(manager.values_list("pk", flat=True)) != set(pks):
                manager.set(pks)
                action = UPDATED if action == UNCHANGED else action
        return action

    def announce(self, model: type[models.Model], pks: list[Any]) -> None:
        """Tell the rooms above (search, above all) of the records written, as services do."""
        if self.importer.dry_run:
            return
        for chunk in itertools.batched(pks, BATCH):
            signals.changed(*model._base_manager.filter(pk__in=chunk))

    def reset_sequences(self, order: list[type[models.Model]]) -> None:
        """Records keep their ids: the database's next id for each table must follow them."""
        statements = connection.ops.sequence_reset_sql(no_style(), order)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    # Files.

    def restore_file(self, storage: Storage, name: str, *, required: bool = True) -> str:
        """Put a file the archive holds back in the file storage (checked against its
        checksum); the name it is stored under here."""
        if name in self.restored:
            return self.restored[name]
        entry = self.files.get(name)
        if entry is None:
            if name in self.missing_files or not required:
                return name  # missing where it came from too: the record keeps its name
            raise ValidationError(f"The record names a file the archive does not hold: {name}.")
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as copy:
            digest = hashlib.sha512()
            with self.archive.open(entry["path"]) as source:
                while chunk := source.read(1024 * 1024):
                    digest.update(chunk)
                    copy.write(chunk)
            if digest.hexdigest() != entry["sha512"]:
                raise ValidationError(
                    f"{entry['path']} does not match its checksum in the manifest: the archive "
                    "is damaged."
                )
            if storage.exists(name):
                if _checksum(storage, name) != entry["sha512"]:
                    raise ValidationError(
                        f"A different file is stored here already as {name}: import an archive "
                        "only into an empty install."
                    )
                stored = name
            elif self.importer.dry_run:
                stored = name
            else:
                copy.seek(0)
                stored = storage.save(name, File(copy, name=posixpath.basename(name)))
                self.written.append((storage, stored))
        self.restored[name] = stored
        return stored

    def remove_written_files(self) -> None:
        """A run that wrote nothing leaves no files behind."""
        for storage, name in self.written:
            storage.delete(name)
        self.written = []


def _checksum(storage: Storage, name: str) -> str:
    digest = hashlib.sha512()
    with storage.open(name, "rb") as file:
        while chunk := file.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def well_formed(manifest: dict[str, Any]) -> bool:
    council = manifest.get("council")
    return (
        isinstance(council, dict)
        and isinstance(council.get("slug"), str)
        and bool(council["slug"])
        and isinstance(manifest.get("records"), list)
        and isinstance(manifest.get("files"), list)
        and isinstance(manifest.get("missingFiles", []), list)
        and isinstance(manifest.get("migrations", {}), dict)
    )


def safe_name(name: str) -> bool:
    """A stored file's name as storage gives them: relative, forward slashes, no way out."""
    parts = name.split("/")
    return (
        bool(name)
        and not name.startswith("/")
        and "\\" not in name
        and "\x00" not in name
        and all(part not in ("", ".", "..") for part in parts)
    )
