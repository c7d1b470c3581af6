"""Background work, run by `manage.py worker` (Django's tasks framework, django-tasks-db)."""

from django.tasks import task

from packs import services as packs
from packs.models import AgendaPack


@task(queue_name="packs")
def build_agenda_pack(pack_id: int) -> None:
    """Build the pack; a build that fails is recorded on the pack and raised, so the queue
    records a failed task too."""
    pack = AgendaPack.objects.select_related("meeting__board").filter(pk=pack_id).first()
    if pack is not None:
        packs.build(pack)
