"""Tasks the worker tests queue (imported by name by the worker, in a process of its own too)."""

import time
from pathlib import Path

from django.tasks import task


@task()
def slow_the_first_time(marker: str) -> str:
    """The first run marks that it has started, then takes far longer than any test waits for
    it (so that the test can kill its worker part-way); a run after that finishes at once."""
    path = Path(marker)
    if path.exists():
        return "finished"
    path.write_text("started")
    time.sleep(300)
    return "finished the first time"


@task()
def live_workers() -> list[str]:
    """The workers alive as the task runs, by the id their tasks record."""
    from packs.models import Worker

    return list(Worker.objects.alive().values_list("pk", flat=True))
