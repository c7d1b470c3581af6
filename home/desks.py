"""Each role's desk: the page a signed-in user starts from, and the links to it in every page's
navigation. Someone with several roles has several desks and lands on the first."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from boards.access import Ability, AnyUser, has_ability, is_staff
from boards.roles import Role, roles_of


@dataclass(frozen=True)
class Desk:
    label: str
    url_name: str


DESKS = {
    Role.ADMINISTRATOR: Desk("Administration", "home:administrator-home"),
    Role.CLERK: Desk("Clerk's desk", "home:clerk-home"),
    Role.OFFICER: Desk("Boards you support", "home:officer-home"),
    Role.COUNCILLOR: Desk("Your boards", "home:councillor-home"),
}
# The list across the boards someone works on or sits on (``recommendations.views``).
ATTENTION = Desk("What needs attention", "recommendations:dashboard")


def desks_of(user: AnyUser) -> list[Desk]:
    """The user's desks in the order of their roles' precedence."""
    return [DESKS[role] for role in roles_of(user)]


def navigation(user: AnyUser) -> list[Desk]:
    """The desks in the site's navigation, with the list of what needs attention after them:
    staff's (across the boards they work on) before a councillor's desk, a councillor's (across
    the boards they sit on) after it."""
    desks = desks_of(user)
    if is_staff(user):
        councillor = DESKS[Role.COUNCILLOR]
        at = desks.index(councillor) if councillor in desks else len(desks)
        desks.insert(at, ATTENTION)
    elif has_ability(user, Ability.READ_MEMBER_PAPERS):
        desks.append(ATTENTION)
    return desks


def landing_url(user: AnyUser) -> str:
    """Where the user starts: their first desk, or the public home page."""
    desks = desks_of(user)
    return reverse(desks[0].url_name if desks else "home:home")
