from django.apps import AppConfig


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = "The record of meetings"

    def ready(self) -> None:
        from boards.signals import meeting_access
        from minutes.receivers import substitute_meetings

        meeting_access.connect(substitute_meetings, dispatch_uid="minutes.substitute_meetings")
