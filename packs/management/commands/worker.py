"""The task worker: django-tasks-db's ``db_worker``, with the agenda pack render processes started
first, so that the first pack it builds doesn't wait for them, and a heartbeat, so that the
tasks of a worker that stops are taken up by the others (``packs.workers``). It runs without
Django's auto-reloader unless asked (``--reload``): db_worker reloads by default under DEBUG,
which runs a second process watching files and restarts the worker in the middle of a build
whenever a file changes. ``make run`` restarts it with the server. It runs at lower priority
than the site (``PACK_RENDER_NICENESS``), so a pack being built never starves the pages."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from packs import services as packs
from packs import workers


class Command(DatabaseWorkerCommand):
    help = "Run background tasks (agenda packs, e-mail alerts); --queue-name '*' for all queues."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False)

    def handle(self, **options):
        # With --reload the first process only watches files; the one it starts does the work.
        watching = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not watching:
            # Background work yields to the site's requests: the worker, and the render
            # processes it starts, run at PACK_RENDER_NICENESS.
            packs.lower_priority()
        if not watching and not options.get("batch"):
            packs.start_render_processes()
        if watching:
            super().handle(**options)
            return
        queues = options.get("queue_name", "default").split(",")
        with workers.Heartbeat(worker_id=options["worker_id"], queues=queues):
            super().handle(**options)
