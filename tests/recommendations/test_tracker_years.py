"""The tracker has an end: a board's tracking report, its PDF and its CSV list the open
recommendations and those closed in the current and previous municipal years, say how many
closed earlier are left out, and give them all when asked (``?show=all``); What needs attention
finds each recommendation's latest judgement through its index."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards import formatting
from boards.services import recent_years_start
from inquiries import services as inquiry_services
from recommendations import services
from recommendations.models import Recommendation, TrackingCategory
from tests.factories import RecommendationFactory, StatementFactory

pytestmark = pytest.mark.django_db

D = datetime.date
ACHIEVED = "Achieved"
CONTINUE = "Not fully implemented – progress acceptable, continue monitoring"


def judged(recommendation, name: str, on: datetime.date) -> None:
    category = TrackingCategory.objects.get(name=name)
    services.judgement_record(recommendation=recommendation, category=category, on=on)


@pytest.fixture
def decade(board):
    """A statement published ten years ago: a recommendation achieved then, one still being
    monitored (overdue these ten years), and one achieved last month."""
    today = timezone.localdate()
    long_ago = today.replace(year=today.year - 10)
    inquiry = inquiry_services.inquiry_create(board=board, title="Inquiry of long ago", on=long_ago)
    statement = StatementFactory(
        inquiry=inquiry, published_on=long_ago, response_due_on=long_ago, title="Long ago"
    )
    closed_then = RecommendationFactory(statement=statement, number=1, text="CLOSED-THEN.")
    still_open = RecommendationFactory(
        statement=statement, number=2, text="STILL-OPEN.", deadline_on=long_ago
    )
    closed_lately = RecommendationFactory(statement=statement, number=3, text="CLOSED-LATELY.")
    judged(closed_then, ACHIEVED, long_ago)
    judged(still_open, CONTINUE, long_ago)
    judged(closed_lately, ACHIEVED, today - datetime.timedelta(days=30))
    return statement


def tracker(board, **query):
    return Client().get(reverse("recommendations:board-tracking", args=[board.slug]), query)


def tracker_csv(board, **query) -> tuple[str, list[str]]:
    response = Client().get(reverse("opendata:board-tracking-csv", args=[board.slug]), query)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return response["Content-Disposition"], [row[2] for row in rows[1:]]


def test_the_tracker_lists_the_open_and_the_lately_closed_and_links_to_the_rest(board, decade):
    since = recent_years_start(timezone.localdate())

    page = tracker(board).text
    every = tracker(board, show="all").text

    assert "STILL-OPEN." in page and "CLOSED-LATELY." in page
    assert "CLOSED-THEN." not in page
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert f"1 recommendation closed before {formatting.long_date(since)} is not shown." in words
    url = reverse("recommendations:board-tracking", args=[board.slug])
    assert f'href="{url}?show=all">Every recommendation</a>' in page
    assert "CLOSED-THEN." in every and "STILL-OPEN." in every
    assert "(every recommendation)" in every
    assert "?show=all" in re.search(r'href="([^"]+\.pdf[^"]*)"', every).group(1)
    assert '<link rel="canonical" href="http://testserver/recommendations/' in every
    assert "?show=all" in re.search(r'rel="canonical" href="([^"]+)"', every).group(1)


def test_the_tracker_csv_has_the_same_default_and_every_row_when_asked(board, decade):
    name, texts = tracker_csv(board)
    all_name, all_texts = tracker_csv(board, show="all")

    assert sorted(texts) == ["CLOSED-LATELY.", "STILL-OPEN."]
    assert sorted(all_texts) == ["CLOSED-LATELY.", "CLOSED-THEN.", "STILL-OPEN."]
    assert f"recommendations-{board.slug}-all-" in all_name
    assert "-all-" not in name


def test_the_open_data_page_says_what_the_tracker_csv_holds(board):
    page = Client().get(reverse("opendata:open-data")).text
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))

    assert "those closed in the current and previous municipal years" in words
    assert "?show=all" in words
    assert f'href="{reverse("opendata:board-tracking-csv", args=[board.slug])}?show=all"' in page


def test_years_of_closed_recommendations_add_no_rows_and_no_queries(board, decade):
    def measure(url) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(url)
        assert response.status_code == 200
        return len(queries), len(response.content)

    page = reverse("recommendations:board-tracking", args=[board.slug])
    data = reverse("opendata:board-tracking-csv", args=[board.slug])
    before = measure(page), measure(data)
    long_ago = decade.published_on
    for number in range(4, 40):
        closed = RecommendationFactory(statement=decade, number=number, text=f"OLD-{number}.")
        judged(closed, ACHIEVED, long_ago)

    (page_queries, page_size), (csv_queries, csv_size) = measure(page), measure(data)

    assert page_queries == before[0][0] and csv_queries == before[1][0]
    assert csv_size == before[1][1]
    assert abs(page_size - before[0][1]) < 10  # "1 … closed earlier" became "37 … closed"


def test_the_latest_judgement_is_read_through_its_index(board, decade):
    since = recent_years_start(timezone.localdate())
    found = Recommendation.objects.filter(statement=decade).open_or_closed_since(since)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = found.explain()
    assert "judgement_latest" in plan, plan
