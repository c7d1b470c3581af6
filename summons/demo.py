"""The demo's dispatch lists. The demo publishes the agenda of the board's next meeting a few
days before the day it is loaded; its summons is recorded as the worker would have sent it then,
minutes after the agenda went out, so the list reads as it would have on the day. Loading twice
changes nothing: only rows nobody has tried to send are touched."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from summons.models import Dispatch, DispatchAttempt

AFTER_PUBLICATION = datetime.timedelta(minutes=2)


@transaction.atomic
def load() -> None:
    now = timezone.now()
    waiting = Dispatch.objects.filter(
        status=Dispatch.Status.QUEUED, attempts=0, publication__published_at__lt=now
    ).select_related("publication")
    for row in waiting:
        sent_at = min(row.publication.published_at + AFTER_PUBLICATION, now)
        row.status = Dispatch.Status.SENT
        row.queued_at = row.publication.published_at
        row.sent_at = row.last_sent_at = sent_at
        row.attempts = 1
        row.full_clean()
        row.save()
        DispatchAttempt.objects.create(
            dispatch=row,
            started_at=sent_at,
            finished_at=sent_at,
            address=row.address,
            outcome=DispatchAttempt.Outcome.SENT,
        )
