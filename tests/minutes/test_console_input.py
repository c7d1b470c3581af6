"""What the console is sent is read by forms: an id that is not an id, or not of this meeting,
gets a clear refusal, never a server error, and nothing is recorded."""

import pytest
from django.urls import reverse

from minutes.models import Minute, MinutesRecord
from tests.factories import AgendaItemFactory, MeetingFactory


@pytest.fixture
def meeting(board):
    return MeetingFactory(board=board)


@pytest.mark.parametrize("item", ["abc", "12abc", "99999999"])
def test_taking_a_minute_for_an_item_that_is_not_on_the_agenda_is_refused(meeting, editor, item):
    response = editor.post(
        reverse("minutes:minute-take", args=[meeting.pk]),
        {"item": item},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "That item is not on this meeting&#x27;s agenda." in response.text
    assert not Minute.objects.filter(meeting=meeting).exists()


def test_an_item_of_another_meeting_is_not_minuted_here(meeting, editor, board):
    elsewhere = AgendaItemFactory(meeting=MeetingFactory(board=board))
    response = editor.post(
        reverse("minutes:minute-take", args=[meeting.pk]), {"item": elsewhere.pk}
    )
    assert response.status_code == 422
    assert not Minute.objects.exists()


@pytest.mark.parametrize("minutes_of", ["", "abc", "99999999"])
def test_approving_minutes_that_do_not_exist_is_refused_clearly(meeting, editor, minutes_of):
    response = editor.post(
        reverse("minutes:minutes-approve", args=[meeting.pk]),
        {"minutes_of": minutes_of},
        follow=True,
    )
    assert response.status_code == 200
    refusal = "Say which minutes are approved." if not minutes_of else "Those minutes do not exist."
    assert refusal in response.text
    assert not MinutesRecord.objects.filter(status=MinutesRecord.Status.APPROVED).exists()
