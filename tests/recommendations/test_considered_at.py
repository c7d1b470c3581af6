""" "Considered at" is a meeting of the board, latest first, and then one of its items, not one
select of every item of every meeting; without JavaScript the "Choose meeting" button sends
the form back with that meeting's items, keeping what was typed and saving nothing."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse

from boards import services as board_services
from boards.models import AgendaItem, Meeting
from inquiries import services as inquiry_services
from recommendations.models import ProgressUpdate
from tests.factories import BoardFactory, RecommendationFactory, StatementFactory, VenueFactory

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")


def make_meeting(board, day: datetime.date, *titles: str) -> Meeting:
    meeting = board_services.meeting_create(
        board=board,
        starts_at=datetime.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON),
        venue=VenueFactory(),
    )
    for title in titles:
        board_services.agenda_item_add(meeting=meeting, item=AgendaItem(title=title))
    return meeting


@pytest.fixture
def recommendation(board):
    inquiry = inquiry_services.inquiry_create(
        board=board, title="Inquiry into ICT", on=D(2016, 6, 1)
    )
    statement = StatementFactory(
        inquiry=inquiry, published_on=D(2017, 5, 31), response_due_on=D(2017, 7, 31)
    )
    return RecommendationFactory(statement=statement, text="That the Director reviews staffing.")


@pytest.fixture
def meetings(board):
    return {
        "september": make_meeting(board, D(2017, 9, 18), "Tracking of recommendations"),
        "october": make_meeting(board, D(2017, 10, 16), "ICT staffing update"),
        "elsewhere": make_meeting(BoardFactory(), D(2017, 10, 20), "Another board's item"),
    }


def url(recommendation) -> str:
    return reverse("recommendations:update-add", args=[recommendation.pk])


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, flags=re.S).group(0)
    return [" ".join(o.split()) for o in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]


def test_considered_at_offers_the_board_s_meetings_latest_first_and_no_item_yet(
    recommendation, meetings, editor
):
    page = editor.get(url(recommendation)).text

    assert '<legend class="label">Considered at</legend>' in page
    assert options(page, "considered_at_meeting") == [
        "Choose a meeting",
        "16 October 2017",
        "18 September 2017",
    ]
    assert options(page, "considered_at_item") == ["Choose a meeting first"]
    assert "Budget" not in page  # the standard items of every meeting are not all listed
    assert re.search(r'<button type="submit"\s+name="choose-meeting"\s+value="considered_at"', page)


def test_choose_meeting_without_javascript_brings_its_items_keeping_what_was_typed(
    recommendation, meetings, editor
):
    october = meetings["october"]
    response = editor.post(
        url(recommendation),
        {
            "on_day": "17",
            "on_month": "10",
            "on_year": "2017",
            "text": "Two posts were filled.",
            "considered_at_meeting": october.pk,
            "considered_at_item": "",
            "choose-meeting": "considered_at",
        },
    )

    assert response.status_code == 200
    page = response.text
    items = options(page, "considered_at_item")
    assert items[0] == "Choose an item"
    assert "7. ICT staffing update" in items
    assert all("Tracking of recommendations" not in item for item in items)
    assert "There is a problem" not in page
    assert "Two posts were filled." in page
    assert 'name="on_day" value="17"' in page
    assert not ProgressUpdate.objects.exists()


def test_an_update_is_saved_with_the_item_chosen(recommendation, meetings, editor):
    item = meetings["october"].agenda_items.get(title="ICT staffing update")
    response = editor.post(
        url(recommendation),
        {
            "on_day": "17",
            "on_month": "10",
            "on_year": "2017",
            "text": "Two posts were filled.",
            "considered_at_meeting": item.meeting_id,
            "considered_at_item": item.pk,
        },
    )

    assert response.status_code == 302
    assert ProgressUpdate.objects.get().considered_at == item


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ("no item", "Choose the item of that meeting"),
        ("item of another meeting", "That item is not on the agenda of the meeting chosen"),
        ("item of another board", "Choose an item of one of the board&#x27;s meetings"),
    ],
)
def test_a_meeting_and_item_that_do_not_go_together_are_explained(
    recommendation, meetings, editor, chosen, message
):
    october, september = meetings["october"], meetings["september"]
    item = {
        "no item": "",
        "item of another meeting": september.agenda_items.first().pk,
        "item of another board": meetings["elsewhere"].agenda_items.first().pk,
    }[chosen]
    response = editor.post(
        url(recommendation),
        {
            "on_day": "17",
            "on_month": "10",
            "on_year": "2017",
            "text": "Two posts were filled.",
            "considered_at_meeting": october.pk,
            "considered_at_item": item,
        },
    )

    assert response.status_code == 422
    assert message in response.text
    assert not ProgressUpdate.objects.exists()


def test_the_terms_of_reference_choose_the_meeting_that_agreed_them_the_same_way(
    board, meetings, editor
):
    inquiry = inquiry_services.inquiry_create(
        board=board, title="Inquiry into ICT", on=D(2017, 9, 1)
    )
    item = meetings["september"].agenda_items.get(title="Tracking of recommendations")
    terms = reverse("inquiries:inquiry-edit", args=[inquiry.slug])

    chosen = editor.post(
        terms,
        {
            "title": "Inquiry into ICT",
            "scope": "How ICT is staffed.",
            "terms_agreed_at_meeting": item.meeting_id,
            "choose-meeting": "terms_agreed_at",
        },
    )
    assert chosen.status_code == 200
    assert f"{item.number}. Tracking of recommendations" in options(
        chosen.text, "terms_agreed_at_item"
    )

    saved = editor.post(
        terms,
        {
            "title": "Inquiry into ICT",
            "scope": "How ICT is staffed.",
            "terms_agreed_at_meeting": item.meeting_id,
            "terms_agreed_at_item": item.pk,
        },
    )
    assert saved.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.terms_agreed_at == item
