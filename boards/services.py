"""Writes that touch several records or enforce the rules of meetings, agendas and papers."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_update_with_history

from boards import conversion, dates, files, formatting, publication, signals, uploads
from boards.models import (
    AgendaItem,
    AgendaTemplateItem,
    Board,
    Meeting,
    MunicipalYear,
    Paper,
    Publication,
    ReportSection,
    Subject,
    Venue,
    Ward,
)
from boards.models.papers import PaperQuerySet


@dataclass(frozen=True)
class StandardItem:
    kind: str
    title: str
    purpose: str


_APPEALS = StandardItem(
    AgendaItem.Kind.APPEALS,
    "Appeals against refusal of inspection of documents",
    "To consider any appeals in accordance with the Access to Information Procedure Rules "
    "(in the event of an appeal the press and public will be excluded).",
)
_EXEMPT_INFORMATION = StandardItem(
    AgendaItem.Kind.EXEMPT_INFORMATION,
    "Exempt information – possible exclusion of the press and public",
    "To highlight reports or appendices which officers have identified as containing exempt "
    "information, and to consider whether to exclude the press and public while they are "
    "considered.",
)
_LATE_ITEMS = StandardItem(
    AgendaItem.Kind.LATE_ITEMS,
    "Late items",
    "To identify items which have been admitted to the agenda by the Chair for consideration. "
    "(The special circumstances shall be specified in the minutes.)",
)
_DECLARATIONS = StandardItem(
    AgendaItem.Kind.DECLARATIONS,
    "Declaration of disclosable pecuniary interests",
    "To disclose or draw attention to any disclosable pecuniary interests for the purposes "
    "of Section 31 of the Localism Act 2011 and the Members' Code of Conduct.",
)
_APOLOGIES = StandardItem(
    AgendaItem.Kind.APOLOGIES,
    "Apologies for absence and notification of substitutes",
    "To receive any apologies for absence and notification of substitutes.",
)
_MINUTES = StandardItem(AgendaItem.Kind.MINUTES, "Minutes of the previous meeting", "")
_NEXT_MEETING = StandardItem(AgendaItem.Kind.NEXT_MEETING, "Date and time of next meeting", "")
# The items that open a formal committee's agenda, in the usual order.
_OPENING = [_APPEALS, _EXEMPT_INFORMATION, _LATE_ITEMS, _DECLARATIONS, _APOLOGIES, _MINUTES]

# The conventional opening and closing of a scrutiny board's agenda (see the reference pack).
STANDARD_AGENDA = [
    *_OPENING,
    StandardItem(
        AgendaItem.Kind.WORK_SCHEDULE,
        "Work schedule",
        "To consider the Scrutiny Board's work schedule for the municipal year.",
    ),
    _NEXT_MEETING,
]

# Each kind of body's standard agenda, given to a new body of that kind (and used by a body
# whose own has never been edited). The scrutiny standing items (the work schedule) are the
# scrutiny bodies' alone; the executive and full council set their own order.
STANDARD_AGENDAS: dict[str, list[StandardItem]] = {
    Board.Kind.SCRUTINY: STANDARD_AGENDA,
    Board.Kind.OVERVIEW: [
        *_OPENING,
        StandardItem(
            AgendaItem.Kind.WORK_SCHEDULE,
            "Work programme",
            "To consider the Committee's work programme for the municipal year.",
        ),
        _NEXT_MEETING,
    ],
    Board.Kind.EXECUTIVE: _OPENING,
    Board.Kind.COUNCIL: [
        StandardItem(AgendaItem.Kind.APOLOGIES, "Apologies for absence", ""),
        StandardItem(
            AgendaItem.Kind.MINUTES,
            "Minutes of the previous meeting",
            "To confirm the minutes of the last meeting of the Council.",
        ),
        _DECLARATIONS,
        StandardItem(
            AgendaItem.Kind.OTHER,
            "Communications",
            "To receive such communications as the Lord Mayor, the Leader, members of the "
            "Executive or the Chief Executive consider appropriate.",
        ),
        StandardItem(
            AgendaItem.Kind.OTHER,
            "Deputations",
            "To receive deputations in accordance with the Council Procedure Rules.",
        ),
    ],
    Board.Kind.REGULATORY: [*_OPENING, _NEXT_MEETING],
    Board.Kind.WORKING_GROUP: [_APOLOGIES, _DECLARATIONS, _MINUTES, _NEXT_MEETING],
    Board.Kind.OTHER: [*_OPENING, _NEXT_MEETING],
}
CLOSING_KINDS = (AgendaItem.Kind.WORK_SCHEDULE, AgendaItem.Kind.NEXT_MEETING)


def municipal_year_on(day: datetime.date) -> MunicipalYear:
    """The municipal year a day falls in, as recorded; or, unsaved, the one that would be
    recorded: a year not yet recorded starts on 1 May until the clerk records the date of its
    annual meeting. Reads only (one query)."""
    return _year_on(day, _years_near(day))


def _years_near(day: datetime.date) -> list[MunicipalYear]:
    """The years recorded as starting from three calendar years before ``day`` to its own:
    all that ``_year_on`` reads for that day, or for a day up to a year before it."""
    return list(
        MunicipalYear.objects.filter(
            starts_on__year__gte=day.year - 3, starts_on__year__lte=day.year
        ).order_by("starts_on")
    )


def _year_on(day: datetime.date, recorded: list[MunicipalYear]) -> MunicipalYear:
    """``municipal_year_on`` from the years recorded near the day (``_years_near``)."""
    covering = [year for year in recorded if year.starts_on <= day]
    if covering and day < _a_year_after(covering[-1].starts_on):
        return covering[-1]
    start_year = day.year if day >= datetime.date(day.year, 5, 1) else day.year - 1
    if any(year.starts_on.year == start_year and year.starts_on > day for year in recorded):
        # The day comes before that year's recorded annual meeting: it is in the year before.
        start_year -= 1
    found = next((year for year in recorded if year.starts_on.year == start_year), None)
    return found or MunicipalYear(starts_on=datetime.date(start_year, 5, 1))


def recent_years_start(day: datetime.date) -> datetime.date:
    """The first day of the municipal year before the one ``day`` falls in. Lists that would
    grow with every year held (a board's meetings and inquiries, the recommendation tracker)
    show the current and previous municipal years, from this day on, and link to the rest.
    Reads only (one query)."""
    recorded = _years_near(day)
    current = _year_on(day, recorded)
    return _year_on(current.starts_on - datetime.timedelta(days=1), recorded).starts_on


def municipal_year_for(day: datetime.date) -> MunicipalYear:
    """The municipal year a day falls in, recorded if it was not (``municipal_year_on``)."""
    year = municipal_year_on(day)
    if year.pk is None:
        year.save()
    return year


def _a_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28) + datetime.timedelta(days=1)


@transaction.atomic
def municipal_years_reassign() -> None:
    """After the clerk changes when a year starts, put every meeting in its right year."""
    for meeting in Meeting.objects.select_for_update().only("starts_at", "municipal_year_id"):
        year = municipal_year_for(meeting.date)
        if meeting.municipal_year_id != year.pk:
            meeting.municipal_year = year
            meeting.save(update_fields=["municipal_year", "modified"])


def standard_agenda(board: Board) -> list[StandardItem]:
    """The board's own standard agenda if it has one (every body set up here has), else the
    standard agenda of its kind."""
    rows = list(board.agenda_template.all())
    if rows:
        return [StandardItem(row.kind, row.title, row.purpose) for row in rows]
    return STANDARD_AGENDAS.get(board.kind, STANDARD_AGENDA)


@transaction.atomic
def board_numbering_set(
    *, board: Board, minute_numbering: str, minute_prefix: str, resolution_style: str
) -> Board:
    """How the body numbers its minutes from now on. Minutes already released or approved keep
    the numbers they were printed with (``minutes.services``)."""
    board.minute_numbering = minute_numbering
    board.minute_prefix = minute_prefix.strip()
    board.resolution_style = resolution_style
    board.full_clean()
    board.save(update_fields=["minute_numbering", "minute_prefix", "resolution_style", "modified"])
    return board


@transaction.atomic
def agenda_template_save(*, board: Board, items: list[StandardItem]) -> None:
    """Replace the board's standard agenda with ``items``, in their order (each line deleted and
    saved through the model, so its history keeps who changed it)."""
    for row in board.agenda_template.all():
        row.delete()
    for position, item in enumerate(items, start=1):
        AgendaTemplateItem.objects.create(
            board=board, position=position, kind=item.kind, title=item.title, purpose=item.purpose
        )


def _previous_meeting(board: Board, before: datetime.datetime) -> Meeting | None:
    return (
        board.meetings.filter(starts_at__lt=before)
        .exclude(status__in=[Meeting.Status.CANCELLED, Meeting.Status.POSTPONED])
        .order_by("-starts_at")
        .first()
    )


@transaction.atomic
def meeting_create(
    *,
    board: Board,
    starts_at: datetime.datetime,
    venue: Venue | None,
    pre_meeting_at: datetime.time | None = None,
    ends_at: datetime.datetime | None = None,
    recording_allowed: bool = True,
) -> Meeting:
    """A new meeting, its agenda opened with the board's standard items in their usual order.
    A body meets only while it exists: not once dissolved, and not outside its dates."""
    dates.check_plausible(timezone.localdate(starts_at), what="The date of the meeting")
    check_body_meets(board, timezone.localdate(starts_at))
    meeting = Meeting(
        board=board,
        municipal_year=municipal_year_for(timezone.localdate(starts_at)),
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        pre_meeting_at=pre_meeting_at,
        recording_allowed=recording_allowed,
        compiler=board.support_officer,
    )
    meeting.full_clean()
    meeting.save()
    previous = _previous_meeting(board, starts_at)
    for number, standard in enumerate(standard_agenda(board), start=1):
        item = AgendaItem(
            meeting=meeting,
            number=number,
            kind=standard.kind,
            title=standard.title,
            purpose=standard.purpose,
        )
        if standard.kind == AgendaItem.Kind.MINUTES and previous is not None:
            _name_minutes_item(item, previous)
        item.full_clean()
        item.save()
    return meeting


def check_body_meets(board: Board, day: datetime.date) -> None:
    """Refuse a meeting of a dissolved body, or one dated outside the body's life."""
    if board.is_dissolved:
        raise ValidationError(f"{board.dissolved_notice} It holds no new meetings.")
    if board.starts_on is not None and day < board.starts_on:
        raise ValidationError(
            {
                "date": f"{board.name} was set up on {formatting.long_date(board.starts_on)}: "
                "give a date from then on."
            }
        )
    if board.ends_on is not None and day > board.ends_on:
        raise ValidationError(
            {
                "date": f"{board.name}'s last day is {formatting.long_date(board.ends_on)}: "
                "give a date up to then."
            }
        )


