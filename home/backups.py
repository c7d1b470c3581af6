"""Backing up and restoring everything the council keeps: the database and the uploaded files,
in one archive (``manage.py backup``, ``manage.py restore``; ``make backup``, ``make restore``).

The database is copied by its own tools, which copy it exactly: SQLite's online backup, and
``pg_dump --format=custom`` for PostgreSQL (restored with ``pg_restore``). Beside it go the
files under ``MEDIA_ROOT`` (papers, evidence, photos, built packs), except the pack builder's
cache of rendered parts, which rebuilds itself. A manifest lists every table's row count and
every file's SHA-256, and a restore checks both before it says it is done.

A backup restores into the same kind of database it came from, at the same version of the app
(a restore then runs ``migrate`` to bring an older backup up to date).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from boards.files import is_local

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
# Rendered parts of packs, keyed by content: rebuilt when needed, not worth keeping.
SKIPPED_MEDIA = {"pack-cache"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with a message that says why."""


@dataclass
class Manifest:
    engine: str
    created: str
    tables: dict[str, int] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    format: int = FORMAT

    @property
    def database_member(self) -> str:
        return "database.sqlite3" if self.engine == "sqlite" else "database.dump"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor == "sqlite":
        return "sqlite"
    if connection.vendor == "postgresql":
        return "postgresql"
    raise BackupError(f"Backing up a {connection.vendor} database is not supported.")


def table_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Every table's number of rows."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - a table name
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_environment(connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """Arguments and environment for pg_dump and pg_restore to reach the connection's
    database; the password goes in the environment, never on the command line."""
    params = connection.get_connection_params()
    args = []
    for option, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            args += [option, str(params[key])]
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client tools "
            "(Debian: postgresql-client) at the server's version."
        ) from error
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _dump_database(connection: BaseDatabaseWrapper, engine: str, target: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return
    args, env = _pg_environment(connection)
    database = connection.settings_dict["NAME"]
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            *args,
            "--file",
            str(target),
            "--dbname",
            database,
        ],
        env,
    )


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    found = []
    for directory, subdirectories, names in os.walk(media_root):
        here = Path(directory)
        if here == media_root:
            subdirectories[:] = [name for name in subdirectories if name not in SKIPPED_MEDIA]
        found += [here / name for name in names]
    return sorted(found)


def backup(
    archive: Path,
    *,
    database: BaseDatabaseWrapper | None = None,
    media_root: Path | None = None,
) -> Manifest:
    """Write the database and the uploaded files to ``archive`` (a .tar.gz)."""
    connection = database or connections[DEFAULT_DB_ALIAS]
    engine = _engine(connection)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = Manifest(
        engine=engine,
        created=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        tables=table_counts(connection),
    )
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / manifest.database_member
        _dump_database(connection, engine, dump)
        # Files in an object store are kept by the store (its versioning, soft delete or
        # replication), not copied into a backup of this host.
        files = _media_files(media_root) if is_local(default_storage) else []
        manifest.files = {path.relative_to(media_root).as_posix(): _sha256(path) for path in files}
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(asdict(manifest), indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(datetime.datetime.now().timestamp())
            tar.addfile(info, fileobj=io.BytesIO(data))
            tar.add(dump, arcname=manifest.database_member)
            for path in files:
                tar.add(path, arcname=MEDIA_PREFIX + path.relative_to(media_root).as_posix())
        os.replace(partial, archive)
    return manifest


def read_manifest(tar: tarfile.TarFile) -> Manifest:
    try:
        member = tar.extractfile(MANIFEST)
        data: dict[str, Any] = json.load(member) if member else {}
        manifest = Manifest(**data)
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError("This is not a Scrutiny backup: it has no readable manifest.") from error
    if manifest.format != FORMAT:
        raise BackupError(f"This backup's format ({manifest.format}) is not one this app reads.")
    return manifest


def _is_empty(connection: BaseDatabaseWrapper) -> bool:
    """No table holds a row but the ones ``migrate`` fills on its own."""
    automatic = {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "auth_group",
        "auth_group_permissions",
        "django_site",
    }
    counts = table_counts(connection)
    return all(count == 0 for table, count in counts.items() if table not in automatic)


def _restore_database(connection: BaseDatabaseWrapper, manifest: Manifest, dump: Path) -> None:
    if manifest.engine == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()
        return
    args, env = _pg_environment(connection)
    connection.close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            *args,
            "--dbname",
            connection.settings_dict["NAME"],
            str(dump),
        ],
        env,
    )


def restore(
    archive: Path,
    *,
    database: BaseDatabaseWrapper | None = None,
    media_root: Path | None = None,
    replace: bool = False,
) -> Manifest:
    """Restore a backup into the database and ``MEDIA_ROOT``, then check every table's row
    count and every file's checksum against the manifest. Without ``replace`` it refuses to
    write over a database or files that already hold something."""
    connection = database or connections[DEFAULT_DB_ALIAS]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    try:
        with tarfile.open(archive, "r:gz") as tar, tempfile.TemporaryDirectory() as work:
            manifest = _restore_from(tar, Path(work), connection, media_root, replace=replace)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive} could not be restored: {error}") from error
    restored = table_counts(connection)
    differing = [table for table, count in manifest.tables.items() if restored.get(table) != count]
    if differing:
        raise BackupError(f"The restored tables do not match the backup: {', '.join(differing)}.")
    return manifest


def _restore_from(
    tar: tarfile.TarFile,
    work: Path,
    connection: BaseDatabaseWrapper,
    media_root: Path,
    *,
    replace: bool,
) -> Manifest:
    manifest = read_manifest(tar)
    engine = _engine(connection)
    if manifest.engine != engine:
        raise BackupError(
            f"This backup is of a {manifest.engine} database and cannot be restored into "
            f"{engine}. Restore it into {manifest.engine}; to move between them, use "
            "dumpdata and loaddata."
        )
    if not replace and not _is_empty(connection):
        raise BackupError(
            "The database already holds records. Restore into an empty database, or "
            "give --replace to write over it."
        )
    if not replace and any(_media_files(media_root)):
        raise BackupError(
            f"{media_root} already holds files. Restore into an empty folder, or give "
            "--replace to write over them."
        )
    # Only the members the manifest names, each through the "data" filter: nothing outside
    # the folder, no links or devices.
    wanted = {manifest.database_member} | {MEDIA_PREFIX + name for name in manifest.files}
    members = [member for member in tar.getmembers() if member.name in wanted]
    if {member.name for member in members} != wanted:
        raise BackupError("This backup is incomplete: files the manifest lists are missing.")
    tar.extractall(work, members=members, filter="data")
    _restore_database(connection, manifest, work / manifest.database_member)
    for name, checksum in manifest.files.items():
        source = work / MEDIA_PREFIX / name
        if _sha256(source) != checksum:
            raise BackupError(f"{name} in the backup does not match its checksum.")
        target = media_root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return manifest
