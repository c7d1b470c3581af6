"""Packs don't starve the site: the render processes and the task worker run at lower priority
than the site's requests, and there are as many render processes as suit the machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from packs import priority
from packs import services as packs
from tests.conftest import DATABASE_TASKS
from tests.test_project import _development_env, _manage

NICENESS = 10
ROOT = Path(__file__).resolve().parents[2]  # the project, where ``packs`` imports from


def test_a_render_process_runs_nicer_than_the_process_that_starts_it(settings, monkeypatch):
    settings.PACK_RENDER_NICENESS = NICENESS
    # A pool of its own: one kept from another test was started at the tests' priority.
    monkeypatch.setattr(packs, "_pool", None)
    pool = packs._render_pool(2)
    try:
        parent = os.getpriority(os.PRIO_PROCESS, 0)
        children = {pool.submit(os.getpriority, os.PRIO_PROCESS, 0).result() for _ in range(4)}
    finally:
        pool.shutdown()
    assert parent < NICENESS, "the tests run at normal priority"
    assert children == {NICENESS}


def test_lowering_priority_never_raises_it(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "getpriority", lambda which, who: 15)
    monkeypatch.setattr(os, "setpriority", lambda which, who, value: calls.append(value))
    priority.lower(10)
    assert calls == []
    priority.lower(19)
    assert calls == [19]


def test_a_platform_that_refuses_leaves_the_priority_as_it_is(monkeypatch):
    def refuse(*args):
        raise PermissionError("not here")

    monkeypatch.setattr(os, "setpriority", refuse)
    priority.lower(19)  # no error


@pytest.fixture
def autogroup(tmp_path, monkeypatch):
    """A stand-in for ``/proc/self/autogroup``, at niceness 0."""
    path = tmp_path / "autogroup"
    path.write_text("/autogroup-85 nice 0\n")
    monkeypatch.setattr(priority, "AUTOGROUP", path)
    monkeypatch.setattr(os, "setpriority", lambda which, who, value: None)
    return path


def test_a_process_leading_its_session_lowers_the_sessions_scheduling_group(autogroup, monkeypatch):
    """Niceness weighs a process only against its own group's: a worker in a session of its
    own lowers the session's group, or it takes as much of the machine as the server."""
    monkeypatch.setattr(os, "getsid", lambda pid: os.getpid())
    priority.lower(NICENESS)
    assert autogroup.read_text() == str(NICENESS)
    autogroup.write_text("/autogroup-85 nice 15\n")
    priority.lower(NICENESS)  # never raised
    assert autogroup.read_text() == "/autogroup-85 nice 15\n"


def test_a_process_sharing_the_servers_session_leaves_the_group_alone(autogroup, monkeypatch):
    """``make run``: the worker shares a session with the server; lowering the group would lower
    the server with it."""
    monkeypatch.setattr(os, "getsid", lambda pid: os.getpid() + 1)
    priority.lower(NICENESS)
    assert autogroup.read_text() == "/autogroup-85 nice 0\n"


def test_without_autogroups_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(priority, "AUTOGROUP", tmp_path / "absent")
    monkeypatch.setattr(os, "getsid", lambda pid: os.getpid())
    priority.lower(0)
    assert priority.session_group_niceness() is None
    assert not (tmp_path / "absent").exists()


@pytest.mark.skipif(
    not priority.AUTOGROUP.exists(), reason="this kernel groups sessions otherwise (no autogroups)"
)
def test_a_worker_started_in_a_session_of_its_own_runs_its_group_nicer():
    """For real: a process started as a service starts it (a new session) and lowering its
    priority, then reading its own group's and its niceness back."""
    ours = priority.session_group_niceness()
    script = (
        "import os; from packs import priority; priority.lower(10); "
        "print(os.getpriority(os.PRIO_PROCESS, 0), priority.session_group_niceness())"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        start_new_session=True,
        check=True,
    )
    assert result.stdout.split() == ["10", "10"]
    assert priority.session_group_niceness() == ours, "the tests' own group is left as it was"


@pytest.mark.django_db
def test_the_worker_lowers_its_priority_before_starting_the_render_processes(monkeypatch, settings):
    from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

    settings.TASKS = DATABASE_TASKS
    settings.PACK_RENDER_NICENESS = NICENESS
    steps = []
    monkeypatch.setattr(packs, "lower_priority", lambda: steps.append("lower"))
    monkeypatch.setattr(packs, "start_render_processes", lambda: steps.append("start"))
    monkeypatch.setattr(DatabaseWorkerCommand, "handle", lambda self, **o: steps.append("work"))
    call_command("worker", queue_name="*", verbosity=0)
    assert steps == ["lower", "start", "work"]


def _setting(name: str, **env: str) -> int:
    """The setting as the app starts with ``env`` (and none of the PACK_ variables but those)."""
    environment = {
        key: value
        for key, value in _development_env(**env).items()
        if key in env or "PACK_" not in key
    }
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        f"from django.conf import settings; print(settings.{name})",
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip())


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        (None, lambda cores: max(1, cores - 1)),
        ("64", lambda cores: cores),
        ("0", lambda cores: 1),
        ("1", lambda cores: 1),
    ],
)
def test_the_render_processes_suit_the_machine(asked, expected):
    """One core fewer than the machine's (one stays with the site), at least one, never more
    than the cores this process may use."""
    cores = len(os.sched_getaffinity(0))
    env = {"PACK_RENDER_PROCESSES": asked} if asked is not None else {}
    assert _setting("PACK_RENDER_PROCESSES", **env) == expected(cores)


def test_the_niceness_is_a_setting_between_0_and_19():
    assert _setting("PACK_RENDER_NICENESS") == 10
    assert _setting("PACK_RENDER_NICENESS", PACK_RENDER_NICENESS="5") == 5
    assert _setting("PACK_RENDER_NICENESS", PACK_RENDER_NICENESS="40") == 19