def _name_minutes_item(item: AgendaItem, minutes_of: Meeting) -> None:
    held_on = formatting.short_date(minutes_of.starts_at)
    item.minutes_of = minutes_of
    item.title = f"Minutes – {held_on}"
    item.purpose = f"To confirm as a correct record the minutes of the meeting held on {held_on}."


def _next_number(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(last=Max("number"))["last"] or 0) + 1


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, item: AgendaItem, wards: Iterable[Ward] = ()
) -> AgendaItem:
    """Add an item: substantive items go before the work schedule and the next meeting's date."""
    if meeting.is_cancelled:
        raise ValidationError("This meeting has been cancelled: its agenda cannot change.")
    items = list(meeting.agenda_items.order_by("number"))
    closing = [existing for existing in items if existing.kind in CLOSING_KINDS]
    position = (
        closing[0].number if closing and item.kind not in CLOSING_KINDS else _next_number(meeting)
    )
    item.meeting = meeting
    item.number = position
    item.full_clean(exclude=["number"])
    _check_published_number(item)
    order = [existing.pk for existing in items]
    item.number = _next_number(meeting)
    item.save()
    order.insert(position - 1, item.pk)
    agenda_items_reorder(meeting=meeting, ordered_ids=order)
    item.refresh_from_db()
    item.wards.set(wards)
    signals.changed(item)
    return item


