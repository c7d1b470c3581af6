"""Importing an archive (``import_council archive``) refuses what it cannot read back whole,
each time with a clear message and nothing written, no records and no files: a file that is not
a zip, a zip that is not an export, an archive from a newer version, a damaged list or file, an
unsafe file name, and an install that already holds other records. A dry run writes nothing;
records referring to one of their kind come back whatever their order."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from boards.models import Board, Meeting, Paper
from tests.factories import BoardFactory, PaperFactory
from tests.transfer.test_export_round_trip import empty_install, export_to, import_from
from transfer import export
from transfer.models import ImportedRecord, ImportRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(tmp_path, settings) -> Path:
    """A small council's archive (a report with its PDF and an appendix), and a new install
    to import it into, with an empty file storage."""
    paper = PaperFactory(upload=True)
    PaperFactory(agenda_item=paper.agenda_item, parent=paper, kind=Paper.Kind.APPENDIX)
    path = export_to(tmp_path / "council.zip")
    empty_install()
    settings.MEDIA_ROOT = tmp_path / "new-media"
    return path


def rewrite(path: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of the zip with each member as ``change`` gives it (None: left out)."""
    changed = path.with_name("changed.zip")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(changed, "w") as target:
        for name in source.namelist():
            data = change(name, source.read(name))
            if data is not None:
                target.writestr(name, data)
    return changed


def with_manifest(path: Path, edit: Callable[[dict], None]) -> Path:
    def change(name: str, data: bytes) -> bytes:
        if name != export.MANIFEST:
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    return rewrite(path, change)


def refused(path: Path, *, dry_run: bool = False) -> str:
    """The import's output, which must end in refusal."""
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_council", "archive", str(path), stdout=out, dry_run=dry_run)
    return out.getvalue()


def nothing_written(settings) -> None:
    assert not Meeting.objects.exists()
    assert not Paper.objects.exists()
    assert not ImportedRecord.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_the_small_council_comes_back(archive, settings):
    assert "Imported." in import_from(archive)
    assert Paper.objects.count() == 2
    report = Paper.objects.get(parent__isnull=True)
    assert report.file.storage.exists(report.file.name)


def test_a_file_that_is_not_a_zip_is_refused(tmp_path, settings):
    path = tmp_path / "council.zip"
    path.write_bytes(b"Minutes of the meeting")
    assert "This is not a zip file that can be read" in refused(path)
    nothing_written(settings)


def test_a_file_that_is_not_there_is_named(tmp_path):
    assert f"There is no file {tmp_path / 'nowhere.zip'}" in refused(tmp_path / "nowhere.zip")


def test_a_zip_that_is_not_an_export_is_refused(tmp_path, settings):
    path = tmp_path / "papers.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("report.pdf", b"%PDF-1.7")
    assert "no manifest.json: it is not an export of Scrutiny" in refused(path)


def test_an_archive_in_a_newer_format_is_refused(archive, settings):
    newer = with_manifest(archive, lambda m: m.update(formatVersion=2))
    assert "This archive is in format version 2; this install reads version 1" in refused(newer)
    nothing_written(settings)


def test_an_archive_from_a_newer_version_is_refused(archive, settings):
    def future(manifest: dict) -> None:
        manifest["migrations"]["boards"].append("9999_from_the_future")

    output = refused(with_manifest(archive, future))
    assert "made by a newer version of Scrutiny" in output
    assert "boards.9999_from_the_future" in output
    nothing_written(settings)


def test_a_damaged_file_is_refused_and_no_file_is_left_behind(tmp_path, settings):
    first, second = PaperFactory(upload=True), PaperFactory(upload=True)
    path = export_to(tmp_path / "council.zip")
    empty_install()
    settings.MEDIA_ROOT = tmp_path / "new-media"

    def damage(name: str, data: bytes) -> bytes:
        return data + b"%%EOF" if name == f"files/{second.file.name}" else data

    output = refused(rewrite(path, damage))
    assert f"files/{second.file.name} does not match its checksum in the manifest" in output
    # The first paper's file was written before the second's was found damaged: it is gone.
    assert first.pk < second.pk
    nothing_written(settings)


