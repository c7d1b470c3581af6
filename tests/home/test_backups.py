"""A backup restores into a new database and a new MEDIA_ROOT with every table and every file
as it was, on SQLite and on PostgreSQL; a restore refuses to write over records or files
unless told to (issue 15, finding 9)."""

from __future__ import annotations

import copy
import hashlib
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.utils import load_backend

from home import backups


def _rows(target) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    quote = target.ops.quote_name
    with target.cursor() as cursor:
        tables = sorted(target.introspection.table_names(cursor))
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - a table name
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def _files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "pack-cache" not in path.parts
    }


@pytest.fixture
def committed_demo(transactional_db, demo_council, settings, tmp_path):
    """The demo council committed (pg_dump reads the database from its own session)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_council.restore(media_root=settings.MEDIA_ROOT)
    return demo_council


@pytest.fixture
def new_database(tmp_path):
    """A second, empty database of the same kind, and a connection to it."""
    default = connections.settings["default"]
    settings_dict = copy.deepcopy(default)
    name = f"scrutiny_restore_{uuid.uuid4().hex[:10]}"
    admin = None
    if connection.vendor == "postgresql":
        params = connection.get_connection_params()
        admin = {key: params[key] for key in ("host", "port", "user", "password") if key in params}
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        settings_dict["NAME"] = name
    else:
        settings_dict["NAME"] = str(tmp_path / f"{name}.sqlite3")
    # A connection of its own, under the default alias's name: Django's test case lets a test
    # reach only the aliases it declares, and PostgreSQL's connection set-up looks its alias up.
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    yield wrapper
    wrapper.close()
    if admin is not None:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_every_table_and_file_into_a_new_database(
    committed_demo, new_database, settings, tmp_path
):
    archive = tmp_path / "backups" / "scrutiny.tar.gz"
    source_files = _files(Path(settings.MEDIA_ROOT))
    assert any(name.endswith(".pdf") for name in source_files)  # the demo's papers

    made = backups.backup(archive)

    restored_media = tmp_path / "restored-media"
    restored = backups.restore(archive, database=new_database, media_root=restored_media)

    assert restored == made
    source, copy_ = _rows(connection), _rows(new_database)
    assert set(copy_) == set(source)
    assert sum(len(rows) for rows in source.values()) > 1000
    for table, rows in source.items():
        assert copy_[table] == rows, table
    assert _files(restored_media) == source_files


@pytest.fixture
def small_council(transactional_db, settings, tmp_path):
    """A user and one uploaded file: enough for the refusals."""
    from tests.factories import UserFactory, pdf_bytes

    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "papers").mkdir(parents=True)
    (settings.MEDIA_ROOT / "papers" / "report.pdf").write_bytes(pdf_bytes(1, "report"))
    return UserFactory()


def test_a_restore_refuses_to_write_over_records(small_council, tmp_path):
    archive = tmp_path / "scrutiny.tar.gz"
    backups.backup(archive)
    with pytest.raises(CommandError, match="The database already holds records"):
        call_command("restore", str(archive))


def test_the_backup_command_names_its_archive(small_council, tmp_path):
    from io import StringIO

    out = StringIO()
    call_command("backup", str(tmp_path), stdout=out)
    (archive,) = tmp_path.glob("scrutiny-backup-*.tar.gz")
    assert f"to {archive}" in out.getvalue()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json"
    assert any(name.startswith("media/") and name.endswith(".pdf") for name in names)


def test_a_tampered_backup_is_refused(small_council, new_database, tmp_path):
    archive = tmp_path / "scrutiny.tar.gz"
    manifest = backups.backup(archive)
    tampered = tmp_path / "tampered.tar.gz"
    victim = "media/" + next(iter(manifest.files))
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name == victim:
                content = b"%PDF-1.7 not the original"
                member.size = len(content)
                import io

                data = io.BytesIO(content)
            target.addfile(member, data)
    with pytest.raises(backups.BackupError, match="does not match its checksum"):
        backups.restore(tampered, database=new_database, media_root=tmp_path / "m")


def test_a_file_that_is_not_a_backup_is_refused_clearly(db, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar")
    with pytest.raises(CommandError, match="could not be restored"):
        call_command("restore", str(junk))
