"""What a board's page shows of the record of meetings: ``{% load minutes %}`` then
``{% open_actions board can_mark_done=can_edit %}``, the actions the board's minutes ask for
that are not yet done, of the minutes the visitor may read (one query)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from boards.models import Board
from boards.visibility import Audience
from minutes.models import Resolution

register = template.Library()


@register.inclusion_tag("includes/open_actions.html", takes_context=True)
def open_actions(context, board: Board, can_mark_done: bool = False) -> dict:
    return {
        "actions": Resolution.objects.open_actions()
        .visible_to(Audience.of(context["request"].user))
        .filter(minute__board=board),
        "can_mark_done": can_mark_done,
        "today": timezone.localdate(),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
