"""E-mails to the people who follow a board, an inquiry or a recommendation.

The functions at the top receive the signals the domain's services send when something is
published (``follow.apps`` connects them). They only queue the work, once the transaction
commits: the e-mails are written and sent by the background worker (``send_notifications``,
queue "email"), never inside the request.

Each subscriber is sent only what *their* audience may see, worked out with the one visibility
rule (``Audience.of(user)``): the public reads an exempt item as its title and the paragraph of
Schedule 12A that keeps it back, a member of the board reads it in full, and nobody is sent
anything unpublished. Every e-mail carries a signed link that unsubscribes without signing in.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from boards.documents import PaperLine, paper_notice, publication_items
from boards.models import Council, Paper, Publication
from boards.visibility import Audience
from follow.models import SentEmail, Subscription, SubscriptionQuerySet
from inquiries.models import Inquiry, StageChange
from minutes.models import MinutesRecord
from recommendations.models import Judgement, ProgressUpdate, Response, Statement

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from boards.models.papers import VisiblePaper

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "boards.subscription.unsubscribe"  # unchanged: links already sent stay good

# Events: what happened, and the primary key of the record that says so.
PUBLICATION = "publication"
MINUTES_APPROVED = "minutes_approved"
STAGE_CHANGE = "stage_change"
PROGRESS_UPDATE = "progress_update"
JUDGEMENT = "judgement"
RESPONSE = "response"


# Receivers of the domain's signals (connected in ``follow.apps``).


def publication_published(sender, *, publication: Publication, **kwargs) -> None:
    """An agenda or a supplement was published: tell the board's followers. A publication
    recorded afterwards (a meeting held before the council used the app) is not news: its
    followers are not told of papers that went out long ago."""
    if publication.is_recorded_afterwards:
        return
    _enqueue_on_commit(PUBLICATION, publication.pk)


def minutes_approved(sender, *, minutes: MinutesRecord, **kwargs) -> None:
    """Minutes were approved as a correct record, and so published: tell the board's followers."""
    _enqueue_on_commit(MINUTES_APPROVED, minutes.pk)


def inquiry_stage_changed(sender, *, change: StageChange, **kwargs) -> None:
    """An inquiry moved to another stage: tell its followers."""
    _enqueue_on_commit(STAGE_CHANGE, change.pk)


def recommendation_updated(sender, *, record, **kwargs) -> None:
    """A progress update, a judgement or the executive's response was recorded: tell the
    followers of the recommendation (and of the recommendation it is a part of)."""
    events = {ProgressUpdate: PROGRESS_UPDATE, Judgement: JUDGEMENT, Response: RESPONSE}
    _enqueue_on_commit(events[sender], record.pk)


def _enqueue_on_commit(event: str, pk: int) -> None:
    transaction.on_commit(functools.partial(send_notifications.enqueue, event, pk))


# Run by the worker.


@task(queue_name="email")
def send_notifications(event: str, pk: int) -> int:
    """Write and send the e-mails about one event; returns how many were sent. Each follower
    gets one at most, however often the task runs (``_send_once``)."""
    notice = NOTICES[event](pk)
    if notice is None:
        return 0
    by_user: dict[int, Subscription] = {}
    for subscription in notice.subscriptions.select_related("user").for_list().order_by("pk"):
        user = subscription.user
        if user.is_active and user.email:
            by_user.setdefault(user.pk, subscription)  # one e-mail each, however many follows
    already = SentEmail.objects.filter(event=event, record_id=pk, user_id__in=by_user)
    for user_id, status in already.values_list("user_id", "status"):
        del by_user[user_id]  # sent by an earlier run of this task, whose worker stopped
        if status == SentEmail.Status.SENDING:
            logger.warning("The %s %s e-mail to user %s may not have gone", event, pk, user_id)
    contexts: dict[Audience, dict | None] = {}
    council_name = Council.load().name
    messages = []
    for subscription in by_user.values():
        audience = Audience.of(subscription.user)
        if audience not in contexts:
            contexts[audience] = notice.context_for(audience)
        context = contexts[audience]
        if context is None:
            continue
        message = _message(notice, {**context, "council_name": council_name}, subscription)
        messages.append((subscription.user, message))
    sent = 0
    if messages:
        mailer = mailers.default
        with mailer:
            for user, message in messages:
                sent += _send_once(mailer, message, event=event, pk=pk, user=user)
    return sent


