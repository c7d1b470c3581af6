"""The councillors' public pages: the list, current and former, by ward and party; each
councillor's ward, party, contact, seats and roles over time, attendance per body and municipal
year, and the interests they declared, read from minutes the visitor may read."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards.models import Membership
from minutes import services as minutes_services
from tests.factories import BoardFactory, MembershipFactory, PartyFactory, PersonFactory
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
LIST = reverse("minutes:councillor-list")


def page_of(person) -> str:
    return reverse("minutes:councillor-detail", args=[person.pk])


@pytest.fixture
def record(board):
    return make_record(board)


# The list --------------------------------------------------------------------------------------


def test_councillors_are_listed_current_then_former_with_ward_and_party(record):
    former = MembershipFactory(
        person=PersonFactory(given_name="Peter", family_name="Former"),
        starts_on=D(2011, 5, 19),
        ends_on=D(2015, 5, 20),
    ).person
    PersonFactory(officer=True, given_name="Guy", family_name="Ellerby")

    response = Client().get(LIST)

    assert response.status_code == 200
    current = [person.full_name for person in response.context["current"]]
    # Dixon sits on no body: nothing says he has left, so he is serving.
    assert current == ["Ann Adams", "Sue Bentley", "Brian Dixon", "Kathryn Groves"]
    assert response.context["former"] == [former]
    page = text_of(response)
    assert "Current councillors Councillor Ward Party Ann Adams Whinmoor Labour" in page
    assert "Former councillors Councillor Ward Party Peter Former" in page
    assert "Ellerby" not in page  # officers are not councillors
    assert f'href="{page_of(record.groves)}">Kathryn Groves</a>' in response.text


def test_councillors_are_filtered_by_ward_and_party(record):
    weetwood = record.bentley.ward
    labour = record.groves.party

    by_ward = Client().get(LIST, {"ward": weetwood.pk})
    by_party = Client().get(LIST, {"party": labour.pk})
    both = Client().get(LIST, {"ward": weetwood.pk, "party": labour.pk})

    assert by_ward.context["current"] == [record.bentley]
    assert by_party.context["current"] == [record.adams, record.dixon, record.groves]
    assert both.context["current"] == []
    assert "No current councillors match." in text_of(both)
    assert "<title>Councillors: Weetwood, Labour – " in both.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"ward": "999999"}, "Choose a ward from the list"),
        ({"ward": "nowhere"}, "Choose a ward from the list"),
        ({"party": "99999999999999999999999"}, "Choose a party from the list"),
    ],
)
def test_a_ward_or_party_not_in_the_lists_is_explained_not_a_server_error(record, query, message):
    response = Client().get(LIST, query)

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert len(response.context["current"]) == 4  # the filter that cannot be read is left out


def test_the_list_takes_the_same_queries_for_few_or_many_councillors(
    record, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        Client().get(LIST)
    for number in range(30):
        MembershipFactory(person=PersonFactory(party=PartyFactory(name=f"Party {number}")))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = Client().get(LIST)

    assert len(response.context["current"]) == 34


# A councillor's page -----------------------------------------------------------------------------


def test_a_councillors_page_gives_ward_party_contact_and_seats_over_time(record):
    planning = BoardFactory(name="Plans Panel (North)")
    MembershipFactory(
        board=planning,
        person=record.groves,
        role=Membership.Role.VICE_CHAIR,
        starts_on=D(2012, 5, 24),
        ends_on=D(2014, 5, 21),
    )

    response = Client().get(page_of(record.groves))

    assert response.status_code == 200
    page = text_of(response)
    assert "<title>Councillor Kathryn Groves – " in response.text
    assert "Ward Moorside Park Party Labour" in page
    assert "E-mail cllr.groves@aldermoor.example Telephone 0113 496 0001" in page
    assert 'href="mailto:cllr.groves@aldermoor.example"' in response.text
    seats = page.split("Committees and roles")[1].split("Attendance at meetings")[0]
    assert (
        "Body Role From To "
        "Scrutiny Board (Strategy and Resources) Chair 21 May 2015 Current "
        "Plans Panel (North) Vice-chair 24 May 2012 21 May 2014"
    ) in seats
    assert f'href="{reverse("boards:board-detail", args=[planning.slug])}"' in response.text


def test_a_councillors_page_without_contact_details_says_nothing_of_them(record):
    page = text_of(Client().get(page_of(record.bentley)))

    assert "E-mail" not in page
    assert "Telephone" not in page


def _attendance(response) -> list[tuple]:
    return [
        (row.year.label, row.board.name, *row.counts.values())
        for row in response.context["attendance"]
    ]


def test_attendance_is_given_per_body_and_municipal_year_from_published_minutes(record, clerk):
    # The next municipal year: a meeting of another body, where Groves sent apologies.
    executive = BoardFactory(name="Executive Board")
    MembershipFactory(board=executive, person=record.groves, starts_on=D(2016, 5, 19))
    june = published_meeting(executive, D(2016, 6, 22), clerk)
    minutes_services.minutes_open(june)
    minutes_services.attendance_set(meeting=june, person=record.groves, status="apologies")
    minutes_services.minute_take(meeting=june, agenda_item=item(june, exempt=False))
    release(june, record.officer)

    response = Client().get(page_of(record.groves))

    # expected, present, apologies, absent, not recorded, substituted, as a substitute; the
    # March draft is not counted.
    assert _attendance(response) == [
        ("2016/17", "Executive Board", 1, 0, 1, 0, 0, 0, 0),
        ("2015/16", "Scrutiny Board (Strategy and Resources)", 1, 1, 0, 0, 0, 0, 0),
    ]
    assert "2016/17 Executive Board 1 0 1 0 0 0 0" in text_of(response)


def test_a_member_substituted_for_and_the_substitute_both_see_it_counted(record):
    adams = Client().get(page_of(record.adams))
    dixon = Client().get(page_of(record.dixon))

    assert _attendance(adams) == [
        ("2015/16", "Scrutiny Board (Strategy and Resources)", 1, 0, 1, 0, 0, 1, 0)
    ]
    assert _attendance(dixon) == [
        ("2015/16", "Scrutiny Board (Strategy and Resources)", 0, 0, 0, 0, 0, 0, 1)
    ]


def test_declarations_are_listed_with_meeting_item_and_interest(record):
    response = Client().get(page_of(record.groves))

    declared = text_of(response).split("Interests declared at meetings")[1]
    assert (
        "22 February 2016 Scrutiny Board (Strategy and Resources) "
        "Item 7: ICT supplier contract February "
        f"Disclosable pecuniary interest {OPEN_NATURE} "
        "Left the room and took no part in the item."
    ) in declared
    minutes = reverse("minutes:minutes-detail", args=[record.february.pk])
    assert f'href="{minutes}"' in response.text
    register = reverse("minutes:declaration-register")
    assert f'href="{register}?councillor={record.groves.pk}"' in response.text


def test_draft_minutes_keep_their_attendance_and_declarations_off_the_page_until_released(
    record, audiences
):
    url = page_of(record.groves)
    public = Client().get(url)
    councillor = audiences["councillor"].get(url)
    staff = audiences["officer"].get(url)

    assert DRAFT_NATURE not in public.text
    assert DRAFT_NATURE not in councillor.text
    assert DRAFT_NATURE in staff.text
    assert [row[2] for row in _attendance(public)] == [1]
    assert [row[2] for row in _attendance(staff)] == [2]

    release(record.march, record.officer)

    assert DRAFT_NATURE in Client().get(url).text
    assert [row[2] for row in _attendance(Client().get(url))] == [2]


def test_an_interest_in_an_exempt_item_names_neither_the_item_nor_the_interest_to_the_public(
    record, audiences
):
    public = Client().get(page_of(record.bentley))

    declared = text_of(public).split("Interests declared at meetings")[1]
    assert (
        "Item 8: exempt item Not for publication by virtue of paragraph 1 of Part 1 of "
        "Schedule 12A to the Local Government Act 1972 Other registrable interest"
    ) in declared
    assert EXEMPT_TITLE not in public.text
    assert EXEMPT_NATURE not in public.text

    # A member of the board reads the exempt item, and so the declaration in full.
    reader = audiences["councillor"].get(page_of(record.bentley))
    assert EXEMPT_TITLE in reader.text
    assert EXEMPT_NATURE in reader.text


def test_only_councillors_have_a_page(record):
    officer = PersonFactory(officer=True)

    assert Client().get(page_of(officer)).status_code == 404
    assert Client().get("/people/999999/").status_code == 404


def test_a_councillors_page_is_public_and_read_only(record, audiences):
    url = page_of(record.groves)

    assert {name: audiences[name].get(url).status_code for name in EVERYONE} == expect(EVERYONE)
    assert {name: audiences[name].get(LIST).status_code for name in EVERYONE} == expect(EVERYONE)
    assert audiences["officer"].post(url).status_code == 405
    assert audiences["officer"].post(LIST).status_code == 405


def test_a_councillors_page_takes_the_same_queries_for_few_or_many_records(
    record, clerk, django_assert_max_num_queries
):
    url = page_of(record.groves)
    with CaptureQueriesContext(connection) as few:
        Client().get(url)
    for number in range(4):
        board = BoardFactory()
        MembershipFactory(board=board, person=record.groves, starts_on=D(2015, 5, 21))
        meeting = published_meeting(board, D(2015, 9, 1) + datetime.timedelta(days=number), clerk)
        minutes_services.minutes_open(meeting)
        minutes_services.attendance_all_present(meeting=meeting)
        minutes_services.declaration_add(
            meeting=meeting,
            person=record.groves,
            agenda_item=item(meeting, exempt=number % 2 == 0),
            kind="pecuniary",
            nature=f"Interest {number}",
            left_room=True,
        )
        minutes_services.minute_take(meeting=meeting, agenda_item=item(meeting, exempt=False))
        release(meeting, record.officer)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = Client().get(url)

    assert len(response.context["attendance"]) == 5
    assert len(response.context["declarations"]) == 5


def test_a_long_list_of_declarations_is_cut_with_a_link_to_the_register(record, monkeypatch):
    from minutes import people_views

    monkeypatch.setattr(people_views, "DECLARATIONS_ON_A_PAGE", 0)

    response = Client().get(page_of(record.groves))

    assert response.context["more_declarations"]
    assert "All interests declared by Kathryn Groves" in text_of(response)


# The board's page links its members to their pages ---------------------------------------------


def test_the_boards_page_links_each_member_to_their_page(record):
    response = Client().get(reverse("boards:board-detail", args=[record.board.slug]))

    for person in (record.groves, record.bentley, record.adams):
        assert f'<a href="{page_of(person)}">{person.full_name}</a>' in response.text


def test_the_term_of_office_decides_current_or_former_and_shows_with_the_photo(
    record, settings, tmp_path
):
    """The set-up pages record a councillor's term and photo; the public page shows both, and
    a term that has ended makes a former councillor whatever seats are still recorded."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    record.groves.elected_on = D(2012, 5, 3)
    record.groves.term_ends_on = D(2016, 5, 5)
    buffer = io.BytesIO()
    Image.new("RGB", (80, 100), "navy").save(buffer, format="JPEG")
    record.groves.photo.save("photo.jpg", ContentFile(buffer.getvalue()), save=False)
    record.groves.save()
    record.bentley.elected_on = D(2014, 5, 22)
    record.bentley.save()

    listed = Client().get(LIST)
    assert record.groves in listed.context["former"]
    assert record.bentley in listed.context["current"]

    response = Client().get(page_of(record.groves))
    page = text_of(response)
    assert "Term of office Elected 3 May 2012; term ended 5 May 2016" in page
    photo = reverse("boards:person-photo", args=[record.groves.pk])
    assert f'src="{photo}"' in response.text
    assert 'alt="Photo of Kathryn Groves"' in response.text
    assert Client().get(photo).status_code == 200
    assert "Term of office Elected 22 May 2014" in text_of(Client().get(page_of(record.bentley)))