def _check_published_number(item: AgendaItem) -> None:
    """An item numbered as published ("5a") shares its number with no other item of the
    meeting, numbered either way."""
    number = item.published_number
    if not number:
        return
    clash = Q(published_number__iexact=number)
    if number.isdigit():  # the place of an item printed by its place
        clash |= Q(published_number="", number=int(number))
    if item.meeting.agenda_items.exclude(pk=item.pk).filter(clash).exists():
        raise ValidationError(
            {"published_number": f"Another item of this meeting is numbered {number}."}
        )


@transaction.atomic
def agenda_items_reorder(*, meeting: Meeting, ordered_ids: list[int]) -> None:
    """Number the meeting's items in the order given; numbering always follows the order."""
    items = {item.pk: item for item in meeting.agenda_items.select_for_update()}
    if sorted(ordered_ids) != sorted(items):
        raise ValidationError(
            "The agenda has changed since this page was loaded. Reload and try again."
        )
    changed = []
    # A renumbered item is changed: those who follow the record by when it last changed (the
    # API's modified_since, its caches) must see it, and a bulk update leaves auto_now alone.
    now = timezone.now()
    for number, pk in enumerate(ordered_ids, start=1):
        if items[pk].number != number:
            items[pk].number = number
            items[pk].modified = now
            changed.append(items[pk])
    if not changed:
        return
    # Step the changed items out of the way first, so no two share a number at any moment.
    offset = len(items) + 1000
    AgendaItem.objects.filter(pk__in=[item.pk for item in changed]).update(
        number=F("number") + offset
    )
    bulk_update_with_history(changed, AgendaItem, ["number", "modified"], batch_size=500)
    signals.changed(*changed)  # search results link to the item by its number


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, by: int) -> None:
    """Move an item up (by=-1) or down (by=+1)."""
    order = list(item.meeting.agenda_items.order_by("number").values_list("pk", flat=True))
    index = order.index(item.pk)
    target = min(max(index + by, 0), len(order) - 1)
    order.insert(target, order.pop(index))
    agenda_items_reorder(meeting=item.meeting, ordered_ids=order)


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by: User, reason: str = "") -> None:
    """An unpublished item is deleted with its papers; a published one is withdrawn, with a reason,
    and keeps its number."""
    if item.is_published:
        _withdraw(item, by=by, reason=reason, noun="item")
        return
    meeting = item.meeting
    for paper in item.papers.order_by("-parent_id"):
        _delete_unpublished_paper(paper)
    signals.removed(item)
    item.delete()
    agenda_items_reorder(
        meeting=meeting,
        ordered_ids=list(meeting.agenda_items.order_by("number").values_list("pk", flat=True)),
    )


