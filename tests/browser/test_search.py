"""Search in a real browser, signed out: from the header's box to a result, filters and a
mistyped date, each page passing axe."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from boards import services
from boards.models import AgendaItem, Paper
from tests.browser.dates import fill_date
from tests.factories import MeetingFactory, pdf_bytes


def test_the_public_searches_from_the_header_and_opens_a_result(
    page, assert_accessible, board, clerk
):
    meeting = MeetingFactory(board=board)
    item = services.agenda_item_add(meeting=meeting, item=AgendaItem(title="Street lighting"))
    services.paper_upload(
        paper=Paper(agenda_item=item, title="Lighting survey"),
        upload=SimpleUploadedFile(
            "s.pdf", pdf_bytes(1, "Lanterns replaced by LEDs"), "application/pdf"
        ),
    )
    services.agenda_publish(meeting=meeting, by=clerk, late_reason="Tests publish late.")

    page.goto("/")
    header = page.get_by_role("search", name="Site")
    header.get_by_label("Search the site").fill("lanterns")
    header.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("heading", level=2)).to_have_text("1 result for “lanterns”")
    expect(page.locator(".search-result mark")).to_have_text("Lanterns")
    assert_accessible(page)

    page.get_by_role("checkbox", name="Agenda item").check()
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.get_by_role("heading", level=2)).to_have_text("0 results for “lanterns”")
    page.get_by_role("checkbox", name="Agenda item").uncheck()

    fill_date(page, "From", datetime.date(2016, 3, 21))
    to = page.get_by_role("group", name="To", exact=True)
    to.get_by_label("Day").fill("next")
    to.get_by_label("Month").fill("week")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The ‘to’ date must be a real date, such as 21 3 2017"
    )
    expect(to.get_by_label("Day")).to_have_value("next")  # what was typed is kept
    assert_accessible(page)

    to.get_by_label("Day").fill("")
    to.get_by_label("Month").fill("")
    page.get_by_role("button", name="Search", exact=True).last.click()
    page.get_by_role("link", name="Lighting survey").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lighting survey")
    assert page.console_errors == []
