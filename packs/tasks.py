"""Background work, run by `manage.py db_worker` (Django's tasks framework, django-tasks-db)."""

from django.tasks import task

from packs import services as packs
from packs.models import AgendaPack


@task(queue_name="packs")
def build_agenda_pack(pack_id: int) -> None:
    pack = AgendaPack.objects.select_related("meeting__board").filter(pk=pack_id).first()
    if pack is not None:
        packs.build(pack)
