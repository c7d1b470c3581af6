"""Page times at scale: `make bench-pages` (issue 17, point 1; not run by the tests, except
``--quick`` by ``tests/test_bench_pages.py``).

Generates a council of configurable size (``bench/council.py``; by default ten municipal years
and twenty bodies: about 2,100 meetings, 27,000 agenda items, 30,000 papers, 25,000 minutes, 150
inquiries and 2,000 recommendations and parts) into a throw-away PostgreSQL database, builds the
search index, and times each public and staff page type:

- in-process, through Django's test client: the median time, and the queries and bytes of the
  page;
- through gunicorn under production settings (4 sync workers on loopback), with a bounded load
  client of our own (threads, ``http.client``; a fixed number of requests or seconds per
  measurement, whichever comes first; 127.0.0.1 only): p50 and p95 at one client (the median of
  three rounds, every page in each round in turn) and at eight clients at once;

beside the floor, measured the same way in the same run: a page that renders ``base.html``
and asks nothing itself (``bench/urls.py``, in the bench's URLs only). It prints a Markdown
table (and writes it as JSON to ``bench/results/``), then drops the database.

    .venv/bin/python bench/pages.py [--years 10] [--boards 20]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--keep] [--quick]

The numbers the issue gives are targets for this bench, not timed tests. Run it on a quiet
machine: anything else on the same cores shows in every column.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import io
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
HOST = "127.0.0.1"  # the load client talks to loopback only
CSRF_TOKEN = secrets.token_hex(16)  # 32 characters: a CSRF secret Django accepts as it is
VERSION = re.compile(r'name="version" value="(\d+)"')
MISSING = "no URL named "  # a row's path when the code has no such URL name


@dataclass(frozen=True)
class Row:
    """A page as one audience asks for it."""

    page: str
    audience: str  # public, councillor or officer
    path: str
    method: str = "GET"


@dataclass
class Result:
    row: Row
    in_process_ms: float = math.nan
    queries: int = 0
    bytes: int = 0
    one_p50: float = math.nan
    one_p95: float = math.nan
    rounds: list[tuple[float, float]] = field(default_factory=list)
    many_p50: float = math.nan
    many_p95: float = math.nan
    requests: int = 0
    errors: list[str] = field(default_factory=list)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 20 values is the 19th)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# The database. --------------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _server(url: str):
    import psycopg

    connection = psycopg.connect(url, autocommit=True, connect_timeout=5)
    return connection


def create_database(server_url: str, name: str, template: str | None) -> None:
    from psycopg import sql

    with _server(server_url) as connection:
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        connection.execute(statement)


def drop_database(server_url: str, name: str) -> None:
    from psycopg import sql

    with _server(server_url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


# Setting up: settings, schema, the council, the index, the sessions. ----------------------------


def environment(database_url: str, workdir: Path, secret_key: str) -> dict[str, str]:
    """Production settings, as a deployment on one host would have them, on loopback."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SCRUTINY_ENVIRONMENT": "production",
        "DEBUG": "false",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(workdir / "media"),
        "PACK_CACHE_DIR": str(workdir / "pack-cache"),
        "BENCH_STATIC_ROOT": str(workdir / "static"),
        "STORAGE_URL": "file://",
        "CACHE_URL": "locmem://",
        "LOG_LEVEL": "WARNING",
    }


def signed_in(user, role: str):
    """A test client signed in as the user, with the second factor for staff, as a person
    finishing signing in would be (``tests.factories.sign_in`` does the same)."""
    from django.http import HttpRequest
    from django.test import Client
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST=HOST)
    if user is None:
        return client
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        request = HttpRequest()
        request.session = client.session
        request.user = user
        otp_login(request, device)
        request.session.save()
    return client


