"""Text pasted from Word or a PDF brings control characters. Whatever room's form takes them,
and the views that read the posted data themselves, they are dropped before anything is saved:
never a server error (PostgreSQL refuses NUL in text), never an error on the page."""

import datetime
import html
import re
import zoneinfo

import pytest
from django.urls import reverse

from boards import services
from boards.models import AgendaItem, Paper
from minutes import services as minutes_services
from minutes.models import Minute
from recommendations.models import Paragraph
from tests.factories import StatementFactory

HTMX = {"HX-Request": "true"}
LONDON = zoneinfo.ZoneInfo("Europe/London")

# NUL, BEL, ESC, DEL and a C1 control, with Word's manual line break (a vertical tab).
PASTED = "Budget\x00 monitoring\x07 2016\x1b/17\x7f\x9f:\x0bthe month 9 position"
CLEAN = "Budget monitoring 2016/17:\nthe month 9 position"


def text_of(response) -> str:
    """The page's words without markup, whitespace collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words)).strip()


def assert_no_error_shown(response) -> None:
    page = response.content.decode()
    assert "error-message" not in page
    assert "error-summary" not in page
    assert "Null characters are not allowed" not in page


@pytest.fixture
def item(board):
    meeting = services.meeting_create(
        board=board, starts_at=datetime.datetime(2016, 3, 21, 10, tzinfo=LONDON), venue=None
    )
    return services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Financial health monitoring", purpose="Report.")
    )


def test_a_minute_autosave_drops_control_characters(item, officer, editor):
    minute = minutes_services.minute_take(meeting=item.meeting, agenda_item=item, by=officer)
    response = editor.post(
        reverse("minutes:minute-save", args=[minute.pk]),
        {"narrative": PASTED, "version": minute.version},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Saved" in response.text
    assert Minute.objects.get(pk=minute.pk).narrative == CLEAN
    console = editor.get(reverse("minutes:minutes-console", args=[item.meeting_id]))
    assert console.status_code == 200
    assert f">{CLEAN}</textarea>" in console.text
    assert_no_error_shown(console)


def test_an_agenda_item_purpose_drops_control_characters(item, editor):
    prefix = f"item-{item.pk}"
    response = editor.post(
        reverse("boards:agenda-item-edit", args=[item.pk]),
        {
            f"{prefix}-kind": item.kind,
            f"{prefix}-title": "Financial\x00 health monitoring",
            f"{prefix}-purpose": PASTED,
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assert_no_error_shown(response)
    item.refresh_from_db()
    assert (item.title, item.purpose) == ("Financial health monitoring", CLEAN)
    agenda = editor.get(reverse("boards:agenda-edit", args=[item.meeting_id]))
    assert "Budget monitoring 2016/17: the month 9 position" in text_of(agenda)
    assert_no_error_shown(agenda)


def test_a_statement_section_drops_control_characters(inquiry, editor):
    StatementFactory(inquiry=inquiry)
    response = editor.post(
        reverse("statements:section-create", args=[inquiry.slug]),
        {"heading": "Introduction\x00", "body": f"{PASTED}\r\n\r\n- first\x00\r\n- second\x01"},
    )
    assert response.status_code == 302
    assert [p.text for p in Paragraph.objects.order_by("number")] == [
        CLEAN,
        "- first\n- second",
    ]
    page = editor.get(response["Location"])
    assert "Budget monitoring 2016/17: the month 9 position" in text_of(page)
    assert_no_error_shown(page)


def test_a_written_report_and_its_sections_drop_control_characters(item, editor):
    response = editor.post(
        reverse("boards:paper-write", args=[item.pk]),
        {
            "title": "Financial\x00 health",
            "report_date": "2016-03-09",
            "summary": PASTED,
            "recommendations": "- (a) note\x00 the report",
            "sections-TOTAL_FORMS": "1",
            "sections-INITIAL_FORMS": "0",
            "sections-0-heading": "Main issues\x07",
            "sections-0-body": PASTED,
        },
    )
    assert response.status_code == 302
    paper = Paper.objects.get()
    assert (paper.title, paper.summary, paper.recommendations) == (
        "Financial health",
        CLEAN,
        "- (a) note the report",
    )
    section = paper.sections.get()
    assert (section.heading, section.body) == ("Main issues", CLEAN)
    page = editor.get(response["Location"])
    assert "Budget monitoring 2016/17: the month 9 position" in text_of(page)
    assert_no_error_shown(page)


def test_a_search_for_control_characters_answers(db, client):
    response = client.get(reverse("search:search"), {"q": "budget\x00\x01"})
    assert response.status_code == 200
    assert_no_error_shown(response)
