"""ASVS 14.3.2: what a signed-in user is shown (exempt papers, drafts, their desk) is never
stored by the browser or a cache between; what the public is shown may be."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_for_someone_signed_in_are_never_stored(published_meeting, client_for, councillor):
    member = client_for(councillor)
    for url in (
        reverse("boards:meeting-detail", args=[published_meeting.pk]),
        reverse("home:home"),
        reverse("boards:board-detail", args=[published_meeting.board.slug]),
    ):
        response = member.get(url)
        assert response.status_code == 200, url
        directives = {part.strip() for part in response.headers["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url
        assert "public" not in directives


def test_pages_for_the_public_are_not_marked_private(published_meeting):
    response = Client().get(reverse("boards:meeting-detail", args=[published_meeting.pk]))

    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
