"""Writes to the summons' dispatch list: making it when an agenda or a supplement is published,
sending again to one person, adding someone, and recording a delivery by hand or by post.

The e-mails themselves are sent by the worker (``summons.sending.send_summonses``), queued once
the transaction that made or changed the rows commits.
"""

from __future__ import annotations

import datetime
import functools

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from boards import formatting
from boards.models import Meeting, Publication
from summons.models import Dispatch, ExtraRecipient
from summons.recipients import NO_ADDRESS, Recipient, address_of, edition_for, summons_list
from summons.sending import send_summonses


def _queue_on_commit(rows: list[Dispatch], by: User | None = None) -> None:
    ids = [row.pk for row in rows if row.status == Dispatch.Status.QUEUED]
    if ids:
        transaction.on_commit(
            functools.partial(send_summonses.enqueue, ids, by.pk if by is not None else None)
        )


def summons_due(publication: Publication, now: datetime.datetime) -> bool:
    """Whether a publication summons anyone: one made here (not recorded afterwards) for a
    meeting that has not begun and is not cancelled. Nobody is summoned to a past meeting."""
    meeting = publication.meeting
    return (
        not publication.is_recorded_afterwards
        and not meeting.is_cancelled
        and meeting.starts_at > now
    )


def _dispatch(publication: Publication, recipient: Recipient, now: datetime.datetime) -> Dispatch:
    edition, reason = edition_for(publication.meeting, recipient.role, recipient.person)
    row = Dispatch(
        publication=publication,
        person=recipient.person,
        extra=recipient.extra,
        name=recipient.name,
        role=recipient.role,
        role_detail=recipient.detail[:300],
        edition=edition,
        edition_reason=reason,
        address=recipient.address,
        queued_at=now,
    )
    if not recipient.address:
        row.status = Dispatch.Status.FAILED
        row.failed_at = now
        row.error = NO_ADDRESS
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def summons_prepare(
    *, publication: Publication, now: datetime.datetime | None = None
) -> list[Dispatch]:
    """Put everyone on the meeting's list on the publication's dispatch list, and queue their
    e-mails for when the publication commits. Those without an address are recorded as not
    sent, saying so, for the clerk to deliver another way. Anyone already on it is left as they
    are, so making it twice adds nobody twice."""
    now = now or timezone.now()
    if not summons_due(publication, now):
        return []
    already = Dispatch.objects.filter(publication=publication)
    people = set(already.filter(person__isnull=False).values_list("person_id", flat=True))
    addresses = {
        address.lower()
        for address in already.filter(person__isnull=True).values_list("address", flat=True)
    }
    rows = []
    for recipient in summons_list(publication.meeting):
        if recipient.person is not None and recipient.person.pk in people:
            continue
        if recipient.person is None and recipient.address.lower() in addresses:
            continue
        rows.append(_dispatch(publication, recipient, now))
    _queue_on_commit(rows)
    return rows


def _may_send(meeting: Meeting, now: datetime.datetime) -> None:
    if meeting.is_cancelled:
        raise ValidationError("This meeting has been cancelled: there is nothing to send.")
    if meeting.starts_at <= now:
        raise ValidationError(
            "This meeting has begun: its papers can no longer be sent as a summons to it."
        )


@transaction.atomic
def dispatch_resend(
    *, dispatch: Dispatch, by: User, now: datetime.datetime | None = None
) -> Dispatch:
    """Send the publication's e-mail to this one person again, at the address held for them
    now and with the edition they are entitled to now; who asked, and when, are recorded."""
    now = now or timezone.now()
    row = (
        Dispatch.objects.select_for_update(of=("self",))
        .select_related("publication__meeting__board", "person__user")
        .get(pk=dispatch.pk)
    )
    meeting = row.publication.meeting
    _may_send(meeting, now)
    if row.status == Dispatch.Status.QUEUED:
        raise ValidationError(f"The e-mail to {row.name} is waiting to be sent already.")
    if row.person is not None:
        row.address = address_of(row.person)
        row.edition, row.edition_reason = edition_for(meeting, row.role, row.person)
    if not row.address:
        raise ValidationError(
            f"No e-mail address is held for {row.name}: add one to their record, or record "
            "that the papers were delivered by hand or by post."
        )
    row.status = Dispatch.Status.QUEUED
    row.queued_at = now
    row.resent_by = by
    row.resent_at = now
    row.full_clean()
    row.save()
    _queue_on_commit([row], by)
    return row


