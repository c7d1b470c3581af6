"""The OParl 1.1 API: read-only, anonymous JSON at ``/api/oparl/v1/`` (see ``docs/api.md``).

Whoever asks, signed in or not, gets what the public may see (``opendata.oparl`` starts every query
from ``Audience.public()``), so responses never depend on the session and carry
``Access-Control-Allow-Origin: *`` as OParl requires.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from boards import downloads, uploads
from boards.models import Board, Council, Paper
from opendata import oparl, oparl_cache
from opendata.oparl import OParl

EXTENSION_SCHEMAS = Path(settings.BASE_DIR) / "docs" / "standards" / "scrutiny-extension"

# The filters every OParl list supports (OParl 1.1, "Filter"), on the objects' own times.
FILTERS = {
    "created_since": "created__gte",
    "created_until": "created__lte",
    "modified_since": "modified__gte",
    "modified_until": "modified__lte",
}


ACCEPTS_GZIP = re.compile(r"\bgzip\b")


class BadRequest(ValueError):
    pass


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        data, status=status, json_dumps_params={"ensure_ascii": False, "indent": None}
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def api(view: Callable[..., dict | HttpResponse]) -> Callable[..., HttpResponse]:
    """GET (and HEAD) only; the view's dict as JSON; a missing object or a bad parameter
    answered in JSON too, so a client never has to read an HTML error page."""

    @functools.wraps(view)
    @require_safe
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            result = view(request, *args, **kwargs)
        except Http404:
            return _json({"error": "Not found."}, status=404)
        except BadRequest as error:
            return _json({"error": str(error)}, status=400)
        return _json(result) if isinstance(result, dict) else result

    return wrapper


def _since(parameter: str, value: str) -> datetime.datetime:
    # An unencoded "+01:00" offset arrives as " 01:00".
    try:
        parsed = parse_datetime(value.strip().replace(" ", "+"))
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadRequest(f"{parameter} must be a date-time, e.g. 2016-01-01T00:00:00+00:00.")
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _filter(request: HttpRequest, objects: QuerySet) -> QuerySet:
    for parameter, lookup in FILTERS.items():
        if (value := request.GET.get(parameter)) is not None:
            objects = objects.filter(**{lookup: _since(parameter, value)})
    return objects


def _elements_per_page(request: HttpRequest, list_name: str) -> int:
    """The list's page size, or less if the client asks (OParl's ``elementsPerPage``)."""
    largest = oparl.page_size(list_name)
    try:
        asked = int(request.GET.get("elementsPerPage", largest))
    except ValueError:
        return largest
    return max(1, min(asked, largest))


def _page_number(request: HttpRequest) -> int:
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        raise Http404 from None
    if number < 1:
        raise Http404
    return number


def _window(request: HttpRequest, list_name: str, list_url: str) -> oparl_cache.PageWanted:
    """The page asked for, and how its links are spelt: one spelling per page (OParl's
    canonical URLs), the filters kept, parameters in name order, no page=1."""
    per_page = _elements_per_page(request, list_name)
    kept = [(key, request.GET[key]) for key in FILTERS if key in request.GET]
    if "elementsPerPage" in request.GET:
        kept.append(("elementsPerPage", str(per_page)))

    def link(number: int) -> str:
        query = sorted([*kept, ("page", str(number))] if number > 1 else kept)
        return f"{list_url}?{urlencode(query)}" if query else list_url

    return oparl_cache.PageWanted(number=_page_number(request), size=per_page, link=link)


def _sources(request: HttpRequest, *parts: tuple[str, QuerySet]) -> list[oparl_cache.Source]:
    filtered = any(key in request.GET for key in FILTERS)
    return [
        oparl_cache.Source(
            kind=oparl_cache.KINDS[kind],
            objects=_filter(request, objects),
            unfiltered=objects if filtered else None,
        )
        for kind, objects in parts
    ]


def _answer(request: HttpRequest, answer: oparl_cache.Answer) -> HttpResponse:
    """The answer with its validators: 304 if the client holds it already (nothing built or
    read from the cache), else its JSON, gzipped for a client that takes gzip. The JSON is
    the public's whoever asks, with no secret in it, so compressing it is safe for anyone."""
    response = HttpResponse(content_type="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["ETag"] = answer.etag
    last_modified = int(answer.last_modified.timestamp()) if answer.last_modified else None
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified)
    patch_vary_headers(response, ["Accept-Encoding"])
    # Any cache may keep it, but must ask again before using it (a 304, most times).
    patch_cache_control(response, no_cache=True)
    not_modified = get_conditional_response(
        request, etag=answer.etag, last_modified=last_modified, response=response
    )
    if not_modified is not None and not_modified is not response:
        not_modified.headers["Access-Control-Allow-Origin"] = "*"
        return not_modified
    try:
        plain, compressed = answer.body()
    except oparl_cache.NotFound as error:
        raise Http404 from error
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response.content = compressed
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.content = plain
    response.headers["Content-Length"] = str(len(response.content))
    return response


def _list(
    request: HttpRequest, list_name: str, list_url: str, *parts: tuple[str, QuerySet]
) -> HttpResponse:
    """An OParl list page: ``data``, ``pagination`` and ``links``, the filters kept on every
    link. The order is the objects' ids, which never change, so paging is stable."""
    window = _window(request, list_name, list_url)
    try:
        answer = oparl_cache.page(OParl(request), _sources(request, *parts), window)
    except oparl_cache.NotFound as error:
        raise Http404 from error
    return _answer(request, answer)


def _detail(request: HttpRequest, kind: str, objects: QuerySet, pk: int) -> HttpResponse:
    source = oparl_cache.Source(kind=oparl_cache.KINDS[kind], objects=objects)
    answer = oparl_cache.detail(OParl(request), source, pk)
    if answer is None:
        raise Http404
    return _answer(request, answer)


