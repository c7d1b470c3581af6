from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Boards, people and meetings"

    def ready(self) -> None:
        from boards.roles import sync_role_groups_after_migrate

        post_migrate.connect(sync_role_groups_after_migrate, dispatch_uid="boards.sync_role_groups")
