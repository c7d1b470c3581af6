"""What needs attention, for executive decisions: call-ins to check and call-in meetings to
arrange, for the officers of the call-in's board and clerks; and for everyone who has the list,
the decisions whose call-in window closes today."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import CallIn, ExecutiveDecision
from tests.conftest import CANARY
from tests.decisions.exempt import exempt_decision
from tests.factories import BoardFactory, CallInFactory, ExecutiveDecisionFactory
from tests.recommendations.test_views import table_with_caption, text_of_markup

pytestmark = pytest.mark.django_db

URL = reverse("recommendations:dashboard")
DAY = datetime.timedelta(days=1)


def closing_on(decision: ExecutiveDecision, day: datetime.date) -> ExecutiveDecision:
    closes = datetime.datetime.combine(
        day, datetime.time(17), tzinfo=timezone.get_current_timezone()
    )
    ExecutiveDecision.objects.filter(pk=decision.pk).update(call_in_closes_at=closes)
    return decision


def valid(call_in: CallIn, *, due: datetime.date) -> CallIn:
    CallIn.objects.filter(pk=call_in.pk).update(
        checked_on=timezone.localdate(), valid=True, meeting_due_on=due
    )
    return call_in


@pytest.fixture
def call_ins(board):
    """For the board and another: a request to check and a valid call-in to schedule (one of
    the board's overdue); and one already on an agenda, which needs nothing."""
    today = timezone.localdate()
    other = BoardFactory()
    return {
        "to check": CallInFactory(board=board, decision__title="Leisure centre fees"),
        "theirs to check": CallInFactory(board=other, decision__title="Bus lane cameras"),
        "to schedule": valid(
            CallInFactory(board=board, decision__title="Library closures"), due=today - DAY
        ),
        "theirs to schedule": valid(
            CallInFactory(board=other, decision__title="Parks budget"), due=today + DAY
        ),
    }


def test_an_officer_is_asked_to_check_and_schedule_the_call_ins_of_their_boards(
    call_ins, audiences
):
    response = audiences["officer"].get(URL)

    check = text_of_markup(table_with_caption(response, "Call-ins to check"))
    assert "Leisure centre fees" in check
    assert "Bus lane cameras" not in check
    assert call_ins["to check"].get_absolute_url() in table_with_caption(
        response, "Call-ins to check"
    )
    schedule = text_of_markup(table_with_caption(response, "Call-in meetings to arrange"))
    assert "Library closures" in schedule
    assert "Overdue" in schedule
    assert "Parks budget" not in schedule
    assert "Leisure centre fees" not in schedule


def test_a_clerk_is_asked_about_every_boards_call_ins(call_ins, audiences):
    response = audiences["clerk"].get(URL)

    check = text_of_markup(table_with_caption(response, "Call-ins to check"))
    assert "Leisure centre fees" in check and "Bus lane cameras" in check
    schedule = text_of_markup(table_with_caption(response, "Call-in meetings to arrange"))
    assert "Library closures" in schedule and "Parks budget" in schedule


def test_checked_withdrawn_and_scheduled_call_ins_need_nothing(board, audiences):
    done = CallInFactory(board=board, decision__title="Withdrawn one")
    CallIn.objects.filter(pk=done.pk).update(
        withdrawn_at=timezone.now(), withdrawal_reason="Changed our minds."
    )
    refused = CallInFactory(board=board, decision__title="Refused one")
    CallIn.objects.filter(pk=refused.pk).update(checked_on=timezone.localdate(), valid=False)

    response = audiences["officer"].get(URL)

    assert "No call-ins to check." in table_with_caption(response, "Call-ins to check")
    assert "No call-in meetings to arrange." in table_with_caption(
        response, "Call-in meetings to arrange"
    )


def test_a_councillor_is_not_asked_to_check_call_ins(call_ins, audiences):
    response = audiences["councillor"].get(URL)

    assert response.status_code == 200
    assert "Call-ins to check" not in response.text
    assert "Leisure centre fees" not in response.text


@pytest.mark.parametrize("who", ["officer", "councillor"])
def test_decisions_whose_window_closes_today_are_listed(audiences, who):
    today = timezone.localdate()
    today_one = closing_on(ExecutiveDecisionFactory(title="Closes today", publish=True), today)
    closing_on(ExecutiveDecisionFactory(title="Closes tomorrow", publish=True), today + DAY)
    called_in = closing_on(ExecutiveDecisionFactory(title="Called in today", publish=True), today)
    valid(CallInFactory(decision=called_in), due=today + 10 * DAY)
    closing_on(exempt_decision(), today)

    table = table_with_caption(audiences[who].get(URL), "Call-in windows closing today")

    text = text_of_markup(table)
    assert "Closes today" in text
    assert "5.00 pm today" in text
    assert today_one.get_absolute_url() in table
    assert "Sale of the former depot site" in text  # an exempt decision by its title
    assert "Closes tomorrow" not in text
    assert "Called in today" not in text
    assert CANARY not in table
