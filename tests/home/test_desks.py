"""The desks each role lands on (the officer's, the clerk's, the councillor's) and the navigation
that follows the role, with their query budgets."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from boards import services
from boards.roles import Role
from tests.factories import BoardFactory, MembershipFactory, PersonFactory, sign_in


def _populate(boards: int, members: int, officer_person=None, councillor_person=None):
    for _ in range(boards):
        board = BoardFactory(support_officer=officer_person)
        MembershipFactory.create_batch(members, board=board)
        if councillor_person:
            MembershipFactory(board=board, person=councillor_person)


@pytest.mark.parametrize("size", [1, 8])
@pytest.mark.parametrize(
    ("role", "url", "budget"),
    [
        # Staff: +1, the device that gave the session its second factor.
        (Role.OFFICER, "/officer/", 10),
        (Role.CLERK, "/clerk/", 9),
        (Role.COUNCILLOR, "/councillor/", 9),
        (None, "/", 5),
    ],
)
def test_pages_run_a_bounded_number_of_queries(
    make_user, django_assert_max_num_queries, size, role, url, budget
):
    user = make_user(role) if role else None
    person = PersonFactory(user=user) if user else None
    _populate(
        size,
        size * 2,
        officer_person=person if role == Role.OFFICER else None,
        councillor_person=person if role == Role.COUNCILLOR else None,
    )
    client = Client()
    if user:
        sign_in(client, user)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200


def test_officer_sees_only_the_boards_they_support(officer, client_for):
    other = BoardFactory(name="Scrutiny Board (Somewhere Else)")
    page = client_for(officer).get("/officer/")
    assert officer.person.supported_boards.get().name in page.text
    assert other.name not in page.text


def test_councillor_sees_their_boards_and_fellow_members(councillor, client_for):
    membership = councillor.person.memberships.get()
    fellow = MembershipFactory(board=membership.board)
    page = client_for(councillor).get("/councillor/")
    assert membership.board.name in page.text
    # Names may hold apostrophes (O'Neill), which the page escapes.
    assert escape(fellow.person.short_name) in page.text


def test_navigation_follows_the_role(officer, clerk, client_for):
    officer_page = client_for(officer).get("/")
    assert "Boards you support" in officer_page.text
    assert "Clerk&#x27;s desk" not in officer_page.text
    public_page = Client().get("/")
    assert "Sign in" in public_page.text
    assert "Boards you support" not in public_page.text


def test_the_clerks_desk_flags_an_agenda_past_its_deadline(board, clerk, client_for):
    overdue = services.meeting_create(
        board=board, starts_at=timezone.now() + datetime.timedelta(days=2), venue=None
    )
    services.meeting_create(
        board=board, starts_at=timezone.now() + datetime.timedelta(days=40), venue=None
    )
    page = client_for(clerk).get(reverse("home:clerk-home")).text
    assert page.count("Overdue") == 1
    assert page.count("Not yet published") == 1
    assert reverse("boards:agenda-edit", args=[overdue.pk]) in page
