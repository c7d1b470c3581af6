"""E-mails to the people who follow a board, an inquiry or a recommendation, and to the
councillors who signed a call-in.

The functions at the top receive the signals the domain's services send when something is
published (``follow.apps`` connects them). They only queue the work, once the transaction
commits: the e-mails are written and sent by the background worker (``send_notifications``,
queue "email"), never inside the request.

Each subscriber is sent only what *their* audience may see, worked out with the one visibility
rule (``Audience.of(user)``): the public reads an exempt item as its title and the paragraph of
Schedule 12A that keeps it back, a member of the board reads it in full, and nobody is sent
anything unpublished. Every e-mail to a follower carries a signed link that unsubscribes without
signing in. E-mails about executive decisions and call-ins are the same for everyone: the text
the public may read, so an exempt decision only by its title and the paragraph of Schedule 12A
that keeps it back, whoever is told (its text is read on its page, by those entitled).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core import signing
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from boards.documents import PaperLine, paper_notice, publication_items
from boards.links import absolute
from boards.models import Council, Paper, Person, Publication
from boards.visibility import Audience
from decisions import status
from decisions.models import CallIn, ExecutiveDecision
from follow.models import SentEmail, Subscription, SubscriptionQuerySet
from inquiries.models import Inquiry, StageChange
from minutes.models import MinutesRecord
from recommendations.models import Judgement, ProgressUpdate, Response, Statement

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from boards.models.papers import VisiblePaper
    from decisions.models import VisibleExecutiveDecision

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "boards.subscription.unsubscribe"  # unchanged: links already sent stay good

# Events: what happened, and the primary key of the record that says so.
PUBLICATION = "publication"
MINUTES_APPROVED = "minutes_approved"
STAGE_CHANGE = "stage_change"
PROGRESS_UPDATE = "progress_update"
JUDGEMENT = "judgement"
RESPONSE = "response"
DECISION_PUBLISHED = "decision_published"
# A call-in's steps, as ``decisions.signals.call_in_changed`` names them; each its own event
# ("call_in_checked"), so each step is told once.
CALL_IN_STEPS = {
    "requested": "requested",
    "checked": "checked",
    "scheduled": "to be considered",
    "outcome": "the scrutiny board's outcome",
    "council": "full council's outcome",
    "concluded": "the final decision",
    "withdrawn": "withdrawn",
}
CALL_IN = "call_in_"


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


def decision_published(sender, *, decision: ExecutiveDecision, **kwargs) -> None:
    """A decision notice was published: tell the followers of the executive (and of the
    scrutiny board its forward plan notice names) that it may be called in."""
    _enqueue_on_commit(DECISION_PUBLISHED, decision.pk)


def call_in_changed(sender, *, call_in: CallIn, step: str, **kwargs) -> None:
    """A call-in moved on a step: tell its signatories and the followers of the scrutiny board
    and of the executive."""
    if step not in CALL_IN_STEPS:
        logger.warning("Call-in %s: no e-mail for the step %r", call_in.pk, step)
        return
    _enqueue_on_commit(f"{CALL_IN}{step}", call_in.pk)


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
    # Those told for what they did (a call-in's signatories) first: one e-mail each, as such,
    # even if they follow the board too. Keyed by their user, or by their address without one.
    people: dict[int | str, tuple[Person, str]] = {}
    for person in notice.people.select_related("user") if notice.people is not None else ():
        user = person.user
        address = person.email or (user.email if user is not None and user.is_active else "")
        if address:
            people.setdefault(user.pk if user is not None else address.lower(), (person, address))
    by_user: dict[int, Subscription] = {}
    for subscription in notice.subscriptions.select_related("user").for_list().order_by("pk"):
        user = subscription.user
        if user.is_active and user.email and user.pk not in people:
            by_user.setdefault(user.pk, subscription)  # one e-mail each, however many follows
    user_ids = [*by_user, *(key for key in people if isinstance(key, int))]
    addresses = [key for key in people if isinstance(key, str)]
    already = SentEmail.objects.filter(event=event, record_id=pk).filter(
        Q(user_id__in=user_ids) | Q(user__isnull=True, address__in=addresses)
    )
    for user_id, address, sent_status in already.values_list("user_id", "address", "status"):
        # Sent by an earlier run of this task, whose worker stopped.
        by_user.pop(user_id, None)
        people.pop(user_id if user_id is not None else address.lower(), None)
        if sent_status == SentEmail.Status.SENDING:
            logger.warning(
                "The %s %s e-mail to %s may not have gone", event, pk, user_id or address
            )
    contexts: dict[Audience, dict | None] = {}
    council_name = Council.load().name

    def context_of(user: User | None) -> dict | None:
        audience = Audience.of(user) if user is not None else Audience.public()
        if audience not in contexts:
            contexts[audience] = notice.context_for(audience)
        context = contexts[audience]
        return None if context is None else {**context, "council_name": council_name}

    messages: list[tuple[User | None, str, EmailMessage]] = []
    for person, address in people.values():
        context = context_of(person.user)
        if context is not None:
            messages.append((person.user, address, _person_message(notice, context, address)))
    for subscription in by_user.values():
        context = context_of(subscription.user)
        if context is not None:
            message = _message(notice, context, subscription)
            messages.append((subscription.user, "", message))
    sent = 0
    if messages:
        mailer = mailers.default
        with mailer:
            for user, address, message in messages:
                sent += _send_once(mailer, message, event=event, pk=pk, user=user, address=address)
    return sent


def _send_once(
    mailer, message: EmailMessage, *, event: str, pk: int, user: User | None, address: str = ""
) -> int:
    """Send the e-mail unless it has been sent already: recorded (and committed) before it is
    sent, marked sent after. An error while sending frees the record, so a retry sends it.
    Recorded by the user, or by the address of someone without an account."""
    try:
        with transaction.atomic():
            record = SentEmail.objects.create(
                event=event,
                record_id=pk,
                user=user,
                address="" if user is not None else address.lower(),
            )
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
    # People told for what they did rather than what they follow (a call-in's signatories),
    # at the address the council holds for them, without an unsubscribe link.
    people: QuerySet[Person] | None = None


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


def _person_message(notice: Notice, context: dict, address: str) -> EmailMessage:
    body = render_to_string(
        notice.template,
        {**context, "subscription": None, "told_as": "signatory"},
    )
    return EmailMessage(subject=" ".join(notice.subject.split()), body=body, to=[address])


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


def _public_decision(pk: int) -> VisibleExecutiveDecision | None:
    """The decision as the public may see it (annotated ``content_visible``), if published."""
    return (
        ExecutiveDecision.objects.visible_to(Audience.public())
        .select_related("maker_body", "maker_post", "maker_person", "notice")
        .prefetch_related("call_ins")
        .filter(pk=pk)
        .first()
    )


def _decision_context(decision: VisibleExecutiveDecision) -> dict:
    """What every e-mail about a decision says of it: the public's view, whoever is told."""
    return {
        "decision": decision,
        "readable": decision.content_visible,
        "maker": status.decision_maker(decision),
        "standing": status.standing(decision, list(decision.call_ins.all()), now=timezone.now()),
        "decision_url": absolute(decision.get_absolute_url()),
    }


