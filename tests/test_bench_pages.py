"""`make bench-pages` at its smallest (issue 17, point 1): ``bench/pages.py --quick`` makes a
throw-away database on the PostgreSQL the tests use (or the one on 127.0.0.1:5432), generates a
small council, times every page type in-process and through gunicorn at one and eight clients
beside the floor, prints the table with a number in every cell, and drops the database.

On SQLite with no PostgreSQL to hand it is skipped; under CI=true a skip counts as a failure
(``tests/conftest.py``)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The page types issue 17 asks the bench for, and the floor.
PAGES = {
    "search: a common word",
    "search: a rare word",
    "minutes console",
    "console autosave (POST)",
    "OParl meeting list (a page)",
    "what needs attention",
    "board page",
    "tracker",
    "agenda (meeting page)",
    "minutes page",
    "inquiry page",
    "home",
    "floor",
}


def _postgresql_server() -> str:
    """The server to make the bench's database on: DATABASE_URL's when it is PostgreSQL (its
    maintenance database), else the one on 127.0.0.1:5432 if it answers."""
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    if url.scheme in {"postgres", "postgresql"}:
        return urlunsplit(url._replace(path="/postgres"))
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError:
        pytest.skip("DATABASE_URL is not PostgreSQL and nothing answers on 127.0.0.1:5432")
    return "postgres://postgres@127.0.0.1:5432/postgres"


def _table(output: str) -> list[list[str]]:
    """The rows of the Markdown table printed: each a list of its cells."""
    rows = []
    for line in output.splitlines():
        if line.startswith("| ") and not line.startswith(("| page ", "| ---")):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def test_bench_pages_quick_prints_a_number_for_every_page_and_audience():
    server = _postgresql_server()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    bench = subprocess.Popen(  # noqa: S603 - the project's own bench, with fixed arguments
        [sys.executable, "bench/pages.py", "--quick", "--no-json", "--database-url", server],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stdout, stderr = bench.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        bench.terminate()  # it stops its gunicorn and drops its database on SIGTERM
        stdout, stderr = bench.communicate(timeout=60)
        pytest.fail(f"bench/pages.py --quick took over ten minutes:\n{stderr[-5000:]}")
    finished = subprocess.CompletedProcess(bench.args, bench.returncode, stdout, stderr)
    assert finished.returncode == 0, finished.stdout + finished.stderr[-5000:]

    rows = _table(finished.stdout)
    assert {row[0] for row in rows} == PAGES, finished.stdout
    audiences = {(row[0], row[1]) for row in rows}
    assert ("search: a common word", "councillor") in audiences
    assert ("minutes console", "officer") in audiences
    for row in rows:
        # page, audience, then p50 and p95 at one client, × floor, p50 and p95 at eight
        # clients, in-process ms, queries and KB: every one a number.
        assert len(row) == 10, row
        for cell in row[2:]:
            float(cell)
    assert "Console autosave round trip, p95 at 8 clients:" in finished.stdout
    # The throw-away database is gone.
    import psycopg

    name = re.search(r"Database (scrutiny_bench_\d+) on", finished.stderr)
    assert name, finished.stderr
    with psycopg.connect(server) as connection:
        left = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name[1]])
        assert left.fetchone() is None
