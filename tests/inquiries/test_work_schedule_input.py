"""What the work schedule page is sent is read by forms: removing an entry that is not there, or
not the board's, is refused clearly and removes nothing."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from boards.models import MunicipalYear
from inquiries.models import WorkScheduleEntry
from tests.factories import BoardFactory, MeetingFactory


@pytest.fixture
def entry(board):
    MeetingFactory(board=board)
    return WorkScheduleEntry.objects.create(
        board=board, area="Budget", month=datetime.date(2015, 12, 1), note="Proposals"
    )


@pytest.mark.parametrize(
    ("remove", "refusal"),
    [
        ("abc", "That entry has already been removed."),
        ("99999999", "That entry has already been removed."),
        ("", "Choose an entry to remove."),
    ],
)
def test_removing_an_entry_that_is_not_there_is_refused_clearly(
    entry, board, editor, remove, refusal
):
    url = reverse("inquiries:work-schedule", args=[board.slug])
    response = editor.post(url, {"remove": remove}, follow=True)
    assert response.status_code == 200
    assert refusal in response.text
    assert WorkScheduleEntry.objects.filter(pk=entry.pk).exists()


def test_another_boards_entry_is_not_removed_from_this_boards_page(entry, clerk, client_for):
    other = BoardFactory()
    MeetingFactory(board=other)
    response = client_for(clerk).post(
        reverse("inquiries:work-schedule", args=[other.slug]), {"remove": entry.pk}, follow=True
    )
    assert "That entry has already been removed." in response.text
    assert WorkScheduleEntry.objects.filter(pk=entry.pk).exists()


def test_looking_at_the_schedule_of_a_board_without_meetings_records_nothing(db):
    board = BoardFactory()
    response = Client().get(reverse("inquiries:work-schedule", args=[board.slug]))
    assert response.status_code == 200
    assert "?year=None" not in response.text
    assert not MunicipalYear.objects.exists()
