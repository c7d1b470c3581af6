"""Forms people can use, in a real browser: a wrong date explained with the keyboard taken to
the box that is wrong, "Considered at" as a meeting and then its item, and the console's
minute for a late item a handful of Tab presses from the top of the page."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from boards import services
from boards.models import AgendaItem
from inquiries import services as inquiry_services
from minutes import services as minutes_services
from recommendations.models import ProgressUpdate
from tests.browser.dates import fill_date
from tests.factories import RecommendationFactory, StatementFactory


def test_a_wrong_date_is_explained_and_the_keyboard_taken_to_the_missing_box(
    page, sign_in, assert_accessible, board, officer
):
    sign_in(officer)
    page.goto(f"/boards/{board.slug}/meetings/new/")
    meeting_date = page.get_by_role("group", name="Date of the meeting")
    expect(meeting_date).to_contain_text("For example, 27 3 2016")
    meeting_date.get_by_label("Day").fill("27")
    meeting_date.get_by_label("Year").fill("2027")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Start time").press("Enter")

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    expect(meeting_date.get_by_label("Day")).to_have_value("27")  # what was typed is kept
    assert_accessible(page)
    summary.get_by_role("link", name="Date of the meeting must include a month").press("Enter")
    expect(meeting_date.get_by_label("Month")).to_be_focused()
    page.keyboard.type("3")
    page.get_by_role("button", name="Create meeting").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the agenda")


def test_considered_at_is_a_meeting_then_one_of_its_items(
    page, sign_in, assert_accessible, board, officer
):
    inquiry = inquiry_services.inquiry_create(
        board=board, title="Inquiry into ICT", on=datetime.date(2016, 6, 1)
    )
    statement = StatementFactory(
        inquiry=inquiry,
        published_on=datetime.date(2017, 5, 31),
        response_due_on=datetime.date(2017, 7, 31),
    )
    recommendation = RecommendationFactory(statement=statement)
    for day, title in ((18, "Tracking of recommendations"), (16, "ICT staffing update")):
        meeting = services.meeting_create(
            board=board,
            starts_at=timezone.make_aware(datetime.datetime(2017, 10 if day == 16 else 9, day, 10)),
            venue=None,
        )
        services.agenda_item_add(meeting=meeting, item=AgendaItem(title=title))
    sign_in(officer)
    page.goto(f"/recommendations/{recommendation.pk}/updates/new/")

    considered = page.get_by_role("group", name="Considered at")
    expect(considered.get_by_role("button", name="Choose meeting")).to_be_hidden()
    expect(considered.get_by_label("Item")).to_have_text("Choose a meeting first")
    considered.get_by_label("Meeting").select_option(label="16 October 2017")
    expect(considered.get_by_label("Item")).to_contain_text("7. ICT staffing update")
    expect(considered.get_by_label("Item")).not_to_contain_text("Tracking of recommendations")
    considered.get_by_label("Item").select_option(label="7. ICT staffing update")
    fill_date(page, "Date of the update", datetime.date(2017, 10, 17))
    page.get_by_label("Progress").fill("Two posts were filled.")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status").first).to_contain_text("Progress update saved.")
    update = ProgressUpdate.objects.get()
    assert update.considered_at.title == "ICT staffing update"
    assert page.console_errors == []


def test_the_minute_for_a_late_item_is_a_handful_of_tab_presses_away(
    page, sign_in, assert_accessible, board, officer
):
    meeting = services.meeting_create(
        board=board, starts_at=timezone.now() - datetime.timedelta(hours=1), venue=None
    )
    for number in range(1, 6):
        services.agenda_item_add(meeting=meeting, item=AgendaItem(title=f"Report {number}"))
    late = services.agenda_item_add(
        meeting=meeting,
        item=AgendaItem(
            title="Flood response",
            late=True,
            special_circumstances="The floods came after the agenda went out.",
        ),
    )
    for item in meeting.agenda_items.order_by("number"):
        minutes_services.minute_take(meeting=meeting, agenda_item=item, by=officer)
    sign_in(officer)
    page.goto(f"/meetings/{meeting.pk}/console/")
    tabs = 0

    def tab() -> None:
        nonlocal tabs
        page.keyboard.press("Tab")
        tabs += 1

    tab()
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    jump = page.get_by_label("Go to the minute of")
    while tabs < 8 and not jump.evaluate("element => element === document.activeElement"):
        tab()
    expect(jump).to_be_focused()
    page.keyboard.type(f"Item {late.shown_number}")
    expect(jump).to_have_value(f"minute-item-{late.pk}")
    tab()
    expect(page.get_by_role("button", name="Go to that minute")).to_be_focused()
    page.keyboard.press("Enter")
    tab()

    minute = late.minute_entries.get()
    expect(page.get_by_label(f"What was said (minute {minute.label})")).to_be_focused()
    assert tabs <= 8, f"{tabs} Tab presses"
    page.keyboard.type("The Chief Officer reported on the floods.")
    block = page.locator(f"#minute-item-{late.pk}")
    expect(block.get_by_role("status").first).to_contain_text("Saved")
    assert_accessible(page)
