"""Pages everyone reads (the public, councillors and staff), each through the visibility rule."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from boards import downloads, uploads
from boards.access import Ability, can_edit, has_ability
from boards.documents import agenda_for
from boards.models import Board, Meeting, Membership, MunicipalYear, Paper, Publication
from boards.services import recent_years_start
from boards.visibility import Audience

if TYPE_CHECKING:
    from boards.models.papers import VisiblePaper


@require_GET
def board_list(request: HttpRequest) -> HttpResponse:
    boards = Board.objects.only("name", "slug", "kind", "remit", "ends_on")
    return render(request, "boards/board_list.html", {"boards": boards})


@require_GET
def board_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A board: its members, its inquiries and its meetings. Meetings and inquiries of the
    current and previous municipal years (and those to come); each earlier year on a page of
    its own (``?year=2019`` for 2019/20), so that no page grows with the years held."""
    board = get_object_or_404(
        Board.objects.select_related("support_officer", "head_of_scrutiny", "successor"),
        slug=slug,
    )
    today = timezone.localdate()
    since = recent_years_start(today)
    years = list(
        MunicipalYear.objects.filter(meetings__board=board).distinct().order_by("-starts_on")
    )
    asked = request.GET.get("year", "")
    year = next((y for y in years if str(y.starts_on.year) == asked), None)
    if asked and year is None:
        messages.error(
            request,
            "The board has no meetings in that municipal year: showing the current and "
            "previous years.",
        )
    # The period shown: the current and previous municipal years and what is to come, or one
    # earlier year, to the day before the next one starts.
    start, end = since, None
    if year is not None:
        following = [y.starts_on for y in years if y.starts_on > year.starts_on]
        start = year.starts_on
        end = (
            min(following) - datetime.timedelta(days=1)
            if following
            else year.starts_on.replace(year=year.starts_on.year + 1)
        )
    # The seats held today, and those held in the period shown.
    today_held = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    period_held = Q(ends_on__isnull=True) | Q(ends_on__gte=start)
    if end is not None:
        period_held &= Q(starts_on__lte=end)
    held = today_held | period_held
    memberships = list(
        board.memberships.filter(held)
        .select_related("person__ward", "person__party")
        .order_by("-starts_on", "person__family_name")
    )
    current = [
        m for m in memberships if m.starts_on <= today and (m.ends_on is None or m.ends_on >= today)
    ]
    meetings = board.meetings.select_related("municipal_year", "venue").order_by(
        "-municipal_year__starts_on", "starts_at"
    )
    meetings = (
        meetings.filter(municipal_year=year)
        if year is not None
        else meetings.filter(municipal_year__starts_on__gte=since)
    )
    return render(
        request,
        "boards/board_detail.html",
        {
            "board": board,
            "current": sorted(current, key=_membership_order),
            # Those who sat on the board in the period shown, and no longer do.
            "history": [
                m
                for m in memberships
                if m not in current
                and (m.ends_on is None or m.ends_on >= start)
                and (end is None or m.starts_on <= end)
            ],
            "meetings": meetings,
            "year": year,
            "since": since,
            "period_start": start,
            "period_end": end,
            "earlier_years": [y for y in years if y.starts_on < since and y != year],
            "can_edit": can_edit(request.user, board),
            "predecessors": board.predecessors.only("name", "slug"),
        },
    )


ROLE_ORDER = [choice for choice, _label in Membership.Role.choices]


def _membership_order(membership: Membership) -> tuple:
    return (ROLE_ORDER.index(membership.role), membership.person.family_name)


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    meetings = Meeting.objects.for_list()
    board = None
    if slug := request.GET.get("board"):
        board = get_object_or_404(Board, slug=slug)
        meetings = meetings.filter(board=board)
    past = Paginator(meetings.past(now), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "boards/meeting_list.html",
        {
            "upcoming": meetings.upcoming(now),
            "past": past,
            "board": board,
            "boards": Board.objects.only("name", "slug"),
        },
    )


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.select_related("board", "venue", "compiler", "municipal_year"), pk=pk
    )
    audience = Audience.of(request.user)
    show_agenda = meeting.is_agenda_published or audience.sees_drafts_of(meeting.board_id)
    # The agenda's publication says when it went out (only its day, for some recorded
    # afterwards); officers and clerks see every publication, who made it and whether late.
    publications = (
        list(meeting.publications.select_related("published_by", "recorded_by"))
        if meeting.is_agenda_published
        else []
    )
    return render(
        request,
        "boards/meeting_detail.html",
        {
            "meeting": meeting,
            "items": agenda_for(meeting, audience) if show_agenda else [],
            "show_agenda": show_agenda,
            "agenda_publication": next(
                (record for record in publications if record.kind == Publication.Kind.AGENDA),
                None,
            ),
            "publications": publications if audience.sees_drafts_of(meeting.board_id) else [],
            "can_edit": can_edit(request.user, meeting.board),
            "can_publish": has_ability(request.user, Ability.PUBLISH_AGENDAS),
        },
    )


def _visible_paper(request: HttpRequest, pk: int) -> VisiblePaper:
    audience = Audience.of(request.user)
    queryset = Paper.objects.visible_to(audience).select_related(
        "agenda_item__meeting__board__support_officer", "report_of", "parent", "publication"
    )
    return get_object_or_404(queryset, pk=pk)


@require_GET
def paper_detail(request: HttpRequest, pk: int) -> HttpResponse:
    paper = _visible_paper(request, pk)
    sections = paper.sections.all() if paper.content_visible and paper.is_written else []
    appendices = Paper.objects.visible_to(Audience.of(request.user)).filter(parent=paper)
    return render(
        request,
        "boards/paper_detail.html",
        {
            "paper": paper,
            "sections": sections,
            "appendices": appendices,
            "item": paper.agenda_item,
            "can_edit": can_edit(request.user, paper.agenda_item.meeting.board),
        },
    )


@require_GET
def paper_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    paper = _visible_paper(request, pk)
    if not paper.content_visible or not paper.is_upload:
        raise Http404("No file to download.")
    return downloads.file_response(
        request,
        paper.file,
        modified=paper.modified,
        filename=uploads.safe_download_name(paper.title),
    )


@require_GET
def paper_original(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The Word or OpenDocument file a paper's PDF was made from, to whoever may read the paper
    (the same rule as its PDF). Tracked changes and comments were refused when it was uploaded
    (``boards.uploads.check_document``), so it says what its PDF says."""
    paper = _visible_paper(request, pk)
    if not paper.content_visible or not paper.original:
        raise Http404("No document to download.")
    kind = paper.original_extension.removeprefix(".")
    return downloads.file_response(
        request,
        paper.original,
        modified=paper.modified,
        as_attachment=True,
        content_type=uploads.DOCUMENT_CONTENT_TYPES[kind],
        filename=uploads.safe_download_name(paper.title, paper.original_extension),
    )
