"""What the pages of lower rooms show of statements and recommendation tracking.

An inquiry's page and list, and a board's page, belong to rooms below this one (inquiries,
boards), which never import it; their templates load these tags instead::

    {% load tracking %}
    {% statement_of inquiry as statement %}      the statement, if the visitor may see it
    {% with_progress inquiries as inquiries %}   each inquiry with its ``progress`` bar rows
    {% active_inquiries board start end as found %}  a board's inquiries under way then
    {% inquiry_tracking inquiry statement %}     the statement and the tracked recommendations
    {% tracking_to_agenda_form inquiry %}        the officer's "put tracking on an agenda"

Each asks the visibility rule with the visitor's own audience, in a fixed number of queries.
"""

from __future__ import annotations

import datetime

from django import template
from django.db.models import QuerySet
from django.utils import timezone

from boards.models import Board, Meeting
from boards.visibility import Audience
from inquiries.models import Inquiry
from recommendations import tracking
from recommendations.models import Statement

register = template.Library()

UPCOMING_MEETINGS = 12


def _audience(context) -> Audience:
    return Audience.of(context["request"].user)


@register.simple_tag(takes_context=True)
def statement_of(context, inquiry: Inquiry) -> Statement | None:
    """The inquiry's statement if the visitor may see it (a draft: staff only), else None."""
    return Statement.objects.visible_to(_audience(context)).filter(inquiry=inquiry).first()


@register.simple_tag
def active_inquiries(
    board: Board, start: datetime.date, end: datetime.date | None = None
) -> QuerySet[Inquiry]:
    """A board's inquiries under way at some time from ``start`` to ``end`` (none: to today):
    what a board's page lists for the years it shows (``Inquiry.objects.active_between``)."""
    return Inquiry.objects.filter(board=board).active_between(start, end)


@register.simple_tag(takes_context=True)
def with_progress(context, inquiries) -> list[Inquiry]:
    """The inquiries, each with ``progress``: counts per tracking category of its statement's
    recommendations, where the visitor may see the statement (three queries for any number)."""
    if isinstance(inquiries, QuerySet):
        inquiries = inquiries.select_related("statement")
    return tracking.inquiries_progress(inquiries, _audience(context))


@register.inclusion_tag("includes/inquiry_tracking.html", takes_context=True)
def inquiry_tracking(context, inquiry: Inquiry, statement: Statement) -> dict:
    recommendations = tracking.tracked(statement, _audience(context))
    return {
        "inquiry": inquiry,
        "statement": statement,
        "recommendations": recommendations,
        "progress": tracking.progress(recommendations),
        "today": timezone.localdate(),
    }


@register.inclusion_tag("includes/tracking_to_agenda_form.html", takes_context=True)
def tracking_to_agenda_form(context, inquiry: Inquiry) -> dict:
    upcoming = inquiry.board.meetings.upcoming(timezone.now()).exclude(
        status=Meeting.Status.CANCELLED
    )[:UPCOMING_MEETINGS]
    return {"inquiry": inquiry, "upcoming": upcoming, "csrf_token": context.get("csrf_token")}
