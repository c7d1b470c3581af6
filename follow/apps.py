from django.apps import AppConfig


class FollowConfig(AppConfig):
    name = "follow"
    verbose_name = "Following: subscriptions and e-mail alerts"

    def ready(self) -> None:
        from boards.signals import agenda_published
        from decisions.signals import call_in_changed, decision_published
        from follow import notifications
        from inquiries.signals import stage_changed
        from minutes.signals import minutes_approved
        from recommendations.signals import tracking_recorded

        agenda_published.connect(notifications.publication_published, dispatch_uid="follow")
        minutes_approved.connect(notifications.minutes_approved, dispatch_uid="follow")
        stage_changed.connect(notifications.inquiry_stage_changed, dispatch_uid="follow")
        tracking_recorded.connect(notifications.recommendation_updated, dispatch_uid="follow")
        decision_published.connect(notifications.decision_published, dispatch_uid="follow")
        call_in_changed.connect(notifications.call_in_changed, dispatch_uid="follow")
