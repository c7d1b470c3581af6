"""The OParl API serves rather than builds: objects' JSON is kept by version, so a change made
through a service shows at once (in the object, every object embedding it and every list page
holding it), an unchanged page costs a query or two and no building, a client holding it gets
304, and a client taking gzip gets it gzipped."""

from __future__ import annotations

import datetime
import gzip
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from boards import services
from boards.models import AgendaItem, Meeting, Paper
from decisions.models import ExecutiveDecision
from tests.factories import ExecutiveDecisionFactory, MeetingFactory
from tests.opendata.test_oparl import API, LISTS, _populate, validate

pytestmark = pytest.mark.django_db


def _get(client, url: str, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content
    return response


def _queries(client, url: str, **headers) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers)
    assert response.status_code in {200, 304}
    return len(context), [query["sql"] for query in context.captured_queries]


def _item(meeting: Meeting, title: str) -> AgendaItem:
    return meeting.agenda_items.get(title=title)


def test_a_change_through_a_service_shows_in_the_object_and_where_it_is_embedded(
    published_meeting, client
):
    meeting = published_meeting
    url = f"{API}meeting/{meeting.pk}/"
    before = _get(client, url).json()
    listed = _get(client, f"{API}meeting/").json()
    assert listed["data"] == [before]

    # The meeting's name is its board and date: moving it renames it.
    new_start = meeting.starts_at + datetime.timedelta(days=7)
    services.meeting_move(meeting=meeting, starts_at=new_start, reason="The hall is booked.")
    moved = _get(client, url).json()
    assert moved["name"] != before["name"]
    assert moved["start"] == new_start.astimezone(timezone.get_current_timezone()).isoformat()

    # An embedded agenda item changed through its own service: the meeting, the meeting list
    # and the item show it, though the meeting's own record did not change.
    item = _item(meeting, "Open report on budgets")
    item.title = "Open report on the budget, revised"
    services.agenda_item_update(item=item)
    for shown in (
        _get(client, url).json(),
        _get(client, f"{API}meeting/").json()["data"][0],
    ):
        assert "Open report on the budget, revised" in [i["name"] for i in shown["agendaItem"]]
        validate(shown)
    assert _get(client, f"{API}agendaitem/{item.pk}/").json()["name"] == item.title


def test_renumbering_an_agenda_reaches_the_cached_items(published_meeting, client):
    meeting = published_meeting
    items = list(meeting.agenda_items.order_by("number"))
    before = {i["id"]: i["order"] for i in _get(client, f"{API}agendaitem/").json()["data"]}
    _get(client, f"{API}meeting/{meeting.pk}/")

    services.agenda_items_reorder(
        meeting=meeting, ordered_ids=[item.pk for item in reversed(items)]
    )

    after = {i["id"]: i["order"] for i in _get(client, f"{API}agendaitem/").json()["data"]}
    assert after != before
    for item in AgendaItem.objects.filter(meeting=meeting, publication__isnull=False):
        served = _get(client, f"{API}agendaitem/{item.pk}/").json()
        assert served["order"] == item.number
    # The meeting embeds its items: it shows the new order too.
    embedded = _get(client, f"{API}meeting/{meeting.pk}/").json()["agendaItem"]
    assert {i["id"]: i["order"] for i in embedded} == after


