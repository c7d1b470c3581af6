"""The open data page: what the council publishes for machines, where, and on what terms."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from boards.models import Board
from opendata.oparl import DEFAULT_LICENSE, data_license


def _absolute(request: HttpRequest, path: str) -> str:
    """From ``SITE_URL`` when it is set, as canonical addresses are; else from the request."""
    return settings.SITE_URL + path if settings.SITE_URL else request.build_absolute_uri(path)


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    licence = data_license()
    return render(
        request,
        "opendata/open_data.html",
        {
            "boards": Board.objects.only("name", "slug"),
            "oparl_url": _absolute(request, reverse("oparl:system")),
            "licence_url": licence,
            "licence_is_ogl": licence == DEFAULT_LICENSE,
        },
    )
