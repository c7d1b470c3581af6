"""Who may change what: the one rule for edits, asked the same way everywhere.

Clerks (democratic services) change every board's meetings, agendas, minutes, inquiries and
recommendations; a scrutiny officer those of the boards they support; administrators hold every
permission. Who may *read* what is the visibility rule (``boards.visibility``).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from boards.models import Board


def can_edit_board(user: AbstractBaseUser | AnonymousUser, board: Board) -> bool:
    """Clerks edit every board's meetings; a scrutiny officer the boards they support."""
    if user.has_perm("boards.publish_agendas"):
        return True
    return (
        user.has_perm("boards.prepare_meetings")
        and board.support_officer_id is not None
        and board.support_officer.user_id == user.pk
    )


def require_edit(user: AbstractBaseUser | AnonymousUser, board: Board) -> None:
    if not can_edit_board(user, board):
        raise PermissionDenied
