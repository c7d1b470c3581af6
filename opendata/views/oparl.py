"""The OParl 1.1 API: read-only, anonymous JSON at ``/api/oparl/v1/`` (see ``docs/api.md``).

Whoever asks, signed in or not, gets what the public may see (``opendata.oparl`` starts every query
from ``Audience.public()``), so responses never depend on the session and carry
``Access-Control-Allow-Origin: *`` as OParl requires.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_safe

from boards import downloads, uploads
from boards.models import Board, Council, Paper
from opendata import oparl
from opendata.oparl import OParl

EXTENSION_SCHEMAS = Path(settings.BASE_DIR) / "docs" / "standards" / "scrutiny-extension"

# The filters every OParl list supports (OParl 1.1, "Filter"), on the objects' own times.
FILTERS = {
    "created_since": "created__gte",
    "created_until": "created__lte",
    "modified_since": "modified__gte",
    "modified_until": "modified__lte",
}


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


def _elements_per_page(request: HttpRequest) -> int:
    """The server's page size, or less if the client asks (OParl's ``elementsPerPage``)."""
    largest = oparl.page_size()
    try:
        asked = int(request.GET.get("elementsPerPage", largest))
    except ValueError:
        return largest
    return max(1, min(asked, largest))


def _list(
    request: HttpRequest,
    objects: QuerySet[Any] | oparl.ChainedList | list[Council],
    serialize: Callable[[Any], dict],
    list_url: str,
) -> dict:
    """An OParl list page: ``data``, ``pagination`` and ``links``, the filters kept on every
    link. The order is the objects' ids, which never change, so paging is stable."""
    if isinstance(objects, QuerySet):
        objects = _filter(request, objects)
    elif isinstance(objects, oparl.ChainedList):
        objects.parts = [_filter(request, part) for part in objects.parts]
    per_page = _elements_per_page(request)
    # Paginator needs only count() and slices, which a ChainedList has; the stub asks for a
    # sequence.
    paginator = Paginator(objects, per_page)  # type: ignore[arg-type]
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404 from error
    kept = [(key, request.GET[key]) for key in FILTERS if key in request.GET]
    if "elementsPerPage" in request.GET:
        kept.append(("elementsPerPage", str(per_page)))

    def link(number: int) -> str:
        # One spelling per page (OParl's canonical URLs): parameters in name order, no page=1.
        query = sorted([*kept, ("page", str(number))] if number > 1 else kept)
        return f"{list_url}?{urlencode(query)}" if query else list_url

    links = {"first": link(1), "self": link(page.number), "last": link(paginator.num_pages)}
    if page.has_previous():
        links["prev"] = link(page.previous_page_number())
    if page.has_next():
        links["next"] = link(page.next_page_number())
    return {
        "data": [serialize(item) for item in page.object_list],
        "pagination": {
            "totalElements": paginator.count,
            "elementsPerPage": per_page,
            "currentPage": page.number,
            "totalPages": paginator.num_pages,
        },
        "links": links,
    }


# The entry point and the body.


@api
def system(request: HttpRequest) -> dict:
    return OParl(request).system()


@api
def body_list(request: HttpRequest) -> dict:
    serializer = OParl(request)
    councils = Council.objects.order_by("pk")
    # Before an administrator enters the council's details, the configured name.
    bodies = councils if councils.exists() else [serializer.council]
    return _list(request, bodies, lambda _council: serializer.body(), serializer.url("body-list"))


@api
def body(request: HttpRequest, pk: int) -> dict:
    serializer = OParl(request)
    if pk != serializer.council.pk:
        raise Http404
    return serializer.body()


def _object_views(name: str, queryset: Callable[[], QuerySet], method: str):
    """The list and the single-object views of one kind of object."""

    @api
    def list_view(request: HttpRequest) -> dict:
        serializer = OParl(request)
        return _list(
            request, queryset(), getattr(serializer, method), serializer.url(f"{name}-list")
        )

    @api
    def detail_view(request: HttpRequest, pk: int) -> dict:
        return getattr(OParl(request), method)(get_object_or_404(queryset(), pk=pk))

    list_view.__name__ = list_view.__qualname__ = f"{name}_list"
    detail_view.__name__ = detail_view.__qualname__ = f"{name}_detail"
    return list_view, detail_view


