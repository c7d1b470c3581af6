"""Lower priority for background work: when the machine is busy, the site's requests come first
and agenda packs take the time left over; when it is idle, nothing changes. Without Django, so
that the render processes (forked from a forkserver that never sets Django up) can call it as
they start."""

from __future__ import annotations

import contextlib
import os


def lower(niceness: int) -> None:
    """Run the calling process at ``niceness`` (0 to 19) or lower priority. Priority is only
    ever lowered: raising it needs privilege. On Linux this is the calling thread's, and that of
    the threads and processes it starts afterwards."""
    with contextlib.suppress(OSError):  # a platform or sandbox that refuses: run as we are
        if os.getpriority(os.PRIO_PROCESS, 0) < niceness:
            os.setpriority(os.PRIO_PROCESS, 0, niceness)
