"""An officer sets how the body numbers its minutes, numbers an item as the agenda published it,
and the console and the minutes print them so."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from boards import services
from boards.models import AgendaItem, MunicipalYear
from minutes.models import Minute
from tests.browser.waits import htmx_settled


@pytest.fixture
def meeting(board):
    today = timezone.localdate()
    MunicipalYear.objects.get_or_create(
        starts_on=datetime.date(today.year if today.month >= 6 else today.year - 1, 5, 20)
    )
    meeting = services.meeting_create(
        board=board, starts_at=timezone.now() - datetime.timedelta(hours=1), venue=None
    )
    services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="Budget appendix", purpose="A late appendix.")
    )
    return meeting


def test_an_officer_numbers_the_minutes_as_the_council_writes_them(
    page, sign_in, assert_accessible, board, meeting, officer
):
    sign_in(officer)
    page.goto(f"/boards/{board.slug}/")
    page.get_by_role("link", name="Numbering of minutes").click()
    page.get_by_label("One sequence per municipal year, with the year: 59/16").check()
    page.get_by_label("Before each number (optional)").fill("EX")
    page.get_by_label("Roman numerals: (i), (ii), (iii)").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save the numbering").click()
    expect(page.get_by_text("The numbering has been saved.")).to_be_visible()

    # The item as the agenda published it.
    item = meeting.agenda_items.get(title="Budget appendix")
    page.goto(f"/items/{item.pk}/edit/")
    page.get_by_label("Number as published").fill("5a")
    page.get_by_role("button", name=f"Save item {item.number}").click()
    expect(page.get_by_text("Item 5a saved.")).to_be_visible()  # back at the agenda

    # Its minute, with two resolutions.
    page.goto(f"/meetings/{meeting.pk}/console/")
    page.get_by_role("button", name="Take a minute for item 5a").click()
    block = page.locator(f"#minute-item-{item.pk}")
    expect(block.get_by_text("Add a resolution")).to_be_visible()
    htmx_settled(page)
    for text in ("That the appendix be noted.", "That costs be reported."):
        block.get_by_text("Add a resolution").click()
        block.get_by_label("Resolution").fill(text)
        block.get_by_role("button", name="Add resolution").click()
        expect(block.locator(".resolutions")).to_contain_text(text)
        htmx_settled(page)

    minute = Minute.objects.numbered().get(agenda_item=item)
    year = minute.municipal_year.starts_on.year % 100
    assert minute.label == f"EX {minute.number}/{year:02d}"
    expect(block.locator(".minute__number")).to_have_text(minute.label)
    expect(block.locator(".resolutions li").nth(1)).to_contain_text("(ii) That costs be reported.")
    assert_accessible(page)

    # The minutes print the same.
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    main = page.locator("main")
    expect(main.get_by_role("heading", name=f"{minute.label} Budget appendix")).to_be_visible()
    expect(main.locator(".resolutions")).to_contain_text("(i) That the appendix be noted.")
    assert_accessible(page)