def _delete_unpublished_paper(paper: Paper) -> None:
    for appendix in paper.appendices.all():
        _delete_unpublished_paper(appendix)
    _delete_after_commit(paper, paper.file.name, paper.original.name)
    paper.sections.all().delete()
    signals.removed(paper)
    paper.delete()


def _next_paper_position(item: AgendaItem) -> int:
    return (item.papers.aggregate(last=Max("position"))["last"] or 0) + 1


def _delete_after_commit(paper: Paper, *names: str | None) -> None:
    """Delete stored files of the paper once the change that let go of them commits."""
    storage = paper.file.storage
    for name in filter(None, names):
        transaction.on_commit(functools.partial(storage.delete, name))


@transaction.atomic
def paper_upload(*, paper: Paper, upload: UploadedFile | File) -> Paper:
    """Attach an uploaded paper, checked by its content, or replace its file. A PDF is stored
    with anything active (JavaScript, attachments, forms) removed, under a generated name, and
    its text is read for search (bounded, and never a reason to refuse the file). A Word or
    OpenDocument file is kept as the paper's original and queued for the task worker to convert
    (``paper_convert``): until its PDF is there the paper is left out of packs and holds up
    publication, so a published paper, which must never be without its PDF, takes only a
    PDF."""
    clean = uploads.clean_paper(upload, max_bytes=settings.PAPER_UPLOAD_MAX_BYTES)
    if clean.is_document and paper.pk and paper.is_published:
        # A published paper is never without its PDF, not even while a document converts.
        raise ValidationError(
            "This paper has been published, so it must keep a PDF at every moment. Upload the "
            "new version as a PDF, or withdraw the paper and attach the document as a new one."
        )
    # The files of a paper not yet published are deleted when replaced; a published paper's
    # stay, as its history names them.
    replaced = (paper.file.name, paper.original.name) if paper.pk and not paper.is_published else ()
    paper.position = paper.position if paper.pk else _next_paper_position(paper.agenda_item)
    paper.original_filename = (upload.name or "")[:255]
    paper.conversion_error = ""
    if clean.is_document:
        paper.original = File(upload, name=f"document.{clean.kind}")
        paper.original_size = upload.size
        paper.conversion = Paper.Conversion.WAITING
        paper.file = None
        paper.file_size = paper.page_count = None
        paper.text = ""
    else:
        paper.original = None
        paper.original_size = None
        paper.conversion = Paper.Conversion.NONE
        paper.file_size = clean.file.size
        paper.page_count = clean.pages
        paper.text = uploads.extract_text(clean.file)
        paper.file = clean.file
    paper.full_clean(exclude=["file", "original"])
    paper.save()
    _delete_after_commit(paper, *replaced)
    if clean.is_document:
        transaction.on_commit(functools.partial(_enqueue_conversion, paper.pk))
    signals.changed(paper)
    return paper


def _enqueue_conversion(paper_id: int) -> None:
    from boards.tasks import convert_paper  # the task module imports this one

    convert_paper.enqueue(paper_id)


