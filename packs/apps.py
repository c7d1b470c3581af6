from django.apps import AppConfig


class PacksConfig(AppConfig):
    name = "packs"
    verbose_name = "Agenda packs"

    def ready(self) -> None:
        from boards.signals import agenda_published, records_changed
        from packs.services import publication_published
        from packs.services import records_changed as pack_records_changed

        agenda_published.connect(publication_published, dispatch_uid="packs")
        records_changed.connect(pack_records_changed, dispatch_uid="packs")
