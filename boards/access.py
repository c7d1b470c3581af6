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


def editable_boards(boards: QuerySet[Board], user: AnyUser) -> QuerySet[Board]:
    """The boards whose business the user may change (``Board.objects.editable_by``)."""
    if has_ability(user, Ability.PUBLISH_AGENDAS):
        return boards
    if has_ability(user, Ability.PREPARE_MEETINGS):
        return boards.filter(support_officer__user=user)
    return boards.none()


def can_edit(user: AnyUser, board: Board) -> bool:
    """The rule of ``editable_boards`` for one board in hand, without a query (the board's
    support officer should be loaded with it)."""
    if has_ability(user, Ability.PUBLISH_AGENDAS):
        return True
    return (
        has_ability(user, Ability.PREPARE_MEETINGS)
        and board.support_officer is not None
        and board.support_officer.user_id == user.pk
    )


def require_edit(user: AnyUser, board: Board) -> None:
    if not can_edit(user, board):
        raise PermissionDenied


def get_editable[M: Model](
    user: AnyUser, queryset: QuerySet[M], board: str | None, **lookup: Any
) -> M:
    """The record ``lookup`` finds (else 404), if the user may change the board it belongs to
    (else 403). ``board`` is the path from the record to its board, as in a query (``"board"``,
    ``"meeting__board"``, ``"statement__inquiry__board"``), or None when the record is a board."""
    officer = f"{board}__support_officer" if board else "support_officer"
    record = get_object_or_404(queryset.select_related(officer), **lookup)
    # The path is followed by name: what it ends at is known only when it runs.
    owner = cast("Board", functools.reduce(getattr, board.split("__"), record) if board else record)
    require_edit(user, owner)
    return record