@transaction.atomic
def paper_conversion_retry(*, paper: Paper) -> Paper:
    """Queue a document whose conversion failed, or stalled, for the worker again."""
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    if not (paper.conversion_failed or paper.conversion_stalled):
        raise ValidationError(
            "Only a document whose conversion failed, or has waited a long time, can be tried "
            "again."
        )
    paper.conversion = Paper.Conversion.WAITING
    paper.conversion_error = ""
    paper.save(update_fields=["conversion", "conversion_error", "modified"])
    transaction.on_commit(functools.partial(_enqueue_conversion, paper.pk))
    return paper


def paper_convert(*, paper_id: int) -> Paper | None:
    """Convert a paper's document to its PDF (the task worker runs this). The document is taken
    from storage, converted by LibreOffice to a tagged PDF (``boards.conversion``), and put
    through the checks and cleaning of an uploaded PDF; only then does the PDF become the
    paper's, with its text read for search. A failure is recorded on the paper in words the
    uploader can act on, and nothing of it is kept.

    Not one transaction: the conversion takes seconds, and holds no lock meanwhile. Safe to
    run again (a worker that died mid-way has its task run again), and a paper removed, or
    given a new file, while it ran is left as it now is. Returns the paper, or None when there
    was nothing to do."""
    with transaction.atomic():
        paper = Paper.objects.select_for_update().filter(pk=paper_id).first()
        if paper is None or not paper.original or not paper.is_converting:
            return None  # removed, given a PDF instead, or converted already
        paper.conversion = Paper.Conversion.CONVERTING
        paper.save(update_fields=["conversion", "modified"])
    original = paper.original.name or ""
    try:
        with files.local_copy(paper.original) as path:
            pdf = conversion.to_pdf(
                path, kind=paper.original_extension.removeprefix("."), title=paper.title
            )
        clean = uploads.clean_pdf(
            ContentFile(pdf, name="converted.pdf"),
            max_bytes=CONVERTED_PDF_MAX_RATIO * settings.PAPER_UPLOAD_MAX_BYTES,
        )
    except conversion.ConversionError as error:
        return _conversion_failed(paper_id, original, str(error))
    except ValidationError as error:
        return _conversion_failed(
            paper_id,
            original,
            f"The PDF made from it could not be used: {' '.join(error.messages)}",
        )
    except Exception:
        failed = _conversion_failed(
            paper_id,
            original,
            "Something went wrong while converting it. Try again, " + conversion.OR_TRY_A_PDF,
        )
        if failed is None:
            return None  # removed or given a new file meanwhile: what failed no longer matters
        raise  # recorded on the paper, and as a failed task for whoever watches the queue
    return _conversion_done(paper_id, original, clean)


# A PDF made from a document holds the same pictures, and may be somewhat larger than it.
CONVERTED_PDF_MAX_RATIO = 3


def _converting(paper_id: int, original: str) -> Paper | None:
    """The paper, locked, if it still waits for this conversion."""
    paper = Paper.objects.select_for_update().filter(pk=paper_id).first()
    if (
        paper is None
        or paper.original.name != original
        or paper.conversion != Paper.Conversion.CONVERTING
    ):
        return None
    return paper


@transaction.atomic
def _conversion_done(paper_id: int, original: str, clean: uploads.CleanPdf) -> Paper | None:
    paper = _converting(paper_id, original)
    if paper is None:
        return None
    paper.file_size = clean.file.size
    paper.page_count = clean.pages
    paper.text = uploads.extract_text(clean.file)
    paper.file = clean.file
    paper.conversion = Paper.Conversion.DONE
    paper.conversion_error = ""
    paper.full_clean(exclude=["file", "original"])
    paper.save()
    signals.changed(paper)  # its text reaches search; packs see a new part
    return paper


@transaction.atomic
def _conversion_failed(paper_id: int, original: str, message: str) -> Paper | None:
    paper = _converting(paper_id, original)
    if paper is None:
        return None
    paper.conversion = Paper.Conversion.FAILED
    paper.conversion_error = message
    paper.save(update_fields=["conversion", "conversion_error", "modified"])
    return paper


@transaction.atomic
def paper_write(
    *,
    paper: Paper,
    sections: Sequence[ReportSection] | None = None,
    removed: Sequence[ReportSection] = (),
) -> Paper:
    """Save a report written in the app. Given ``sections``, they become its sections, numbered
    1, 2, 3… in the order given (numbers step out of the way first, so no two share a number
    at any moment), and ``removed`` ones are deleted."""
    if not paper.pk:
        paper.position = _next_paper_position(paper.agenda_item)
    paper.full_clean()
    paper.save()
    if sections is not None:
        for section in removed:
            section.delete()
        paper.sections.update(number=F("number") + 1000)
        for number, section in enumerate(sections, start=1):
            section.paper = paper
            section.number = number
            section.full_clean()
            section.save()
    signals.changed(paper)
    return paper


