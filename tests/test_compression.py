"""Compression and conditional requests for what the public reads: pages, feeds, calendars,
CSV and the API are gzipped for a client that takes gzip, with ``Vary: Accept-Encoding``, and
answer 304 to a client holding them. Nothing for someone signed in is ever compressed (BREACH:
``home.middleware.PublicCompressionMiddleware``)."""

from __future__ import annotations

import datetime
import gzip

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boards import services
from tests.factories import InquiryFactory, MeetingFactory

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def _public_urls(meeting) -> list[str]:
    board = meeting.board
    inquiry = InquiryFactory(board=board)
    return [
        reverse("boards:meeting-detail", args=[meeting.pk]),
        reverse("home:home"),
        reverse("opendata:feed-all"),
        reverse("opendata:feed-board", args=[board.slug]),
        reverse("opendata:calendar-all"),
        reverse("opendata:calendar-board", args=[board.slug]),
        reverse("opendata:board-tracking-csv", args=[board.slug]),
        reverse("opendata:inquiry-tracking-csv", args=[inquiry.slug]),
        reverse("opendata:attendance-csv"),
        reverse("oparl:meeting-list"),
        reverse("oparl:system"),
    ]


def test_what_the_public_reads_is_gzipped_for_a_client_that_takes_gzip(published_meeting):
    client = Client()
    for url in _public_urls(published_meeting):
        plain = client.get(url)
        packed = client.get(url, headers=GZIP)
        assert packed.status_code == plain.status_code == 200, url
        if len(plain.content) < 200:  # not worth compressing (GZipMiddleware's own rule)
            continue
        assert packed["Content-Encoding"] == "gzip", url
        assert "Accept-Encoding" in packed["Vary"], url
        assert "Content-Encoding" not in plain, url
        assert gzip.decompress(packed.content).count(b"\n") == plain.content.count(b"\n"), url


def test_nothing_for_someone_signed_in_is_compressed(published_meeting, client_for, councillor):
    member = client_for(councillor)
    for url in (
        reverse("boards:meeting-detail", args=[published_meeting.pk]),
        reverse("home:home"),
        reverse("search:search") + "?q=budget",
        reverse("opendata:board-tracking-csv", args=[published_meeting.board.slug]),
        reverse("opendata:feed-all"),
    ):
        response = member.get(url, headers=GZIP)
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response, url


def test_the_api_is_gzipped_for_anyone_as_it_holds_nothing_secret(
    published_meeting, client_for, councillor
):
    response = client_for(councillor).get(reverse("oparl:meeting-list"), headers=GZIP)
    assert response["Content-Encoding"] == "gzip"


def test_a_papers_page_is_but_its_pdf_and_answers_to_posts_are_not(published_meeting, client):
    paper = published_meeting.agenda_items.get(title="Open report on budgets").papers.first()
    response = client.get(reverse("boards:paper-detail", args=[paper.pk]), headers=GZIP)
    assert response["Content-Encoding"] == "gzip"
    refused = client.post(
        reverse("accounts:sign-in"), {"username": "nobody", "password": "wrong"}, headers=GZIP
    )
    assert "Content-Encoding" not in refused
    download = client.get(reverse("boards:paper-download", args=[_upload(published_meeting).pk]))
    assert "Content-Encoding" not in download


def _upload(meeting):
    from boards.models import Paper

    return (
        Paper.objects.filter(agenda_item__meeting=meeting, publication__isnull=False)
        .exclude(file="")
        .exclude(exempt=True)
        .first()
    )


def test_a_client_holding_a_feed_calendar_csv_or_page_gets_304(published_meeting):
    client = Client()
    for url in _public_urls(published_meeting):
        first = client.get(url, headers=GZIP)
        assert first.has_header("ETag"), url
        again = client.get(url, headers={**GZIP, "If-None-Match": first["ETag"]})
        assert again.status_code == 304, url
        assert again.content == b"", url


def test_a_calendar_is_dated_and_answers_if_modified_since(board, monkeypatch):
    meeting = MeetingFactory(board=board)
    url = reverse("opendata:calendar-board", args=[board.slug])
    first = Client().get(url)
    assert (
        Client().get(url, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    )

    later = timezone.now() + datetime.timedelta(seconds=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    services.meeting_move(
        meeting=meeting, starts_at=meeting.starts_at + datetime.timedelta(days=1), reason="Clash."
    )
    moved = Client().get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert moved.status_code == 200
    assert moved["Last-Modified"] != first["Last-Modified"]
