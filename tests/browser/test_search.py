"""Search in a real browser, signed out: from the header's box to a result, filters and a
mistyped date, each page passing axe."""

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from boards import services
from boards.models import AgendaItem, Paper
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

    page.get_by_label("From").fill("2016-03-21")
    page.evaluate("document.querySelector('#id_date_to').type = 'text'")
    page.get_by_label("To").fill("next week")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a real date, for example 21/03/2016")
    assert_accessible(page)

    page.get_by_label("To").fill("")
    page.get_by_role("button", name="Search", exact=True).last.click()
    page.get_by_role("link", name="Lighting survey").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lighting survey")
    assert page.console_errors == []
