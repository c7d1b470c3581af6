"""Does a pack being built starve the site? (not run by the tests)

Serves the site with gunicorn on 127.0.0.1, loads its home page from eight clients at once, and
reports requests a second: alone, and while a ~400-page agenda pack (bench/pdf.py's) is built
cold the way the task worker builds it (in a session of its own, as a service manager starts it;
its priority lowered, its render processes started) with
today's settings, and with the settings before issue 17 (render processes at the site's own
priority, one per core). Each build's time is reported too, and a build's time alone. The
phases alternate (load alone, build as today, load alone, build as before, …) for --rounds
rounds, and each build's throughput is compared with the load alone measured next to it, so
that a machine whose load drifts (other work, warming up) skews both alike.

    .venv/bin/python bench/pack_contention.py [--pages 400] [--clients 8] [--workers N]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import pdf as bench_pdf  # noqa: E402  (bench/ is not a package on the path)

PORT = 8765


def _env(workdir: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PACK_", "DJANGO_", "DEBUG"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="scrutiny.settings",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore",
        TASKS_BACKEND="immediate",
        **extra,
    )
    return env


def _serve(workdir: Path, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "python:scrutiny.gunicorn",
            "scrutiny.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=_env(workdir),
        start_new_session=True,
    )
    for _ in range(200):
        try:
            if _get("/") == 200:
                return server
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def _get(path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _load(clients: int, until: threading.Event) -> tuple[int, float]:
    """Requests answered 200 by ``clients`` threads asking for the home page until ``until``."""
    counts = [0] * clients

    def client(index: int) -> None:
        while not until.is_set():
            if _get("/") == 200:
                counts[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts), time.perf_counter() - started


def _throughput(clients: int, seconds: float) -> float:
    until = threading.Event()
    threading.Timer(seconds, until.set).start()
    answered, elapsed = _load(clients, until)
    return answered / elapsed


def _build(workdir: Path, meeting_id: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - this script, fixed arguments
        [sys.executable, __file__, "--child", str(meeting_id), str(workdir)],
        cwd=ROOT,
        env={**_env(workdir), **env, "PACK_CACHE_DIR": tempfile.mkdtemp(dir=workdir)},
        stdout=subprocess.PIPE,
        text=True,
        # A session of its own, as a service manager starts the worker (and as the server has):
        # on Linux each session is a scheduling group of its own (packs.priority).
        start_new_session=True,
    )


def _during_build(workdir: Path, meeting_id: int, clients: int, env: dict[str, str]):
    """Throughput while a cold build runs (from when its render processes are up to its end),
    and the build's own time."""
    build = _build(workdir, meeting_id, env)
    assert build.stdout is not None
    assert build.stdout.readline().strip() == "building"
    until = threading.Event()
    result: dict = {}

    def wait() -> None:
        assert build.stdout is not None
        result.update(json.loads(build.stdout.readline()))
        build.wait()
        until.set()

    threading.Thread(target=wait).start()
    answered, elapsed = _load(clients, until)
    return answered / elapsed, result


def child(meeting_id: int, workdir: Path) -> None:
    """What `manage.py worker` does for a pack: lower its priority, start its render
    processes, build."""
    bench_pdf._setup_django(workdir)
    from boards.models import Meeting
    from packs import priority
    from packs import services as packs
    from packs.models import AgendaPack

    packs.lower_priority()
    packs.start_render_processes()
    AgendaPack.objects.filter(meeting_id=meeting_id).delete()
    pack = AgendaPack.objects.create(meeting=Meeting.objects.get(pk=meeting_id), edition="public")
    print("building", flush=True)
    started = time.perf_counter()
    packs.build(pack)
    seconds = time.perf_counter() - started
    from django.conf import settings

    print(
        json.dumps(
            {
                "seconds": seconds,
                "pages": pack.page_count,
                "processes": settings.PACK_RENDER_PROCESSES,
                "niceness": os.getpriority(os.PRIO_PROCESS, 0),
                "group_niceness": priority.session_group_niceness(),
            }
        ),
        flush=True,
    )
    if packs._pool is not None:
        packs._pool.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    cores = len(os.sched_getaffinity(0))
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help="gunicorn's")
    parser.add_argument("--seconds", type=float, default=15, help="of each load alone")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), Path(args.child[1]))
        return

    workdir = Path(tempfile.mkdtemp(prefix="scrutiny-contention-"))
    os.environ.update(_env(workdir))
    bench_pdf._setup_django(workdir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    logging.disable(logging.WARNING)  # the demo's e-mails and tasks
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):  # noqa: PTH123
        call_command("load_demo", verbosity=0)
        meeting_id = bench_pdf.generate(args.pages).pk
    logging.disable(logging.NOTSET)

    alone = _build(workdir, meeting_id, {})
    assert alone.stdout is not None
    alone.stdout.readline()
    alone_result = json.loads(alone.stdout.readline())
    alone.wait()

    server = _serve(workdir, args.workers)
    ways = {
        "today": {},
        "today, a process a core": {"PACK_RENDER_PROCESSES": str(cores)},
        "before": {"PACK_RENDER_NICENESS": "0", "PACK_RENDER_PROCESSES": str(cores)},
    }
    alone_rates: list[float] = []
    # Each build's throughput, where the load alone just before it stands in alone_rates, and
    # what the build said.
    during: dict[str, list[tuple[float, int, dict]]] = {way: [] for way in ways}
    try:
        _throughput(args.clients, args.seconds)  # every worker warmed up
        for _round in range(args.rounds):
            for way, env in ways.items():
                alone_rates.append(_throughput(args.clients, args.seconds))
                rate, build = _during_build(workdir, meeting_id, args.clients, env)
                during[way].append((rate, len(alone_rates) - 1, build))
        alone_rates.append(_throughput(args.clients, args.seconds))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()

    print(
        f"Home page throughput at {args.clients} clients, gunicorn with {args.workers} workers "
        f"on {cores} cores; a {alone_result['pages']}-page pack built cold; {args.rounds} "
        f"rounds\n(data in {workdir})\n"
    )
    print(f"{'':90} {'req/s':>7} {'vs alone':>9} {'build s':>8}")
    mean = sum(alone_rates) / len(alone_rates)
    print(f"{'no build':90} {mean:7.1f}")
    print(f"{'':90} (each: {_list(alone_rates)})")
    for way, runs in during.items():
        build = runs[0][2]
        label = (
            f"building as {way} (nice {build['niceness']}, its session's group "
            f"{build['group_niceness']}, {build['processes']} processes)"
        )
        # Each build against the load alone measured just before it and just after.
        changes = [
            rate / ((alone_rates[before] + alone_rates[before + 1]) / 2) - 1
            for rate, before, _said in runs
        ]
        rate = sum(run[0] for run in runs) / len(runs)
        seconds = sum(run[2]["seconds"] for run in runs) / len(runs)
        change = sum(changes) / len(changes)
        print(f"{label:90} {rate:7.1f} {change * 100:+8.0f}% {seconds:8.1f}")
        print(f"{'':90} (each: {_list([c * 100 for c in changes], '%+.0f%%')})")
    print(
        f"\nThe same build with no load: {alone_result['seconds']:.1f} s "
        f"(nice {alone_result['niceness']}, {alone_result['processes']} render processes)."
    )


def _list(values: list[float], spelling: str = "%.1f") -> str:
    return ", ".join(spelling % value for value in values)


if __name__ == "__main__":
    main()