def test_an_unchanged_page_is_served_without_building_and_answers_304(
    published_meeting, client, monkeypatch
):
    url = f"{API}meeting/"
    first = _get(client, url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"')
    assert "Accept-Encoding" in first["Vary"]

    # Served again from the cache: the list's size and its members' versions, one query.
    assert _queries(client, url)[0] == 1

    # A client holding the page: 304 on either validator, with the validators, no body.
    not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == etag
    assert not_modified.content == b""
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304

    # A change to something the page embeds, a few seconds later (HTTP dates count whole
    # seconds): a new ETag and a later Last-Modified.
    later = timezone.now() + datetime.timedelta(seconds=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    item = _item(published_meeting, "Open report on budgets")
    item.purpose = "A new purpose."
    services.agenda_item_update(item=item)
    changed = client.get(url, headers={"If-None-Match": etag, "If-Modified-Since": last_modified})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "A new purpose." in changed.content.decode()
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 200


def test_a_page_is_dated_by_its_latest_change(published_meeting, client):
    meeting = published_meeting
    latest = max(
        meeting.modified,
        *(item.modified for item in meeting.agenda_items.all()),
        *(paper.modified for paper in Paper.objects.filter(agenda_item__meeting=meeting)),
    )
    response = _get(client, f"{API}meeting/{meeting.pk}/")
    assert response["Last-Modified"] == http_date(int(latest.timestamp()))
    assert _get(client, f"{API}meeting/")["Last-Modified"] == response["Last-Modified"]


def test_a_client_taking_gzip_gets_the_json_gzipped(published_meeting, client):
    for url in (f"{API}meeting/", f"{API}meeting/{published_meeting.pk}/"):
        plain = _get(client, url)
        packed = _get(client, url, **{"Accept-Encoding": "gzip, deflate, br"})
        assert packed["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed["Vary"]
        assert packed["ETag"] == plain["ETag"]
        assert json.loads(gzip.decompress(packed.content)) == plain.json()
        assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content)
        assert "Content-Encoding" not in plain


def test_each_list_served_from_the_cache_costs_the_same_queries_for_one_row_or_many(
    board, clerk, client
):
    _populate(board, clerk, 1)
    urls = [reverse(f"oparl:{name}") for name in LISTS]
    urls.append(reverse("oparl:organization-meeting-list", args=[board.pk]))
    # Filtered: dated by the list before its filters, and never built to find that out.
    since = "modified_since=2000-01-01T00%3A00%3A00%2B00%3A00"
    urls += [f"{reverse('oparl:meeting-list')}?{since}", f"{reverse('oparl:paper-list')}?{since}"]

    def warm(url: str) -> int:
        _get(client, url)
        return _queries(client, url)[0]

    small = {url: warm(url) for url in urls}
    _populate(board, clerk, 4)
    large = {url: warm(url) for url in urls}
    assert large == small
    # A list of one kind: one query; of two (papers and decisions, say), up to four.
    assert max(small.values()) <= 4


def test_a_decision_s_standing_changes_when_its_window_closes_without_a_write(client, monkeypatch):
    decision = ExecutiveDecisionFactory(publish=True)
    url = f"{API}paper/decision/{decision.pk}/"
    assert _get(client, url).json()["scrutiny:standing"] == "window_open"
    closes = ExecutiveDecision.objects.get(pk=decision.pk).call_in_closes_at
    later = closes + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    response = _get(client, url)

    assert response.json()["scrutiny:standing"] == "may_be_implemented"
    assert response["Last-Modified"] == http_date(int(closes.timestamp()))


def test_pages_of_a_size_for_each_list(client):
    MeetingFactory.create_batch(2)
    assert _get(client, f"{API}meeting/").json()["pagination"]["elementsPerPage"] == 25
    assert _get(client, f"{API}paper/").json()["pagination"]["elementsPerPage"] == 50
    assert _get(client, f"{API}agendaitem/").json()["pagination"]["elementsPerPage"] == 100
    organizations = _get(client, f"{API}organization/").json()
    assert organizations["pagination"]["elementsPerPage"] == 1000
    assert organizations["pagination"]["totalPages"] == 1
    assert client.get(f"{API}meeting/?page=0").status_code == 404
    assert client.get(f"{API}meeting/?page=two").status_code == 404


def test_the_cache_keys_name_the_host_so_links_stay_right(published_meeting, client):
    url = f"{API}meeting/{published_meeting.pk}/"
    assert _get(client, url).json()["id"] == url
    other = client.get(url, HTTP_HOST="localhost").json()
    assert other["id"] == f"http://localhost/api/oparl/v1/meeting/{published_meeting.pk}/"
