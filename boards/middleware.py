"""Every request's data without control characters, before any form or view reads it."""

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django.http import HttpRequest, HttpResponse, QueryDict

from boards.text import without_control_characters

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict


def _cleaned(data: "_ImmutableQueryDict") -> "_ImmutableQueryDict":
    """The same data without control characters in its names and values: the very object when
    it has none, as nearly every request."""
    lists = [
        (without_control_characters(key), [without_control_characters(v) for v in values])
        for key, values in data.lists()
    ]
    if lists == list(data.lists()):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in lists:
        cleaned.setlist(key, values)
    cleaned._mutable = False
    return cast("_ImmutableQueryDict", cleaned)


class ControlCharactersMiddleware:
    """Drops NUL and the other control characters but tab, line feed and carriage return from
    the query string and the posted form data.

    Text pasted from Word or a PDF brings them, a browser sends them as typed, and nothing means
    them: PostgreSQL refuses NUL in text (a server error), Django's form fields refuse it ("Null
    characters are not allowed", an error the officer cannot see), and an Atom feed cannot hold
    the rest. Cleaning here, once, covers every form and formset of every app and the views that
    read the posted data themselves (the minutes' autosave), with no form to forget it.
    Uploaded files are left as they are.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _cleaned(request.GET)
        if request.method == "POST":
            request.POST = _cleaned(request.POST)
        return self.get_response(request)
