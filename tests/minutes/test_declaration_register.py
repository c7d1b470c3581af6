"""The register of declarations: every interest declared at meetings whose minutes the visitor
may read, newest first, by councillor, body and dates, a page at a time, in a fixed number of
queries; an exempt item's title and the interest declared in it stay with those entitled."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minutes import services as minutes_services
from tests.factories import BoardFactory, MembershipFactory, PersonFactory
from tests.matrix import EVERYONE, expect
from tests.minutes.record import (
    DRAFT_NATURE,
    EXEMPT_NATURE,
    EXEMPT_TITLE,
    OPEN_NATURE,
    item,
    make_record,
    published_meeting,
    release,
    text_of,
)

pytestmark = pytest.mark.django_db

D = datetime.date
URL = reverse("minutes:declaration-register")


@pytest.fixture
def record(board):
    return make_record(board)


def natures(response) -> list[str]:
    return [declaration.nature for declaration in response.context["page"].object_list]


def test_the_register_lists_each_declaration_with_its_meeting_person_item_and_interest(record):
    response = Client().get(URL)

    assert response.status_code == 200
    page = text_of(response)
    assert "2 declarations" in page
    assert (
        "22 February 2016 Scrutiny Board (Strategy and Resources) Kathryn Groves "
        "Item 7: ICT supplier contract February "
        f"Disclosable pecuniary interest {OPEN_NATURE} "
        "Left the room and took no part in the item."
    ) in page
    groves = reverse("minutes:councillor-detail", args=[record.groves.pk])
    assert f'<a href="{groves}">Kathryn Groves</a>' in response.text


def test_the_newest_meetings_come_first(record, clerk):
    later = published_meeting(record.board, D(2016, 4, 18), clerk)
    minutes_services.minutes_open(later)
    minutes_services.attendance_all_present(meeting=later)
    minutes_services.declaration_add(
        meeting=later,
        person=record.adams,
        agenda_item=item(later, exempt=False),
        kind="pecuniary",
        nature="A later interest",
        left_room=False,
    )
    minutes_services.minute_take(meeting=later, agenda_item=item(later, exempt=False))
    release(later, record.officer)

    assert natures(Client().get(URL)) == ["A later interest", OPEN_NATURE, EXEMPT_NATURE]


def test_the_register_is_filtered_by_councillor_body_and_dates(record, clerk):
    other = BoardFactory(name="Executive Board")
    MembershipFactory(board=other, person=record.groves)
    june = published_meeting(other, D(2016, 6, 22), clerk)
    minutes_services.minutes_open(june)
    minutes_services.attendance_all_present(meeting=june)
    minutes_services.declaration_add(
        meeting=june,
        person=record.groves,
        agenda_item=item(june, exempt=False),
        kind="registrable",
        nature="Governor of Moorside School",
        left_room=False,
    )
    minutes_services.minute_take(meeting=june, agenda_item=item(june, exempt=False))
    release(june, record.officer)
    client = Client()

    by_councillor = client.get(URL, {"councillor": record.groves.pk})
    by_board = client.get(URL, {"board": other.slug})
    by_dates = client.get(URL, {"date_from": "2016-02-01", "date_to": "2016-02-29"})
    from_june = client.get(URL, {"councillor": record.groves.pk, "date_from": "2016-06-22"})

    assert natures(by_councillor) == ["Governor of Moorside School", OPEN_NATURE]
    assert natures(by_board) == ["Governor of Moorside School"]
    assert natures(by_dates) == [OPEN_NATURE, EXEMPT_NATURE]
    assert natures(from_june) == ["Governor of Moorside School"]
    assert "<title>Register of declarations: Kathryn Groves, from 22 June 2016 – " in (
        from_june.text
    )


@pytest.mark.parametrize(
    ("query", "message", "listed"),
    [
        ({"councillor": "999999"}, "Choose a councillor from the list", 2),
        ({"councillor": "Groves"}, "Choose a councillor from the list", 2),
        ({"board": "no-such-board"}, "Choose a body from the list", 2),
        ({"date_from": "31/02/2016"}, "Enter a real date, for example 21/03/2016", 2),
        ({"date_to": "soon"}, "Enter a real date, for example 21/03/2016", 2),
        # The 'from' date still applies: nothing published from March.
        (
            {"date_from": "2016-03-01", "date_to": "2016-02-01"},
            "The ‘to’ date must be the same as or after the ‘from’ date",
            0,
        ),
        ({"page": "x"}, None, 2),
        ({"page": "99999999999999999999"}, None, 2),
    ],
)
def test_a_filter_that_cannot_be_read_is_explained_not_a_server_error(
    record, query, message, listed
):
    response = Client().get(URL, query)

    assert response.status_code == 200
    if message:
        assert "There is a problem" in response.text
        assert response.text.count(message) == 2  # in the summary and at the field
    assert len(natures(response)) == listed


def test_draft_minutes_keep_their_declarations_off_the_register_until_released(record, audiences):
    assert DRAFT_NATURE not in Client().get(URL).text
    assert DRAFT_NATURE not in audiences["councillor"].get(URL).text
    assert DRAFT_NATURE in audiences["officer"].get(URL).text
    assert DRAFT_NATURE in audiences["clerk"].get(URL).text

    release(record.march, record.officer)

    assert DRAFT_NATURE in Client().get(URL).text


def test_an_exempt_items_title_and_the_interest_in_it_reach_only_those_entitled(record, audiences):
    for name in ("public", "other councillor", "councillor", "officer"):
        response = audiences[name].get(URL)
        entitled = name in ("councillor", "officer")
        assert (EXEMPT_TITLE in response.text) is entitled, name
        assert (EXEMPT_NATURE in response.text) is entitled, name
        assert "Sue Bentley" in response.text  # the declaration itself is on the record
    public = text_of(audiences["public"].get(URL))
    assert (
        "Sue Bentley Item 8: exempt item Not for publication by virtue of paragraph 1 of Part 1 "
        "of Schedule 12A to the Local Government Act 1972 Other registrable interest"
    ) in public


def test_an_interest_in_an_item_never_published_names_neither(record, clerk):
    """An item added to the agenda after its publication, and never published, is not the
    public's to read: the register names it by its number alone."""
    from boards import services
    from boards.models import AgendaItem

    meeting = record.february
    late = services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Unpublished late item", purpose="Late.")
    )
    minutes_services.declaration_add(
        meeting=meeting,
        person=record.groves,
        agenda_item=late,
        kind="non_registrable",
        nature="Knows the applicant",
        left_room=False,
    )

    page = text_of(Client().get(URL))

    assert f"Item {late.shown_number}: not published Non-registrable interest" in page
    assert "Unpublished late item" not in page
    assert "Knows the applicant" not in page