PAPER_DETAILS = [
    "kind",
    "title",
    "parent",
    "exempt",
    "exempt_paragraph",
    "public_interest_reasoning",
]


@transaction.atomic
def paper_update(*, paper: Paper) -> Paper:
    """Save an uploaded paper's details (its title, kind and exemption), and nothing else: its
    file and conversion are the worker's to change, perhaps meanwhile."""
    paper.full_clean(exclude=["file", "original"])
    paper.save(update_fields=[*PAPER_DETAILS, "modified"])
    signals.changed(paper)
    return paper


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, wards: Iterable[Ward] | None = None) -> AgendaItem:
    """Save an item's details as the officer changed them (and the wards it affects)."""
    item.full_clean()
    _check_published_number(item)
    item.save()
    if wards is not None:
        item.wards.set(wards)
    signals.changed(item)
    return item


@transaction.atomic
def paper_withdraw(*, paper: Paper, by: User, reason: str) -> None:
    if not paper.is_published:
        _delete_unpublished_paper(paper)
        return
    _withdraw(paper, by=by, reason=reason, noun="paper")


def _withdraw(record: AgendaItem | Paper, *, by: User, reason: str, noun: str) -> None:
    """Published records are never deleted: withdrawn, with who, when and why."""
    if not reason.strip():
        raise ValidationError(
            {"reason": f"This {noun} has been published. Say why it is being withdrawn."}
        )
    record.withdrawn_at = timezone.now()
    record.withdrawn_by = by
    record.withdrawal_reason = reason.strip()
    record.save()
    signals.changed(record)  # its content leaves search and packs


def unpublished_items(meeting: Meeting):
    return meeting.agenda_items.filter(publication__isnull=True, withdrawn_at__isnull=True)


def unpublished_papers(meeting: Meeting):
    return Paper.objects.filter(
        agenda_item__meeting=meeting, publication__isnull=True, withdrawn_at__isnull=True
    )


@transaction.atomic
def agenda_publish(
    *,
    meeting: Meeting,
    by: User,
    late_reason: str = "",
    now: datetime.datetime | None = None,
) -> Publication:
    """Publish the agenda, or after it a supplement of the papers and items added since.

    Publication less than five clear working days before the meeting is late: it needs the
    reason, which is recorded with who published and when.
    """
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    kind, items, papers = _to_publish(meeting)
    today = timezone.localdate(now)
    late = publication.is_late(today, meeting.date)
    if late and not late_reason.strip():
        deadline = formatting.long_date(meeting.publication_deadline)
        raise ValidationError(
            {
                "late_reason": (
                    f"This is late: the deadline was {deadline}, five clear working days before "
                    "the meeting. Record why it is being published late."
                )
            }
        )
    record = Publication(
        meeting=meeting,
        kind=kind,
        published_at=now,
        published_by=by,
        deadline=meeting.publication_deadline,
        late=late,
        late_reason=late_reason.strip() if late else "",
    )
    return _put_out(record, items, papers)


@transaction.atomic
def agenda_record_published(
    *,
    meeting: Meeting,
    published_on: datetime.date,
    published_time: datetime.time | None = None,
    by: User,
    now: datetime.datetime | None = None,
) -> Publication:
    """Record that the agenda of a meeting already held, or a supplement to it, was published
    before it was entered here (a meeting held before the council used the app): on the day it
    went out, and at its time if that is known.

    It is dated as it was, never today. The deadline is the usual one and lateness comes from
    the real dates, but no reason is asked for (nobody can now say why it was late); who
    recorded it and when are kept instead. Its items and papers are published as usual, and
    ``agenda_published`` is sent as for any publication: listeners that announce news see
    ``publication.is_recorded_afterwards`` and stay silent.
    """
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.starts_at > now:
        raise ValidationError(
            "This meeting has not taken place yet: publish its papers rather than record an "
            "earlier publication."
        )
    kind, items, papers = _to_publish(meeting)
    record = Publication(
        meeting=meeting,
        kind=kind,
        published_at=_recorded_publication_moment(meeting, published_on, published_time, now),
        published_time_known=published_time is not None,
        deadline=meeting.publication_deadline,
        late=publication.is_late(published_on, meeting.date),
        recorded_at=now,
        recorded_by=by,
    )
    return _put_out(record, items, papers)


