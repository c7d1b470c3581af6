"""Writes to executive decisions, forward plan notices and call-ins (typed, keyword-only,
atomic; each calls ``full_clean()`` and announces what changed)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from boards.signals import changed
from decisions.models import CallInRules, ExecutiveDecision
from decisions.signals import decision_published


@transaction.atomic
def decision_publish(
    *,
    decision: ExecutiveDecision,
    by: AbstractBaseUser | None,
    at: datetime.datetime | None = None,
) -> ExecutiveDecision:
    """Publish the decision notice. The call-in window is worked out now by the council's rules
    and kept with the decision."""
    decision = ExecutiveDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.published_at is not None:
        raise ValidationError("This decision is already published.")
    at = at or timezone.now()
    if at.date() < decision.decided_on:
        raise ValidationError(
            {"published_at": "A decision cannot be published before the day it was made."}
        )
    decision.published_at = at
    decision.published_by = by  # type: ignore[assignment]
    decision.call_in_closes_at = (
        None if decision.exclusion else CallInRules.load().window_closes(at)
    )
    decision.full_clean()
    decision.save()
    changed(decision)
    decision_published.send(sender=ExecutiveDecision, decision=decision)
    return decision
