"""What every public page says about itself, whichever app serves it: one canonical address
(``{% canonical_url %}``), its own title and its own description."""

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from tests.test_url_coverage import PUBLIC_URLS

pytestmark = pytest.mark.django_db

SERVER = "http://testserver"


class Head(HTMLParser):
    """What a page says about itself, and where it links to."""

    def __init__(self):
        super().__init__()
        self.canonical: list[str] = []
        self.descriptions: list[str] = []
        self.titles: list[str] = []
        self.links: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs.get("href") or "")
        elif tag == "meta" and attrs.get("name") == "description":
            self.descriptions.append(attrs.get("content") or "")
        elif tag == "title":
            self._in_title = True
            self.titles.append("")
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.titles[-1] += data


def head_of(response) -> Head:
    parsed = Head()
    parsed.feed(response.content.decode())
    return parsed


# Public URL names whose answer is not an HTML page (files, feeds, data) or not a page to read.
NOT_PAGES = {
    "boards:paper-download",
    "boards:paper-original",
    "boards:person-photo",
    "packs:pack-download",
    "packs:pack-build",
    "minutes:minutes-pdf",
    "minutes:subject-pdf",
    "opendata:calendar-all",
    "opendata:calendar-board",
    "opendata:feed-all",
    "opendata:feed-board",
    "opendata:feed-inquiry",
    "follow:unsubscribe-token",
    "statements:statement-pdf",
    "inquiries:evidence-download",
    "inquiries:work-schedule-pdf",
    "recommendations:board-tracking-pdf",
    "recommendations:inquiry-tracking-pdf",
    "opendata:board-tracking-csv",
    "opendata:inquiry-tracking-csv",
    "opendata:attendance-csv",
    "minutes:attendance-report-pdf",
    "decisions:forward-plan-pdf",
    "opendata:feed-forward-plan",
    "opendata:feed-decisions",
    "opendata:calendar-forward-plan",
    "oparl:system",
    "otp_webauthn:js-i18n-catalog",
    "accounts:sign-out",
    "admin:login",
    "admin:logout",
    "decisions:decision-report",
    "decisions:call-in-of-item",  # a redirect to the call-in's page, which is visited
    "summons:dispatch-csv",  # the dispatch list as CSV (for staff: never reached by the walk)
}
# Query parameters that choose what a page shows, so its canonical address keeps them.
CANONICAL_KEEPS = {
    "boards:meeting-list": {"board", "page"},
    "minutes:attendance-figures": {"year"},
    "inquiries:work-schedule": {"year"},
    "minutes:councillor-list": {"ward", "party"},
    "minutes:declaration-register": {"councillor", "board", "date_from", "date_to", "page"},
    "minutes:attendance-report": {"board", "date_from", "date_to"},
    "decisions:decision-list": {"body", "maker", "key", "open", "page"},
    "decisions:forward-plan": {"ward", "maker", "past"},
    "boards:board-detail": {"year"},
    "recommendations:board-tracking": {"show"},
}
DEFAULT_DESCRIPTION = "Meetings, agendas, minutes, inquiries and recommendations of the scrutiny"


def _page_name(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None  # another site, mailto:, webcal:
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return match.view_name


def test_every_public_page_of_the_demo_has_one_canonical_address_its_own_title_and_description(
    demo,
):
    client = Client()
    # From the home page, and a search (reached by a form, not a link).
    queue, seen, titles = ["/", "/search/?q=commissioning"], set(), {}
    names_visited = set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html"), f"{url}: add it to NOT_PAGES"
        head = head_of(response)
        names_visited.add(_page_name(url))

        assert len(head.canonical) == 1, f"{url}: {head.canonical}"
        [canonical] = head.canonical
        path, _, query = url.partition("?")
        keeps = CANONICAL_KEEPS.get(_page_name(url), set())
        kept = [(key, value) for key, value in parse_qsl(query) if key in keeps]
        assert urlsplit(canonical).path == path, url
        assert canonical.startswith(f"{SERVER}{path}"), url
        assert dict(parse_qsl(urlsplit(canonical).query)) == dict(kept), url
        assert len(head.titles) == 1, url
        title = head.titles[0].strip()
        assert title and not title.startswith("–"), url
        titles.setdefault(title, set()).add(canonical)
        assert len(head.descriptions) == 1, url
        assert head.descriptions[0].strip(), url
        assert not head.descriptions[0].startswith(DEFAULT_DESCRIPTION), (
            f"{url} has no own description"
        )

        for link in head.links:
            link = urldefrag(link).url
            name = _page_name(link)
            if name in PUBLIC_URLS and name not in NOT_PAGES and link not in seen:
                queue.append(link)
        assert len(seen) < 500, "the walk should end"

    duplicated = {title: urls for title, urls in titles.items() if len(urls) > 1}
    assert not duplicated, duplicated
    assert {
        "home:home",
        "home:accessibility",
        "boards:board-list",
        "boards:board-detail",
        "boards:meeting-list",
        "boards:meeting-detail",
        "boards:paper-detail",
        "minutes:minutes-detail",
        "minutes:attendance-figures",
        "minutes:subject-detail",
        "inquiries:inquiry-list",
        "inquiries:inquiry-detail",
        "statements:statement-detail",
        "inquiries:work-schedule",
        "recommendations:recommendation-detail",
        "recommendations:board-tracking",
        "recommendations:inquiry-tracking",
        "search:search",
        "accounts:sign-in",
        "minutes:councillor-list",
        "minutes:councillor-detail",
        "minutes:declaration-register",
        "minutes:attendance-report",
        "opendata:open-data",
        "decisions:decision-list",
        "decisions:call-in-explained",
    } <= names_visited
    assert len(seen) > 50


def test_canonical_address_drops_query_noise_and_keeps_what_chooses_the_content(board):
    def canonical(url):
        [address] = head_of(Client().get(url)).canonical
        return address

    assert canonical("/boards/?utm_source=newsletter") == f"{SERVER}/boards/"
    assert canonical(f"/boards/{board.slug}/?x=1") == f"{SERVER}/boards/{board.slug}/"
    assert (
        canonical(f"/meetings/?page=1&utm_source=x&board={board.slug}")
        == f"{SERVER}/meetings/?board={board.slug}&page=1"
    )
    assert canonical(f"/inquiries/work-schedule/{board.slug}/?year=3&sort=x") == (
        f"{SERVER}/inquiries/work-schedule/{board.slug}/?year=3"
    )


def test_canonical_address_starts_from_site_url_not_the_host_header(board, settings):
    settings.SITE_URL = "https://scrutiny.aldermoor.gov.uk"
    settings.ALLOWED_HOSTS = ["scrutiny.aldermoor.gov.uk", "other.example"]
    response = Client().get("/boards/", HTTP_HOST="other.example")
    assert head_of(response).canonical == ["https://scrutiny.aldermoor.gov.uk/boards/"]


def test_error_pages_claim_no_canonical_address():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert head_of(response).canonical == []