@pytest.mark.parametrize("member", ["files/", "oparl/Paper.json"])
def test_a_zip_damaged_on_the_way_is_refused(archive, settings, member):
    """Bytes changed in the zip itself (a disk, a download): its own checks find them."""
    with zipfile.ZipFile(archive) as zf:
        info = next(i for i in zf.infolist() if i.filename.startswith(member))
    data = bytearray(archive.read_bytes())
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle] ^= 0xFF
    archive.write_bytes(bytes(data))
    assert "The zip is damaged and cannot be read to the end" in refused(archive)
    nothing_written(settings)


def test_a_file_missing_where_it_came_from_stays_missing(tmp_path, settings):
    paper = PaperFactory(upload=True)
    paper.file.storage.delete(paper.file.name)
    path = export_to(tmp_path / "council.zip")
    empty_install()
    settings.MEDIA_ROOT = tmp_path / "new-media"
    assert "Imported." in import_from(path)
    assert Paper.objects.get().file.name == paper.file.name


def test_a_damaged_list_is_refused(archive, settings):
    def damage(name: str, data: bytes) -> bytes:
        if name != "oparl/Meeting.json":
            return data
        lines = data.decode().splitlines()
        lines[1] = lines[1][:40]
        return "\n".join(lines).encode()

    assert "oparl/Meeting.json line 2 is not JSON as an export writes it" in refused(
        rewrite(archive, damage)
    )
    nothing_written(settings)


def test_a_list_missing_a_record_is_refused(archive, settings):
    def drop(name: str, data: bytes) -> bytes:
        if name != "oparl/Paper.json":
            return data
        lines = data.decode().splitlines()
        return "\n".join([lines[0], lines[1].rstrip(","), lines[-1]]).encode()

    output = refused(rewrite(archive, drop))
    assert "The manifest says 2 records, the file holds 1: it is incomplete" in output
    nothing_written(settings)


def test_a_record_with_a_field_this_install_lacks_is_refused(archive, settings):
    def add(name: str, data: bytes) -> bytes:
        if name != "oparl/Organization.json":
            return data
        return data.replace(b'"remit":', b'"colour_of_the_door": "red", "remit":')

    output = refused(rewrite(archive, add))
    assert "The archive has a field boards.board.colour_of_the_door this install does not" in output


def test_an_unsafe_file_name_is_refused(archive, settings):
    def escape(manifest: dict) -> None:
        manifest["files"][0]["name"] = "../../settings.py"

    assert "The archive names a file unsafely: '../../settings.py'" in refused(
        with_manifest(archive, escape)
    )
    nothing_written(settings)


def test_an_install_holding_other_records_is_refused(tmp_path, settings):
    PaperFactory(upload=True)
    path = export_to(tmp_path / "council.zip")
    Meeting.objects.update(status_reason="Changed here")
    output = refused(path)
    assert (
        "This install already holds 1 of the archive's meetings (by id: "
        f"{Meeting.objects.get().pk}) that did not come from this archive."
    ) in output
    assert "Import an archive only into an empty install." in output
    assert Meeting.objects.get().status_reason == "Changed here"
    assert not ImportedRecord.objects.exists()


def test_a_dry_run_checks_everything_and_writes_nothing(archive, settings):
    out = io.StringIO()
    call_command("import_council", "archive", str(archive), dry_run=True, stdout=out)
    assert "Dry run: nothing was written." in out.getvalue()
    assert "paper: 2 created" in out.getvalue()
    nothing_written(settings)
    assert ImportRun.objects.get().status == ImportRun.Status.DONE


def test_a_body_comes_back_after_the_body_that_succeeded_it(tmp_path, settings):
    """Records refer to others of their kind in any order: a dissolved board names its
    successor, made after it."""
    old = BoardFactory(name="Scrutiny Board (Resources)")
    new = BoardFactory(name="Scrutiny Board (Strategy and Resources)")
    Board.objects.filter(pk=old.pk).update(successor=new)
    path = export_to(tmp_path / "council.zip")
    empty_install()
    assert "Imported." in import_from(path)
    assert Board.objects.get(pk=old.pk).successor_id == new.pk
