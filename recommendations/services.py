"""Writes for statements and recommendations: sections of the statement, recommendations with
their parts, publishing, responses, updates, judgements, and tracking on a meeting's agenda."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from boards import services as board_services
from boards import signals
from boards.dates import response_due
from boards.models import AgendaItem, Board, Meeting, Paper, Person, Post
from boards.uploads import safe_download_name
from inquiries.models import Inquiry
from inquiries.services import inquiry_advance
from recommendations import tracking
from recommendations.models import (
    Appendix,
    DesiredOutcome,
    Footnote,
    Judgement,
    Paragraph,
    ProgressUpdate,
    Recommendation,
    Response,
    Section,
    Statement,
    TrackingCategory,
)
from recommendations.signals import tracking_recorded


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
    signals.changed(recommendation)
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
    signals.changed(recommendation)
    tracking_recorded.send(sender=Response, record=response)
    statement = recommendation.statement
    waiting = statement.recommendations.trackable().filter(response__isnull=True)
    if not waiting.exists():
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
    tracking_recorded.send(sender=ProgressUpdate, record=update)
    return update


@transaction.atomic
def judgement_record(
    *,
    recommendation: Recommendation,
    category: TrackingCategory,
    on: datetime.date,
    considered_at: AgendaItem | None = None,
    note: str = "",
    by: User | None = None,
) -> Judgement:
    """The board's judgement; the latest one is the recommendation's current status."""
    if recommendation.parts.exists():
        raise ValidationError("Judge each lettered part.")
    if category.is_retired:
        raise ValidationError({"category": f"“{category}” has been retired: choose another."})
    judgement = Judgement.objects.create(
        recommendation=recommendation,
        category=category,
        on=on,
        considered_at=considered_at,
        note=note.strip(),
        by=by,
    )
    latest = recommendation.judgements.latest("on", "pk")
    recommendation.current_category = latest.category
    recommendation.save(update_fields=["current_category", "modified"])
    tracking_recorded.send(sender=Judgement, record=judgement)
    inquiry = recommendation.statement.inquiry
    inquiry_advance(inquiry, Inquiry.Stage.MONITORING, on, by)
    return judgement


@transaction.atomic
def statement_save(
    *,
    statement: Statement,
    outcomes: Sequence[DesiredOutcome] = (),
    appendices: Sequence[Appendix] = (),
    removed: Sequence[DesiredOutcome | Appendix] = (),
) -> Statement:
    """The statement's cover; its desired outcomes, numbered 1, 2, 3… in the order given; its
    appendices, a new one numbered after the last; ``removed`` outcomes and appendices
    deleted (a recommendation that served a removed outcome keeps its place, unassigned)."""
    statement.full_clean()
    statement.save()
    for record in removed:
        record.delete()
    # Step the kept outcomes out of the way first, so no two share a position at any moment.
    for position, outcome in enumerate(outcomes, start=1):
        outcome.statement = statement
        outcome.position = position + 1000
        outcome.full_clean()
        outcome.save()
    for position, outcome in enumerate(outcomes, start=1):
        outcome.position = position
        outcome.save(update_fields=["position"])
    numbered = statement.appendices.aggregate(last=Max("position"))["last"] or 0
    for appendix in appendices:
        appendix.statement = statement
        if appendix.pk is None:
            numbered += 1
            appendix.position = numbered
        appendix.full_clean()
        appendix.save()
    signals.changed(statement)
    return statement


FOOTNOTE = re.compile(r"^\[\^(\d+)\]:\s*(.+)$")
MARKER = re.compile(r"\[\^(\d+)\]")
BLANK_LINE = re.compile(r"\n[ \t]*\n")


@transaction.atomic
def section_add(*, statement: Statement, heading: str, body: str) -> Section:
    """A new section after the last, with its text (``section_save``)."""
    last = statement.sections.aggregate(last=Max("position"))["last"] or 0
    section = Section(statement=statement, position=last + 1, heading=heading)
    section.full_clean()
    section.save()
    return section_save(section=section, body=body)


@transaction.atomic
def section_save(*, section: Section, body: str, heading: str | None = None) -> Section:
    """A section's text (and heading, if given): paragraphs split at blank lines and numbered
    through the whole statement; lines like "[^3]: text" become footnotes of the paragraph that
    marks [^3]."""
    if heading is not None:
        section.heading = heading
        section.full_clean()
        section.save()
    blocks = [b.strip() for b in BLANK_LINE.split(body.replace("\r\n", "\n")) if b.strip()]
    notes = {}
    paragraphs = []
    for block in blocks:
        lines = block.split("\n")
        kept = []
        for line in lines:
            if match := FOOTNOTE.match(line.strip()):
                notes[match.group(1)] = match.group(2)
            else:
                kept.append(line)
        if kept:
            paragraphs.append("\n".join(kept))
    section.paragraphs.all().delete()
    for text in paragraphs:
        paragraph = Paragraph.objects.create(section=section, number=0, text=text)
        for marker in dict.fromkeys(MARKER.findall(text)):  # each footnote once
            if marker in notes:
                Footnote.objects.create(paragraph=paragraph, number=int(marker), text=notes[marker])
    renumber_paragraphs(section.statement)
    signals.changed(section.statement)
    return section


def renumber_paragraphs(statement: Statement) -> None:
    paragraphs = Paragraph.objects.filter(section__statement=statement).order_by(
        "section__position", "pk"
    )
    for number, paragraph in enumerate(paragraphs, start=1):
        if paragraph.number != number:
            paragraph.number = number
            paragraph.save(update_fields=["number", "modified"])


@transaction.atomic
def statement_publish(
    *,
    statement: Statement,
    on: datetime.date,
    response_due_on: datetime.date | None = None,
    by: User | None = None,
) -> Statement:
    """Publish the statement: the executive's response is due two months later (editable)."""
    if statement.is_published:
        raise ValidationError("This statement has already been published.")
    if not statement.recommendations.exists():
        raise ValidationError("A statement needs at least one recommendation before publishing.")
    statement.published_on = on
    statement.response_due_on = response_due_on or response_due(on)
    statement.full_clean()
    statement.save()
    # Search dates it from publication, and its recommendations become public with it.
    signals.changed(statement, *statement.recommendations.filter(parent__isnull=True))
    inquiry_advance(statement.inquiry, Inquiry.Stage.PUBLISHED, on, by)
    return statement


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


