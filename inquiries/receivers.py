"""What inquiries answer when the domain below asks (see ``boards.signals``)."""

from __future__ import annotations

from django.db.models import QuerySet

from inquiries.models import Inquiry


def inquiry_subjects(sender, **kwargs) -> QuerySet:
    """An inquiry is public from the day it is proposed, and so is its subject's history, even
    before a session is on a published agenda (``Subject.objects.visible_to``)."""
    return Inquiry.objects.filter(subject__isnull=False).values("subject_id")
