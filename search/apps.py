from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from boards.signals import (
            agenda_published,
            meeting_moved,
            records_changed,
            records_removed,
        )
        from minutes.signals import minutes_approved
        from search import index

        records_changed.connect(index.records_changed, dispatch_uid="search")
        records_removed.connect(index.records_removed, dispatch_uid="search")
        meeting_moved.connect(index.meeting_moved, dispatch_uid="search")
        # Who may see an entry is kept on it: what publishes records indexes them again.
        agenda_published.connect(index.agenda_published, dispatch_uid="search")
        minutes_approved.connect(index.minutes_approved, dispatch_uid="search")
