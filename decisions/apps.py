from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "Executive decisions"

    def ready(self) -> None:
        from boards.signals import public_subjects
        from decisions.receivers import decision_subjects

        public_subjects.connect(decision_subjects, dispatch_uid="decisions.decision_subjects")