@transaction.atomic
def recipient_add(
    *,
    meeting: Meeting,
    name: str,
    email: str,
    reason: str,
    every_meeting: bool = False,
    by: User,
    now: datetime.datetime | None = None,
) -> tuple[ExtraRecipient, list[Dispatch]]:
    """Add someone to this meeting's list (or, ``every_meeting``, to the list of every meeting
    of its body), and send them what the meeting has published so far, if it is still to come.
    """
    now = now or timezone.now()
    on_list = {
        recipient.address.lower(): recipient
        for recipient in summons_list(meeting)
        if recipient.address
    }
    if email.strip().lower() in on_list:
        there = on_list[email.strip().lower()]
        as_what = {
            Dispatch.Role.MEMBER: ", as a member",
            Dispatch.Role.SUBSTITUTE: ", as a named substitute",
            Dispatch.Role.OFFICER: ", as a supporting officer",
        }.get(Dispatch.Role(there.role), "")
        raise ValidationError(
            {"email": f"{there.name} is on this meeting's list already at this address{as_what}."}
        )
    extra = ExtraRecipient(
        board=meeting.board if every_meeting else None,
        meeting=None if every_meeting else meeting,
        name=name.strip(),
        email=email.strip(),
        reason=reason.strip(),
        added_by=by,
    )
    extra.full_clean()
    extra.save()
    rows: list[Dispatch] = []
    recipient = Recipient(
        role=Dispatch.Role.OTHER,
        name=extra.name,
        detail=extra.reason,
        address=extra.email,
        extra=extra,
    )
    publications = meeting.publications.announced().select_related("meeting__board")
    for record in publications.order_by("published_at", "pk"):
        if not summons_due(record, now):
            continue
        if (
            Dispatch.objects.filter(publication=record, person__isnull=True)
            .filter(address__iexact=extra.email)
            .exists()
        ):
            continue
        rows.append(_dispatch(record, recipient, now))
    _queue_on_commit(rows, by)
    return extra, rows


@transaction.atomic
def recipient_remove(*, recipient: ExtraRecipient) -> None:
    """Take someone a clerk added off the list of meetings still to publish. What they were
    sent stays on the dispatch lists."""
    recipient.delete()


@transaction.atomic
def dispatch_deliver(
    *,
    dispatch: Dispatch,
    how: str,
    on: datetime.date,
    note: str = "",
    by: User,
    now: datetime.datetime | None = None,
) -> Dispatch:
    """Record that the papers reached this person another way, by hand or by post, on a day
    (the law accepts a summons left at or posted to their address)."""
    now = now or timezone.now()
    row = (
        Dispatch.objects.select_for_update(of=("self",))
        .select_related("publication__meeting")
        .get(pk=dispatch.pk)
    )
    published_on = timezone.localdate(row.publication.published_at)
    meeting_on = row.publication.meeting.date
    if on > timezone.localdate(now):
        raise ValidationError({"delivered_on": "That date is still to come."})
    if on < published_on:
        raise ValidationError(
            {
                "delivered_on": (
                    "That is before the papers were published, on "
                    f"{formatting.long_date(published_on)}."
                )
            }
        )
    if on > meeting_on:
        raise ValidationError(
            {
                "delivered_on": (
                    f"That is after the meeting, on {formatting.long_date(meeting_on)}: a "
                    "summons reaches members before it."
                )
            }
        )
    if how not in Dispatch.Delivery.values:
        raise ValidationError({"how": "Choose how the papers were delivered."})
    row.status = Dispatch.Status.DELIVERED
    row.delivered_how = how
    row.delivered_on = on
    row.delivery_note = note.strip()
    row.delivery_recorded_by = by
    row.delivery_recorded_at = now
    row.full_clean()
    row.save()
    return row
