"""Who may see what: the one rule for exempt and unpublished information.

Every page, list, download, and later search, feed, API and PDF, starts from an ``Audience``
and the ``visible_to(audience)`` queryset methods of agenda items and papers.

- Clerks and administrators see everything, drafts included. Scrutiny officers see the drafts
  and exempt content of the boards they support; of every board when the council's details say
  so (``Council.officers_read_every_board``, off by default: least privilege).
- A councillor sees what is published, and the exempt content of the boards they currently sit on
  and of each meeting they are recorded as substituting at (a substitute is a member of the board
  for that meeting).
- The public sees what is published; of exempt items and papers only the title and the paragraph
  of Schedule 12A that keeps them back.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from django.contrib.auth.models import User
from django.utils import timezone

from boards import access
from boards.signals import meeting_access

# The audience is worked out once a request and kept on the user object, under this name.
_CACHED_ON_USER = "_scrutiny_audience"


@dataclass(frozen=True)
class Audience:
    sees_drafts: bool = False  # of every board
    member_board_ids: frozenset[int] = field(default_factory=frozenset)
    substitute_meeting_ids: frozenset[int] = field(default_factory=frozenset)
    # The boards whose drafts (and exempt content) this audience sees, when not every board's.
    draft_board_ids: frozenset[int] = field(default_factory=frozenset)
    # Officers, clerks and administrators: they see what is the council's rather than a board's
    # (a subject nothing is filed under yet), even when they see only some boards' drafts.
    staff: bool = False

    @classmethod
    def public(cls) -> Audience:
        return cls()

    @classmethod
    def of(cls, user: access.AnyUser) -> Audience:
        """The user's audience, worked out once and kept on the user for the request."""
        if not user.is_authenticated or not user.is_active:
            return cls.public()
        cached: Audience | None = getattr(user, _CACHED_ON_USER, None)
        if cached is None:
            cached = cls._for_user(user, timezone.localdate())
            setattr(user, _CACHED_ON_USER, cached)
        return cached

    @classmethod
    def _for_user(cls, user: User, today: datetime.date) -> Audience:
        from boards.models import Board, Council, Membership

        if access.has_ability(user, access.Ability.PUBLISH_AGENDAS):
            return cls(sees_drafts=True, staff=True)  # clerks and administrators
        if access.has_ability(user, access.Ability.PREPARE_MEETINGS):
            if Council.load().officers_read_every_board:
                return cls(sees_drafts=True, staff=True)
            supported = frozenset(Board.objects.supported_by(user).values_list("pk", flat=True))
            return cls(member_board_ids=supported, draft_board_ids=supported, staff=True)
        if not access.has_ability(user, access.Ability.READ_MEMBER_PAPERS):
            return cls.public()
        board_ids = (
            Membership.objects.current(today)
            .filter(person__user=user)
            .values_list("board_id", flat=True)
        )
        # The meetings a councillor substitutes at are recorded with the attendance, in the
        # record of meetings, which answers this signal (boards cannot import it).
        # django-stubs types a receiver's answer as ``str | None``; these answer with ids.
        meeting_ids = {
            pk
            for _receiver, granted in meeting_access.send(sender=cls, user=user)
            for pk in cast("Iterable[int]", granted)
        }
        return cls(
            member_board_ids=frozenset(board_ids), substitute_meeting_ids=frozenset(meeting_ids)
        )

    def sees_drafts_of(self, board_id: int) -> bool:
        return self.sees_drafts or board_id in self.draft_board_ids

    def sees_exempt_of(self, board_id: int) -> bool:
        return self.sees_drafts or board_id in self.member_board_ids

    def sees_exempt_of_meeting(self, meeting) -> bool:
        return self.sees_exempt_of(meeting.board_id) or meeting.pk in self.substitute_meeting_ids
