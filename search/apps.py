from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from boards.signals import meeting_moved, records_changed, records_removed
        from search import index

        records_changed.connect(index.records_changed, dispatch_uid="search")
        records_removed.connect(index.records_removed, dispatch_uid="search")
        meeting_moved.connect(index.meeting_moved, dispatch_uid="search")