def _to_publish(meeting: Meeting) -> tuple[str, QuerySet[AgendaItem], QuerySet[Paper]]:
    """What a publication of the meeting's papers would put out: the agenda, or after it a
    supplement of the items and papers added since."""
    if meeting.is_cancelled:
        raise ValidationError("This meeting has been cancelled: there is nothing to publish.")
    items = unpublished_items(meeting)
    papers = unpublished_papers(meeting)
    kind = Publication.Kind.SUPPLEMENT if meeting.is_agenda_published else Publication.Kind.AGENDA
    if kind == Publication.Kind.AGENDA and not items.exists():
        raise ValidationError("The agenda has no items to publish.")
    if kind == Publication.Kind.SUPPLEMENT and not (items.exists() or papers.exists()):
        raise ValidationError("Nothing has been added since the agenda was published.")
    _check_converted(papers)
    return kind, items, papers


def _check_converted(papers: PaperQuerySet[Paper]) -> None:
    """Nothing is published without its PDF: a document still being converted, or whose
    conversion failed, holds up the publication, saying which it is and what to do."""
    for paper in papers.unconverted().order_by("agenda_item__number", "position"):
        if paper.conversion_failed:
            raise ValidationError(
                f"“{paper.title}” could not be converted to PDF: {paper.conversion_error} "
                "Upload it again, or remove it, before publishing."
            )
        raise ValidationError(
            f"“{paper.title}” is still being converted to PDF. Publish once it is ready "
            "(it usually takes less than a minute), or remove it."
        )


def _recorded_publication_moment(
    meeting: Meeting,
    published_on: datetime.date,
    published_time: datetime.time | None,
    now: datetime.datetime,
) -> datetime.datetime:
    """When a publication recorded afterwards went out: not in the future, not after the
    meeting began, not more than a year before it, and not before the meeting's last
    publication. Only the day known, it is dated at the start of that day (or, on the day of
    the last publication, with it, so that it still follows it)."""
    if published_on > timezone.localdate(now):
        raise ValidationError(
            {"published_on": "That date is still to come: give the date it was published."}
        )
    if published_on > meeting.date:
        raise ValidationError(
            {
                "published_on": (
                    "That is after the meeting: papers are published on or before the day of "
                    f"the meeting, {formatting.long_date(meeting.date)}."
                )
            }
        )
    earliest = publication.earliest_recorded_publication(meeting.date)
    if published_on < earliest:
        raise ValidationError(
            {
                "published_on": (
                    "That is more than a year before the meeting: check the year. The earliest "
                    f"date it can be is {formatting.long_date(earliest)}."
                )
            }
        )
    last = meeting.publications.order_by("-published_at", "-pk").first()
    if last is not None and published_on < timezone.localdate(last.published_at):
        raise ValidationError(
            {
                "published_on": (
                    f"{_last_publication(last)} was published on "
                    f"{formatting.long_date(last.published_at)}: a supplement cannot be dated "
                    "before it."
                )
            }
        )
    moment = timezone.make_aware(
        datetime.datetime.combine(published_on, published_time or datetime.time.min)
    )
    if published_time is None:
        return max(moment, last.published_at) if last is not None else moment
    if moment > now:
        raise ValidationError({"published_time": "That time is still to come today."})
    if moment > meeting.starts_at:
        raise ValidationError(
            {
                "published_time": (
                    f"That is after the meeting began, at {formatting.clock(meeting.starts_at)}: "
                    "give an earlier time, or leave the time out."
                )
            }
        )
    if last is not None and moment < last.published_at:
        raise ValidationError(
            {
                "published_time": (
                    f"{_last_publication(last)} was published at "
                    f"{formatting.clock(last.published_at)} that day: a supplement cannot be "
                    "dated before it."
                )
            }
        )
    return moment


def _last_publication(record: Publication) -> str:
    return "The agenda" if record.kind == Publication.Kind.AGENDA else "The last supplement"


def _put_out(
    record: Publication, items: QuerySet[AgendaItem], papers: QuerySet[Paper]
) -> Publication:
    """Save the publication, publish its items and papers with it, and announce it."""
    record.full_clean()
    record.save()
    for item in items:
        item.publication = record
        item.save(update_fields=["publication", "modified"])
    for paper in papers:
        paper.publication = record
        paper.save(update_fields=["publication", "modified"])
    meeting = record.meeting
    if record.kind == Publication.Kind.AGENDA:
        meeting.agenda_published_at = record.published_at
        if meeting.status == Meeting.Status.SCHEDULED:
            meeting.status = Meeting.Status.AGENDA_PUBLISHED
        meeting.save(update_fields=["agenda_published_at", "status", "modified"])
    signals.agenda_published.send(sender=Publication, publication=record)
    return record


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str) -> Meeting:
    return _meeting_stop(meeting=meeting, status=Meeting.Status.CANCELLED, reason=reason)


