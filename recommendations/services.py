"""Writes for recommendations: adding them with their parts, responses, updates, judgements."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from boards import notifications, search
from boards import services as board_services
from boards.models import AgendaItem, Board, Meeting, Paper, Person, Post
from boards.uploads import safe_download_name
from inquiries.models import DesiredOutcome, Inquiry, Statement
from recommendations import tracking
from recommendations.models import (
    Judgement,
    ProgressUpdate,
    Recommendation,
    Response,
    TrackingCategory,
)


@transaction.atomic
def recommendation_add(
    *,
    statement: Statement,
    text: str,
    outcome: DesiredOutcome | None = None,
    addressees: list[Post] | tuple = (),
    deadline_on: datetime.date | None = None,
    deadline_precision: str = Recommendation.Precision.MONTH,
    deadline_wording: str = Recommendation.Wording.BY,
    report_back_to: Board | None = None,
    parts: list[str] | tuple = (),
) -> Recommendation:
    """The next numbered recommendation; its lettered parts, if any, are tracked separately and
    share its deadline and addressees."""
    if statement.is_published:
        raise ValidationError("The statement has been published: its recommendations are fixed.")
    number = (
        statement.recommendations.filter(parent__isnull=True).aggregate(last=Max("number"))["last"]
        or 0
    ) + 1
    common = {
        "statement": statement,
        "outcome": outcome,
        "number": number,
        "deadline_on": deadline_on,
        "deadline_precision": deadline_precision,
        "deadline_wording": deadline_wording,
        "report_back_to": report_back_to,
    }
    recommendation = Recommendation(text=text.strip(), **common)
    recommendation.full_clean()
    recommendation.save()
    recommendation.addressees.set(addressees)
    for position, part_text in enumerate((p for p in parts if p.strip()), start=1):
        part = Recommendation(
            parent=recommendation, position=position, text=part_text.strip(), **common
        )
        part.full_clean()
        part.save()
        part.addressees.set(addressees)
    search.refresh(recommendation)
    return recommendation


@transaction.atomic
def response_record(
    *,
    recommendation: Recommendation,
    decision: str,
    text: str,
    on: datetime.date,
    actioned_by: Post | None = None,
) -> Response:
    """The executive's response to a tracked recommendation or part. Once every one has a
    response, the inquiry moves to "response received"."""
    if recommendation.parts.exists():
        raise ValidationError("Respond to each lettered part of this recommendation.")
    if not recommendation.statement.is_published:
        raise ValidationError("The statement has not been published yet.")
    response = getattr(recommendation, "response", None) or Response(recommendation=recommendation)
    response.decision = decision
    response.text = text.strip()
    response.responded_on = on
    response.actioned_by = actioned_by
    response.full_clean()
    response.save()
    search.refresh(recommendation)
    notifications.recommendation_updated(event=notifications.RESPONSE, record=response)
    statement = recommendation.statement
    waiting = statement.recommendations.trackable().filter(response__isnull=True)
    if not waiting.exists():
        from inquiries.services import inquiry_advance

        inquiry_advance(statement.inquiry, Inquiry.Stage.RESPONSE_RECEIVED, on)
    return response


@transaction.atomic
def update_add(
    *,
    recommendation: Recommendation,
    on: datetime.date,
    text: str,
    author: Person | None = None,
    considered_at: AgendaItem | None = None,
    evidence: list | tuple = (),
) -> ProgressUpdate:
    if recommendation.parts.exists():
        raise ValidationError("Record progress against each lettered part.")
    update = ProgressUpdate(
        recommendation=recommendation,
        on=on,
        text=text.strip(),
        author=author,
        considered_at=considered_at,
    )
    update.full_clean()
    update.save()
    update.evidence.set(evidence)
    notifications.recommendation_updated(event=notifications.PROGRESS_UPDATE, record=update)
    return update


@transaction.atomic
def judgement_record(
    *,
    recommendation: Recommendation,
    category: TrackingCategory,
    on: datetime.date,
    considered_at: AgendaItem | None = None,
    note: str = "",
    by=None,
) -> Judgement:
    """The board's judgement; the latest one is the recommendation's current status."""
    if recommendation.parts.exists():
        raise ValidationError("Judge each lettered part.")
    judgement = Judgement.objects.create(
        recommendation=recommendation,
        category=category,
        on=on,
        considered_at=considered_at,
        note=note.strip(),
        by=by,
    )
    latest = recommendation.judgements.order_by("-on", "-pk").first()
    recommendation.current_category = latest.category
    recommendation.save(update_fields=["current_category", "modified"])
    notifications.recommendation_updated(event=notifications.JUDGEMENT, record=judgement)
    inquiry = recommendation.statement.inquiry
    from inquiries.services import inquiry_advance

    inquiry_advance(inquiry, Inquiry.Stage.MONITORING, on, by)
    return judgement


def tracking_to_agenda(
    *, inquiry: Inquiry, meeting: Meeting, today: datetime.date | None = None
) -> AgendaItem:
    """Put the inquiry's recommendation tracking on a meeting's agenda in one step. Once its
    statement is published, the item's paper is the tracking report as the public sees it
    today, a PDF stored like an uploaded paper, so it prints in the agenda pack."""
    if meeting.board_id != inquiry.board_id:
        raise ValidationError({"meeting": "Choose a meeting of the inquiry's board."})
    snapshot = None
    if Statement.objects.filter(inquiry=inquiry, published_on__isnull=False).exists():
        # Rendered before the transaction opens, so no write lock is held while it renders.
        snapshot = tracking.snapshot_pdf(inquiry=inquiry, today=today or timezone.localdate())
    with transaction.atomic():
        item = board_services.agenda_item_add(
            meeting=meeting,
            item=AgendaItem(
                kind=AgendaItem.Kind.REPORT,
                title=f"Recommendation tracking – {inquiry.title}",
                purpose=(
                    "To consider progress on the recommendations of the Board's "
                    f"{inquiry.title} and to judge the status of each."
                ),
                subject=inquiry.subject,
            ),
        )
        if snapshot is not None:
            _paper_from_pdf(item, *snapshot)
    return item


def tracking_report_attach(*, item: AgendaItem, inquiry: Inquiry, today: datetime.date) -> Paper:
    """The inquiry's tracking report, as the public sees it on ``today``, as a PDF paper on the
    item."""
    return _paper_from_pdf(item, *tracking.snapshot_pdf(inquiry=inquiry, today=today))


def _paper_from_pdf(item: AgendaItem, title: str, pdf: bytes) -> Paper:
    return board_services.paper_upload(
        paper=Paper(agenda_item=item, kind=Paper.Kind.REPORT, title=title[:300]),
        upload=SimpleUploadedFile(safe_download_name(title), pdf, content_type="application/pdf"),
    )
