from django.apps import AppConfig


class PacksConfig(AppConfig):
    name = "packs"
    verbose_name = "Agenda packs"

    def ready(self) -> None:
        from boards.signals import agenda_published
        from packs.services import publication_published

        agenda_published.connect(publication_published, dispatch_uid="packs")
