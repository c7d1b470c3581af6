"""Two hosts behind one load balancer (issue 18, point 5), on loopback: two gunicorns and two task
workers, each host with its own MEDIA_ROOT and pack cache as separate machines would have, one
database (the test's) and one object store (Azurite, Microsoft's Azure Storage emulator, started
here from `.ci/azurite`). A paper uploaded through one host downloads through the other; the same
pack asked for through both at once is built once; a worker killed part-way through a build has
its task finished by the other worker, and the pack is served by both hosts."""

from __future__ import annotations

import datetime
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from django.conf import settings as project_settings
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from boards import services
from boards.models import AgendaItem, Paper, ReportSection
from packs.models import AgendaPack, Worker
from tests.conftest import DUMMY_TASKS
from tests.factories import MeetingFactory, pdf_bytes, sign_in

pytestmark = [pytest.mark.hosts, pytest.mark.django_db(transaction=True)]

ROOT = Path(project_settings.BASE_DIR)
AZURITE = ROOT / ".ci" / "azurite" / "node_modules" / ".bin" / "azurite-blob"
# Azurite's well-known development account (published in Microsoft's documentation).
ACCOUNT = "devstoreaccount1"
ACCOUNT_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
CONTAINER = "scrutiny"
REPORTS_IN_THE_SLOW_PACK = 24


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until[T](condition: Callable[[], T], *, timeout: float, what: str) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"Gave up after {timeout} s waiting for {what}")


@pytest.fixture
def object_store(tmp_path) -> Iterator[str]:
    """Azurite's blob service on a free loopback port; its connection string."""
    if not AZURITE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Azurite is not installed: `make test` installs it with npm (.ci/azurite).")
        pytest.skip("Azurite is not installed (npm ci --prefix .ci/azurite)")
    port = _free_port()
    log = (tmp_path / "azurite.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - the emulator we install, with our own arguments
        [
            str(AZURITE),
            "--blobHost",
            "127.0.0.1",
            "--blobPort",
            str(port),
            "--location",
            str(tmp_path / "azurite"),
            "--skipApiVersionCheck",
            "--loose",
            "--silent",
        ],
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    connection_string = (
        f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
        f"BlobEndpoint=http://127.0.0.1:{port}/{ACCOUNT};"
    )
    try:
        from azure.storage.blob import BlobServiceClient

        def created() -> bool:
            try:
                BlobServiceClient.from_connection_string(connection_string).create_container(
                    CONTAINER
                )
            except Exception:
                assert process.poll() is None, (tmp_path / "azurite.log").read_text()
                return False
            return True

        wait_until(created, timeout=30, what="Azurite to start")
        yield connection_string
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # a throw-away emulator: nothing to keep
        process.wait(timeout=20)


@dataclass
class Council:
    """What the hosts serve, made here in the test's database."""

    session: str
    item: AgendaItem
    meeting_id: int
    slow_meeting_id: int


def _written_report(item: AgendaItem, number: int) -> None:
    report = services.paper_write(
        paper=Paper(
            agenda_item=item,
            title=f"Report {number}",
            summary="The service's performance over the year. " * 20,
            recommendations="The board is asked to note the report.",
        )
    )
    for section in range(1, 4):
        ReportSection.objects.create(
            paper=report,
            number=section,
            heading=f"Section {section}",
            body="\n\n".join(f"Paragraph {p} of section {section}. " * 12 for p in range(6)),
        )


@pytest.fixture
def council(settings, board, clerk) -> Council:
    settings.TASKS = DUMMY_TASKS  # the hosts' workers build what the hosts queue, nothing else
    client = sign_in(Client(), clerk)
    soon = timezone.now() + datetime.timedelta(days=14)
    meeting = MeetingFactory(board=board, starts_at=soon)
    item = services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Budget monitoring"))
    slow = MeetingFactory(board=board, starts_at=soon + datetime.timedelta(days=7))
    for number in range(1, REPORTS_IN_THE_SLOW_PACK + 1):
        _written_report(
            services.agenda_item_add(meeting=slow, item=AgendaItem(title=f"Inquiry {number}")),
            number,
        )
    services.agenda_publish(meeting=slow, by=clerk)
    return Council(
        session=client.cookies[project_settings.SESSION_COOKIE_NAME].value,
        item=item,
        meeting_id=meeting.pk,
        slow_meeting_id=slow.pk,
    )


@dataclass
class Database:
    """The test's database as other processes open it, and queries of it from here."""

    url: str
    path: Path | None = None

    def rows(self, sql: str, params: list) -> list[tuple]:
        if self.path is None:
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchall()
        with sqlite3.connect(self.path, timeout=20) as database:
            found = database.execute(sql, params).fetchall()
        database.close()
        return found

    def pack(self, meeting_id: int) -> dict:
        table = AgendaPack._meta.db_table
        found = self.rows(
            f"SELECT id, status, file, fingerprint, error FROM {table} "  # noqa: S608
            "WHERE meeting_id = ? AND edition = 'members'",
            [meeting_id],
        )
        if not found:
            return {}
        return dict(zip(["id", "status", "file", "fingerprint", "error"], found[0], strict=True))

    def worker_pid(self, worker_id: str) -> int | None:
        found = self.rows(
            f"SELECT pid FROM {Worker._meta.db_table} WHERE id = ?",  # noqa: S608
            [worker_id],
        )
        return found[0][0] if found else None

    def builds(self, pack_id: int) -> list[tuple[str, list[str]]]:
        """The build tasks queued for the pack: each one's status and the workers that ran it."""
        table = DBTaskResult._meta.db_table
        found = self.rows(
            f"SELECT status, worker_ids, args_kwargs FROM {table} "  # noqa: S608
            "WHERE task_path = ?",
            ["packs.tasks.build_agenda_pack"],
        )
        builds = []
        for status, worker_ids, args_kwargs in found:
            arguments = json.loads(args_kwargs) if isinstance(args_kwargs, str) else args_kwargs
            if arguments["args"] == [pack_id]:
                ids = json.loads(worker_ids) if isinstance(worker_ids, str) else worker_ids
                builds.append((status, ids))
        return builds


@pytest.fixture
def database(council, tmp_path) -> Database:
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
        host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        return Database(url=f"postgres://{auth}@{host}/{params['NAME']}")
    # SQLite's test database is in memory: the hosts share a copy of it in a file.
    path = tmp_path / "hosts.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    return Database(url=f"sqlite:///{path}", path=path)


@dataclass
class Host:
    name: str
    port: int
    environment: dict[str, str]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, role: str, command: list[str], log: Path) -> subprocess.Popen:
        output = log.open("w")
        self.processes[role] = subprocess.Popen(  # noqa: S603 - our own app, our own arguments
            command,
            cwd=ROOT,
            env=self.environment,
            stdout=output,
            stderr=output,
            start_new_session=True,  # its own process group: a kill takes its render processes
        )
        return self.processes[role]

    def kill(self, role: str) -> None:
        process = self.processes[role]
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for role, process in self.processes.items():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill(role)