def _send_once(mailer, message: EmailMessage, *, event: str, pk: int, user: User) -> int:
    """Send the e-mail unless it has been sent already: recorded (and committed) before it is
    sent, marked sent after. An error while sending frees the record, so a retry sends it."""
    try:
        with transaction.atomic():
            record = SentEmail.objects.create(event=event, record_id=pk, user=user)
    except IntegrityError:
        return 0  # another run of the task has it
    try:
        mailer.send_messages([message])
    except Exception:
        record.delete()
        raise
    SentEmail.objects.filter(pk=record.pk).update(
        status=SentEmail.Status.SENT, sent_at=timezone.now()
    )
    return 1


@dataclass(frozen=True)
class Notice:
    subject: str
    template: str
    subscriptions: SubscriptionQuerySet
    # What one audience may read, or None when it may see nothing of the event.
    context_for: Callable[[Audience], dict | None]


def _message(notice: Notice, context: dict, subscription: Subscription) -> EmailMessage:
    unsubscribe = absolute(
        reverse("follow:unsubscribe-token", kwargs={"token": unsubscribe_token(subscription)})
    )
    body = render_to_string(
        notice.template,
        {
            **context,
            "user": subscription.user,
            "subscription": subscription,
            "followed": subscription.label,
            "unsubscribe_url": unsubscribe,
            "subscriptions_url": absolute(reverse("follow:subscription-list")),
        },
    )
    return EmailMessage(
        subject=" ".join(notice.subject.split()),
        body=body,
        to=[subscription.user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def site_url() -> str:
    """Where the links in e-mails point: ``SITE_URL`` if set, else the first allowed host
    (https in production), else the development server."""
    configured = getattr(settings, "SITE_URL", "")
    if configured:
        return configured.rstrip("/")
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in ("*", "") and not h.startswith(".")]
    if settings.DEBUG or not hosts:
        return "http://127.0.0.1:8000"
    return f"https://{hosts[0]}"


def absolute(path: str) -> str:
    return f"{site_url()}{path}"


# Unsubscribing without signing in.


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps(
        [subscription.user_id, subscription.kind, subscription.thing.pk], salt=UNSUBSCRIBE_SALT
    )


def subscriptions_for_token(token: str) -> SubscriptionQuerySet | None:
    """The subscription a token from an e-mail names (empty once it has gone), or None if the
    token is not one of ours."""
    try:
        user_id, kind, thing_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if kind not in Subscription.Kind.values:
        return None
    return Subscription.objects.filter(user_id=user_id, **{f"{kind}_id": thing_id})


# The events.


def _publication_notice(pk: int) -> Notice | None:
    publication = (
        Publication.objects.select_related("meeting__board", "meeting__venue").filter(pk=pk).first()
    )
    if publication is None:
        return None
    meeting = publication.meeting
    kind = "Agenda" if publication.kind == Publication.Kind.AGENDA else "Supplementary papers"

    def context_for(audience: Audience) -> dict:
        return {
            "publication": publication,
            "meeting": meeting,
            "meeting_url": absolute(meeting.get_absolute_url()),
            "items": publication_items(publication, audience, absolute),
        }

    return Notice(
        subject=f"{kind} published: {meeting}",
        template="email/publication.txt",
        subscriptions=Subscription.objects.filter(board=meeting.board),
        context_for=context_for,
    )


def _minutes_notice(pk: int) -> Notice | None:
    minutes = (
        MinutesRecord.objects.select_related("meeting__board", "approved_at_meeting", "signed_by")
        .filter(pk=pk, status=MinutesRecord.Status.APPROVED)
        .first()
    )
    if minutes is None:
        return None
    meeting = minutes.meeting
    # The e-mail names the meeting and links to its minutes; the minutes themselves are read on
    # the page, which shows each reader what they may see. So every audience gets the same text.
    context = {
        "minutes": minutes,
        "meeting": meeting,
        "minutes_url": absolute(minutes.get_absolute_url()),
        "pdf_url": absolute(reverse("minutes:minutes-pdf", kwargs={"pk": meeting.pk})),
    }
    return Notice(
        subject=f"Minutes approved: {meeting}",
        template="email/minutes_approved.txt",
        subscriptions=Subscription.objects.filter(board=meeting.board),
        context_for=lambda audience: context,
    )


def _stage_change_notice(pk: int) -> Notice | None:
    change = StageChange.objects.select_related("inquiry__board").filter(pk=pk).first()
    if change is None:
        return None
    inquiry = change.inquiry
    statement = Statement.objects.filter(inquiry=inquiry, published_on__isnull=False).first()
    context = {
        "inquiry": inquiry,
        "change": change,
        "inquiry_url": absolute(inquiry.get_absolute_url()),
        # A draft statement is never mentioned, whoever follows.
        "statement": statement,
        "statement_url": absolute(statement.get_absolute_url()) if statement else "",
    }
    return Notice(
        subject=f"{inquiry.title}: {Inquiry.Stage(change.stage).label}",
        template="email/inquiry_stage.txt",
        subscriptions=Subscription.objects.filter(inquiry=inquiry),
        context_for=lambda audience: context,
    )


def _recommendation_notice(event: str, pk: int) -> Notice | None:
    models: dict[str, type[ProgressUpdate | Judgement | Response]] = {
        PROGRESS_UPDATE: ProgressUpdate,
        JUDGEMENT: Judgement,
        RESPONSE: Response,
    }
    model = models[event]
    related = {
        PROGRESS_UPDATE: ["author", "considered_at__meeting"],
        JUDGEMENT: ["category", "considered_at__meeting"],
        RESPONSE: ["actioned_by"],
    }[event]
    record = (
        model.objects.select_related(
            "recommendation__statement__inquiry", "recommendation__parent", *related
        )
        .filter(pk=pk)
        .first()
    )
    if record is None:
        return None
    recommendation = record.recommendation
    if not recommendation.statement.is_published:
        return None  # a draft statement's recommendations are nobody's e-mail
    inquiry = recommendation.statement.inquiry
    what = {
        PROGRESS_UPDATE: "progress update",
        JUDGEMENT: "the board's judgement",
        RESPONSE: "the executive's response",
    }[event]

    def context_for(audience: Audience) -> dict:
        evidence: Iterable[VisiblePaper] = []
        if isinstance(record, ProgressUpdate):
            evidence = (
                Paper.objects.visible_to(audience)
                .filter(publication__isnull=False, pk__in=record.evidence.values("pk"))
                .select_related("parent", "agenda_item")
            )
        return {
            "event": event,
            "what": what,
            "record": record,
            "recommendation": recommendation,
            "inquiry": inquiry,
            "recommendation_url": absolute(recommendation.get_absolute_url()),
            "evidence": [
                PaperLine(
                    title=paper.title,
                    url=absolute(paper.get_absolute_url()),
                    notice="" if paper.content_visible else paper_notice(paper),
                )
                for paper in evidence
            ],
        }

    followed = Q(recommendation=recommendation)
    if recommendation.parent_id:
        followed |= Q(recommendation_id=recommendation.parent_id)
    return Notice(
        subject=f"Recommendation {recommendation.reference} of {inquiry.title}: {what}",
        template="email/recommendation.txt",
        subscriptions=Subscription.objects.filter(followed),
        context_for=context_for,
    )


NOTICES: dict[str, Callable[[int], Notice | None]] = {
    PUBLICATION: _publication_notice,
    MINUTES_APPROVED: _minutes_notice,
    STAGE_CHANGE: _stage_change_notice,
    PROGRESS_UPDATE: functools.partial(_recommendation_notice, PROGRESS_UPDATE),
    JUDGEMENT: functools.partial(_recommendation_notice, JUDGEMENT),
    RESPONSE: functools.partial(_recommendation_notice, RESPONSE),
}
