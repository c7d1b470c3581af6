"""An officer records people as the minutes name them, and an action as the council set it, in
the console; the minutes then read them where they happened."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from boards import services
from boards.models import AgendaItem
from minutes.models import Attendance, Declaration, Movement, Resolution
from tests.browser.waits import htmx_settled
from tests.factories import MembershipFactory, PersonFactory, PostFactory


@pytest.fixture
def meeting(board):
    MembershipFactory(board=board, person=PersonFactory(given_name="Ruth", family_name="Woodhouse"))
    PersonFactory(given_name="Kathryn", family_name="Groves")  # a councillor, not a member
    PersonFactory(
        officer=True, given_name="Dylan", family_name="Roberts", job_title="Chief Digital Officer"
    )
    PostFactory(title="Cabinet Member for Corporate Services")
    meeting = services.meeting_create(
        board=board, starts_at=timezone.now() - datetime.timedelta(hours=1), venue=None
    )
    services.agenda_item_add(
        meeting=meeting, item=AgendaItem(title="ICT supplier contract", purpose="A report.")
    )
    return meeting


def test_an_officer_records_who_was_there_as_the_minutes_name_them(
    page, sign_in, assert_accessible, meeting, officer
):
    sign_in(officer)
    page.goto(f"/meetings/{meeting.pk}/console/")
    item = meeting.agenda_items.get(title="ICT supplier contract")
    item_label = f"{item.number}. ICT supplier contract"

    # The Cabinet Member, by post alone; a councillor who is not on the board; an officer.
    attendees = page.locator("#attendees")

    def add(kind: str, **fields: str) -> None:
        attendees.get_by_text("Add someone in attendance").click()
        attendees.get_by_label("Attending as").select_option(kind)
        for label, value in fields.items():
            field = attendees.get_by_label(label, exact=True)
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(label=value)
            else:
                field.fill(value)
        attendees.get_by_role("button", name="Add").click()
        htmx_settled(page)

    add("other", Post="Cabinet Member for Corporate Services")
    expect(attendees.get_by_role("status")).to_have_text(
        "Cabinet Member for Corporate Services added."
    )
    add("councillor", Who="Councillor Kathryn Groves", Role="ward member for Rothwell")
    add("officer", Who="Dylan Roberts, Chief Digital Officer")
    expect(attendees).to_contain_text("Councillor K Groves (ward member for Rothwell)")
    expect(attendees).to_contain_text("Dylan Roberts, Chief Digital Officer")
    assert_accessible(page)

    # The councillor left during the item.
    movements = page.locator("#movements")
    movements.get_by_text("Record an arrival or departure").click()
    movements.get_by_label("Who").select_option(
        label="Councillor K Groves (ward member for Rothwell)"
    )
    movements.get_by_label("Left the meeting").check()
    movements.get_by_label("During item").select_option(label=item_label)
    movements.get_by_role("button", name="Record").click()
    expect(movements).to_contain_text(
        f"Councillor K Groves left the meeting during item {item.number}, ICT supplier contract."
    )
    htmx_settled(page)

    # The officer declared an interest and left the room.
    declarations = page.locator("#declarations")
    declarations.get_by_text("Record a declaration").click()
    declarations.get_by_label("Declared by").select_option(label="Dylan Roberts")
    declarations.get_by_label("Item", exact=True).select_option(label=item_label)
    declarations.get_by_label("Kind of interest").select_option("non_registrable")
    declarations.get_by_label("Nature").fill("His partner works for the supplier.")
    declarations.get_by_label("left the room", exact=False).check()
    declarations.get_by_role("button", name="Record declaration").click()
    expect(declarations).to_contain_text("His partner works for the supplier.")
    htmx_settled(page)

    # The item's minute, with an action owned in words, due six months on.
    page.get_by_role("button", name=f"Take a minute for item {item.number}").click()
    block = page.locator(f"#minute-item-{item.pk}")
    expect(block.get_by_text("Add a resolution")).to_be_visible()
    htmx_settled(page)
    block.get_by_text("Add a resolution").click()
    block.get_by_label("Resolution").fill("That the Democratic Services Manager be advised.")
    block.get_by_label("This asks someone to do something (an action)").check()
    block.get_by_label("or as the minutes name them").fill("the Democratic Services Manager")
    block.get_by_label("or within this many months of the meeting").fill("6")
    block.get_by_role("button", name=re.compile("Add resolution")).click()
    expect(block.locator(".resolutions")).to_contain_text(
        "Action the Democratic Services Manager, within six months"
    )
    assert_accessible(page)

    # What was recorded, as recorded.
    assert sorted(
        (a.kind, a.person.family_name if a.person else None, str(a.post or ""))
        for a in meeting.attendances.exclude(kind="member").select_related("person", "post")
    ) == [
        ("councillor", "Groves", ""),
        ("officer", "Roberts", ""),
        ("other", None, "Cabinet Member for Corporate Services"),
    ]
    assert Movement.objects.get().agenda_item == item
    assert Declaration.objects.get().left_room is True
    action = Resolution.objects.get()
    assert (action.owner_text, action.due_months) == ("the Democratic Services Manager", 6)

    # The draft minutes read each where it happened.
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    text = " ".join(page.locator("main").inner_text().split())
    expected = [
        "Also in attendance: Councillor K Groves (ward member for Rothwell)",
        "Cabinet Member for Corporate Services",
        "Dylan Roberts, Chief Digital Officer",
        "ICT supplier contract",
        "Action: the Democratic Services Manager, within six months",
        "Dylan Roberts, having declared an interest in this item, left the room",
        "Councillor K Groves left the meeting during this item.",
    ]
    at = 0
    for part in expected:
        found = text.find(part, at)
        assert found >= 0, (part, text)
        at = found + len(part)
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == 3
    assert_accessible(page)
