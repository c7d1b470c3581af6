"""The bench's URLs: the floor, then every URL of the project (``scrutiny.urls``) as it is.

The floor is the least any page can cost on the same stack: a view that renders ``base.html``
and asks the database nothing itself (the context processors every page runs still do). It
lives here, never in the project's URLs."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path


def floor(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("", include("scrutiny.urls")),
]