def test_the_register_is_public_and_read_only(record, audiences):
    assert {name: audiences[name].get(URL).status_code for name in EVERYONE} == expect(EVERYONE)
    assert audiences["officer"].post(URL).status_code == 405


def _declare(record, number: int, clerk) -> None:
    meeting = published_meeting(
        record.board, D(2015, 6, 1) + datetime.timedelta(days=7 * number), clerk
    )
    minutes_services.minutes_open(meeting)
    minutes_services.attendance_all_present(meeting=meeting)
    for person in (record.groves, record.bentley, record.adams):
        minutes_services.declaration_add(
            meeting=meeting,
            person=person,
            agenda_item=item(meeting, exempt=number % 2 == 0),
            kind="pecuniary",
            nature=f"Interest at meeting {number}",
            left_room=False,
        )
    minutes_services.minute_take(meeting=meeting, agenda_item=item(meeting, exempt=False))
    release(meeting, record.officer)


@pytest.mark.parametrize("audience", ["public", "councillor", "officer"])
def test_a_page_of_the_register_takes_the_same_queries_for_few_or_many_declarations(
    record, clerk, audiences, audience, django_assert_max_num_queries
):
    client = audiences[audience]
    client.get(URL)  # the session and the audience's first look-ups
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for number in range(20):
        _declare(record, number, clerk)
    PersonFactory.create_batch(10)  # more councillors to choose from

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)

    page = response.context["page"]
    assert page.paginator.count >= 62
    assert len(page.object_list) == 50
    assert "Page 1 of 2" in response.text
    second = client.get(URL, {"page": 2})
    assert "(page 2)" in second.text
    assert len(second.context["page"].object_list) == page.paginator.count - 50
