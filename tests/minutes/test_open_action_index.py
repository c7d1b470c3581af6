"""Open actions are found through their own index (``resolution_open_action``: the resolutions
that are actions not yet done), not by reading every resolution of years of minutes: the
board's page, What needs attention and the officer's desk ask the same query. On PostgreSQL the
plan is read with sequential scans discouraged, so that a small test database shows which index
the query can use; SQLite chooses it as it is."""

import datetime

import pytest
from django.db import connection

from boards.models import Board
from boards.visibility import Audience
from minutes import services as minutes_services
from minutes.models import Resolution
from tests.factories import PostFactory
from tests.minutes.test_views import FEBRUARY, meeting_on, report_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(board, officer):
    meeting = meeting_on(board, FEBRUARY)
    minute = minutes_services.minute_take(
        meeting=meeting, agenda_item=report_on(meeting), by=officer
    )
    for n in range(30):
        minutes_services.resolution_add(minute=minute, text=f"Noted {n}.")
        action = minutes_services.resolution_add(
            minute=minute, text=f"Action {n}.", is_action=True, owner_post=PostFactory()
        )
        if n % 2:
            minutes_services.action_done(resolution=action, on=datetime.date(2016, 3, 1))
    return minute


def plan_of(queryset) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


def test_a_boards_open_actions_are_read_through_their_index(board, actions):
    found = Resolution.objects.open_actions().filter(minute__board=board)

    assert found.count() == 15
    assert "resolution_open_action" in plan_of(found)


@pytest.mark.parametrize("audience", ["staff", "public"])
def test_what_needs_attention_reads_the_open_actions_through_their_index(
    board, actions, audience, officer
):
    who = Audience.of(officer) if audience == "staff" else Audience.public()
    found = (
        Resolution.objects.open_actions()
        .visible_to(who)
        .filter(minute__board__in=Board.objects.filter(pk=board.pk))
    )

    assert "resolution_open_action" in plan_of(found)
