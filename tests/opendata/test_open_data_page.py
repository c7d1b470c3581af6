"""The open data page, linked from every page's footer: where the OParl API, the CSV downloads,
the calendars and the feeds are, what each holds, and the licence they are published under."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import BoardFactory
from tests.matrix import EVERYONE, expect
from tests.minutes.record import text_of

pytestmark = pytest.mark.django_db

URL = reverse("opendata:open-data")
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def test_the_page_points_to_the_api_the_csv_downloads_the_calendars_and_the_feeds(board):
    other = BoardFactory(name="Executive Board")

    response = Client().get(URL)

    assert response.status_code == 200
    links = {
        reverse("oparl:system"),
        reverse("opendata:attendance-csv"),
        reverse("minutes:attendance-report"),
        reverse("opendata:calendar-all"),
        reverse("opendata:feed-all"),
        *(reverse("opendata:board-tracking-csv", args=[b.slug]) for b in (board, other)),
        *(reverse("opendata:calendar-board", args=[b.slug]) for b in (board, other)),
        *(reverse("opendata:feed-board", args=[b.slug]) for b in (board, other)),
    }
    for link in links:
        assert f'href="{link}"' in response.text, link
        assert Client().get(link).status_code == 200, link
    page = text_of(response)
    assert "Its entry point: http://testserver/api/oparl/v1/" in page
    assert "Meetings of Executive Board (iCalendar)" in page
    assert "Published by Executive Board (Atom)" in page
    assert "Anything exempt from publication" in page


def test_the_page_states_the_licence(db, settings):
    response = Client().get(URL)
    assert f'<a href="{OGL}">Open Government Licence v3.0</a>' in response.text

    settings.OPARL_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
    response = Client().get(URL)
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in response.text
    assert "Open Government Licence" not in response.text


def test_the_api_address_starts_from_site_url_when_it_is_set(db, settings):
    settings.SITE_URL = "https://scrutiny.aldermoor.gov.uk"

    assert "https://scrutiny.aldermoor.gov.uk/api/oparl/v1/" in Client().get(URL).text


@pytest.mark.parametrize(
    "url",
    ["/", "/boards/", "/meetings/", "/people/", "/declarations/", "/no-such-page/"],
)
def test_every_pages_footer_links_to_the_open_data_page(board, url):
    response = Client().get(url)

    footer = response.content.decode().split('<footer class="site-footer">')[1]
    assert f'<a href="{URL}">Open data</a>' in footer


def test_the_page_is_public_and_read_only(audiences):
    assert {name: audiences[name].get(URL).status_code for name in EVERYONE} == expect(EVERYONE)
    assert audiences["officer"].post(URL).status_code == 405
