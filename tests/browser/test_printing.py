"""What prints as it shows: lettered resolutions hang their letter on screen as on paper, a
minute's history keeps its paragraphs, and a subject's history offers its PDF."""

import datetime
import zoneinfo

import pytest

from boards import services
from boards.models import AgendaItem
from minutes import services as minutes_services
from minutes.models import MinutesRecord

LONDON = zoneinfo.ZoneInfo("Europe/London")

# Where each line of a list item's text starts, and where its letter is.
LINE_STARTS = """(item) => {
  const letter = item.querySelector('.resolution__letter').getBoundingClientRect();
  const range = document.createRange();
  range.setStartAfter(item.querySelector('.resolution__letter'));
  range.setEndAfter(item.lastChild);
  const rects = [...range.getClientRects()].filter(r => r.width > 1);
  const lefts = rects.map(r => Math.round(r.left));
  const tops = new Set(rects.map(r => Math.round(r.top)));
  return {
    letter: Math.round(letter.left), letterRight: Math.round(letter.right), lefts, lines: tops.size
  };
}"""


@pytest.fixture
def minute(board, officer):
    meeting = services.meeting_create(
        board=board, starts_at=datetime.datetime(2016, 2, 22, 10, tzinfo=LONDON), venue=None
    )
    item = services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Budget proposals", purpose="To consider them.")
    )
    return minutes_services.minute_take(meeting=meeting, agenda_item=item, by=officer)


def test_a_lettered_resolution_hangs_its_letter_on_the_minutes_page(
    page, minute, clerk, assert_accessible
):
    minutes_services.resolution_add(minute=minute, text="That the report be noted.")
    minutes_services.resolution_add(
        minute=minute,
        text="That the Chief Officer (Human Resources) be advised of the observations made by "
        "the Board in relation to recruitment and retention, and report back to the Board with "
        "the costs and benefits of introducing higher grades and the savings this might bring.",
    )
    minutes_services.minutes_release(
        minutes=MinutesRecord.objects.get(meeting=minute.meeting), by=clerk
    )
    page.set_viewport_size({"width": 480, "height": 900})

    page.goto(f"/meetings/{minute.meeting_id}/minutes/")

    short, long = page.locator(".resolutions > li").all()
    wrapped = long.evaluate(LINE_STARTS)
    assert wrapped["lines"] >= 3
    assert len(set(wrapped["lefts"])) == 1, wrapped  # every line starts at one place
    assert wrapped["letter"] < wrapped["letterRight"] <= wrapped["lefts"][0]
    single = short.evaluate(LINE_STARTS)
    assert single["letter"] == wrapped["letter"]
    assert single["lefts"][0] == wrapped["lefts"][0]
    assert_accessible(page)


def test_a_minutes_history_shows_its_paragraphs_and_changes(
    page, sign_in, minute, officer, assert_accessible
):
    for narrative in (
        "The Chair opened the item.\nThe officer presented it.\n\nMembers asked.",
        "The Chair opened the item. The officer presented it.\n\nMembers asked about costs."
        "\n\nThe Board noted the report.",
    ):
        minute.refresh_from_db()
        minutes_services.minute_update(
            minute=minute, version=minute.version, by=officer, narrative=narrative
        )
    sign_in(officer)

    page.goto(f"/minutes/{minute.pk}/history/")

    latest = page.locator(".history__diff").first
    # What a reader hears, its spacing as read (a visually hidden note is a block of its own).
    said = [" ".join(text.split()) for text in latest.locator("p").all_inner_texts()]
    assert said == [
        "The Chair opened the item.↵ line break removed The officer presented it.",
        "Members asked. asked about costs.¶ paragraph break added",
        "The Board noted the report.",
    ]
    page.get_by_text("Text of this version").first.click()
    assert page.locator(".history__text").first.locator("p").all_inner_texts() == [
        "The Chair opened the item. The officer presented it.",
        "Members asked about costs.",
        "The Board noted the report.",
    ]
    assert_accessible(page)


def test_a_subjects_history_offers_its_pdf(page, inquiry, assert_accessible):
    page.goto(f"/subjects/{inquiry.subject.slug}/")

    link = page.get_by_role("link", name="Download PDF of the issue history")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert_accessible(page)