# The council's tracking categories --------------------------------------------------------------


@transaction.atomic
def tracking_category_save(*, category: TrackingCategory) -> TrackingCategory:
    """Add a category, last in the order, or save the changes to one. Judgements recorded keep
    theirs: they show its new name and colour, and its history keeps what it was."""
    if category.pk is None:
        last = TrackingCategory.objects.aggregate(last=Max("position"))["last"]
        category.position = (last or 0) + 1
    same = TrackingCategory.objects.filter(name__iexact=category.name.strip())
    if same.exclude(pk=category.pk).exists():
        raise ValidationError({"name": "Another category has this name: choose another."})
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def tracking_category_move(*, category: TrackingCategory, by: int) -> None:
    """Move a category up (``by=-1``) or down (``by=1``) in the order the pages show them."""
    ordered = list(TrackingCategory.objects.select_for_update())
    index = next(i for i, each in enumerate(ordered) if each.pk == category.pk)
    target = min(max(index + by, 0), len(ordered) - 1)
    ordered.insert(target, ordered.pop(index))
    for position, each in enumerate(ordered, start=1):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position", "modified"])


def _keep_one_offered(category: TrackingCategory) -> None:
    if not TrackingCategory.objects.offered().exclude(pk=category.pk).exists():
        raise ValidationError(
            f"“{category}” is the only category left for the board's judgements: add another "
            "before you retire or remove it."
        )


@transaction.atomic
def tracking_category_retire(*, category: TrackingCategory) -> TrackingCategory:
    """No longer offered for new judgements; the judgements recorded keep it, and the pages
    still show it on them."""
    if category.is_retired:
        return category
    _keep_one_offered(category)
    category.retired_at = timezone.now()
    category.save(update_fields=["retired_at", "modified"])
    return category


@transaction.atomic
def tracking_category_restore(*, category: TrackingCategory) -> TrackingCategory:
    """Offer a retired category for new judgements again."""
    category.retired_at = None
    category.save(update_fields=["retired_at", "modified"])
    return category


@transaction.atomic
def tracking_category_remove(*, category: TrackingCategory) -> None:
    """Remove a category no judgement has used. One in use is refused: it is retired instead,
    so that no recorded judgement loses its category."""
    used = Judgement.objects.filter(category=category).count()
    if used or Recommendation.objects.filter(current_category=category).exists():
        raise ValidationError(
            f"“{category}” is the board's judgement in {used} recorded "
            f"judgement{'s' if used != 1 else ''}, so it cannot be removed. Retire it instead: "
            "it will no longer be offered, and the judgements keep it."
        )
    _keep_one_offered(category)
    category.delete()