@pytest.fixture
def hosts(database, object_store, tmp_path) -> Iterator[tuple[Host, Host]]:
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TASKS_BACKEND", "DEBUG", "DATABASE_URL", "MEDIA_ROOT"}
    }
    made = []
    for name in ("a", "b"):
        folder = tmp_path / f"host-{name}"
        environment = base | {
            "DATABASE_URL": database.url,
            "SECRET_KEY": project_settings.SECRET_KEY,
            "STORAGE_URL": f"azure://{CONTAINER}",
            "AZURE_CONNECTION_STRING": object_store,
            "MEDIA_ROOT": str(folder / "media"),
            "PACK_CACHE_DIR": str(folder / "pack-cache"),
            "PACK_INLINE_MAX_PAGES": "0",
            "PACK_RENDER_PROCESSES": "1",
            # Each worker leads a session of its own, and would lower its session's scheduling
            # group below the other tests running beside this one (packs.priority): here there
            # is no site to yield to, only deadlines.
            "PACK_RENDER_NICENESS": "0",
            "WORKER_HEARTBEAT_SECONDS": "0.3",
            "WORKER_LEASE_SECONDS": "2",
        }
        made.append(Host(name=name, port=_free_port(), environment=environment))
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    worker = [sys.executable, "manage.py", "worker", "--queue-name", "*", "--no-reload"]
    worker += ["--no-startup-delay", "--interval", "0.2", "--verbosity", "0"]
    try:
        for host in made:
            host.start(
                "web",
                [gunicorn, "-c", "python:scrutiny.gunicorn", "--bind", f"127.0.0.1:{host.port}"]
                + ["--workers", "2", "--threads", "2", "--no-control-socket", "scrutiny.wsgi"],
                tmp_path / f"web-{host.name}.log",
            )
            host.start("worker", worker, tmp_path / f"worker-{host.name}.log")
        for host in made:
            wait_until(
                lambda host=host: _answers(host), timeout=60, what=f"host {host.name} to serve"
            )
        yield made[0], made[1]
    finally:
        for host in made:
            host.stop()


def _answers(host: Host) -> bool:
    for process in host.processes.values():
        assert process.poll() is None, f"a process of host {host.name} stopped"
    try:
        return requests.get(f"{host.url}/healthz", timeout=5).text == "ok"
    except (requests.ConnectionError, requests.Timeout):
        # Not serving yet: a worker still starting on a busy machine may take longer than the
        # question's own timeout to answer it; asked again until the host's deadline.
        return False


def _signed_in(host: Host, council: Council) -> requests.Session:
    session = requests.Session()
    session.cookies.set(project_settings.SESSION_COOKIE_NAME, council.session, domain="127.0.0.1")
    session.headers["Host"] = "127.0.0.1"
    return session