@transaction.atomic
def meeting_postpone(*, meeting: Meeting, reason: str) -> Meeting:
    """Postponed until a new date is set (by moving it); it keeps its agenda."""
    return _meeting_stop(meeting=meeting, status=Meeting.Status.POSTPONED, reason=reason)


def _meeting_stop(*, meeting: Meeting, status: str, reason: str) -> Meeting:
    if not reason.strip():
        verb = "cancelled" if status == Meeting.Status.CANCELLED else "postponed"
        raise ValidationError({"reason": f"Say why the meeting is {verb}; the public will see it."})
    if meeting.is_cancelled:
        raise ValidationError("This meeting has already been cancelled.")
    meeting.status = status
    meeting.status_reason = reason.strip()
    meeting.sequence = F("sequence") + 1
    meeting.save()
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def meeting_move(
    *, meeting: Meeting, starts_at: datetime.datetime, reason: str, correction: bool = False
) -> Meeting:
    """Move a meeting to a new date or time; it stays the same meeting (calendars follow it).

    A correction puts right a date entered wrongly (the meeting was never at the old one): the
    page does not announce a move, and the change and its reason stay in the meeting's history.
    """
    if not reason.strip():
        raise ValidationError(
            {
                "reason": "Say what was wrong with the date."
                if correction
                else "Say why the meeting is moving; the public will see it."
            }
        )
    if meeting.is_cancelled and not correction:
        raise ValidationError("A cancelled meeting cannot be moved: schedule a new one.")
    dates.check_plausible(timezone.localdate(starts_at), what="The new date")
    if meeting.ends_at is not None:
        meeting.ends_at = starts_at + (meeting.ends_at - meeting.starts_at)
    if correction:
        meeting._change_reason = f"Date corrected: {reason.strip()}"  # type: ignore[attr-defined]
    else:
        meeting.moved_from = meeting.starts_at
        if meeting.status == Meeting.Status.POSTPONED:
            published = meeting.is_agenda_published
            meeting.status = (
                Meeting.Status.AGENDA_PUBLISHED if published else Meeting.Status.SCHEDULED
            )
        meeting.status_reason = reason.strip()
    meeting.starts_at = starts_at
    meeting.municipal_year = municipal_year_for(timezone.localdate(starts_at))
    meeting.sequence = F("sequence") + 1
    meeting.save()
    meeting.refresh_from_db()
    for item in AgendaItem.objects.filter(minutes_of=meeting, publication__isnull=True):
        _name_minutes_item(item, meeting)
        item.save()
        signals.changed(item)
    signals.meeting_moved.send(sender=Meeting, meeting=meeting)
    return meeting


# Subjects: the council's, not one board's ------------------------------------------------------

# Addresses under /subjects/ that a subject's slug must not take.
SUBJECT_RESERVED_SLUGS = {"new"}


def _subject_slug(title: str) -> str:
    """A new subject's address, fixed once made (links to its history must keep working). The
    addresses ``inquiry-…`` are the inquiries' own."""
    base = slugify(title)[:100] or "subject"
    if base.startswith("inquiry") or base in SUBJECT_RESERVED_SLUGS:
        base = f"subject-{base}"[:100]
    slug, n = base, 2
    while Subject.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_subject_title(subject: Subject) -> None:
    """One subject a title: a second would split its history in two."""
    same = Subject.objects.filter(title__iexact=subject.title).exclude(pk=subject.pk).first()
    if same is not None:
        raise ValidationError(
            {"title": f"There is already a subject called “{same.title}”: choose it instead."}
        )


@transaction.atomic
def subject_create(*, title: str, description: str = "") -> Subject:
    subject = Subject(title=" ".join(title.split()), description=description.strip())
    subject.slug = _subject_slug(subject.title)
    subject.full_clean()
    _check_subject_title(subject)
    subject.save()
    return subject


@transaction.atomic
def subject_update(*, subject: Subject, title: str, description: str) -> Subject:
    """A subject's title and description; its address stays as it was."""
    subject.title = " ".join(title.split())
    subject.description = description.strip()
    subject.full_clean()
    _check_subject_title(subject)
    subject.save()
    return subject


@transaction.atomic
def agenda_item_subject_set(*, item: AgendaItem, subject: Subject | None) -> AgendaItem:
    """File the item under a subject (or under none): the subject's history lists it from then
    on. The item's own text, and so what was published, does not change."""
    item.subject = subject
    item.save(update_fields=["subject", "modified"])
    return item
