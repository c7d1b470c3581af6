"""Error messages say what is wrong with which field, in every room: a form sent empty lists
each missing field by its name under "There is a problem", each linking to its field, and the
same words beside the field; never a bare "This field is required."."""

import datetime
import html
import re
import zoneinfo

import pytest
from django.urls import reverse

from boards import services as board_services
from inquiries import services as inquiry_services
from minutes import services as minutes_services
from tests.factories import RecommendationFactory, StatementFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")


def summary_links(page: str) -> dict[str, str]:
    """The error summary's messages, each with the id its link goes to."""
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    return {
        html.unescape(message): anchor
        for anchor, message in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    }


@pytest.fixture
def meeting(board):
    return board_services.meeting_create(
        board=board, starts_at=datetime.datetime(2016, 3, 21, 10, tzinfo=LONDON), venue=None
    )


@pytest.fixture
def inquiry(board):
    return inquiry_services.inquiry_create(
        board=board, title="Inquiry into ICT", on=datetime.date(2016, 6, 1)
    )


FORMS = {
    "a new meeting": (
        lambda w: reverse("boards:meeting-create", args=[w["board"].slug]),
        {"start_time": ""},
        {
            "Enter the date of the meeting": "id_date_day",
            "Enter the start time": "id_start_time",
        },
    ),
    "a new inquiry": (
        lambda w: reverse("inquiries:inquiry-create", args=[w["board"].slug]),
        {"title": ""},
        {"Enter the title": "id_title"},
    ),
    "evidence": (
        lambda w: reverse("inquiries:evidence-add", args=[w["inquiry"].slug]),
        {"title": ""},
        {
            "Choose the kind": "id_kind",
            "Enter the title": "id_title",
            "Enter the date received": "id_received_on_day",
        },
    ),
    "the executive's response": (
        lambda w: reverse("recommendations:response-edit", args=[w["recommendation"].pk]),
        {"text": ""},
        {
            "Choose the decision": "id_decision_0",
            "Enter the response": "id_text",
            "Enter the date of the response": "id_responded_on_day",
        },
    ),
    "a declaration of interest": (
        lambda w: reverse("minutes:declaration-add", args=[w["meeting"].pk]),
        {"declaration-nature": ""},
        {
            "Choose who declared the interest": "id_declaration-person",
            "Choose the item": "id_declaration-agenda_item",
            "Choose the kind of interest": "id_declaration-kind",
            "Enter the nature of the interest": "id_declaration-nature",
        },
    ),
}


@pytest.mark.parametrize("form", FORMS)
def test_a_form_sent_empty_names_each_missing_field(form, board, meeting, inquiry, editor):
    minutes_services.minutes_open(meeting)
    recommendation = RecommendationFactory(statement=StatementFactory(inquiry=inquiry))
    world = {
        "board": board,
        "meeting": meeting,
        "inquiry": inquiry,
        "recommendation": recommendation,
    }
    url, data, expected = FORMS[form]

    response = editor.post(url(world), data)

    assert response.status_code == 422
    page = response.text
    assert "This field is required" not in page
    assert summary_links(page) == expected
    for message, anchor in expected.items():
        assert f'id="{anchor}"' in page  # the link goes somewhere
        # Beside its field too.
        assert re.search(
            rf'<p class="error-message"\s+id="[^"]+_error"><span class="visually-hidden">Error:'
            rf"</span> {re.escape(html.escape(message))}</p>",
            page,
        ), message
