"""Who may change what (``boards.access``): the one rule every view, template and list asks."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from boards import access
from boards.access import Ability
from boards.models import AgendaItem, Board, Meeting
from boards.roles import Role
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    MeetingFactory,
    PersonFactory,
    UserFactory,
)


@pytest.fixture
def other_board(db):
    return BoardFactory()


def test_a_clerk_changes_every_board_an_officer_those_they_support_and_no_one_else_any(
    board, other_board, officer, clerk, councillor, administrator
):
    everyone = {board.pk, other_board.pk}
    assert set(Board.objects.editable_by(clerk).values_list("pk", flat=True)) == everyone
    assert set(Board.objects.editable_by(administrator).values_list("pk", flat=True)) == everyone
    assert list(Board.objects.editable_by(officer).values_list("pk", flat=True)) == [board.pk]
    assert not Board.objects.editable_by(councillor).exists()
    assert not Board.objects.editable_by(AnonymousUser()).exists()
    assert not Board.objects.editable_by(UserFactory(roles=[])).exists()


def test_can_edit_answers_as_the_list_does_for_the_board_in_hand(
    board, other_board, officer, clerk, councillor, administrator
):
    people = [officer, clerk, councillor, administrator, AnonymousUser(), UserFactory(roles=[])]
    for user in people:
        for each in (board, other_board):
            editable = Board.objects.editable_by(user).filter(pk=each.pk).exists()
            assert access.can_edit(user, each) == editable, (user, each)


def test_an_officer_who_has_left_the_council_changes_nothing(board, officer):
    officer.is_active = False
    officer.save()
    assert not access.can_edit(officer, board)
    assert not Board.objects.editable_by(officer).exists()


def test_get_editable_finds_the_record_through_its_board(board, officer, other_board):
    mine = MeetingFactory(board=board)
    theirs = MeetingFactory(board=other_board)

    found = access.get_editable(officer, Meeting.objects.all(), "board", pk=mine.pk)
    assert found == mine
    with pytest.raises(PermissionDenied):
        access.get_editable(officer, Meeting.objects.all(), "board", pk=theirs.pk)
    with pytest.raises(Http404):
        access.get_editable(officer, Meeting.objects.all(), "board", pk=theirs.pk + 1000)


def test_get_editable_takes_a_board_itself_and_a_longer_path(board, officer, other_board):
    assert access.get_editable(officer, Board.objects.all(), None, slug=board.slug) == board
    with pytest.raises(PermissionDenied):
        access.get_editable(officer, Board.objects.all(), None, slug=other_board.slug)

    item = AgendaItemFactory(meeting=MeetingFactory(board=board))
    found = access.get_editable(officer, AgendaItem.objects.all(), "meeting__board", pk=item.pk)
    assert found == item


@pytest.mark.parametrize(
    ("role", "ability", "allowed"),
    [
        (Role.CLERK, Ability.PUBLISH_AGENDAS, True),
        (Role.OFFICER, Ability.PUBLISH_AGENDAS, False),
        (Role.OFFICER, Ability.PREPARE_MEETINGS, True),
        (Role.COUNCILLOR, Ability.PREPARE_MEETINGS, False),
        (Role.COUNCILLOR, Ability.READ_MEMBER_PAPERS, True),
        (Role.CLERK, Ability.ADMINISTER, False),
        (Role.ADMINISTRATOR, Ability.ADMINISTER, True),
        (Role.ADMINISTRATOR, Ability.PUBLISH_AGENDAS, True),
    ],
)
def test_a_view_needing_an_ability_refuses_those_without_it(db, role, ability, allowed):
    @access.ability_required(ability)
    def view(request):
        return HttpResponse("done")

    request = RequestFactory().get("/somewhere/")
    request.user = UserFactory(roles=[role])
    if allowed:
        assert view(request).status_code == 200
    else:
        with pytest.raises(PermissionDenied):
            view(request)


def test_a_view_needing_an_ability_sends_the_signed_out_to_sign_in(db):
    @access.ability_required(Ability.PUBLISH_AGENDAS)
    def view(request):
        return HttpResponse("done")

    request = RequestFactory().get("/clerk/")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/?next=/clerk/")


def test_staff_are_officers_clerks_and_administrators(officer, clerk, councillor, administrator):
    assert access.is_staff(officer) and access.is_staff(clerk) and access.is_staff(administrator)
    assert not access.is_staff(councillor)
    assert not access.is_staff(AnonymousUser())
    assert not access.is_staff(PersonFactory(user=UserFactory(roles=[])).user)


def test_a_clerk_edits_every_boards_meetings(clerk, board):
    assert access.can_edit(clerk, board)
    assert access.can_edit(clerk, BoardFactory())


def test_an_administrator_edits_every_boards_meetings(administrator, board):
    assert access.can_edit(administrator, board)
    assert access.can_edit(administrator, BoardFactory())


def test_a_scrutiny_officer_edits_only_the_boards_they_support(officer, board):
    assert access.can_edit(officer, board)
    assert not access.can_edit(officer, BoardFactory())
    assert not access.can_edit(officer, BoardFactory(support_officer=PersonFactory(officer=True)))


def test_a_support_officer_without_the_officer_role_cannot_edit(board):
    user = UserFactory()
    board.support_officer = PersonFactory(officer=True, user=user)
    board.save()

    assert not access.can_edit(user, board)


def test_a_councillor_cannot_edit_even_their_own_board(councillor, board):
    assert not access.can_edit(councillor, board)


def test_require_edit_refuses_those_who_cannot_edit(councillor, clerk, board):
    access.require_edit(clerk, board)
    with pytest.raises(PermissionDenied):
        access.require_edit(councillor, board)
