from django.apps import AppConfig


class SummonsConfig(AppConfig):
    name = "summons"
    verbose_name = "Summonses: agendas sent to a body's members, and the dispatch list"

    def ready(self) -> None:
        from boards.signals import agenda_published
        from summons.receivers import publication_published

        agenda_published.connect(publication_published, dispatch_uid="summons")