organization_list, organization = _object_views("organization", oparl.organizations, "organization")
person_list, person = _object_views("person", oparl.people, "person")
membership_list, membership = _object_views("membership", oparl.memberships, "membership")
legislative_term_list, legislative_term = _object_views(
    "legislativeterm", oparl.legislative_terms, "legislative_term"
)
location_list, location = _object_views("location", oparl.locations, "location")
meeting_list, meeting = _object_views("meeting", oparl.meetings, "meeting")
agenda_item_list, agenda_item = _object_views("agendaitem", oparl.agenda_items, "agenda_item")
# Papers are reports and executive decisions; consultations, reports' consideration at meetings
# and call-ins (their lists below).
_, paper = _object_views("paper", oparl.papers, "paper")
_, consultation = _object_views("consultation", oparl.papers, "consultation")
inquiry_list, inquiry = _object_views("inquiry", oparl.inquiries, "inquiry")
recommendation_list, recommendation = _object_views(
    "recommendation", oparl.recommendations, "recommendation"
)
tracking_category_list, tracking_category = _object_views(
    "trackingcategory", oparl.tracking_categories, "tracking_category"
)


@api
def response(request: HttpRequest, pk: int) -> dict:
    return OParl(request).response(get_object_or_404(oparl.responses(), pk=pk))


@api
def organization_meeting_list(request: HttpRequest, pk: int) -> dict:
    board = get_object_or_404(Board, pk=pk)
    serializer = OParl(request)
    return _list(
        request,
        oparl.meetings().filter(board=board),
        serializer.meeting,
        serializer.url("organization-meeting-list", board.pk),
    )


@api
def organization_inquiry_list(request: HttpRequest, pk: int) -> dict:
    board = get_object_or_404(Board, pk=pk)
    serializer = OParl(request)
    return _list(
        request,
        oparl.inquiries().filter(board=board),
        serializer.inquiry,
        serializer.url("organization-inquiry-list", board.pk),
    )


@api
def inquiry_recommendation_list(request: HttpRequest, pk: int) -> dict:
    inquiry = get_object_or_404(oparl.inquiries(), pk=pk)
    serializer = OParl(request)
    return _list(
        request,
        oparl.recommendations().filter(statement__inquiry=inquiry),
        serializer.recommendation,
        serializer.url("inquiry-recommendation-list", inquiry.pk),
    )


@api
def paper_decision(request: HttpRequest, pk: int) -> dict:
    return OParl(request).decision(get_object_or_404(oparl.decisions(), pk=pk))


@api
def consultation_call_in(request: HttpRequest, pk: int) -> dict:
    return OParl(request).call_in(get_object_or_404(oparl.call_ins(), pk=pk))


@api
def paper_list(request: HttpRequest) -> dict:
    """Reports, then executive decisions."""
    serializer = OParl(request)
    papers = oparl.ChainedList(oparl.papers(), oparl.decisions())
    return _list(request, papers, serializer.any_paper, serializer.url("paper-list"))


@api
def consultation_list(request: HttpRequest) -> dict:
    """Reports' consideration at meetings, then call-ins."""
    serializer = OParl(request)
    consultations = oparl.ChainedList(oparl.papers(), oparl.call_ins())
    return _list(
        request, consultations, serializer.any_consultation, serializer.url("consultation-list")
    )


# Files: papers the public may read, and published minutes.


@api
def file_list(request: HttpRequest) -> dict:
    serializer = OParl(request)
    files = oparl.ChainedList(oparl.paper_files(), oparl.minutes_files(serializer.council))
    return _list(request, files, serializer.file, serializer.url("file-list"))


@api
def file_paper(request: HttpRequest, pk: int) -> dict:
    return OParl(request).paper_file(get_object_or_404(oparl.paper_files(), pk=pk))


@api
def file_minutes(request: HttpRequest, pk: int) -> dict:
    serializer = OParl(request)
    records = oparl.minutes_files(serializer.council)
    return serializer.minutes_file(get_object_or_404(records, pk=pk))


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
