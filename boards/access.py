"""Who may change what: the one place every view, template and service asks it.

Reading is the visibility rule (``boards.visibility``: an ``Audience``, and each model's
``visible_to(audience)``). Changing is this module, in two questions:

- **Abilities** a role brings (Django permissions, given to the role groups by
  ``boards.roles``): preparing meetings (scrutiny officers), publishing agendas (clerks),
  reading members' papers (councillors), administering the site (administrators, who hold every
  ability). ``has_ability(user, Ability.X)``; views use ``@ability_required(Ability.X)``, and
  ``@staff_required`` for what belongs to the council rather than a board (subjects, tracking
  categories), which any officer or clerk may change.
- **Which boards** a user may change: a clerk every board's meetings, agendas, minutes,
  inquiries and recommendations; a scrutiny officer those of the boards they support; anyone
  else none. ``can_edit(user, board)``, ``Board.objects.editable_by(user)``, and for views the
  loader ``get_editable(user, queryset, "board", pk=pk)`` (404 if there is no such record, 403
  if the user may not change it). Pages show their edit controls from a ``can_edit`` flag the
  view sets with ``can_edit``.

A dissolved body (its last day passed) is kept as it was: nobody changes its business through
the app, and the refusal says why. Whose body it was is still asked (``responsible_for``, and
``get_responsible`` for the read-only pages that show its set-up and history).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Concatenate, TypeGuard, cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

if TYPE_CHECKING:
    from boards.models import Board

# Whoever sends a request: a signed-in user, or the anonymous one.
type AnyUser = User | AnonymousUser


class Ability(StrEnum):
    """What a role lets its holder do (each a permission of the boards app)."""

    PREPARE_MEETINGS = "boards.prepare_meetings"
    PUBLISH_AGENDAS = "boards.publish_agendas"
    READ_MEMBER_PAPERS = "boards.read_member_papers"
    ADMINISTER = "boards.administer"
    # Setting up the council in the app's own pages: bodies (creating and dissolving them),
    # wards and parties are the clerks'; people, posts and who holds them officers' and clerks'.
    SET_UP_BODIES = "boards.set_up_bodies"
    SET_UP_PEOPLE = "boards.set_up_people"


def has_ability(user: AnyUser, ability: Ability) -> TypeGuard[User]:
    """Whether the user has the ability; only a signed-in user can (the anonymous user is never
    active), which is what the type says."""
    return user.is_active and user.has_perm(ability)


def is_staff(user: AnyUser) -> TypeGuard[User]:
    """Scrutiny officers, clerks and administrators: they work on the boards' business, drafts
    included (the visibility rule lets them read everything)."""
    return has_ability(user, Ability.PREPARE_MEETINGS) or has_ability(user, Ability.PUBLISH_AGENDAS)


def ability_required[R: HttpRequest, **P](
    ability: Ability,
) -> Callable[[Callable[Concatenate[R, P], HttpResponse]], Callable[..., HttpResponse]]:
    """For a view: sign in first, then 403 without the ability."""

    def decorator(
        view: Callable[Concatenate[R, P], HttpResponse],
    ) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def checked(request: R, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if not has_ability(request.user, ability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorator


def staff_required[R: HttpRequest, **P](
    view: Callable[Concatenate[R, P], HttpResponse],
) -> Callable[..., HttpResponse]:
    """For a view of the council's shared vocabulary (subjects, tracking categories), which any
    officer or clerk may change: sign in first, then 403 unless ``is_staff``."""

    @functools.wraps(view)
    def checked(request: R, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not is_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(checked)


def acting_user(request: HttpRequest) -> User:
    """The signed-in user a view writes for. Such views sign the user in first
    (``login_required``, ``ability_required``), so the refusal is only a guard."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    return request.user


def responsible_boards(boards: QuerySet[Board], user: AnyUser) -> QuerySet[Board]:
    """The boards whose business is the user's, dissolved or not: every board a clerk's, those
    they support a scrutiny officer's."""
    if has_ability(user, Ability.PUBLISH_AGENDAS):
        return boards
    if has_ability(user, Ability.PREPARE_MEETINGS):
        return boards.filter(support_officer__user=user)
    return boards.none()


def editable_boards(boards: QuerySet[Board], user: AnyUser) -> QuerySet[Board]:
    """The boards whose business the user may change (``Board.objects.editable_by``): those
    that are theirs and not dissolved."""
    return responsible_boards(boards, user).exclude(ends_on__lt=timezone.localdate())


def responsible_for(user: AnyUser, board: Board) -> bool:
    """The rule of ``responsible_boards`` for one board in hand, without a query (the board's
    support officer should be loaded with it)."""
    if has_ability(user, Ability.PUBLISH_AGENDAS):
        return True
    return (
        has_ability(user, Ability.PREPARE_MEETINGS)
        and board.support_officer is not None
        and board.support_officer.user_id == user.pk
    )


def can_edit(user: AnyUser, board: Board) -> bool:
    """The rule of ``editable_boards`` for one board in hand, without a query."""
    return responsible_for(user, board) and not board.is_dissolved


def require_edit(user: AnyUser, board: Board) -> None:
    """Refuse (403) unless the user may change the board; a dissolved board's refusal says why."""
    if not responsible_for(user, board):
        raise PermissionDenied
    if board.is_dissolved:
        raise PermissionDenied(board.dissolved_notice)


def _load[M: Model](
    user: AnyUser,
    queryset: QuerySet[M],
    board: str | None,
    check: Callable[[AnyUser, Board], None],
    lookup: dict[str, Any],
) -> M:
    officer = f"{board}__support_officer" if board else "support_officer"
    record = get_object_or_404(queryset.select_related(officer), **lookup)
    # The path is followed by name: what it ends at is known only when it runs.
    owner = cast("Board", functools.reduce(getattr, board.split("__"), record) if board else record)
    check(user, owner)
    return record


def get_editable[M: Model](
    user: AnyUser, queryset: QuerySet[M], board: str | None, **lookup: Any
) -> M:
    """The record ``lookup`` finds (else 404), if the user may change the board it belongs to
    (else 403). ``board`` is the path from the record to its board, as in a query (``"board"``,
    ``"meeting__board"``, ``"statement__inquiry__board"``), or None when the record is a board."""
    return _load(user, queryset, board, require_edit, lookup)


def _require_responsible(user: AnyUser, board: Board) -> None:
    if not responsible_for(user, board):
        raise PermissionDenied


def get_responsible[M: Model](
    user: AnyUser, queryset: QuerySet[M], board: str | None, **lookup: Any
) -> M:
    """As ``get_editable``, for pages that only show a board's set-up or history: the board
    must be the user's, dissolved or not."""
    return _load(user, queryset, board, _require_responsible, lookup)
