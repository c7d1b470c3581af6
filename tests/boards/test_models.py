import datetime

import pytest
from django.db import IntegrityError, transaction

from boards.models import Board, Council, Membership, Person
from tests.factories import BoardFactory, MembershipFactory, PersonFactory, WardFactory

pytestmark = pytest.mark.django_db


def test_a_membership_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(starts_on=datetime.date(2016, 5, 1), ends_on=datetime.date(2016, 4, 30))


def test_a_membership_may_end_the_day_it_starts():
    MembershipFactory(starts_on=datetime.date(2016, 5, 1), ends_on=datetime.date(2016, 5, 1))


def test_a_board_has_at_most_one_open_chair():
    board = BoardFactory()
    MembershipFactory(board=board, role=Membership.Role.CHAIR)
    MembershipFactory(
        board=board,
        role=Membership.Role.CHAIR,
        ends_on=datetime.date(2016, 1, 1),
        starts_on=datetime.date(2015, 5, 21),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(board=board, role=Membership.Role.CHAIR)


def test_membership_roles_are_guarded_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(role="emperor")


def test_only_councillors_have_wards():
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(officer=True, ward=WardFactory())


def test_board_kind_is_guarded_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Board.objects.create(name="Odd", slug="odd", kind="jury")


def test_council_is_a_single_row():
    Council.objects.create(name="First")
    with pytest.raises(IntegrityError), transaction.atomic():
        Council.objects.create(name="Second")
    with pytest.raises(IntegrityError), transaction.atomic():
        Council.objects.create(pk=2, name="Another")
    assert Council.load().name == "First"


def test_council_details_fall_back_to_the_configured_name(settings):
    settings.COUNCIL_NAME = "Configured Council"
    assert Council.load().name == "Configured Council"


def test_names_as_councils_print_them():
    person = PersonFactory(given_name="Kathryn", family_name="Greenhalgh")
    assert person.short_name == "K Greenhalgh"
    assert str(person) == "Councillor Kathryn Greenhalgh"
    officer = PersonFactory(officer=True, title="Dr", given_name="Ada", family_name="Byrne")
    assert str(officer) == "Dr Ada Byrne"


def test_current_memberships_on_a_date():
    board = BoardFactory()
    past = MembershipFactory(
        board=board, starts_on=datetime.date(2014, 5, 1), ends_on=datetime.date(2015, 5, 1)
    )
    present = MembershipFactory(board=board, starts_on=datetime.date(2015, 5, 21))
    assert list(board.current_memberships(datetime.date(2016, 1, 1))) == [present]
    assert list(board.current_memberships(datetime.date(2015, 1, 1))) == [past]
    assert Person.objects.councillors().count() == 2
