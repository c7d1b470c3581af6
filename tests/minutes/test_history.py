"""A minute's history: each version's text and the differences from the one before keep the
narrative's paragraphs and line breaks, words added and removed marked, everything escaped."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse

from boards import services
from boards.models import AgendaItem
from minutes import services as minutes_services
from minutes.models import Minute

LONDON = zoneinfo.ZoneInfo("Europe/London")
PARAGRAPH_ADDED = (
    '<span class="history__break">¶<span class="visually-hidden"> paragraph break added'
    "</span></span>"
)
LINE_REMOVED = (
    '<span class="history__break">↵<span class="visually-hidden"> line break removed</span></span>'
)


@pytest.fixture
def minute(board, officer) -> Minute:
    meeting = services.meeting_create(
        board=board, starts_at=datetime.datetime(2016, 2, 22, 10, tzinfo=LONDON), venue=None
    )
    item = services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="ICT capacity", purpose="To receive a report.")
    )
    return minutes_services.minute_take(meeting=meeting, agenda_item=item, by=officer)


def write(minute: Minute, narrative: str, by) -> None:
    minute.refresh_from_db()
    minutes_services.minute_update(
        minute=minute, version=minute.version, by=by, narrative=narrative
    )


def diffs(response) -> list[str]:
    """Each version's differences as the page shows them, newest first."""
    page = response.content.decode()
    return re.findall(r'<div class="history__diff">(.*?)</div>', page, flags=re.S)


def test_the_history_keeps_paragraphs_and_line_breaks_in_each_version_and_its_differences(
    minute, officer, client_for
):
    write(
        minute, "The Chair opened the item.\nThe officer presented it.\n\nMembers asked.", officer
    )
    write(
        minute,
        "The Chair opened the item.\nThe officer presented it.\n\nMembers asked about costs."
        "\n\nThe Board noted the report.",
        officer,
    )
    write(
        minute,
        "The Chair opened the item. The officer presented it.\n\nMembers asked about costs."
        "\n\nThe Board noted the report.",
        officer,
    )

    response = client_for(officer).get(reverse("minutes:minute-history", args=[minute.pk]))

    joined, added, first, taken = diffs(response)
    # The first text: its paragraphs and line breaks, all of it new (its breaks unmarked).
    assert first == (
        "<p><ins>The Chair opened the item.<br>The officer presented it.</ins></p>"
        "<p><ins>Members asked.</ins></p>"
    )
    # Words added to a paragraph, and a paragraph added after it, with its mark.
    assert added == (
        "<p>The Chair opened the item.<br>The officer presented it.</p>"
        f"<p>Members <del>asked.</del> <ins>asked about costs.{PARAGRAPH_ADDED}</ins></p>"
        "<p><ins>The Board noted the report.</ins></p>"
    )
    # A line break taken out: the text runs on as it now reads, the removed break marked.
    assert joined == (
        f"<p>The Chair opened the item.<del>{LINE_REMOVED}</del> The officer presented it.</p>"
        "<p>Members asked about costs.</p><p>The Board noted the report.</p>"
    )
    assert taken == "<p>(no text)</p>"
    # Each version's own text keeps its paragraphs and line breaks too.
    assert (
        "<p>The Chair opened the item.<br>The officer presented it.</p>\n\n<p>Members asked.</p>"
        in response.content.decode()
    )


def test_the_history_escapes_what_was_typed(minute, officer, client_for):
    write(minute, "Members asked.", officer)
    write(minute, "Members asked.\n\n<script>alert('minute')</script> <b>bold</b>", officer)

    page = client_for(officer).get(reverse("minutes:minute-history", args=[minute.pk])).text

    assert "<script>alert(" not in page
    assert "<b>bold" not in page
    assert "&lt;script&gt;alert(&#x27;minute&#x27;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in page
    assert (
        "<p>Members asked.<ins>"
        f"{PARAGRAPH_ADDED}</ins></p><p><ins>&lt;script&gt;alert(&#x27;minute&#x27;)&lt;/script&gt;"
        in page
    )
