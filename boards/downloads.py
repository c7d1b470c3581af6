"""Stored files sent to a reader: papers, evidence and agenda packs.

Each answer carries validators (an ETag and Last-Modified) so that a browser or a cache asks
again cheaply and gets "304 Not Modified" when nothing changed; and ``no-cache``, so that
whatever keeps a copy asks every time before using it, and meets the visibility rule again: a
paper made exempt after it was published stops reaching anyone who kept it (ASVS 14.3).
"""

from __future__ import annotations

import datetime
import hashlib

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag


def file_response(
    request: HttpRequest,
    file: FieldFile,
    *,
    modified: datetime.datetime,
    filename: str,
    as_attachment: bool = False,
    content_type: str = "application/pdf",
) -> HttpResponseBase:
    """The stored file, or 304 when the request's validators still match it. A stored file's
    name is unique to one upload or build, so the name and the record's modification time
    identify its bytes without reading them."""
    etag = quote_etag(hashlib.sha256(f"{file.name}\n{modified.isoformat()}".encode()).hexdigest())
    last_modified = int(modified.timestamp())
    response: HttpResponseBase | None = get_conditional_response(
        request, etag=etag, last_modified=last_modified
    )
    if response is None:
        response = FileResponse(
            file.open("rb"),
            as_attachment=as_attachment,
            content_type=content_type,
            filename=filename,
        )
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, no_cache=True)
    return response
