"""The recommendation tracking report of a board or of one inquiry: each tracked recommendation
(a lettered part, or a recommendation without parts) with its deadline, the executive's
response, the latest progress update and the board's current judgement. The page, its PDF and
the paper put into a meeting's pack are all rendered from ``report()`` and one document."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from boards import printing
from boards.models import Board, Council
from boards.visibility import Audience
from inquiries.models import Inquiry, Statement
from recommendations.models import Recommendation, TrackingCategory

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
    return f"Recommendation tracking: {inquiry.title if inquiry else board.name}"


def report(
    *,
    audience: Audience,
    today: datetime.date,
    board: Board | None = None,
    inquiry: Inquiry | None = None,
) -> dict:
    """The report's context: for a board, grouped by inquiry (by title); for an inquiry, its
    own. Only what the audience may see: the public and councillors see the recommendations of
    published statements only. A fixed number of queries, whatever the number of rows."""
    from inquiries.views import progress

    if (board is None) == (inquiry is None):
        raise ValueError("A tracking report is of a board or of an inquiry.")
    recommendations = Recommendation.objects.visible_to(audience).trackable().with_tracking()
    if inquiry is not None:
        board = inquiry.board
        recommendations = recommendations.filter(statement__inquiry=inquiry)
    else:
        recommendations = recommendations.filter(statement__inquiry__board=board)
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
    return {
        "board": board,
        "inquiry": inquiry,
        "groups": list(groups.values()),
        "categories": categories,
        "today": today,
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