# The entry point and the body.


@api
def system(request: HttpRequest) -> dict:
    return OParl(request).system()


@api
def body_list(request: HttpRequest) -> dict:
    """The council: one body, served as a list of one (not kept in the cache: it is small)."""
    serializer = OParl(request)
    if _page_number(request) > 1:
        raise Http404
    councils = Council.objects.order_by("pk")
    # Before an administrator enters the council's details, the configured name.
    shown = _filter(request, councils).exists() if councils.exists() else True
    data = [serializer.body()] if shown else []
    link = serializer.url("body-list")
    return {
        "data": data,
        "pagination": {
            "totalElements": len(data),
            "elementsPerPage": _elements_per_page(request, "body"),
            "currentPage": 1,
            "totalPages": 1,
        },
        "links": {"first": link, "self": link, "last": link},
    }


@api
def body(request: HttpRequest, pk: int) -> dict:
    serializer = OParl(request)
    if pk != serializer.council.pk:
        raise Http404
    return serializer.body()


def _object_views(name: str, queryset: Callable[[], QuerySet]):
    """The list and the single-object views of one kind of object."""

    @api
    def list_view(request: HttpRequest) -> HttpResponse:
        return _list(request, name, OParl(request).url(f"{name}-list"), (name, queryset()))

    @api
    def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
        return _detail(request, name, queryset(), pk)

    list_view.__name__ = list_view.__qualname__ = f"{name}_list"
    detail_view.__name__ = detail_view.__qualname__ = f"{name}_detail"
    return list_view, detail_view


organization_list, organization = _object_views("organization", oparl.organizations)
person_list, person = _object_views("person", oparl.people)
membership_list, membership = _object_views("membership", oparl.memberships)
legislative_term_list, legislative_term = _object_views("legislativeterm", oparl.legislative_terms)
location_list, location = _object_views("location", oparl.locations)
meeting_list, meeting = _object_views("meeting", oparl.meetings)
agenda_item_list, agenda_item = _object_views("agendaitem", oparl.agenda_items)
# Papers are reports and executive decisions; consultations, reports' consideration at meetings
# and call-ins (their lists below).
_, paper = _object_views("paper", oparl.papers)
_, consultation = _object_views("consultation", oparl.papers)
inquiry_list, inquiry = _object_views("inquiry", oparl.inquiries)
recommendation_list, recommendation = _object_views("recommendation", oparl.recommendations)
tracking_category_list, tracking_category = _object_views(
    "trackingcategory", oparl.tracking_categories
)


@api
def response(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, "response", oparl.responses(), pk)


@api
def organization_meeting_list(request: HttpRequest, pk: int) -> HttpResponse:
    board = get_object_or_404(Board, pk=pk)
    url = OParl(request).url("organization-meeting-list", board.pk)
    return _list(request, "meeting", url, ("meeting", oparl.meetings().filter(board=board)))


@api
def organization_inquiry_list(request: HttpRequest, pk: int) -> HttpResponse:
    board = get_object_or_404(Board, pk=pk)
    url = OParl(request).url("organization-inquiry-list", board.pk)
    return _list(request, "inquiry", url, ("inquiry", oparl.inquiries().filter(board=board)))


@api
def inquiry_recommendation_list(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = get_object_or_404(oparl.inquiries(), pk=pk)
    url = OParl(request).url("inquiry-recommendation-list", inquiry.pk)
    recommendations = oparl.recommendations().filter(statement__inquiry=inquiry)
    return _list(request, "recommendation", url, ("recommendation", recommendations))


@api
def paper_decision(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, "decision", oparl.decisions(), pk)


@api
def consultation_call_in(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, "call-in", oparl.call_ins(), pk)


@api
def paper_list(request: HttpRequest) -> HttpResponse:
    """Reports, then executive decisions."""
    url = OParl(request).url("paper-list")
    return _list(request, "paper", url, ("paper", oparl.papers()), ("decision", oparl.decisions()))


@api
def consultation_list(request: HttpRequest) -> HttpResponse:
    """Reports' consideration at meetings, then call-ins."""
    url = OParl(request).url("consultation-list")
    return _list(
        request,
        "consultation",
        url,
        ("consultation", oparl.papers()),
        ("call-in", oparl.call_ins()),
    )


# Files: papers the public may read, and published minutes.


@api
def file_list(request: HttpRequest) -> HttpResponse:
    """Papers' files, then minutes."""
    url = OParl(request).url("file-list")
    return _list(
        request,
        "file",
        url,
        ("file-paper", oparl.paper_files()),
        ("file-minutes", oparl.minutes_files()),
    )


@api
def file_paper(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, "file-paper", oparl.paper_files(), pk)


@api
def file_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, "file-minutes", oparl.minutes_files(), pk)


@require_safe
def file_paper_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A File's ``downloadUrl``: the same PDF as its ``accessUrl``, sent as an attachment, as
    OParl asks of download URLs."""
    paper = get_object_or_404(Paper.objects.readable_by(oparl.public()), pk=pk)
    if not paper.is_upload:
        raise Http404("No file to download.")
    return downloads.file_response(
        request,
        paper.file,
        modified=paper.modified,
        as_attachment=True,
        filename=uploads.safe_download_name(paper.title),
    )


# The extension's types are URLs that answer with their JSON Schema.


@api
def extension_schema(request: HttpRequest, name: str) -> HttpResponse:
    if name not in (*oparl.EXTENSION_TYPES, *oparl.EXTENSION_PROPERTIES):
        raise Http404
    schema = json.loads((EXTENSION_SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    response = _json(schema)
    response.headers["Content-Type"] = "application/schema+json"
    return response
