"""The full export (``manage.py export_council``): OParl JSON meeting OParl's schemas, each
object with its record; every stored file with its checksum; exempt content in, secrets never;
every domain model exported or left out with a reason; the council warned it is not for
publication; and a council twice the size costs no more queries (records are streamed)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_SECRET
from boards.models import AgendaItem, Paper
from boards.roles import Role
from tests import test_architecture
from tests.factories import MembershipFactory, PaperFactory, UserFactory
from tests.opendata.test_oparl import type_name, validate
from tests.transfer.test_export_round_trip import export_to
from transfer import export, export_oparl
from transfer.management.commands.export_council import Command

pytestmark = pytest.mark.django_db


def contents(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_every_oparl_object_meets_its_schema_and_carries_its_record(demo, tmp_path):
    files = contents(export_to(tmp_path / "council.zip"))
    found = {}
    for name in sorted(n for n in files if n.startswith("oparl/")):
        oparl_type = Path(name).stem
        objects = json.loads(files[name])
        found[oparl_type] = len(objects)
        for obj in objects:
            assert type_name(obj) == oparl_type
            queue = [obj]
            while queue:
                queue.extend(validate(queue.pop()))
            if oparl_type in export_oparl.TYPE_OF.values():
                record = obj[export.RECORD]
                assert export_oparl.TYPE_OF[record["model"]] == oparl_type
                assert obj["id"].endswith(f"/{record['pk']}/")
    assert set(found) == set(export_oparl.TYPES)
    assert all(found.values()), found


def test_a_record_holds_every_field_exempt_content_included(demo, tmp_path):
    exempt = Paper.objects.filter(exempt=True).exclude(summary="").first()
    assert exempt is not None, "the demo has an exempt report with its summary"
    files = contents(export_to(tmp_path / "council.zip"))
    papers = {obj[export.RECORD]["pk"]: obj for obj in json.loads(files["oparl/Paper.json"])}
    fields = papers[exempt.pk][export.RECORD]["fields"]
    assert fields["summary"] == exempt.summary
    assert fields["exempt_paragraph"] == exempt.exempt_paragraph
    assert fields["agenda_item"] == exempt.agenda_item_id
    assert set(fields) == {f.name for f in Paper._meta.concrete_fields if not f.primary_key}
    item = AgendaItem.objects.filter(wards__isnull=False).first()
    assert item is not None
    items = {obj[export.RECORD]["pk"]: obj for obj in json.loads(files["oparl/AgendaItem.json"])}
    assert items[item.pk][export.RECORD]["fields"]["wards"] == sorted(
        item.wards.values_list("pk", flat=True)
    )


def test_every_stored_file_is_in_the_archive_with_its_checksum(demo, tmp_path):
    files = contents(export_to(tmp_path / "council.zip"))
    manifest = json.loads(files[export.MANIFEST])
    names = set(Paper.objects.exclude(file="").values_list("file", flat=True))
    assert {entry["name"] for entry in manifest["files"]} == names
    for entry in manifest["files"]:
        data = files[entry["path"]]
        assert entry["path"] == f"files/{entry['name']}"
        assert (len(data), hashlib.sha512(data).hexdigest()) == (entry["size"], entry["sha512"])
    oparl_files = json.loads(files["oparl/File.json"])
    assert {f["scrutiny:path"]: f["sha512Checksum"] for f in oparl_files} == {
        entry["path"]: entry["sha512"] for entry in manifest["files"]
    }
    assert not any(name.startswith(("packs/", "files/packs/")) for name in files)


def test_no_password_session_or_second_factor_leaves(demo, tmp_path):
    user = User.objects.get(username="clerk")
    Client().force_login(user)
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes")
    StaticToken.objects.create(device=recovery, token="rcv8k3q9")
    secrets = [
        DEMO_SECRET,
        *User.objects.values_list("password", flat=True),
        *TOTPDevice.objects.values_list("key", flat=True),
        *StaticToken.objects.values_list("token", flat=True),
        *Session.objects.values_list("session_key", flat=True),
    ]
    assert len(secrets) >= 8
    everything = b"".join(contents(export_to(tmp_path / "council.zip")).values())
    for secret in secrets:
        assert secret.encode() not in everything
    accounts = json.loads(contents(tmp_path / "council.zip")["scrutiny/auth.user.json"])
    assert {tuple(sorted(a[export.RECORD]["fields"])) for a in accounts} == {
        tuple(sorted([*export.USER_FIELDS, "groups"]))
    }


def test_every_domain_model_is_exported_or_left_out_with_a_reason(tmp_path):
    assert tuple(test_architecture.DOMAIN) == export.DOMAIN_APPS
    manifest = json.loads(contents(export_to(tmp_path / "empty.zip"))[export.MANIFEST])
    exported = {entry["model"] for entry in manifest["records"]}
    for app in export.RECORD_APPS:
        for model in apps.get_app_config(app).get_models():
            label = export.label(model)
            assert label in exported or export.LEFT_OUT.get(label), (
                f"{label} is neither exported nor left out with a reason (transfer.export)"
            )
    assert all(reason.strip() for reason in export.LEFT_OUT.values())
    assert exported - {export.label(m) for m in export.domain_models()} == {export.USERS}


def test_the_export_says_it_is_not_for_publication(tmp_path):
    assert "NOT FOR PUBLICATION" in Command.help
    out = io.StringIO()
    call_command("export_council", str(tmp_path / "council.zip"), stdout=out)
    files = contents(tmp_path / "council.zip")
    assert "Not for publication" in out.getvalue()
    assert files[export.README].decode().count("NOT FOR PUBLICATION") == 1
    assert json.loads(files[export.MANIFEST])["notice"] == export.NOTICE


def test_an_existing_zip_is_kept_unless_forced(tmp_path):
    existing = tmp_path / "council.zip"
    existing.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="exists already"):
        call_command("export_council", str(existing), stdout=io.StringIO())
    assert existing.read_bytes() == b"keep me"
    call_command("export_council", str(existing), force=True, stdout=io.StringIO())
    assert zipfile.is_zipfile(existing)
    assert not (tmp_path / "council.zip.partial").exists()


def test_a_file_missing_from_storage_is_listed_and_the_export_goes_on(tmp_path):
    paper = PaperFactory(upload=True)
    paper.file.storage.delete(paper.file.name)
    err = io.StringIO()
    call_command("export_council", str(tmp_path / "council.zip"), stdout=io.StringIO(), stderr=err)
    manifest = json.loads(contents(tmp_path / "council.zip")[export.MANIFEST])
    assert manifest["missingFiles"] == [
        {"name": paper.file.name, "model": "boards.paper", "pk": paper.pk, "field": "file"}
    ]
    assert "were not in the file storage" in err.getvalue()


def _council(size: int) -> None:
    for _ in range(size):
        paper = PaperFactory(upload=True)
        PaperFactory(agenda_item=paper.agenda_item, parent=paper, kind=Paper.Kind.APPENDIX)
        MembershipFactory(board=paper.agenda_item.meeting.board)
        UserFactory(roles=[Role.CLERK])


def _queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        export.export_council(io.BytesIO(), site_url="http://testserver")
    return len(queries)


def test_a_council_twice_the_size_costs_no_more_queries():
    _council(3)
    small = _queries()
    _council(3)
    assert _queries() == small