def rows_for(targets: dict) -> list[Row]:
    """The pages to time, by their URL names; a name the code no longer has makes its row fail
    (reported with the name), not the run."""
    from django.urls import NoReverseMatch, reverse

    from bench.council import COMMON_WORD, RARE_WORD

    def url(name: str, *args: object, query: str = "") -> str:
        try:
            return reverse(name, args=args) + query
        except NoReverseMatch:
            return f"{MISSING}{name}"

    slug = targets["board_slug"]
    search = url("search:search", query=f"?q={COMMON_WORD}")
    rare = url("search:search", query=f"?q={RARE_WORD}")
    board = url("boards:board-detail", slug)
    tracker = url("recommendations:board-tracking", slug)
    meeting = url("boards:meeting-detail", targets["meeting_pk"])
    minutes = url("minutes:minutes-detail", targets["meeting_pk"])
    inquiry = url("inquiries:inquiry-detail", targets["inquiry_slug"])
    console = url("minutes:minutes-console", targets["console_meeting_pk"])
    save = url("minutes:minute-save", targets["console_minute_pks"][0])
    attention = url("recommendations:dashboard")
    home = url("home:home")
    return [
        Row("search: a common word", "public", search),
        Row("search: a common word", "councillor", search),
        Row("search: a rare word", "public", rare),
        Row("search: a rare word", "councillor", rare),
        Row("minutes console", "officer", console),
        Row("console autosave (POST)", "officer", save, method="POST"),
        Row("OParl meeting list (a page)", "public", url("oparl:meeting-list")),
        Row("what needs attention", "officer", attention),
        Row("what needs attention", "councillor", attention),
        Row("board page", "public", board),
        Row("board page", "councillor", board),
        Row("tracker", "public", tracker),
        Row("tracker", "officer", tracker),
        Row("agenda (meeting page)", "public", meeting),
        Row("agenda (meeting page)", "councillor", meeting),
        Row("minutes page", "public", minutes),
        Row("minutes page", "councillor", minutes),
        Row("inquiry page", "public", inquiry),
        Row("inquiry page", "officer", inquiry),
        Row("home", "public", home),
        Row("home", "councillor", home),
        Row("home", "officer", home),
        Row("floor", "public", "/bench/floor/"),
    ]


class Autosave:
    """The console's autosave as a minute-taker's browser sends it: the narrative so far and the
    version the page holds, which each answer moves on. Each client types into its own minute."""

    def __init__(self, minute_pks: list[int]) -> None:
        from minutes.models import Minute

        self.minute_pks = minute_pks
        self.versions = dict(Minute.objects.filter(pk__in=minute_pks).values_list("pk", "version"))
        self.typed = 0
        self.lock = threading.Lock()

    def form(self, client: int) -> tuple[int, dict[str, str]]:
        pk = self.minute_pks[client % len(self.minute_pks)]
        with self.lock:
            self.typed += 1
            typed = self.typed
            version = self.versions[pk]
        narrative = f"The Board considered the report and asked questions ({typed} words typed)."
        return pk, {"version": str(version), "narrative": narrative}

    def answered(self, pk: int, body: bytes) -> None:
        found = VERSION.search(body.decode("utf-8", "replace"))
        if found is None:  # the answer no longer says: ask the database
            from minutes.models import Minute

            version = Minute.objects.values_list("version", flat=True).get(pk=pk)
        else:
            version = int(found[1])
        with self.lock:
            self.versions[pk] = version

    def path(self, pk: int) -> str:
        from django.urls import reverse

        return reverse("minutes:minute-save", args=[pk])


# Timing in-process. ---------------------------------------------------------------------------


def in_process(
    rows: list[Row], clients: dict, autosave: Autosave, count: int, seconds: float, log
) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = {row: Result(row) for row in rows}
    for row in rows:
        client = clients[row.audience]
        result = results[row]
        if row.path.startswith(MISSING):
            result.errors.append(row.path)
            log(f"  {row.page} ({row.audience}): {row.path}")
            continue

        def ask(row=row, client=client):
            if row.method == "POST":
                pk, form = autosave.form(0)
                response = client.post(autosave.path(pk), form, headers={"HX-Request": "true"})
                autosave.answered(pk, response.content)
                return response
            return client.get(row.path)

        times: list[float] = []
        deadline = time.monotonic() + seconds
        try:
            for n in range(count + 2):
                start = time.perf_counter()
                response = ask()
                elapsed = time.perf_counter() - start
                if response.status_code != 200:
                    result.errors.append(f"in-process: HTTP {response.status_code}")
                    break
                if n >= 2:  # two to warm up
                    times.append(elapsed * 1000)
                if len(times) >= 3 and time.monotonic() > deadline:
                    break
            if times and not result.errors:
                with CaptureQueriesContext(connection) as captured:
                    response = ask()
                result.queries = len(captured.captured_queries)
                result.bytes = len(response.content)
                result.in_process_ms = statistics.median(times)
        except Exception as error:  # a page that fails is reported, and the run goes on
            result.errors.append(f"in-process: {type(error).__name__}: {error}")
        log(
            f"  {row.page} ({row.audience}): {result.in_process_ms:.1f} ms, "
            f"{result.queries} queries, {result.bytes / 1024:.1f} KB"
        )
    return results


