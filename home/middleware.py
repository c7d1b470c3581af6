"""What the site says about caching (ASVS 14.3.2): a page for someone signed in may show exempt
papers, drafts and their own desk, so neither the browser nor any cache between keeps it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csp import get_nonce
from django.middleware.csrf import (  # type: ignore[attr-defined]  # Django's own, unstubbed
    CSRF_SECRET_LENGTH,
    _unmask_cipher_token,
)
from django.middleware.gzip import GZipMiddleware
from django.utils.http import split_directive_names


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


# What is worth compressing: text. PDFs, zips and images are compressed already.
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/csv",
        "text/calendar",
        "application/json",
        "application/schema+json",
        "application/atom+xml",
        "application/xml",
    }
)


class PublicCompressionMiddleware(GZipMiddleware):
    """Gzip what the public reads, for a client that takes it: pages, feeds, calendars, CSV
    and the API (which gzips its own answers, for anyone, from its cache).

    Never an answer for someone signed in, nor one marked private or no-store, nor an answer
    to anything but GET and HEAD. That is BREACH: when a compressed answer holds a secret and
    something an attacker chose (a search term, a form echoed back), its length tells whether
    the guess matched part of the secret, and repeated requests read the secret out. A
    signed-in user's pages hold exempt papers, drafts and a session's CSRF token beside the
    search box, so they go uncompressed. The public's hold only what anyone may read; their
    CSRF token is masked afresh for every answer (Django's own defence against BREACH) and
    Django adds random bytes to every gzipped answer, so there is nothing stable to read out.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if request.method not in {"GET", "HEAD"}:
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        if {"private", "no-store"} & set(split_directive_names(response.get("Cache-Control", ""))):
            return response
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in COMPRESSIBLE:
            return response
        return super().process_response(request, response)


class PageETagMiddleware:
    """An ETag for a public page that stays the same while the page does, so that
    ConditionalGetMiddleware (outside it) answers 304 to a browser revalidating its copy.

    Each answer differs from the last in two places whatever the page: the CSP nonce and the
    CSRF token, which Django masks afresh every time. The ETag is worked out without them, but
    with the visitor's CSRF secret: the copy a browser holds carries a token of that secret, so
    it stays valid, and a visitor with a new secret gets the page anew. (The copy's nonce goes
    with the copy's own Content-Security-Policy, which the browser keeps with it.) Pages marked
    no-store, which are everything for someone signed in, get none."""

    TOKEN = re.compile(rb"[A-Za-z0-9]{%d}" % (2 * CSRF_SECRET_LENGTH))

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            request.method == "GET"
            and response.status_code == 200
            and isinstance(response, HttpResponse)
            and not response.has_header("ETag")
            and response.get("Content-Type", "").startswith("text/html")
            and "no-store" not in set(split_directive_names(response.get("Cache-Control", "")))
        ):
            response.headers["ETag"] = self.etag(request, response.content)
        return response

    def etag(self, request: HttpRequest, content: bytes) -> str:
        secret = request.META.get("CSRF_COOKIE", "")
        nonce = get_nonce(request)
        if nonce:  # only if the page used one
            content = content.replace(str(nonce).encode(), b"")
        if secret:

            def plain(match: re.Match[bytes]) -> bytes:
                token = match.group().decode()
                return b"" if _unmask_cipher_token(token) == secret else match.group()

            content = self.TOKEN.sub(plain, content)
        digest = hashlib.md5(content + secret.encode(), usedforsecurity=False).hexdigest()
        return f'"{digest}"'
