"""Lower priority for background work: when the machine is busy, the site's requests come first
and agenda packs take the time left over; when it is idle, nothing changes. Without Django, so
that the render processes (forked from a forkserver that never sets Django up) can call it as
they start.

A process's niceness weighs it only against the processes of its own scheduling group. On Linux
with autogroups (``/proc/sys/kernel/sched_autogroup_enabled``, on by default in most
distributions' kernels), each session is a group, and groups share the cores equally whatever
their processes' niceness: a worker at niceness 10 in a session of its own took as much of the
machine as the web server's session (a 400-page build halved the home page's throughput either
way). So a process that leads its own session (a service, or a worker started apart from the
server) lowers its session's group too; one that shares a session with the server (``make
run``) doesn't need to, and mustn't, since that would lower the server with it."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

AUTOGROUP = Path("/proc/self/autogroup")


def lower(niceness: int) -> None:
    """Run the calling process at ``niceness`` (0 to 19) or lower priority, and its session's
    scheduling group too when it leads the session. Priority is only ever lowered: raising it
    needs privilege. On Linux this is the calling thread's, and that of the threads and
    processes it starts afterwards."""
    with contextlib.suppress(OSError):  # a platform or sandbox that refuses: run as we are
        if os.getpriority(os.PRIO_PROCESS, 0) < niceness:
            os.setpriority(os.PRIO_PROCESS, 0, niceness)
    if os.getsid(0) == os.getpid():
        lower_session_group(niceness)


def session_group_niceness() -> int | None:
    """The niceness of the calling process's autogroup (None without autogroups)."""
    try:
        # "/autogroup-85 nice 0"
        return int(AUTOGROUP.read_text().split()[-1])
    except (OSError, ValueError, IndexError):
        return None


def lower_session_group(niceness: int) -> None:
    """Lower the scheduling group of the calling process's session (its autogroup) to
    ``niceness``, never raising it; nothing where there are no autogroups."""
    current = session_group_niceness()
    if current is None or current >= niceness:
        return
    with contextlib.suppress(OSError):
        AUTOGROUP.write_text(str(niceness))