def test_two_hosts_share_files_and_builds_and_cover_for_each_other(hosts, council, database):
    a, b = hosts

    # A paper uploaded through host A downloads, byte for byte, through host B.
    on_a, on_b = _signed_in(a, council), _signed_in(b, council)
    form_url = f"{a.url}/items/{council.item.pk}/papers/upload/"
    form = on_a.get(form_url, timeout=30)
    assert form.status_code == 200, form.text[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token, "the upload form carries its CSRF token"
    paper_bytes = pdf_bytes(3, "uploaded-through-host-a")
    uploaded = on_a.post(
        form_url,
        data={"csrfmiddlewaretoken": token[1], "kind": "report", "title": "Budget report"},
        files={"file": ("budget.pdf", paper_bytes, "application/pdf")},
        headers={"Referer": form_url},
        allow_redirects=False,
        timeout=60,
    )
    assert uploaded.status_code == 302, uploaded.text[:2000]
    editor = on_b.get(f"{b.url}/meetings/{council.meeting_id}/", timeout=30)
    assert editor.status_code == 200
    paper_ids = sorted(set(re.findall(r"/papers/(\d+)/download/", editor.text)))
    assert paper_ids, "host B lists the paper uploaded through host A"
    downloaded = on_b.get(f"{b.url}/papers/{paper_ids[-1]}/download/", timeout=30)
    assert downloaded.status_code == 200
    stored = downloaded.content
    assert stored[:5] == b"%PDF-" and b"uploaded-through-host-a" in _text_of(stored)

    # Published through host B, with the paper uploaded through A.
    publish_url = f"{b.url}/meetings/{council.meeting_id}/publish/"
    publish = on_b.get(publish_url, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', publish.text)
    assert publish.status_code == 200 and token
    published = on_b.post(
        publish_url,
        data={"csrfmiddlewaretoken": token[1], "late_reason": ""},
        headers={"Referer": publish_url},
        allow_redirects=False,
        timeout=60,
    )
    assert published.status_code == 302, published.text[:2000]

    # The same pack, asked for through both hosts at once, is built once.
    pack_path = f"/meetings/{council.meeting_id}/pack/members.pdf"
    answers: list[int] = []

    def ask(session: requests.Session, host: Host) -> None:
        answers.append(
            session.get(host.url + pack_path, timeout=60, allow_redirects=False).status_code
        )

    askers = [threading.Thread(target=ask, args=pair) for pair in [(on_a, a), (on_b, b)] * 2]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    assert len(answers) == 4
    pack = wait_until(
        lambda: (found := database.pack(council.meeting_id)).get("status") == "ready" and found,
        timeout=90,
        what="the pack to be built",
    )
    builds = database.builds(pack["id"])
    assert len(builds) == 1 and builds[0][0] == "SUCCESSFUL", builds
    from_a = on_a.get(a.url + pack_path, timeout=60)
    from_b = on_b.get(b.url + pack_path, timeout=60)
    assert from_a.status_code == from_b.status_code == 200
    assert from_a.content == from_b.content
    assert b"uploaded-through-host-a" in _text_of(from_b.content)

    # A worker killed part-way through a build: the other finishes it.
    slow_path = f"/meetings/{council.slow_meeting_id}/pack/members.pdf"
    on_a.get(a.url + slow_path, timeout=60, allow_redirects=False)
    slow = wait_until(
        lambda: (
            (found := database.pack(council.slow_meeting_id)).get("status") == "building" and found
        ),
        timeout=60,
        what="a worker to start building the slow pack",
    )
    (status, first_workers) = wait_until(
        lambda: (runs := database.builds(slow["id"])) and runs[0][1] and runs[0],
        timeout=30,
        what="the build's task to record its worker",
    )
    assert status == "RUNNING"
    builder_pid = database.worker_pid(first_workers[0])
    builder = next(host for host in hosts if host.processes["worker"].pid == builder_pid)
    other = b if builder is a else a
    builder.kill("worker")
    assert database.pack(council.slow_meeting_id)["status"] == "building", (
        "the build was still under way when its worker was killed"
    )
    finished = wait_until(
        lambda: (
            (found := database.pack(council.slow_meeting_id)).get("status") == "ready" and found
        ),
        timeout=180,
        what="the other worker to finish the build",
    )
    runs = database.builds(finished["id"])
    assert len(runs) == 1, runs
    status, workers = runs[0]
    assert status == "SUCCESSFUL" and workers[0] == first_workers[0] and len(workers) == 2
    assert database.worker_pid(workers[1]) == other.processes["worker"].pid
    served = _signed_in(builder, council).get(builder.url + slow_path, timeout=60)
    assert served.status_code == 200
    assert b"Report 24" in _text_of(served.content)


def _text_of(pdf: bytes) -> bytes:
    import io

    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).encode()