# Timing through gunicorn. -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """The project's gunicorn (``scrutiny.gunicorn``), as deployed, with the bench's settings."""

    def __init__(self, env: dict[str, str], workers: int, log_path: Path) -> None:
        self.port = _free_port()
        self.log_path = log_path
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "python:scrutiny.gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{self.port}",
            "--no-control-socket",
            "scrutiny.wsgi",
        ]
        self.log = log_path.open("w")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{self.log_path.read_text()[-3000:]}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", "/healthz", headers={"Host": HOST})
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # its own session: the master and workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


@dataclass
class Measurement:
    times: list[float] = field(default_factory=list)  # milliseconds
    errors: list[str] = field(default_factory=list)


def load(
    port: int,
    row: Row,
    cookies: dict[str, str],
    autosave: Autosave,
    *,
    clients: int,
    requests: int,
    seconds: float,
) -> Measurement:
    """``requests`` requests from ``clients`` clients at once, each on its own connection (kept
    alive when the server keeps it), until they are done or ``seconds`` have passed."""
    measurement = Measurement()
    if row.path.startswith(MISSING):
        return measurement  # reported in-process already
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    each = max(1, math.ceil(requests / clients))
    start = threading.Barrier(clients)
    headers = {"Host": HOST}
    if row.audience in cookies:
        headers["Cookie"] = f"{cookies[row.audience]}; csrftoken={CSRF_TOKEN}"

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=120)
        start.wait()
        for _ in range(each):
            if time.monotonic() > deadline:
                break
            path, body, sent, pk = row.path, None, dict(headers), 0
            if row.method == "POST":
                pk, form = autosave.form(index)
                path, body = autosave.path(pk), urlencode(form)
                sent |= {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": CSRF_TOKEN,
                    "HX-Request": "true",
                }
            began = time.perf_counter()
            try:
                connection.request(row.method, path, body=body, headers=sent)
                response = connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                with lock:
                    measurement.errors.append(type(error).__name__)
                continue
            elapsed = (time.perf_counter() - began) * 1000
            if row.method == "POST" and response.status == 200:
                autosave.answered(pk, data)
            with lock:
                if response.status == 200:
                    measurement.times.append(elapsed)
                else:
                    measurement.errors.append(f"HTTP {response.status}")
        connection.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return measurement


# The report. ----------------------------------------------------------------------------------


