from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from boards.models import Council
from boards.roles import LANDING_PAGES, roles_of


def site(request: HttpRequest) -> dict:
    """The council's details and the signed-in user's roles, for the base layout."""
    roles = roles_of(request.user)
    return {
        "council": SimpleLazyObject(Council.load),
        "user_roles": roles,
        "landing_page": LANDING_PAGES[roles[0]] if roles else "home:home",
        "today": timezone.localdate(),
    }
