"""A subject's history across meetings and bodies: each item on it in date order with the
decisions minuted, exempt decisions hidden from those not entitled, and draft minutes kept from
the public when the council says so."""

import datetime
import html
import re
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse

from boards import services as board_services
from boards.models import AgendaItem, Meeting
from inquiries import services
from minutes import services as minutes_services
from minutes.models import MinutesRecord
from recommendations import services as recommendation_services
from tests.conftest import CANARY
from tests.factories import VenueFactory
from tests.pdfs import pdf_text, read_pdf

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")


def text_of(response) -> str:
    """The page's words without markup, whitespace collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words)).strip()


def table_rows(response) -> list[str]:
    """The words of each row of the page's first table body."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", r))).strip() for r in rows]


def make_meeting(board, day: datetime.date) -> Meeting:
    return board_services.meeting_create(
        board=board,
        starts_at=datetime.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON),
        venue=VenueFactory(),
    )


# A subject's history across meetings ------------------------------------------------------------


@pytest.fixture
def history(inquiry, clerk):
    """The inquiry on two meetings' published agendas: tracking in September (added first) and
    a minuted session in January; and an exempt item on it in September, minuted too; the
    minutes released to the public."""
    return _history(inquiry, clerk, release=True)


@pytest.fixture
def unreleased_history(inquiry, clerk):
    """``history`` with its draft minutes not yet released."""
    return _history(inquiry, clerk, release=False)


def _history(inquiry, clerk, *, release: bool):
    board = inquiry.board
    january = make_meeting(board, D(2016, 1, 18))
    september = make_meeting(board, D(2016, 9, 19))
    recommendation_services.tracking_to_agenda(inquiry=inquiry, meeting=september)
    session = services.session_create(inquiry=inquiry, meeting=january)
    exempt = board_services.agenda_item_add(
        meeting=september,
        item=AgendaItem(
            title="ICT supplier contract",
            purpose="To consider the contract.",
            subject=inquiry.subject,
            exempt=True,
            exempt_paragraph=3,
            public_interest_reasoning="Commercially sensitive.",
        ),
    )
    for meeting in (january, september):
        board_services.agenda_publish(meeting=meeting, by=clerk, late_reason="Test of history.")
    minute = minutes_services.minute_take(meeting=january, agenda_item=session.agenda_item)
    minutes_services.resolution_add(minute=minute, text="That the evidence on ICT be noted.")
    secret = minutes_services.minute_take(meeting=september, agenda_item=exempt)
    minutes_services.resolution_add(minute=secret, text=f"That the contract goes to {CANARY}.")
    if release:
        for meeting in (january, september):
            record = MinutesRecord.objects.get(meeting=meeting)
            minutes_services.minutes_release(minutes=record, by=clerk)
    return inquiry


def test_a_subjects_history_lists_its_items_in_date_order_with_the_decisions(history, audiences):
    response = audiences["public"].get(
        reverse("minutes:subject-detail", args=[history.subject.slug])
    )
    rows = table_rows(response)
    board = history.board.name
    assert len(rows) == 3
    assert rows[0].startswith(f"Monday, 18 January 2016 {board}")
    assert "Scrutiny Inquiry into ICT Capacity – Session 1" in rows[0]
    assert "RESOLVED – That the evidence on ICT be noted." in rows[0]
    assert all(row.startswith(f"Monday, 19 September 2016 {board}") for row in rows[1:])
    assert "Recommendation tracking – Inquiry into ICT Capacity" in rows[1]
    assert rows[1].endswith("No minutes yet")


@pytest.mark.parametrize("audience", ["public", "other councillor"])
def test_an_exempt_items_decision_is_hidden_from_the_public(history, audiences, audience):
    page = text_of(
        audiences[audience].get(reverse("minutes:subject-detail", args=[history.subject.slug]))
    )
    assert "ICT supplier contract" in page
    assert "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A" in page
    assert CANARY not in page


@pytest.mark.parametrize("audience", ["officer", "clerk", "councillor"])
def test_staff_and_members_read_an_exempt_items_decision(history, audiences, audience):
    page = text_of(
        audiences[audience].get(reverse("minutes:subject-detail", args=[history.subject.slug]))
    )
    assert f"RESOLVED – That the contract goes to {CANARY}." in page


def test_draft_minutes_not_yet_released_keep_their_decisions_off_the_subject_page(
    unreleased_history, audiences
):
    url = reverse("minutes:subject-detail", args=[unreleased_history.subject.slug])
    assert "That the evidence on ICT be noted." in audiences["officer"].get(url).text
    assert "That the evidence on ICT be noted." not in audiences["public"].get(url).text


# The history printed ----------------------------------------------------------------------------


@pytest.mark.parametrize("audience", ["public", "councillor"])
def test_a_subjects_history_prints_the_pages_rows_in_order(history, audiences, audience):
    client = audiences[audience]
    page = client.get(reverse("minutes:subject-detail", args=[history.subject.slug]))
    pdf_url = reverse("minutes:subject-pdf", args=[history.subject.slug])
    assert f'href="{pdf_url}"' in page.text
    reader = read_pdf(client.get(pdf_url))
    printed = pdf_text(reader)

    rows = table_rows(page)
    assert len(rows) == 3
    heading = f"Issue history {history.subject.title} Meeting Body Item Decision"
    assert printed.startswith(heading)
    # Every row of the page, in the page's order and nothing between them (the page's words
    # are read with a space at every tag, as before the colon after a "Minute 1" link).
    # A line may break after the hyphen of a word: read the words without spaces.
    body = printed.removeprefix(heading).split("Page 1")[0]
    assert "".join(body.split()) == "".join(" ".join(rows).split())
    assert reader.metadata.title == f"Issue history: {history.subject.title}"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"]  # tagged for accessibility (PDF/UA-1)


def test_an_exempt_decision_never_reaches_the_publics_pdf_and_reaches_a_members(history, audiences):
    url = reverse("minutes:subject-pdf", args=[history.subject.slug])
    public = pdf_text(read_pdf(audiences["public"].get(url)))
    assert "ICT supplier contract" in public
    assert "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A" in public
    assert CANARY not in public
    member = "".join(pdf_text(read_pdf(audiences["councillor"].get(url))).split())
    assert "".join(f"That the contract goes to {CANARY}.".split()) in member


def test_draft_minutes_not_yet_released_keep_their_decisions_off_the_publics_pdf(
    unreleased_history, audiences
):
    url = reverse("minutes:subject-pdf", args=[unreleased_history.subject.slug])
    assert "That the evidence on ICT be noted." in pdf_text(read_pdf(audiences["officer"].get(url)))
    public = pdf_text(read_pdf(audiences["public"].get(url)))
    assert "That the evidence on ICT be noted." not in public
    assert "Scrutiny Inquiry into ICT Capacity – Session 1" in public


def test_an_unknown_subject_has_no_pdf(db):
    assert Client().get(reverse("minutes:subject-pdf", args=["no-such-subject"])).status_code == 404
