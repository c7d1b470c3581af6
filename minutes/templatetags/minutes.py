"""What a board's page shows of the record of meetings: ``{% load minutes %}`` then
``{% open_actions board can_mark_done=can_edit %}``, the actions the board's minutes ask for
that are not yet done, of the minutes the visitor may read: the ``LIMIT`` due soonest, and how
many there are (two queries, through the open actions' index), all of them with
``?actions=all``."""

from __future__ import annotations

from django import template
from django.utils import timezone

from boards.models import Board
from boards.visibility import Audience
from minutes.models import Resolution

register = template.Library()


LIMIT = 20


@register.inclusion_tag("includes/open_actions.html", takes_context=True)
def open_actions(context, board: Board, can_mark_done: bool = False) -> dict:
    request = context["request"]
    actions = (
        Resolution.objects.open_actions()
        .visible_to(Audience.of(request.user))
        .filter(minute__board=board)
    )
    return {
        **first_of(actions, request),
        "can_mark_done": can_mark_done,
        "today": timezone.localdate(),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }


def first_of(actions, request) -> dict:
    """The open actions a page lists: the ``LIMIT`` due soonest, with how many there are and
    the address that lists them all, unless it asked for all (``?actions=all``)."""
    if request.GET.get("actions") == "all":
        return {"actions": actions, "action_count": None}
    listed = list(actions[:LIMIT])
    count = actions.count()
    query = request.GET.copy()
    query["actions"] = "all"
    return {
        "actions": listed,
        "action_count": count,
        "all_actions_url": f"{request.path}?{query.urlencode()}#actions",
    }
