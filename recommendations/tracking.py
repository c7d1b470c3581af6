"""The recommendation tracking report of a board or of one inquiry: each tracked recommendation
(a lettered part, or a recommendation without parts) with its deadline, the executive's
response, the latest progress update and the board's current judgement. The page, its PDF and
the paper put into a meeting's pack are all rendered from ``report()`` and one document."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from boards import printing
from boards.models import Board, Council
from boards.visibility import Audience
from inquiries.models import Inquiry
from recommendations.models import Recommendation, Statement, TrackingCategory

DOCUMENT = "print/tracking_report.html"


@dataclass
class InquiryTracking:
    """One inquiry's part of the report."""

    inquiry: Inquiry
    statement: Statement
    today: datetime.date
    recommendations: list[Recommendation] = field(default_factory=list)
    progress: list[dict] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.recommendations if r.is_overdue(self.today))


def title(*, board: Board | None = None, inquiry: Inquiry | None = None) -> str:
    if inquiry is not None:
        return f"Recommendation tracking: {inquiry.title}"
    if board is None:
        raise ValueError("A tracking report is of a board or of an inquiry.")
    return f"Recommendation tracking: {board.name}"


def report(
    *,
    audience: Audience,
    today: datetime.date,
    board: Board | None = None,
    inquiry: Inquiry | None = None,
    since: datetime.date | None = None,
) -> dict:
    """The report's context: for a board, grouped by inquiry (by title); for an inquiry, its
    own. Only what the audience may see: the public and councillors see the recommendations of
    published statements only. ``since``: only those still monitored and those closed since
    that day, with the number left out (``earlier``). A fixed number of queries, whatever the
    number of rows."""
    if (board is None) == (inquiry is None):
        raise ValueError("A tracking report is of a board or of an inquiry.")
    recommendations = Recommendation.objects.visible_to(audience).trackable().with_tracking()
    if inquiry is not None:
        board = inquiry.board
        recommendations = recommendations.filter(statement__inquiry=inquiry)
    else:
        recommendations = recommendations.filter(statement__inquiry__board=board)
    every = recommendations
    if since is not None:
        recommendations = recommendations.open_or_closed_since(since)
    groups: dict[int, InquiryTracking] = {}
    for recommendation in recommendations.order_by(
        "statement__inquiry__title", "statement_id", "number", "position"
    ):
        statement = recommendation.statement
        group = groups.get(statement.pk)
        if group is None:
            group = groups[statement.pk] = InquiryTracking(
                inquiry=statement.inquiry, statement=statement, today=today
            )
        group.recommendations.append(recommendation)
    categories = list(TrackingCategory.objects.all())
    for group in groups.values():
        group.progress = progress(group.recommendations, categories)
    shown = sum(len(group.recommendations) for group in groups.values())
    return {
        "board": board,
        "inquiry": inquiry,
        "groups": list(groups.values()),
        "categories": categories,
        "today": today,
        "since": since,
        "earlier": every.count() - shown if since is not None else 0,
        "report_title": title(board=board, inquiry=inquiry),
    }


def snapshot_pdf(*, inquiry: Inquiry, today: datetime.date) -> tuple[str, bytes]:
    """The inquiry's tracking report as the public would print it today, for a meeting's pack:
    the same document as the page and its PDF, without its own page numbers (the pack numbers
    every page). Returns the title and the PDF's bytes."""
    context = report(audience=Audience.public(), today=today, inquiry=inquiry)
    context.update({"council": Council.load(), "printed": True, "in_pack": True})
    name = title(inquiry=inquiry)
    return name, printing.render_pdf(DOCUMENT, context, title=name)


def tracked(statement: Statement | None, audience: Audience):
    """The statement's tracked recommendations (parts, or whole ones without parts) that the
    audience may see, with their response, current category and latest update."""
    if statement is None or not statement.is_visible_to(audience):
        return []
    return list(
        Recommendation.objects.filter(statement=statement)
        .trackable()
        .with_tracking()
        .select_related("outcome")
        .order_by("number", "position")
    )


def progress(recommendations, categories=None) -> list[dict]:
    """Counts per tracking category, in the council's order, for the progress bar."""
    counts = Counter(r.current_category_id for r in recommendations)
    total = len(recommendations) or 1
    rows, offset = [], 0.0
    for category in categories if categories is not None else TrackingCategory.objects.all():
        if counts[category.pk]:
            share = 100 * counts[category.pk] / total
            rows.append(
                {
                    "category": category,
                    "count": counts[category.pk],
                    "share": share,
                    "offset": offset,
                }
            )
            offset += share
    if counts[None]:
        share = 100 * counts[None] / total
        rows.append({"category": None, "count": counts[None], "share": share, "offset": offset})
    return rows


def inquiries_progress(inquiries, audience: Audience) -> list[Inquiry]:
    """Inquiries, each with ``progress``: counts per tracking category of its recommendations
    (for a statement the audience may see), in two queries whatever the number."""
    inquiries = list(inquiries)
    statements = [i.statement for i in inquiries if hasattr(i, "statement")]
    by_statement: dict[int, list] = {}
    recommendations = (
        Recommendation.objects.filter(statement__in=statements)
        .trackable()
        .only("statement_id", "current_category_id")
    )
    for recommendation in recommendations:
        by_statement.setdefault(recommendation.statement_id, []).append(recommendation)
    categories = list(TrackingCategory.objects.all())
    for inquiry in inquiries:
        statement = getattr(inquiry, "statement", None)
        inquiry.progress = (
            progress(by_statement.get(statement.pk, []), categories)
            if statement is not None and statement.is_visible_to(audience)
            else []
        )
    return inquiries
