from django.apps import AppConfig


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = "The record of meetings"

    def ready(self) -> None:
        from boards.signals import meeting_access, meeting_moved
        from minutes.receivers import actions_follow_meeting, substitute_meetings

        meeting_access.connect(substitute_meetings, dispatch_uid="minutes.substitute_meetings")
        meeting_moved.connect(actions_follow_meeting, dispatch_uid="minutes.actions_follow_meeting")
