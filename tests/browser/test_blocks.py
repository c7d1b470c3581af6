"""An officer records what happened in the meeting, in order, in the console: a note after an
item's resolutions, an adjournment after it, and a change of chair from the next item; the
minutes then read them where they happened."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from boards import services
from boards.models import AgendaItem
from minutes.models import MeetingEvent, Minute
from tests.browser.waits import htmx_settled
from tests.factories import MembershipFactory, PersonFactory

SILENCE = "The Board observed a minute's silence in memory of former Councillor Jean Hardy."


@pytest.fixture
def meeting(board):
    MembershipFactory(
        board=board,
        role="vice_chair",
        person=PersonFactory(given_name="John", family_name="Smith"),
    )
    meeting = services.meeting_create(
        board=board, starts_at=timezone.now() - datetime.timedelta(hours=1), venue=None
    )
    for title in ("ICT supplier contract", "Budget monitoring"):
        services.agenda_item_add(meeting=meeting, item=AgendaItem(title=title, purpose="A report."))
    return meeting


def test_an_officer_records_the_meeting_in_order_and_the_minutes_read_it_so(
    page, sign_in, assert_accessible, meeting, officer
):
    contract = meeting.agenda_items.get(title="ICT supplier contract")
    schedule = meeting.agenda_items.get(title="Budget monitoring")
    sign_in(officer)
    page.goto(f"/meetings/{meeting.pk}/console/")

    # The contract's minute: what was said, a resolution, and the note after the resolutions.
    page.get_by_role("button", name=f"Take a minute for item {contract.number}").click()
    block = page.locator(f"#minute-item-{contract.pk}")
    narrative = block.get_by_label("What was said")
    expect(narrative).to_be_visible()
    htmx_settled(page)
    narrative.fill("The Chief Digital Officer presented the report.")
    block.get_by_label("Noted afterwards").fill(SILENCE)
    expect(block.get_by_role("status").first).to_contain_text("Saved")
    htmx_settled(page)
    block.get_by_text("Add a resolution").click()
    block.get_by_label("Resolution", exact=True).fill("That the report be noted.")
    block.get_by_role("button", name="Add resolution").click()
    expect(block.locator(".resolutions")).to_contain_text("(a) That the report be noted.")
    htmx_settled(page)
    expect(block.get_by_label("Noted afterwards")).to_have_value(SILENCE)

    # The work schedule's minute.
    page.get_by_role("button", name=f"Take a minute for item {schedule.number}").click()
    expect(
        page.locator(f"#minute-item-{schedule.pk}").get_by_label("What was said")
    ).to_be_visible()
    htmx_settled(page)

    # The meeting adjourned after the contract; the vice-chair took the Chair from the schedule.
    events = page.locator("#events")
    events.get_by_text("Record an adjournment").click()
    events.get_by_label("Adjourned at").fill("11:05")
    events.get_by_label("Resumed at").fill("11:20")
    events.get_by_label("During or after item").select_option(
        label=f"{contract.number}. ICT supplier contract"
    )
    events.get_by_role("button", name="Record adjournment").click()
    expect(events.get_by_role("status")).to_have_text(
        "Recorded: The meeting adjourned at 11.05 am and resumed at 11.20 am "
        f"(item {contract.number}, ICT supplier contract)."
    )
    htmx_settled(page)
    events.get_by_text("Record a change of chair").click()
    events.get_by_label("Who took the Chair").select_option(label="Councillor John Smith")
    events.get_by_label("From item").select_option(label=f"{schedule.number}. Budget monitoring")
    events.get_by_label("Why (optional)").fill("The Chair left the meeting")
    events.get_by_role("button", name="Record change of chair").click()
    expect(events).to_contain_text(
        f"The Chair left the meeting. Councillor J Smith took the Chair from item "
        f"{schedule.number}, Budget monitoring."
    )
    htmx_settled(page)
    events.get_by_text("Record an adjournment").click()  # the forms open, to check them too
    events.get_by_text("Record a change of chair").click()
    assert_accessible(page)

    # What was recorded, as recorded.
    minute = Minute.objects.get(agenda_item=contract)
    assert minute.notes_after == SILENCE
    assert sorted(MeetingEvent.objects.values_list("kind", "agenda_item_id")) == [
        ("adjourned", contract.pk),
        ("chair_changed", schedule.pk),
    ]

    # The draft minutes read each where it happened.
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    text = " ".join(page.locator("main").inner_text().split())
    expected = [
        "ICT supplier contract",
        "The Chief Digital Officer presented the report.",
        "RESOLVED – That the report be noted.",
        SILENCE,
        "The meeting adjourned at 11.05 am and resumed at 11.20 am.",
        "Budget monitoring",
        "The Chair left the meeting. Councillor J Smith took the Chair for this item and the "
        "rest of the meeting.",
    ]
    at = 0
    for part in expected:
        found = text.find(part, at)
        assert found >= 0, (part, text)
        at = found + len(part)
    assert_accessible(page)
