"""A councillor's page and the register of declarations read well on a desktop and on a phone:
no page wider than the screen, and axe finds nothing, the register's error summary included."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.dates import fill_date
from tests.minutes.record import OPEN_NATURE, make_record

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_councillors_page_and_the_register_at_desktop_and_phone_widths(
    page, assert_accessible, width
):
    record = make_record()
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(f"/boards/{record.board.slug}/")
    page.get_by_role("link", name="Kathryn Groves", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Councillor Kathryn Groves")
    declarations = page.get_by_role("table", name="Interests declared by Kathryn Groves")
    expect(declarations).to_contain_text(OPEN_NATURE)
    expect(page.get_by_role("table", name="Attendance of Kathryn Groves")).to_contain_text(
        "2015/16"
    )
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert_accessible(page)

    page.get_by_role("link", name="Kathryn Groves in the register of declarations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register of declarations")
    expect(page.get_by_label("Councillor", exact=True)).to_have_value(str(record.groves.pk))
    expect(page.get_by_role("table", name="Declarations of interests")).to_contain_text(OPEN_NATURE)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert_accessible(page)

    # Every councillor, from one body, from a date: chosen with the form.
    page.get_by_label("Councillor", exact=True).select_option(label="All councillors")
    page.get_by_label("Body").select_option(label=record.board.name)
    fill_date(page, "From", datetime.date(2016, 2, 1))
    page.get_by_role("button", name="Show declarations").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("2 declarations")
    expect(page.get_by_role("table", name="Declarations of interests")).to_contain_text(
        "Sue Bentley"
    )

    # A body that is not in the list, as a mistyped address gives: explained, and accessible.
    page.goto("/declarations/?board=no-such-body")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Choose a body from the list")
    summary.get_by_role("link", name="Choose a body from the list").click()
    expect(page.get_by_label("Body")).to_be_focused()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert_accessible(page)
