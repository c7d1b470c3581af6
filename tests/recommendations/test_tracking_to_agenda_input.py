"""Putting tracking on an agenda reads the meeting through a form: an id that is not a meeting
of the board gets a clear refusal, never a server error, and the agenda is unchanged."""

import pytest
from django.urls import reverse

from boards.models import AgendaItem
from tests.factories import MeetingFactory


@pytest.mark.parametrize(
    ("meeting", "refusal"),
    [
        ("abc", "Choose a meeting of the inquiry&#x27;s board."),
        ("99999999", "Choose a meeting of the inquiry&#x27;s board."),
        ("", "Choose a meeting."),
    ],
)
def test_a_meeting_that_is_not_one_is_refused_clearly(inquiry, board, editor, meeting, refusal):
    MeetingFactory(board=board)
    response = editor.post(
        reverse("statements:tracking-to-agenda", args=[inquiry.slug]),
        {"meeting": meeting},
        follow=True,
    )
    assert response.status_code == 200
    assert refusal in response.text
    assert not AgendaItem.objects.filter(title__startswith="Recommendation tracking").exists()
