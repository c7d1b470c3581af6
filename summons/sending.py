"""Sending the summons: the worker's task, and the e-mail each person on the list gets.

The e-mail names the body, the meeting's date, time and venue, and lists the items of what was
published as the public may read them: an exempt item by its title and the paragraph of
Schedule 12A that keeps it back, never its text, whoever it goes to. It links to the edition of
the agenda pack the person is entitled to: the members' pack through the sign-in page (the pack
itself is served only to those the visibility rule lets read it), the public pack directly; and
to the meeting's page.

Each row is sent at most once per try: the task claims it (queued → sending, committed) before
handing the e-mail to the mail server, so a task run again after its worker stopped sends only
the rows nobody claimed. A failure is recorded on the row, with the mail server's words, and the
task goes on to the next person.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from boards import formatting
from boards.documents import ItemLine, publication_items
from boards.links import absolute
from boards.models import Council, Meeting, Publication
from boards.visibility import Audience
from summons.models import Dispatch, DispatchAttempt

logger = logging.getLogger(__name__)

ERROR_LENGTH = 1000


class NotAccepted(Exception):
    """The mail server took the e-mail for nobody."""


@dataclass(frozen=True)
class Papers:
    """What every e-mail about one publication says, whoever it goes to."""

    publication: Publication
    meeting: Meeting
    council_name: str
    items: list[ItemLine]
    meeting_url: str


def _papers(publication: Publication, council_name: str) -> Papers:
    meeting = publication.meeting
    return Papers(
        publication=publication,
        meeting=meeting,
        council_name=council_name,
        # As the public reads them, whoever is sent them: exempt items by title and paragraph.
        items=publication_items(publication, Audience.public(), absolute),
        meeting_url=absolute(meeting.get_absolute_url()),
    )


def pack_link(meeting: Meeting, edition: str) -> str:
    """The public pack's address; the members' pack's through the sign-in page."""
    path = reverse("packs:pack-download", kwargs={"pk": meeting.pk, "edition": edition})
    if edition == Dispatch.Edition.PUBLIC:
        return absolute(path)
    return absolute(f"{reverse('accounts:sign-in')}?{urlencode({'next': path})}")


def subject_of(row: Dispatch, meeting: Meeting) -> str:
    when = formatting.long_datetime(meeting.starts_at)
    if row.publication.kind == Publication.Kind.SUPPLEMENT:
        what = "Supplementary papers"
    elif row.role == Dispatch.Role.MEMBER:
        what = "Summons"
    else:
        what = "Agenda"
    return " ".join(f"{what}: {meeting.board.name}, {when}".split())


def message_for(row: Dispatch, papers: Papers) -> EmailMessage:
    meeting = papers.meeting
    contact = meeting.compiler or meeting.board.support_officer
    body = render_to_string(
        "email/summons.txt",
        {
            "row": row,
            "publication": papers.publication,
            "meeting": meeting,
            "items": papers.items,
            "meeting_url": papers.meeting_url,
            "council_name": papers.council_name,
            "pack_url": pack_link(meeting, row.edition),
            "members_edition": row.edition == Dispatch.Edition.MEMBERS,
            "contact": contact,
        },
    )
    reply_to = [contact.email] if contact is not None and contact.email else []
    return EmailMessage(
        subject=subject_of(row, meeting), body=body, to=[row.address], reply_to=reply_to
    )


def _claim(row: Dispatch, requested_by: int | None) -> DispatchAttempt | None:
    """Take the row for this try, committed before anything is sent: None if it is not waiting
    (another run has it, or it has gone)."""
    with transaction.atomic():
        claimed = Dispatch.objects.filter(pk=row.pk, status=Dispatch.Status.QUEUED).update(
            status=Dispatch.Status.SENDING, attempts=F("attempts") + 1
        )
        if not claimed:
            return None
        return DispatchAttempt.objects.create(
            dispatch_id=row.pk, address=row.address, by_id=requested_by
        )


def _error_text(error: Exception) -> str:
    words = str(error).strip() or type(error).__name__
    return f"{type(error).__name__}: {words}"[:ERROR_LENGTH]


def _send_one(mailer, row: Dispatch, papers: Papers, requested_by: int | None) -> bool:
    attempt = _claim(row, requested_by)
    if attempt is None:
        return False
    try:
        if not mailer.send_messages([message_for(row, papers)]):
            raise NotAccepted("The mail server accepted it for nobody.")
    except Exception as error:
        text = _error_text(error)
        now = timezone.now()
        logger.warning("Summons %s to %s not sent: %s", row.pk, row.address, text)
        Dispatch.objects.filter(pk=row.pk, status=Dispatch.Status.SENDING).update(
            status=Dispatch.Status.FAILED, failed_at=now, error=text
        )
        DispatchAttempt.objects.filter(pk=attempt.pk).update(
            outcome=DispatchAttempt.Outcome.FAILED, finished_at=now, error=text
        )
        # The connection may be broken: the next e-mail opens one of its own.
        with contextlib.suppress(Exception):
            mailer.close()
        return False
    now = timezone.now()
    Dispatch.objects.filter(pk=row.pk).update(
        # Recorded delivered another way while it was being sent: it stays so, and went too.
        status=Case(
            When(status=Dispatch.Status.SENDING, then=Value(Dispatch.Status.SENT)),
            default=F("status"),
        ),
        sent_at=Coalesce(F("sent_at"), Value(now)),
        last_sent_at=now,
        error="",
    )
    DispatchAttempt.objects.filter(pk=attempt.pk).update(
        outcome=DispatchAttempt.Outcome.SENT, finished_at=now
    )
    return True


@task(queue_name="email")
def send_summonses(dispatch_ids: list[int], requested_by: int | None = None) -> int:
    """Send the e-mails of these rows of dispatch lists that are waiting; returns how many went.
    ``requested_by``: the user who asked for them to be sent again, if anyone did."""
    rows = list(
        Dispatch.objects.filter(pk__in=dispatch_ids, status=Dispatch.Status.QUEUED)
        .select_related(
            "publication__meeting__board__support_officer",
            "publication__meeting__venue",
            "publication__meeting__compiler",
        )
        .order_by("pk")
    )
    if not rows:
        return 0
    council_name = Council.load().name
    papers: dict[int, Papers] = {}
    mailer = mailers.default
    try:
        mailer.open()
    except Exception as error:
        # Each e-mail tries the server again, and records what it says.
        logger.warning("The mail server could not be reached: %s", _error_text(error))
    sent = 0
    try:
        for row in rows:
            if row.publication_id not in papers:
                papers[row.publication_id] = _papers(row.publication, council_name)
            sent += _send_one(mailer, row, papers[row.publication_id], requested_by)
    finally:
        with contextlib.suppress(Exception):
            mailer.close()
    return sent
