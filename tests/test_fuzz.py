"""Hostile input never gives a server error (issue 15, finding 2).

A property-based walk of the URL map, as each kind of user, over the demo council: each example
visits every route, its parameters filled from the demo's own records or from hostile values,
with a GET carrying hostile query parameters, then a POST of the page's own form (the fields its
HTML names) filled with hostile values, or, where a route takes only POST, of hostile values
under the names the app's forms use. Any answer of 500 or more fails, naming the request.

The budget is fixed (``WALKS`` walks of every route per user) and the examples are
derandomised, so the walk is the same on every run and on both databases; the hostile values
are the ones the audit used, and text Hypothesis makes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.template.base import Template
from django.test import Client
from django.test import utils as test_utils
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import sign_in

# Walks of every route, per kind of user: the first walk is Hypothesis's simplest example (the
# demo's own records, the first hostile value), the second a random one.
WALKS = {"public": 2, "councillor": 1, "officer": 1, "admin": 2}
ROUTES_PER_EXAMPLE = 20

# Routes left out, each for a reason.
SKIPPED_NAMESPACES = {
    "admin",  # Django's own admin site, not this project's code
}
SKIPPED_NAMES = {
    "accounts:sign-out",  # it would end the walk's session
    "security:sign-out",
}

HOSTILE = [
    # First: Hypothesis begins with the simplest example, which takes the first of each list.
    "nul\x00<b>' OR 1=1 --",
    "",
    "0",
    "-1",
    "1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "abc",
    "0001-01-01",
    "9999-12-31",
    "2016-02-30",
    "2016-13-01",
    "----------",
    "!!!&&&|||",
    "' OR 1=1 --",
    '"; DROP TABLE boards_board; --',
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "\x00",
    "\x07\x1b[31m",
    "\u202eevil",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🐍",
    "a" * 5000,
    "[]",
    "{}",
    "public",
    "members",
]
QUERY_NAMES = [
    "q",
    "page",
    "year",
    "board",
    "ward",
    "party",
    "person",
    "meeting",
    "from",
    "to",
    "kind",
    "sort",
    "previous",
    "next",
    "edition",
    "status",
]
# Field names the app's forms use, for routes that take only POST.
FIELD_NAMES = [
    "title",
    "date",
    "date_day",
    "date_month",
    "date_year",
    "start_time",
    "reason",
    "status",
    "text",
    "body",
    "kind",
    "person",
    "post",
    "ordered_ids",
    "by",
    "edition",
    "code",
    "name",
    "subject",
    "meeting",
    "item",
    "due_on",
    "minute",
    "position",
]
_NAME = re.compile(r'name="([^"]+)"')


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str  # with <converter:name> placeholders


def _routes() -> list[Route]:
    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = (
                    f"{namespace}:{entry.namespace}"
                    if namespace and entry.namespace
                    else (entry.namespace or namespace)
                )
                if (entry.namespace or "") in SKIPPED_NAMESPACES:
                    continue
                walk(entry, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                if name in SKIPPED_NAMES:
                    continue
                found.append(Route(name, prefix + str(entry.pattern)))

    walk(get_resolver(), "/", "")
    return sorted(found, key=lambda route: route.name)


ROUTES = _routes()


def _pool() -> dict[str, list[str]]:
    """Values for each converter: the demo's own records (so that pages are found and their
    forms shown), and hostile ones."""
    from boards.models import Board, Subject
    from inquiries.models import Inquiry

    slugs = [
        *Board.objects.values_list("slug", flat=True)[:5],
        *Inquiry.objects.values_list("slug", flat=True)[:5],
        *Subject.objects.values_list("slug", flat=True)[:3],
        "councillor",
        "officer",
        "witness",
        "no-such-thing",
        "a" * 120,
    ]
    ints = [str(n) for n in (1, 2, 3, 5, 8, 13, 21, 40, 0, 2147483647, 99999999999)]
    strings = ["public", "members", "board", "inquiry", "item", "abc", "a" * 300, "%00"]
    return {
        "int": ints,
        "slug": slugs,
        "str": strings,
        "path": strings,
        "uuid": ["00000000-0000-0000-0000-000000000000"],
    }


def _path(route: Route, data, pool: dict[str, list[str]]) -> str:
    def fill(match: re.Match) -> str:
        converter = match.group(1) or "str"
        return data.draw(st.sampled_from(pool.get(converter, pool["str"])))

    return re.sub(r"<(?:(\w+):)?(\w+)>", fill, route.pattern)


hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)


def _check(response, method: str, url: str, payload: dict, errors: list[str]) -> None:
    """Note a server error; the walk goes on (the data changes as it goes, so an example is
    not replayed: every error is listed at the end instead)."""
    if response.status_code >= 500:
        errors.append(f"{method} {url} {payload!r} -> {response.status_code}")


@pytest.fixture
def plain_rendering(monkeypatch):
    """Templates rendered as in production: the test client's instrumented rendering copies the
    whole context for every template (every option of every select), which makes a walk of
    every form many times slower and tells this test nothing (it reads no response's context)."""
    original = test_utils._TestState.saved_data.template_render
    monkeypatch.setattr(Template, "_render", original)


@pytest.fixture
def clients(demo, plain_rendering) -> dict[str, Client]:
    users = get_user_model().objects.in_bulk(
        ["councillor", "officer", "clerk", "admin"], field_name="username"
    )
    clients = {"public": Client(raise_request_exception=False)}
    for username, user in users.items():
        clients[username] = sign_in(Client(raise_request_exception=False), user)
    return clients


# The clerk's abilities are the administrator's but the admin site, which is left out.
@pytest.mark.parametrize("role", list(WALKS))
def test_hostile_requests_never_give_a_server_error(clients, role):
    client = clients[role]
    pool = _pool()
    errors: list[str] = []

    def walk(routes: list[Route]) -> None:
        @settings(
            max_examples=WALKS[role],
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(data=st.data())
        def steps(data):
            for route in routes:
                visit(route, data)

        steps()

    def visit(route: Route, data) -> None:
        url = _path(route, data, pool)
        query = data.draw(st.dictionaries(st.sampled_from(QUERY_NAMES), hostile_text, max_size=3))
        response = client.get(url, query)
        _check(response, "GET", url, query, errors)
        if response.streaming:  # a download: read to its end (which closes it), nothing to post
            b"".join(response.streaming_content)
            return
        if response.status_code == 200:
            # The page's own form, every field it names.
            names = sorted(set(_NAME.findall(response.content.decode(errors="replace"))))
            names = [name for name in names if name != "csrfmiddlewaretoken"][:30]
        elif response.status_code == 405:
            names = data.draw(st.lists(st.sampled_from(FIELD_NAMES), max_size=5, unique=True))
        else:
            return
        payload = {name: data.draw(hostile_text) for name in names}
        headers = data.draw(st.sampled_from([{}, {"HX-Request": "true"}]))
        posted = client.post(url, payload, headers=headers)
        _check(posted, "POST", url, payload, errors)

    # A stretch of routes per example: one example drawing for every route would outgrow what
    # Hypothesis draws for one example, which it then abandons and tries again, many times.
    for start in range(0, len(ROUTES), ROUTES_PER_EXAMPLE):
        walk(ROUTES[start : start + ROUTES_PER_EXAMPLE])
    assert not errors, "\n".join(errors[:20])
