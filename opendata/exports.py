"""CSV downloads that open in a spreadsheet as they are: UTF-8 with a byte order mark (which
Excel needs to read it as UTF-8), ISO dates, formulas defused.

The recommendation tracker, for a board or one inquiry: one row per tracked recommendation (each
lettered part, or a recommendation without parts), through the same visibility rule as the
tracking pages, so the public gets the recommendations of published statements only. A board's
has its open recommendations and those closed in the current and previous municipal years, as
its page does; every one with ``?show=all``. The
attendance report: one row per member per body, the report its page and PDF show
(``minutes.people.attendance_report``), from the minutes the visitor may read."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from boards.models import Board, Person
from boards.services import recent_years_start
from boards.visibility import Audience
from inquiries.models import Inquiry
from minutes.people import Figures, attendance_report_asked
from minutes.people_views import bad_request
from recommendations.models import ProgressUpdate, Recommendation, RecommendationQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Tracking(TypedDict):
    """What ``with_tracking()`` prefetches besides related rows: a list of the newest progress
    update, or none."""

    newest_updates: list[ProgressUpdate]


if TYPE_CHECKING:
    type TrackedRecommendation = WithAnnotations[Recommendation, Tracking]

HEADER = [
    "Inquiry",
    "Reference",
    "Recommendation",
    "Part",
    "Deadline",
    "Deadline as written",
    "Response",
    "Response date",
    "Response text",
    "Latest update date",
    "Latest update",
    "Category",
    "Overdue",
    "Web page",
]

# A cell starting with one of these is a formula to a spreadsheet ("CSV injection"); a leading
# apostrophe makes it text, which is how spreadsheets themselves mark text that looks like one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def rows_for(
    audience: Audience,
    *,
    board: Board | None = None,
    inquiry: Inquiry | None = None,
    since: datetime.date | None = None,
) -> QuerySet[TrackedRecommendation]:
    """The tracked recommendations the audience may see, with everything a row shows, in
    three queries whatever their number. ``since``: only those still monitored and those
    closed on or after that day."""
    # The declared type of with_tracking() does not name the list it prefetches.
    recommendations = cast(
        "QuerySet[TrackedRecommendation]",
        Recommendation.objects.visible_to(audience).trackable().with_tracking(),
    )
    if inquiry is not None:
        recommendations = recommendations.filter(statement__inquiry=inquiry)
    if board is not None:
        recommendations = recommendations.filter(statement__inquiry__board=board)
    if since is not None:
        recommendations = cast(
            "QuerySet[TrackedRecommendation]",
            cast("RecommendationQuerySet", recommendations).open_or_closed_since(since),
        )
    return recommendations.order_by(
        "statement__inquiry__title", "statement_id", "number", "position"
    )


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def row(recommendation: TrackedRecommendation, today: datetime.date, base_url: str) -> list[str]:
    parent = recommendation.parent
    response = getattr(recommendation, "response", None)
    update = recommendation.newest_updates[0] if recommendation.newest_updates else None
    values = [
        recommendation.statement.inquiry.title,
        recommendation.reference,
        parent.text if parent else recommendation.text,
        recommendation.text if parent else "",
        recommendation.deadline_on,
        recommendation.deadline_text,
        response.get_decision_display() if response else "",
        response.responded_on if response else None,
        response.text if response else "",
        update.on if update else None,
        update.text if update else "",
        recommendation.current_category.name if recommendation.current_category else "",
        "Yes" if recommendation.is_overdue(today) else "No",
        f"{base_url}{recommendation.get_absolute_url()}",
    ]
    return [cell(value) for value in values]


def csv_text(header: list[str], rows: Iterable[list[str]]) -> str:
    """The CSV text, byte order mark first; rows end in CRLF, as RFC 4180 and Excel expect."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def tracker_csv(
    recommendations: Iterable[TrackedRecommendation], *, today: datetime.date, base_url: str
) -> str:
    return csv_text(HEADER, (row(r, today, base_url) for r in recommendations))


# The downloads: for everyone, through the visibility rule (drafts for officers and clerks only).


def _csv_response(
    request: HttpRequest, recommendations: Iterable[TrackedRecommendation], filename: str
) -> HttpResponse:
    text = tracker_csv(
        recommendations,
        today=timezone.localdate(),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return _download(text, filename)


def _download(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def board_tracking_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """A board's tracker: its open recommendations and those closed in the current and
    previous municipal years, as its page lists them; every one with ``?show=all``."""
    board = get_object_or_404(Board, slug=slug)
    today = timezone.localdate()
    every = request.GET.get("show") == "all"
    recommendations = rows_for(
        Audience.of(request.user),
        board=board,
        since=None if every else recent_years_start(today),
    )
    name = f"recommendations-{board.slug}{'-all' if every else ''}-{today.isoformat()}.csv"
    return _csv_response(request, recommendations, name)


@require_GET
def inquiry_tracking_csv(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = get_object_or_404(Inquiry, slug=slug)
    recommendations = rows_for(Audience.of(request.user), inquiry=inquiry)
    today = timezone.localdate().isoformat()
    return _csv_response(request, recommendations, f"recommendations-{inquiry.slug}-{today}.csv")


# The attendance report, asked for as its page is (``?board=&date_from=&date_to=``).

ATTENDANCE_HEADER = [
    "Councillor",
    "Ward",
    "Party",
    "Body",
    "Expected",
    "Present",
    "Apologies",
    "Absent",
    "Not recorded",
    "Substituted",
    "As a substitute",
    "Web page",
]


def attendance_row(figures: Figures, base_url: str) -> list[str]:
    person = figures.person
    page = (
        f"{base_url}{reverse('minutes:councillor-detail', args=[person.pk])}"
        if person.kind == Person.Kind.COUNCILLOR
        else ""
    )
    values = [
        person.full_name,
        person.ward.name if person.ward else "",
        person.party.name if person.party else "",
        figures.board.name,
        *figures.counts.values(),
        page,
    ]
    return [cell(value) for value in values]


@require_GET
def attendance_csv(request: HttpRequest) -> HttpResponse:
    form, report = attendance_report_asked(
        request.GET, Audience.of(request.user), timezone.localdate()
    )
    if form.errors:
        return bad_request(form)
    base_url = request.build_absolute_uri("/").rstrip("/")
    text = csv_text(ATTENDANCE_HEADER, (attendance_row(row, base_url) for row in report.rows))
    period = "-".join(
        day.isoformat() for day in (report.starts_on, report.ends_on) if day is not None
    )
    name = "-".join(
        part for part in ("attendance", report.board and report.board.slug, period) if part
    )
    return _download(text, f"{name}.csv")
