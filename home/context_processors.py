from django.http import HttpRequest

from home.desks import navigation


def desks(request: HttpRequest) -> dict:
    """The signed-in user's desks, for the navigation of every page."""
    return {"nav_desks": navigation(request.user)}
