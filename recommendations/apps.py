from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Recommendations and tracking"

    def ready(self) -> None:
        from recommendations.categories import ensure_default_categories

        post_migrate.connect(
            ensure_default_categories, sender=self, dispatch_uid="recommendations.categories"
        )
