"""The health check a load balancer calls: 200 "ok" when the database and the file storage
answer, 503 "unavailable" when either does not, and nothing else, whoever asks."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, sign_in

pytestmark = pytest.mark.django_db

URL = reverse("home:healthz")


def test_healthy_it_says_ok_and_nothing_more():
    response = Client().get(URL)

    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_a_database_that_does_not_answer_makes_it_unavailable(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("could not connect to server: secret-host.internal")

    monkeypatch.setattr(connection, "cursor", broken)

    response = Client().get(URL)

    assert (response.status_code, response.content) == (503, b"unavailable")


def test_a_storage_that_does_not_answer_makes_it_unavailable(monkeypatch):
    def broken(name):
        raise OSError("The specified container does not exist: scrutiny-papers")

    monkeypatch.setattr(default_storage, "exists", broken)

    response = Client().get(URL)

    assert (response.status_code, response.content) == (503, b"unavailable")


def test_it_is_the_same_for_someone_signed_in(clerk):
    assert sign_in(Client(), clerk).get(URL).content == b"ok"
    assert sign_in(Client(), UserFactory()).get(URL).content == b"ok"


def test_it_only_reads():
    assert Client().post(URL).status_code == 405
