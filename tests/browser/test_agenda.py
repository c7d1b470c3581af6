import datetime

from django.utils import timezone
from playwright.sync_api import expect

from boards.models import Meeting, Paper
from tests.browser.dates import fill_date
from tests.browser.waits import htmx_settled
from tests.factories import pdf_bytes


def test_clerk_prepares_and_publishes_an_agenda_with_the_keyboard(
    page, browser, live_server, sign_in, assert_accessible, board, clerk, tmp_path
):
    sign_in(clerk)
    day = timezone.localdate() + datetime.timedelta(days=60)

    # A new meeting, with the standard agenda.
    page.goto(f"/boards/{board.slug}/")
    assert_accessible(page)
    page.get_by_role("link", name="New meeting").click()
    assert_accessible(page)
    fill_date(page, "Date of the meeting", day)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Start time").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the agenda")
    assert_accessible(page)
    meeting = Meeting.objects.get(board=board)

    # Two items, added from the keyboard.
    for title in ("Budget proposals", "Inquiry into libraries – session 1"):
        page.get_by_label("Title").fill(title)
        page.get_by_label("Title").press("Enter")
        expect(page.locator("#agenda-items")).to_contain_text(title)
        htmx_settled(page)
    items = page.locator("#agenda-items .agenda-item__title")
    expect(items.nth(6)).to_have_text("7 Budget proposals")
    expect(items.nth(7)).to_have_text("8 Inquiry into libraries – session 1")

    # Move the inquiry session above the budget with the keyboard; focus stays on the control.
    move_up = page.get_by_role("button", name="Move up item 8, Inquiry into libraries – session 1")
    move_up.focus()
    page.keyboard.press("Enter")
    expect(items.nth(6)).to_have_text("7 Inquiry into libraries – session 1")
    expect(page.locator("#agenda-items").get_by_role("status")).to_have_text(
        "Inquiry into libraries – session 1 is now item 7."
    )
    expect(
        page.get_by_role("button", name="Move up item 7, Inquiry into libraries – session 1")
    ).to_be_focused()
    htmx_settled(page)
    assert_accessible(page)

    # Edit an item in place.
    page.get_by_role("link", name="Edit item 8").press("Enter")
    title = page.locator("form.item-form").get_by_label("Title")
    expect(title).to_be_visible()
    htmx_settled(page)
    title.fill("Budget proposals 2027/28")
    title.press("Enter")
    expect(items.nth(7)).to_have_text("8 Budget proposals 2027/28")

    # Attach a report, then an exempt appendix to it.
    report_pdf = tmp_path / "report.pdf"
    report_pdf.write_bytes(pdf_bytes(3, "budget report"))
    page.get_by_role("link", name="Attach a PDF or Word file to item 8").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Budget report")
    page.get_by_label("PDF or Word file").set_input_files(report_pdf)
    page.get_by_role("button", name="Attach").click()
    expect(page.locator("#agenda-items")).to_contain_text("Budget report")

    appendix_pdf = tmp_path / "appendix.pdf"
    appendix_pdf.write_bytes(pdf_bytes(2, "tender prices"))
    page.get_by_role("link", name="Attach a PDF or Word file to item 8").click()
    page.get_by_label("Kind").select_option("appendix")
    page.get_by_label("Title").fill("Appendix 1 – tender prices")
    page.get_by_label("Appendix to").select_option(label="Budget report")
    page.get_by_label("PDF or Word file").set_input_files(appendix_pdf)
    page.get_by_label("Exempt: not for publication").check()
    page.get_by_role("button", name="Attach").click()
    # Exempt without its paragraph is refused, clearly, and nothing typed is lost.
    expect(page.get_by_role("alert")).to_contain_text("Choose the paragraph of Schedule 12A")
    assert_accessible(page)
    expect(page.get_by_label("Title")).to_have_value("Appendix 1 – tender prices")
    page.get_by_label("Schedule 12A paragraph").select_option("3")
    page.get_by_label("Public interest reasoning").fill("Prices quoted in a live tender.")
    page.get_by_label("PDF or Word file").set_input_files(appendix_pdf)
    page.get_by_role("button", name="Attach").click()
    expect(page.locator("#agenda-items")).to_contain_text("Exempt: paragraph 3")

    # Publish.
    page.get_by_role("link", name="Publish the agenda").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").first).to_contain_text("Agenda published.")
    assert_accessible(page)
    assert Paper.objects.filter(publication__isnull=False).count() == 2

    # The public sees the agenda in its order; the exempt appendix only as its title and notice.
    public = browser.new_context(base_url=live_server.url).new_page()
    public.goto(meeting.get_absolute_url())
    titles = public.locator(".agenda-item__title")
    expect(titles.nth(6)).to_have_text("7 Inquiry into libraries – session 1")
    expect(titles.nth(7)).to_have_text("8 Budget proposals 2027/28")
    expect(public.get_by_role("link", name="Budget report", exact=True)).to_be_visible()
    expect(public.get_by_text("Appendix 1 – tender prices")).to_be_visible()
    expect(public.get_by_text("Not for publication by virtue of paragraph 3")).to_be_visible()
    expect(public.get_by_role("link", name="Appendix 1 – tender prices")).to_have_count(0)
    assert_accessible(public)
    public.context.close()


def test_clerk_records_when_a_meeting_held_before_the_app_had_its_agenda_published(
    page, sign_in, assert_accessible, board, clerk
):
    from django.core import mail

    from boards.models import Publication

    clerk.first_name, clerk.last_name = "Jane", "Clerk"
    clerk.save()
    sign_in(clerk)

    # The meeting of Monday 21 March 2016, entered years later with its agenda.
    page.goto(f"/boards/{board.slug}/")
    page.get_by_role("link", name="New meeting").click()
    fill_date(page, "Date of the meeting", datetime.date(2016, 3, 21))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Start time").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the agenda")
    page.get_by_label("Title").fill("Budget proposals 2016/17")
    page.get_by_label("Title").press("Enter")
    expect(page.locator("#agenda-items")).to_contain_text("Budget proposals 2016/17")
    htmx_settled(page)

    # Its publish page offers to record when the agenda went out, not to publish it today.
    page.get_by_role("link", name="Publish the agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record when the agenda was published"
    )
    expect(page.get_by_text("This is late.")).to_have_count(0)
    assert_accessible(page)

    # A day after the meeting is refused, clearly, on the field.
    fill_date(page, "Date it was published", datetime.date(2016, 3, 22))
    page.get_by_role("button", name="Record as published").click()
    expect(page.get_by_role("alert")).to_contain_text("That is after the meeting")
    published_on = page.get_by_role("group", name="Date it was published")
    expect(published_on.get_by_label("Day")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    # The Monday before: late, but nobody can now be asked why.
    fill_date(page, "Date it was published", datetime.date(2016, 3, 14))
    page.get_by_label("Time it was published (optional)").fill("09:30")
    page.get_by_role("button", name="Record as published").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Agenda recorded as published on Monday, 14 March 2016 at 9.30 am."
    )
    expect(page.locator(".summary-list")).to_contain_text(
        "Published Monday, 14 March 2016 at 9.30 am"
    )
    publication = page.locator("h2:has-text('Publication') + ul")
    expect(publication).to_contain_text("Recorded afterwards by Jane Clerk on")
    expect(publication).to_contain_text("late (deadline Friday, 11 March 2016)")
    assert_accessible(page)

    record = Publication.objects.get()
    assert record.is_recorded_afterwards and record.recorded_by == clerk
    assert mail.outbox == []