def _ms(value: float) -> str:
    if math.isnan(value):
        return "–"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def table(results: list[Result], floor: Result) -> str:
    lines = [
        "| page | audience | p50 1 client (ms) | p95 | × floor | p50 8 clients | p95 8 clients "
        "| in-process (ms) | queries | KB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        ratio = result.one_p50 / floor.one_p50 if floor.one_p50 else math.nan
        mark = " ⚠" if result.errors else ""
        lines.append(
            f"| {result.row.page}{mark} | {result.row.audience} | {_ms(result.one_p50)} "
            f"| {_ms(result.one_p95)} | {'–' if math.isnan(ratio) else f'{ratio:.1f}'} "
            f"| {_ms(result.many_p50)} | {_ms(result.many_p95)} | {_ms(result.in_process_ms)} "
            f"| {result.queries} | {result.bytes / 1024:.1f} |"
        )
    return "\n".join(lines)


# The run. -------------------------------------------------------------------------------------


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Page times on a generated council (issue 17): in-process and through "
        "gunicorn at one and eight clients, beside the floor."
    )
    parser.add_argument("--years", type=int, default=None, help="municipal years (default 10)")
    parser.add_argument("--boards", type=int, default=None, help="bodies (default 20)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER),
        help="the PostgreSQL server to make the throw-away database on (its maintenance "
        f"database; default {DEFAULT_SERVER}, or BENCH_DATABASE_URL)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--template",
        help="make the database from this migrated one (CREATE DATABASE … TEMPLATE), to skip "
        "most of the migrations' time",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a small council and few requests, to check the bench itself (well under a minute)",
    )
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default 4)")
    parser.add_argument("--clients", type=int, default=8, help="clients at once (default 8)")
    parser.add_argument(
        "--requests",
        type=int,
        default=None,
        help="requests per page and round at one client (default 20; four times as many at "
        "eight clients)",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=None,
        help="at most this long per page and measurement (default 30)",
    )
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--no-json", action="store_true", help="do not write bench/results/…")
    args = parser.parse_args(argv)
    quick = args.quick
    for name, usual, small in [
        ("years", 10, 1),
        ("boards", 20, 2),
        ("workers", 4, 2),
        ("requests", 20, 2),
        ("seconds", 30.0, 10.0),
    ]:
        if getattr(args, name) is None:
            setattr(args, name, small if quick else usual)
    numbers = ("years", "boards", "workers", "clients", "requests", "seconds")
    if any(getattr(args, name) <= 0 for name in numbers):
        parser.error(
            "--years, --boards, --workers, --clients, --requests and --seconds must be more than 0"
        )
    if urlsplit(args.database_url).scheme not in {"postgres", "postgresql"}:
        parser.error("--database-url must be a PostgreSQL address (postgres://…)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    began = time.monotonic()
    # Stopped from outside: stop gunicorn and drop the database all the same (``finally``).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))

    def log(message: str) -> None:
        print(f"[{time.monotonic() - began:4.0f} s] {message}", file=sys.stderr, flush=True)

    try:
        _server(args.database_url).close()
    except Exception as error:
        log(f"PostgreSQL is not reachable at {args.database_url}: {error}")
        log("Start it, or give another server with --database-url postgres://user@host:port/db.")
        return 2
    name = f"scrutiny_bench_{os.getpid()}"
    database_url = _with_database(args.database_url, name)
    workdir = Path(tempfile.mkdtemp(prefix="scrutiny-bench-"))
    env = environment(database_url, workdir, secrets.token_urlsafe(50))
    os.environ.update(env)
    log(f"Database {name} on {urlsplit(args.database_url).netloc}")
    try:
        create_database(args.database_url, name, args.template)
    except Exception as error:
        log(f"Could not make the database {name}: {error}")
        shutil.rmtree(workdir, ignore_errors=True)
        return 2
    servers: list[Gunicorn] = []
    try:
        import django

        django.setup()
        code = run(args, env, workdir, log, servers)
        log(f"Done in {time.monotonic() - began:.0f} s.")
        return code
    finally:
        for server in servers:
            server.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not have started; the drop forces it anyway
            pass
        if args.keep:
            log(f"Kept the database: {database_url}")
        else:
            drop_database(args.database_url, name)
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, env: dict[str, str], workdir: Path, log, servers: list) -> int:  # noqa: C901
    from django.core.management import call_command, get_commands
    from django.db import connection

    from bench import council

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    migrated = time.monotonic() - started
    call_command("collectstatic", interactive=False, verbosity=0)
    # gunicorn starts its workers meanwhile; they ask nothing of the database until timed.
    server = Gunicorn(env, args.workers, workdir / "gunicorn.log")
    servers.append(server)
    log(f"Migrated in {migrated:.1f} s; generating {args.years} years, {args.boards} bodies…")
    started = time.monotonic()
    summary = council.generate(years=args.years, boards=args.boards, seed=args.seed, log=log)
    generated = time.monotonic() - started
    log(f"Generated in {generated:.1f} s; indexing for search…")
    started = time.monotonic()
    if "reindex_search" in get_commands():
        call_command("reindex_search", stdout=io.StringIO())
    else:
        log("No reindex_search command: the search pages run on whatever index there is.")
    indexed = time.monotonic() - started
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT pg_database_size(current_database())")
        (size,) = cursor.fetchone()
    analysed = time.monotonic() - started
    log(f"Indexed in {indexed:.1f} s, vacuumed and analysed in {analysed:.1f} s.")

    users = summary.users
    clients = {
        "public": signed_in(None, "public"),
        "councillor": signed_in(users["councillor"], "councillor"),
        "officer": signed_in(users["officer"], "officer"),
    }
    from django.conf import settings

    cookies = {
        role: f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        for role, client in clients.items()
        if settings.SESSION_COOKIE_NAME in client.cookies
    }
    rows = rows_for(summary.targets)
    autosave = Autosave(summary.targets["console_minute_pks"])

    log("In-process (Django's test client):")
    results = in_process(rows, clients, autosave, args.requests, args.seconds, log)

    log(f"Through gunicorn ({args.workers} workers, production settings):")
    server.wait(timeout=120)
    # Every worker warm before anything is timed: its templates, URLs and database connection.
    warm = min(args.clients, args.workers)
    for row in rows:
        load(server.port, row, cookies, autosave, clients=warm, requests=warm, seconds=args.seconds)
    for round_number in range(3):
        # Every page in turn, from a different place each round.
        shift = round_number * len(rows) // 3
        for row in rows[shift:] + rows[:shift]:
            measured = load(
                server.port,
                row,
                cookies,
                autosave,
                clients=1,
                requests=args.requests,
                seconds=args.seconds,
            )
            result = results[row]
            result.errors += measured.errors
            if measured.times:
                result.rounds.append(
                    (statistics.median(measured.times), percentile(measured.times, 0.95))
                )
        log(f"  one client, round {round_number + 1} of 3")
    many = max(args.clients, args.requests * 4)
    for row in rows:
        measured = load(
            server.port,
            row,
            cookies,
            autosave,
            clients=args.clients,
            requests=many,
            seconds=args.seconds,
        )
        result = results[row]
        result.errors += measured.errors
        if measured.times:
            result.many_p50 = statistics.median(measured.times)
            result.many_p95 = percentile(measured.times, 0.95)
            result.requests = len(measured.times)
        log(f"  {args.clients} clients: {row.page} ({row.audience})")
    for result in results.values():
        if result.rounds:
            result.one_p50 = statistics.median(p50 for p50, _ in result.rounds)
            result.one_p95 = statistics.median(p95 for _, p95 in result.rounds)

    ordered = [results[row] for row in rows]
    floor = next(r for r in ordered if r.row.page == "floor")
    autosaves = [r for r in ordered if r.row.method == "POST"]
    years = f"{args.years} municipal year{'s' if args.years > 1 else ''}"
    bodies = f"{args.boards} bod{'ies' if args.boards > 1 else 'y'}"
    print(f"\n## Page times: {years}, {bodies} ({datetime.date.today():%-d %B %Y})\n")
    print(table(ordered, floor))
    print()
    for saved in autosaves:
        print(
            f"Console autosave round trip, p95 at {args.clients} clients: {_ms(saved.many_p95)} ms "
            f"(one client: {_ms(saved.one_p95)} ms)."
        )
    print(
        f"The floor (`base.html`, no queries of its own): p50 {_ms(floor.one_p50)} ms at one "
        f"client, {_ms(floor.many_p50)} ms at {args.clients}."
    )
    counts = ", ".join(f"{value:,} {key}" for key, value in summary.counts.items())
    print(f"Council: {counts}.")
    print(
        f"Database {size / 1024 / 1024:.0f} MB on PostgreSQL; migrated in {migrated:.0f} s, "
        f"generated in {generated:.0f} s, search index built in {indexed:.0f} s."
    )
    print(
        f"gunicorn: {args.workers} sync workers, production settings; {args.requests} requests "
        f"per page and round at one client (median of 3 rounds), {many} at "
        f"{args.clients} clients; at most {args.seconds:.0f} s each. Queries and KB in-process."
    )
    failed = [r for r in ordered if r.errors]
    for result in failed:
        shown = sorted(set(result.errors))[:3]
        print(
            f"⚠ {result.row.page} ({result.row.audience}): {len(result.errors)} failed: {', '.join(shown)}"
        )
    if not args.no_json:
        folder = ROOT / "bench" / "results"
        folder.mkdir(exist_ok=True)
        path = folder / f"pages-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
        path.write_text(
            json.dumps(
                {
                    "arguments": {k: v for k, v in vars(args).items() if k != "database_url"},
                    "counts": summary.counts,
                    "database_bytes": size,
                    "seconds": {"migrate": migrated, "generate": generated, "index": indexed},
                    "rows": [{**asdict(r), "row": asdict(r.row)} for r in ordered],
                },
                indent=2,
                default=str,
            )
        )
        log(f"Written to {path.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