def _decision_published_notice(pk: int) -> Notice | None:
    decision = _public_decision(pk)
    if decision is None or decision.is_withdrawn:
        return None
    context = _decision_context(decision)
    followed = Q(board_id=decision.maker_body_id)
    if decision.notice is not None and decision.notice.scrutiny_board_id is not None:
        followed |= Q(board_id=decision.notice.scrutiny_board_id)
    return Notice(
        subject=f"Decision published: {decision.title}",
        template="email/decision_published.txt",
        subscriptions=Subscription.objects.filter(followed),
        context_for=lambda audience: context,
    )


def _call_in_notice(step: str, pk: int) -> Notice | None:
    call_in = (
        CallIn.objects.select_related("board", "agenda_item__meeting__venue").filter(pk=pk).first()
    )
    decision = _public_decision(call_in.decision_id) if call_in is not None else None
    if call_in is None or decision is None:
        return None  # a call-in of a decision the public cannot see is nobody's e-mail
    what = CALL_IN_STEPS[step]
    if step == "checked":
        what = "found valid" if call_in.valid else "found not valid"
    context = {
        **_decision_context(decision),
        "call_in": call_in,
        "step": step,
        "meeting": call_in.agenda_item.meeting if call_in.agenda_item else None,
        "call_in_url": absolute(call_in.get_absolute_url()),
    }
    return Notice(
        subject=f"Call-in of {decision.title}: {what}",
        template="email/call_in.txt",
        subscriptions=Subscription.objects.filter(
            Q(board_id=call_in.board_id) | Q(board_id=decision.maker_body_id)
        ),
        context_for=lambda audience: context,
        people=call_in.signatories.all(),
    )


NOTICES: dict[str, Callable[[int], Notice | None]] = {
    PUBLICATION: _publication_notice,
    MINUTES_APPROVED: _minutes_notice,
    STAGE_CHANGE: _stage_change_notice,
    PROGRESS_UPDATE: functools.partial(_recommendation_notice, PROGRESS_UPDATE),
    JUDGEMENT: functools.partial(_recommendation_notice, JUDGEMENT),
    RESPONSE: functools.partial(_recommendation_notice, RESPONSE),
    DECISION_PUBLISHED: _decision_published_notice,
    **{f"{CALL_IN}{step}": functools.partial(_call_in_notice, step) for step in CALL_IN_STEPS},
}
