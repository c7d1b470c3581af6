"""What the site says about caching (ASVS 14.3.2): a page for someone signed in may show exempt
papers, drafts and their own desk, so neither the browser nor any cache between keeps it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class PrivatePagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Whatever the view said (a download's no-cache, say), no-store is the answer.
            response.headers["Cache-Control"] = "private, no-store"
        return response
