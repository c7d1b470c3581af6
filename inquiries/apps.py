from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = "Inquiries"

    def ready(self) -> None:
        from boards.signals import public_subjects
        from inquiries.receivers import inquiry_subjects

        public_subjects.connect(inquiry_subjects, dispatch_uid="inquiries.inquiry_subjects")
