"""Background work, run by `manage.py worker` (Django's tasks framework, django-tasks-db)."""

from django.tasks import task

from transfer.models import ImportRun
from transfer.running import perform


@task(queue_name="default")
def run_import(run_id: int) -> None:
    """Run an import started on the administrators' page. A run taken up again after its worker
    stopped starts again from the beginning: an import is safe to run twice (it writes all or
    nothing, and the same source twice changes nothing)."""
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is not None and not run.is_finished:
        perform(run)
