"""What executive decisions answer when the domain below asks (see ``boards.signals``)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from boards.models import Subject
from boards.visibility import Audience
from decisions.models import ExecutiveDecision, ForwardPlanEntry


def decision_subjects(sender, **kwargs) -> QuerySet:
    """A published decision (an exempt one by its title) and a published forward plan notice
    are public, and so is the history of the subject they are filed under
    (``Subject.objects.visible_to``)."""
    public = Audience.public()
    decisions = ExecutiveDecision.objects.visible_to(public).filter(subject=OuterRef("pk"))
    notices = ForwardPlanEntry.objects.visible_to(public).filter(subject=OuterRef("pk"))
    return Subject.objects.filter(Exists(decisions) | Exists(notices)).values("pk")
